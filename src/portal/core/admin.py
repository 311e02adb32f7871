"""Admin site wording: the unit's name, not Django's."""

from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.VRU_SITE_NAME}: staff administration"
admin.site.site_title = settings.VRU_SITE_NAME
admin.site.index_title = "Administration"
