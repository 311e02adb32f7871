from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.signposting"
