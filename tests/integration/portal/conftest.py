"""Fixtures for the portal's tests that use the database (SQLite or PostgreSQL, from DATABASE_URL)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from portal.insights.publishing import publish_coverage_report

FORM_URLENCODED = "application/x-www-form-urlencoded"
REPOSITORY = Path(__file__).resolve().parents[3]
DEMO = REPOSITORY / "data" / "demo"
AREA = "E06000022"


class BrowserFormClient(Client):
    """Django's test client, posting a form as a browser posts the portal's forms: URL-encoded, and
    multipart/form-data only when it holds a file (the one form with enctype="multipart/form-data", the
    partner data upload). Django's own client sends every form as multipart, which the portal refuses
    everywhere but the upload page (portal.core.middleware)."""

    def post(self, path, data=None, content_type=None, *args, **kwargs):
        if content_type is None:
            holds_file = isinstance(data, Mapping) and any(hasattr(value, "read") for value in data.values())
            if holds_file or not (data is None or isinstance(data, Mapping)):
                content_type = MULTIPART_CONTENT
            else:
                content_type, data = FORM_URLENCODED, urlencode(data or {}, doseq=True)
        return super().post(path, data, content_type, *args, **kwargs)


@pytest.fixture
def client() -> BrowserFormClient:
    return BrowserFormClient()


# The same fake report as the unit tests: see tests/unit/portal/conftest.py.
FAKE_COVERAGE_REPORT = (
    Path(__file__).resolve().parents[2] / "unit" / "portal" / "fakes" / "coverage_report_e06000022.json"
)


@pytest.fixture
def coverage_report() -> dict:
    return json.loads(FAKE_COVERAGE_REPORT.read_text())


@pytest.fixture
def published_coverage(db, coverage_report):
    return publish_coverage_report(
        coverage_report, area_code="E06000022", warehouse_path="/srv/vru/var/warehouse.duckdb"
    )


@pytest.fixture(autouse=True)
def role_audit_recording(monkeypatch):
    """Role and permission changes are audited (tests/integration/portal/test_role_audit.py, which turns
    this off). Elsewhere the accounts a test sets up would add events beside the content changes the test
    counts, so here the role audit records nothing."""
    monkeypatch.setattr("portal.accounts.role_audit._record", lambda *args: None)


@pytest.fixture
def approve_on_publishing():
    """For tests of what the dashboard shows and serves, not of approving (that is test_publication.py): every
    assessment published while the test runs is recorded as approved as it is published. Its report stays as
    it was published (these tests serve stand-in report files): rendering the approved report, which
    `manage.py approve_assessment` does too, is test_publication.py's."""
    from portal.insights.signals import assessment_published
    from portal.publication.models import Release
    from portal.publication.releases import COMMAND_LINE, _approve

    def approve(sender, assessment, **kwargs) -> None:
        if not Release.objects.filter(assessment=assessment, status="approved").exists():
            _approve(assessment, user=None, name="Test approver", role=COMMAND_LINE)

    assessment_published.connect(approve, dispatch_uid="tests-approve-on-publishing")
    yield
    assessment_published.disconnect(dispatch_uid="tests-approve-on-publishing")


def build_demo_bundle(directory: Path) -> Path:
    """Warehouse from the demo extract (reference data, recorded crime, police.uk), then `vru assess`."""
    from vru.assessment import assess
    from vru.profiles import get_profile
    from vru.warehouse import connect
    from vru.warehouse.ingest import ingest
    from vru.warehouse.partner import load_partner_tables
    from vru.warehouse.reference import load_reference

    bundle = directory / "bundle"
    if (bundle / "summary.json").is_file():
        return bundle
    con = connect(directory / "warehouse.duckdb")
    try:
        load_reference(con, [DEMO / "geography", DEMO / "deprivation", DEMO / "population"])
        load_partner_tables(con, [DEMO / "recorded_crime", DEMO / "partner_la"])
        ingest(con, [DEMO / "police_uk"])
        assess(con, AREA, "2023-01", "2025-04", get_profile(), bundle, permutations=99)
    finally:
        con.close()
    return bundle


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory) -> Path:
    """The B&NES bundle from the committed demo extract, built once per test process for every test that
    publishes it."""
    return build_demo_bundle(tmp_path_factory.getbasetemp() / "vru-demo-bundle")
