from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.resources"

    def ready(self) -> None:
        from portal.resources import search_index
        from portal.resources.models import Audience, Resource, Stage, Topic
        from portal.resources.search import forget_filter_choices

        # Keep the SQLite full-text index in step with every save (portal.resources.search_index).
        post_save.connect(search_index.on_resource_saved, sender=Resource, dispatch_uid="resource-search-index")
        for tags in (Resource.topics.through, Resource.audiences.through):
            m2m_changed.connect(
                search_index.on_tags_changed, sender=tags, dispatch_uid=f"resource-search-{tags.__name__}"
            )
        # The filter lists are cached (portal.resources.search.filter_choices): a changed term clears them.
        for term in (Audience, Stage, Topic):
            for signal in (post_save, post_delete):
                signal.connect(forget_filter_choices, sender=term, dispatch_uid=f"filter-choices-{term.__name__}")
