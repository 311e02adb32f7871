"""The `vru` command. Each command lives in its own module here; docs/cli.md documents every one.

`vru` starts fast: a command's module, and what it imports (pandas, DuckDB, geopandas, the assessment), is loaded
only when that command runs. `vru --help` lists the commands from COMMANDS without importing any of them
(benchmarks/cli.py measures it; tests/unit/vru/test_cli_startup.py keeps the one-line help in step).
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click
import typer
import typer.main
from typer.core import TyperCommand, TyperGroup


class Command(NamedTuple):
    module: str  # the module whose register(app) adds the command
    help: str  # the first line of the command's own help, shown by `vru --help`


COMMANDS = {
    "ingest": Command(
        "vru.cli.ingest",
        "Load police.uk street, outcomes and stop-and-search files; each (force, month, kind) replaced whole.",
    ),
    "coverage": Command(
        "vru.cli.ingest",
        "What the warehouse holds: rows per force, month, kind and crime type; months present and missing.",
    ),
    "reference": Command(
        "vru.cli.reference", "Load reference data; each table given files is replaced whole, all in one transaction."
    ),
    "partner": Command(
        "vru.cli.partner",
        "Load partner files, all in one transaction; or show the scorecard, or mark a source publishable.",
    ),
    "fetch": Command("vru.cli.fetch", "Download a police force's months from data.police.uk (see docs/fetch.md)."),
    "assess": Command(
        "vru.cli.assess", "Assess serious violence in an area and write the assessment bundle (docs/bundle.md)."
    ),
    "report": Command(
        "vru.cli.report",
        "Write the serious violence strategic needs assessment report from a bundle (docs/report.md).",
    ),
    "monitor": Command(
        "vru.cli.monitor",
        "Chart every success measure of an area against a baseline fixed at the strategy's start (docs/monitoring.md).",
    ),
    "evaluate": Command(
        "vru.cli.monitor",
        "Before and after an action tied to places, against similar places (difference in differences).",
    ),
}


def load_command(name: str) -> click.Command:
    """The real command `name`, importing its module."""
    commands = typer.Typer()
    importlib.import_module(COMMANDS[name].module).register(commands)
    return typer.main.get_group(commands).commands[name]


class LazyCommands(TyperGroup):
    """Lists every command from COMMANDS; imports a command's module only to run it or show its own help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # Asked for the list of commands (`vru --help`): a stand-in carrying the one-line help.
        if cmd_name not in COMMANDS:
            return None
        return TyperCommand(name=cmd_name, help=COMMANDS[cmd_name].help)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] in COMMANDS:
            return args[0], load_command(args[0]), args[1:]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="vru",
    cls=LazyCommands,
    # Plain help for the list of commands: Rich's help renderer (and the Markdown parser it loads) would double
    # the start-up time of `vru --help`. Each command's own help keeps Rich's layout.
    rich_markup_mode=None,
    context_settings={"max_content_width": 120},
    help="Serious-violence needs-assessment toolkit: ingest police.uk and reference data, assess, report.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _toolkit() -> None:
    """Serious-violence needs-assessment toolkit: ingest police.uk and reference data, assess, report."""


def main() -> None:
    """The `vru` entry point: the Typer app, with a plain message for a warehouse of another schema."""
    try:
        app()
    except Exception as error:
        # Imported only on failure: vru.warehouse.schema loads DuckDB, which `vru --help` must not pay for.
        from vru.errors import WarehouseError
        from vru.warehouse.schema import SchemaMismatch

        if not isinstance(error, SchemaMismatch | WarehouseError):
            raise
        from rich.console import Console

        Console(stderr=True).print(f"[red]error:[/red] {error}")
        raise SystemExit(2) from None
