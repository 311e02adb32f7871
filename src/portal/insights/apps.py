from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "portal.insights"
    label = "insights"
    verbose_name = "Published data"
