"""A warehouse built from the committed demo extract, shared by the assessment tests."""

from pathlib import Path

import pytest

from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.partner import load_partner_tables
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
    """A warehouse with the whole force's real police.uk files and the ONS force tables (../shared/data): built
    once per run, for every test of the whole force (open it read-only, as `vru assess` and `vru monitor` do)."""
    path = tmp_path_factory.mktemp("force") / "warehouse.duckdb"
    con = connect(path)
    load_reference(con, [shared_data / "geography", shared_data / "deprivation", shared_data / "population"])
    load_partner_tables(con, [shared_data / "recorded_crime" / "ons_pfa_tables"])
    ingest(con, street_files)
    con.close()
    return path
