from django.apps import AppConfig


class PlacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.places"
    verbose_name = "ward and neighbourhood profiles"
