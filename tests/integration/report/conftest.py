"""A real B&NES bundle from the committed demo extract, and the report rendered from it (once a session)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from vru.assessment import assess
from vru.profiles import get_profile
from vru.report import render_report
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.partner import load_partner_tables
from vru.warehouse.reference import load_reference

BANES = "E06000022"
PRODUCED_ON = date(2026, 11, 27)


@pytest.fixture(scope="session")
def produced_on() -> date:
    return PRODUCED_ON


@pytest.fixture(scope="session")
def report_bundle(tmp_path_factory, demo_data: Path) -> Path:
    """The assessment bundle for B&NES, January 2023 to April 2025, with the force's recorded crime tables."""
    root = tmp_path_factory.mktemp("report-bundle")
    con = connect(root / "warehouse.duckdb")
    load_reference(
        con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population", demo_data / "prices"]
    )
    load_partner_tables(con, [demo_data / "recorded_crime", demo_data / "partner_la"])
    ingest(con, [demo_data / "police_uk"])
    out = root / "bundle"
    assess(con, BANES, "2023-01", "2025-04", get_profile(), out, permutations=999)
    con.close()
    return out


@pytest.fixture(scope="session")
def summary(report_bundle: Path) -> dict:
    return json.loads((report_bundle / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def report(report_bundle: Path, tmp_path_factory):
    """report.html, its figures and report.pdf, rendered once."""
    return render_report(report_bundle, tmp_path_factory.mktemp("report"), produced_on=PRODUCED_ON)


@pytest.fixture(scope="session")
def pdf_pages(report) -> list[str]:
    """The PDF's text page by page (pdftotext -layout; pages end with a form feed)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(report.pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]
