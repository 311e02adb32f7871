"""A tested restore of the portal database (docs/deployment.md, "Backups"), on PostgreSQL as in
production: scripts/backup.sh (pg_dump) of the test database, scripts/restore.sh into a new, empty
database, and every table holds the same rows. Runs in the PostgreSQL pass of `make test`."""

from __future__ import annotations

import os
import subprocess

import pytest
from django.db import connection

from portal.feedback.models import FeedbackMessage
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db(transaction=True)


def url_of(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{name}"


def run(script: str, folder, database_url: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "VRU_WAREHOUSE": str(folder / "no-warehouse")}
    return subprocess.run(
        [str(REPO_ROOT / "scripts" / script), str(folder)], env=environment, capture_output=True, text=True
    )


def every_table(database_url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(database_url) as other:
        tables = [
            name
            for (name,) in other.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall()
        ]
        return {table: sorted(map(repr, other.execute(f'SELECT * FROM "{table}"').fetchall())) for table in tables}


def test_the_portal_database_restores_into_an_empty_database(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the portal database is backed up with pg_dump: this runs in the PostgreSQL pass")
    FeedbackMessage.objects.create(topic=FeedbackMessage.Topic.choices[0][0], message="Kept across a restore.")
    live = url_of(connection.settings_dict["NAME"])
    before = every_table(live)
    assert before["feedback_feedbackmessage"] and before["core_page"]

    result = run("backup.sh", tmp_path, live)
    assert result.returncode == 0, result.stderr

    restored_name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        cursor.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        result = run("restore.sh", tmp_path, url_of(restored_name))
        assert result.returncode == 0, result.stderr
        assert every_table(url_of(restored_name)) == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
