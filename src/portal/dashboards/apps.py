from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.dashboards"

    def ready(self) -> None:
        # The dashboard builds its pages when an assessment is published; insights never imports this app.
        from portal.dashboards.rendering import on_assessment_published
        from portal.insights.signals import assessment_published

        assessment_published.connect(on_assessment_published, dispatch_uid="dashboards-render")
