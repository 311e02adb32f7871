import logging

from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.signposting"
    verbose_name = "Worried about someone?"

    def ready(self) -> None:
        from portal.resources.checking import register_link_source
        from portal.signposting.links import links_in_use
        from portal.signposting.log_filters import HideFlowAnswers

        # The link checker covers the contacts' and sources' links too.
        register_link_source(links_in_use)

        # The development server's request log ("django.server"): no answers in it.
        server_log = logging.getLogger("django.server")
        if not any(isinstance(existing, HideFlowAnswers) for existing in server_log.filters):
            server_log.addFilter(HideFlowAnswers())
