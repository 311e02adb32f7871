"""The SQLite full-text index of the resource library (FTS5 with the porter stemmer).

One row per resource, its rowid the resource's id: title, tags (topic and audience names), organisation
and summary, the fields `portal.resources.search` ranks in that order. Migration 0005 creates and fills
it; every save of a resource, and every change to its topics or audiences, rewrites its row (the signal
handlers are connected in ResourcesConfig.ready). PostgreSQL needs no index table: its full-text search
reads the columns themselves. Rebuild it by hand with `manage.py rebuild_resource_search`.
"""

from __future__ import annotations

from django.db import connection

TABLE = "resources_search_fts"
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} "
    "USING fts5(title, tags, organisation, summary, tokenize = 'porter unicode61')"
)


def enabled(using_connection=None) -> bool:
    return (using_connection or connection).vendor == "sqlite"


def create(using_connection=None) -> None:
    using_connection = using_connection or connection
    if enabled(using_connection):
        with using_connection.cursor() as cursor:
            cursor.execute(CREATE)


def _row(resource) -> list:
    tags = [topic.name for topic in resource.topics.all()] + [audience.name for audience in resource.audiences.all()]
    return [resource.pk, resource.title, " ".join(tags), resource.organisation, resource.summary]


def index(resources) -> None:
    """Write (or rewrite) the rows of `resources`."""
    if not enabled():
        return
    rows = [_row(resource) for resource in resources]
    with connection.cursor() as cursor:
        cursor.execute(CREATE)
        for row in rows:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [row[0]])
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, tags, organisation, summary) VALUES (%s, %s, %s, %s, %s)", row
            )


def rebuild(resources) -> int:
    """Empty the index and write every resource in `resources` again; returns how many."""
    if not enabled():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(CREATE)
        cursor.execute(f"DELETE FROM {TABLE}")
    resources = list(resources)
    index(resources)
    return len(resources)


def on_resource_saved(sender, instance, **kwargs) -> None:
    index([instance])


def on_tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index([instance])
    elif pk_set:  # topic.resources.add(...): the resources changed are in pk_set
        index(type(instance).resources.rel.related_model.objects.filter(pk__in=pk_set))
