"""Where published files live: VRU_VAR_DIR/published/, and which report files may be served from it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

# What a published report folder may hold, and the content type each is served with.
REPORT_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


def published_root() -> Path:
    return settings.VAR_DIR / "published"
