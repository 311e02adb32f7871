"""Static files: the compiled stylesheet, GOV.UK Frontend's script, and what collectstatic copies."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

GOV_UK_ONLY = ("GDS Transport", ".woff", "govuk-crest")


@pytest.mark.django_db
def test_the_stylesheet_is_served_without_gov_uk_fonts_or_crest(client):
    response = client.get("/static/portal/portal.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = b"".join(response.streaming_content).decode()
    assert "font-family:arial,sans-serif" in css
    for gov_uk_only in GOV_UK_ONLY:
        assert gov_uk_only not in css
    assert "url(" not in css  # links no images or fonts at all


@pytest.mark.django_db
def test_gov_uk_frontend_script_is_served_from_node_modules(client):
    response = client.get("/static/govuk-frontend/govuk-frontend.min.js")
    assert response.status_code == 200
    assert b"initAll" in b"".join(response.streaming_content)


@pytest.mark.slow
def test_collectstatic_hashes_what_pages_use_and_copies_no_gov_uk_fonts(tmp_path, settings):
    # As in production: hashed, compressed copies and a manifest, made by WhiteNoise's storage.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for used in (
        "portal/portal.css",
        "portal/js-enabled.js",
        "portal/start-govuk-frontend.mjs",
        "portal/favicon.svg",
        "govuk-frontend/govuk-frontend.min.js",
    ):
        assert used in manifest
    collected = [path.name for path in tmp_path.rglob("*")]
    assert not [name for name in collected if name.endswith((".woff", ".woff2"))]
    assert not [name for name in collected if "govuk-crest" in name or name.endswith(".scss")]
