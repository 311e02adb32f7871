"""Sessions kept in the database exactly as Django's database backend keeps them, read with one plain query.

Every request with a session cookie reads its session: every staff page, before anything else. Django's
database backend builds that one query through the ORM each time, which cost more than running it (about
0.2 ms of a 3 ms staff page: benchmarks/portal.py, issue 11). Here it is SQL written once per process from the
model's table and column names. Everything else (saving, expiry, clearing, `clearsessions`) is Django's own.
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _session_sql(alias: str) -> str:
    """The session's data if it has not expired (the key and the time now as its parameters)."""
    from django.contrib.sessions.models import Session

    quote = connections[alias].ops.quote_name
    fields = Session._meta
    column = {name: quote(fields.get_field(name).column) for name in ("session_key", "session_data", "expire_date")}
    return (
        f"SELECT {column['session_data']} FROM {quote(fields.db_table)} "
        f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
    )


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        """The session's data, or {} (and no key, so a new one is made) when it is missing or has expired: what
        Django's database backend does."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
