"""Fixtures for the portal's unit tests (no database, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# A fake of what vru.warehouse.coverage.coverage_report returns: Bath and North East Somerset, January
# 2023 to December 2024, street and outcomes files, with July and August 2024 missing. Also used by
# tests/integration/portal and tests/e2e.
FAKE_COVERAGE_REPORT = Path(__file__).parent / "fakes" / "coverage_report_e06000022.json"


@pytest.fixture
def coverage_report() -> dict:
    return json.loads(FAKE_COVERAGE_REPORT.read_text())
