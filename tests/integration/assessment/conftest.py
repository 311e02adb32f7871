"""A warehouse built from the committed demo extract, shared by the assessment tests."""

from pathlib import Path

import pytest

from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory, demo_data: Path):
    path = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    con = connect(path)
    load_reference(
        con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population", demo_data / "prices"]
    )
    ingest(con, [demo_data / "police_uk"])
    con.close()
    return path


@pytest.fixture(scope="session")
def force_warehouse(tmp_path_factory, shared_data: Path, street_files):
    """A warehouse with the whole force's real police.uk files (../shared/data): build it once per run."""
    path = tmp_path_factory.mktemp("force") / "warehouse.duckdb"
    con = connect(path)
    load_reference(con, [shared_data / "geography", shared_data / "deprivation", shared_data / "population"])
    ingest(con, street_files)
    con.close()
    return path
