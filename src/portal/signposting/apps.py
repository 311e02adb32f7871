import logging

from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.signposting"
    verbose_name = "Worried about someone?"

    def ready(self) -> None:
        from portal.signposting.log_filters import HideFlowAnswers

        # The development server's request log ("django.server"): no answers in it.
        server_log = logging.getLogger("django.server")
        if not any(isinstance(existing, HideFlowAnswers) for existing in server_log.filters):
            server_log.addFilter(HideFlowAnswers())
