"""The report's gaps chapter: "not yet assessed" without a gap register; the register, with nothing
identifying, when the portal has exported gaps.json into the bundle folder (a small hand-made register in the
export's format, on the real B&NES bundle)."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from vru.bundle import BundleError, read_bundle
from vru.report.context import build_context
from vru.report.render import render_html

REGISTER = {
    "schema": "vru-gap-register/1",
    "area_code": "E06000022",
    "area_name": "Bath and North East Somerset",
    "built_at": "2026-12-02T07:00:00+00:00",
    "threshold": 0.25,
    "rows": [
        {
            "area_code": "E05012488", "area_name": "Twerton", "theme": "education-employment",
            "theme_name": "Education and employment", "gap": 0.46, "need": 0.46, "provision": 0.0,
            "components": {"excess": 0.4, "clusters": 0.0, "deprivation": 0.84, "young_people": 0.0},
            "service_count": 0, "reasons": [], "practice_answers": 0, "status": "Open",
        },
        {
            "area_code": "E05012471", "area_name": "Kingsmead", "theme": "family-support",
            "theme_name": "Family support", "gap": 0.0, "need": 0.42, "provision": 1.0, "components": {},
            "service_count": 2, "reasons": [], "practice_answers": "fewer than 5", "status": "Being worked on",
        },
    ],
    "directory": {"published_services": 15, "by_theme": {"Mental health": 0, "Family support": 2}},
    "consultations": {"count": 1, "partner_responses": "fewer than 5", "public_responses": 0},
}  # fmt: skip


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def bundle_with_register(report_bundle: Path, tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    shutil.copytree(report_bundle, bundle)
    (bundle / "gaps.json").write_text(json.dumps(REGISTER), encoding="utf-8")
    return bundle


def gaps_section(bundle_dir: Path, out: Path) -> str:
    html = render_html(build_context(read_bundle(bundle_dir), out), "screen")
    return text_of(html.split('id="gaps"', 1)[1].split("</section>", 1)[0])


def test_without_a_register_the_chapter_says_not_yet_assessed(report_bundle, tmp_path):
    section = gaps_section(report_bundle, tmp_path)
    assert "Not yet assessed." in section and "Service mapping (current provision)" in section


def test_with_the_register_the_chapter_shows_it(bundle_with_register, tmp_path):
    section = gaps_section(bundle_with_register, tmp_path)
    assert "Not yet assessed." not in section
    assert "15 services" in section and "1 consultation" in section
    assert "Twerton Education and employment 0.46 0.46 0.00 0 rate above the area's, deprivation 0 Open" in section
    assert "Kingsmead Family support 0.00 0.42 1.00 2 none fewer than 5 Being worked on" in section
    assert "No service in the directory yet covers: Mental health." in section
    # What the register has replaced leaves the "not yet assessed" list; hospital data stays in it.
    assert "Service mapping (current provision)" not in section and "Hospital data" in section


def test_a_file_that_is_not_a_register_is_refused(bundle_with_register):
    (bundle_with_register / "gaps.json").write_text('{"schema": "something else"}')
    with pytest.raises(BundleError, match="gaps.json is not a gap register"):
        read_bundle(bundle_with_register)
