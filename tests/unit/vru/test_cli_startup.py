"""`vru` starts fast: `vru --help` imports no command's module, and each command loads only what it needs.

The time itself is measured in benchmarks/cli.py, not here; these tests check the cause (what is imported)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vru.cli import COMMANDS, load_command

SRC = Path(__file__).resolve().parents[3] / "src"
HEAVY = ("pandas", "duckdb", "geopandas", "scipy", "matplotlib", "shapely", "httpx", "vru.assessment", "vru.report")


def modules_loaded_by(*argv: str) -> set[str]:
    """The modules a fresh `vru <argv>` process has imported when it exits."""
    script = (
        "import sys\n"
        "from vru.cli import app\n"
        f"try:\n    app({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True, timeout=120
    )
    return set(result.stdout.split())


def test_help_imports_no_command_module():
    loaded = modules_loaded_by("--help")
    assert not [name for name in HEAVY if name in loaded]
    assert not [name for name in loaded if name.startswith("vru.cli.") and name != "vru.cli.options"]


def test_coverage_does_not_load_the_analysis_or_the_ingest_code(tmp_path):
    loaded = modules_loaded_by("coverage", "--json", "--warehouse", str(tmp_path / "none.duckdb"))
    for name in ("pandas", "geopandas", "scipy", "matplotlib", "shapely", "vru.assessment", "vru.warehouse.ingest"):
        assert name not in loaded, name


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_help_is_the_commands_own(name):
    command = load_command(name)
    assert command.name == name
    assert (command.help or "").strip().splitlines()[0] == COMMANDS[name].help


def test_ingest_loads_neither_the_analysis_nor_the_http_client(tmp_path, demo_data):
    # `vru ingest` is measured against a bare DuckDB process (benchmarks/ingest.py); the downloader's HTTP
    # client and the analysis are start-up it does not need.
    street = demo_data / "police_uk" / "street" / "2023-01-avon-and-somerset-street.csv.gz"
    loaded = modules_loaded_by("ingest", str(street), "--warehouse", str(tmp_path / "w.duckdb"))
    assert "vru.warehouse.ingest" in loaded, "the command ran"
    for name in ("httpx", "vru.sources.police_uk_download", "pandas", "scipy", "vru.assessment"):
        assert name not in loaded, name
