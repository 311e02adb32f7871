"""Documentation that fails when it drifts from the code: warehouse tables and CLI commands."""

import re
from pathlib import Path

import duckdb
import typer.main

from vru.cli import app
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
    group = typer.main.get_command(app)
    documented_commands = set(re.findall(r"^## `vru ([a-z-]+)", text, flags=re.M))
    assert documented_commands == set(group.commands)
    for name, command in group.commands.items():
        section = re.search(rf"^## `vru {name}.*?(?=^## |\Z)", text, flags=re.M | re.S).group(0)
        for parameter in command.params:
            if parameter.param_type_name == "option":
                option = max(parameter.opts, key=len)
                assert f"`{option}" in section, f"docs/cli.md: `vru {name}` does not document {option}"
            else:
                assert parameter.name.upper() in section, f"docs/cli.md: `vru {name}` lacks {parameter.name}"
