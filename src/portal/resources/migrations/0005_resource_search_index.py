"""Create and fill the SQLite full-text index of the resource library (portal.resources.search_index).

Nothing to do on PostgreSQL, whose full-text search reads the columns themselves.
"""

from __future__ import annotations

from django.db import migrations

from portal.resources import search_index


def create_and_fill(apps, schema_editor) -> None:
    if not search_index.enabled(schema_editor.connection):
        return
    search_index.rebuild(apps.get_model("resources", "Resource").objects.prefetch_related("topics", "audiences"))


def drop(apps, schema_editor) -> None:
    if search_index.enabled(schema_editor.connection):
        schema_editor.execute(f"DROP TABLE IF EXISTS {search_index.TABLE}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0004_load_revetted_resources")]

    operations = [migrations.RunPython(create_and_fill, drop)]
