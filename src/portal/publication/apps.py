from django.apps import AppConfig


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.publication"
    verbose_name = "publication of the needs assessment"
