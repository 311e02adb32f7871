"""A warehouse written by another schema version is refused, not silently reused."""

import pytest

from vru.warehouse import connect
from vru.warehouse.schema import SCHEMA_VERSION, SchemaMismatch


def test_a_new_warehouse_records_its_schema_version(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    assert con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )


def test_a_warehouse_from_another_version_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute("UPDATE warehouse_meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SchemaMismatch, match="schema version 0"):
        connect(path)
