"""Consultations in the Django admin (administrators): read-only answers, so nothing bypasses moderation."""

from django.contrib import admin

from portal.consultations.models import Consultation


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "closes_on", "public"]
