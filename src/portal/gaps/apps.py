from django.apps import AppConfig


class GapsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.gaps"
    verbose_name = "Gap register"
