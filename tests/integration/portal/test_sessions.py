"""portal.accounts.sessions reads a session as Django's own database backend does (the reference here)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved_session(data: dict) -> str:
    store = DjangoSessionStore()
    store.update(data)
    store.create()
    store.save()
    return store.session_key


def test_a_live_session_reads_as_djangos_backend_reads_it():
    key = saved_session({"_auth_user_id": "7", "note": "café ✓", "numbers": [1, 2]})
    ours, django = SessionStore(key), DjangoSessionStore(key)
    assert ours.load() == django.load() == {"_auth_user_id": "7", "note": "café ✓", "numbers": [1, 2]}
    assert ours.session_key == key


@pytest.mark.parametrize("case", ["expired", "unknown"])
def test_an_expired_or_unknown_session_is_empty_and_loses_its_key(case):
    key = saved_session({"_auth_user_id": "7"})
    if case == "expired":
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    else:
        key = "x" * 32
    ours, django = SessionStore(key), DjangoSessionStore(key)
    assert ours.load() == django.load() == {}
    assert ours.session_key is None and django.session_key is None


def test_the_portal_uses_it(settings, client):
    assert settings.SESSION_ENGINE == "portal.accounts.sessions"
    client.get("/")
    assert isinstance(client.session, SessionStore)
