"""A limit on public form submissions (feedback, account requests) per client address, counted in Django's cache.

A fixed window: the first accepted submission from an address starts it, and up to
settings.FEEDBACK_RATE_LIMIT submissions are accepted until it ends. The cache is Django's default (an
in-memory cache per process unless CACHES says otherwise), so with several server processes each counts on
its own: the limit is there to stop floods, not to count exactly.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind a proxy this is the proxy's, unless it sets REMOTE_ADDR
    (X-Forwarded-For is not trusted: anyone can send it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(address: str, form: str) -> str:
    # The cache keeps a hash, not the address itself.
    return f"{form}-rate:" + hashlib.sha256(address.encode()).hexdigest()


def take_submission(address: str, form: str = "feedback") -> bool:
    """Count one submission of the public `form` from `address`: True if it is within the limit, False if
    over it. Each public form counts on its own."""
    key = _key(address, form)
    window = settings.FEEDBACK_RATE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this submission starts a new window.
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= settings.FEEDBACK_RATE_LIMIT


def window_minutes() -> int:
    return max(1, round(settings.FEEDBACK_RATE_WINDOW_SECONDS / 60))
