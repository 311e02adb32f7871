"""Fixtures for the portal's tests that use the database (SQLite or PostgreSQL, from DATABASE_URL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.insights.publishing import publish_coverage_report

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
