"""Fixtures shared by every test layer.

Tests that need the full real files in ../shared/data skip with a reason when that folder is absent (a
newcomer has the repository only) and fail instead in CI (CI=true), where it is always present.
"""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check invariants, not speed (speed lives in benchmarks/): a loaded 2-core machine must not
# turn a slow example into a failure.
settings.register_profile("vru", deadline=None)
settings.load_profile("vru")

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_DATA = REPO_ROOT / "data" / "demo"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip when something outside the repository is missing; in CI, fail instead."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = Path(os.environ.get("VRU_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")).resolve()
    require((path / "police_uk" / "street").is_dir(), f"real data not found at {path} (set VRU_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def street_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "police_uk" / "street").glob("*-street.csv.gz"))


@pytest.fixture(scope="session")
def demo_data() -> Path:
    return DEMO_DATA


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of the table with this id, as cell texts."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id} in the report"
    body = match.group(0).split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
    return rows
