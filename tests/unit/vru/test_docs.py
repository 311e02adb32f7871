"""Documentation that fails when it drifts from the code: warehouse tables and CLI commands."""

import re
from pathlib import Path

import duckdb

from vru.cli import COMMANDS, load_command
from vru.warehouse.schema import SCHEMA_VERSION, ensure_schema

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_every_warehouse_table_and_column_is_documented():
    text = (DOCS / "warehouse.md").read_text()
    con = duckdb.connect()
    ensure_schema(con)
    assert f"Schema version: {SCHEMA_VERSION}." in text
    tables = [name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    sections = dict(re.findall(r"^### (\w+)\n(.*?)(?=^### |\Z)", text, flags=re.M | re.S))
    assert set(sections) == set(tables)
    for table in tables:
        columns = con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
        documented = set(re.findall(r"`(\w+)`", sections[table]))
        missing = {column for (column,) in columns} - documented
        assert not missing, f"docs/warehouse.md, table {table}: columns not documented: {sorted(missing)}"


def test_every_command_and_option_is_documented():
    text = (DOCS / "cli.md").read_text()
    documented_commands = set(re.findall(r"^## `vru ([a-z-]+)", text, flags=re.M))
    assert documented_commands == set(COMMANDS)
    for name in COMMANDS:
        command = load_command(name)
        section = re.search(rf"^## `vru {name}.*?(?=^## |\Z)", text, flags=re.M | re.S).group(0)
        for parameter in command.params:
            if parameter.param_type_name == "option":
                option = max(parameter.opts, key=len)
                assert f"`{option}" in section, f"docs/cli.md: `vru {name}` does not document {option}"
            else:
                assert parameter.name.upper() in section, f"docs/cli.md: `vru {name}` lacks {parameter.name}"


def test_every_bundle_file_column_and_summary_key_is_documented():
    from vru.bundle.schema import REQUIRED_SUMMARY_KEYS, SCHEMA_VERSION, TABLES, bundle_files

    text = (DOCS / "bundle.md").read_text()
    assert f"Schema version {SCHEMA_VERSION} " in text
    assert re.search(rf"^\| {SCHEMA_VERSION} \|", text, flags=re.M), "docs/bundle.md: no row for this schema version"
    rows = {match.group(1): match.group(0) for match in re.finditer(r"^\| `([\w.]+)`.*$", text, flags=re.M)}
    for filename in bundle_files():
        assert filename in text, f"docs/bundle.md does not list {filename}"
    for spec in TABLES.values():
        row = rows[spec.filename]
        missing = [column for column in spec.required if f"`{column}`" not in row]
        assert not missing, f"docs/bundle.md, {spec.filename}: columns not documented: {missing}"
    keys = set(re.findall(r"`(\w+)`", text.split("## summary.json keys", 1)[1]))
    assert not set(REQUIRED_SUMMARY_KEYS) - keys
