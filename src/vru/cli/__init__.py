"""The `vru` command. Each command lives in its own module here; docs/cli.md documents every one."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="vru",
    help="Serious-violence needs-assessment toolkit: ingest police.uk and reference data, assess, report.",
    no_args_is_help=True,
    add_completion=False,
)


def _register() -> None:
    # Imported here so `vru --help` lists every command and each module stays independent.
    from vru.cli import assess, fetch, ingest, monitor, partner, reference, report

    for module in (ingest, reference, partner, fetch, assess, report, monitor):
        module.register(app)


_register()


def main() -> None:
    """The `vru` entry point: the Typer app, with a plain message for a warehouse of another schema."""
    from rich.console import Console

    from vru.errors import WarehouseError
    from vru.warehouse.schema import SchemaMismatch

    try:
        app()
    except (SchemaMismatch, WarehouseError) as error:
        Console(stderr=True).print(f"[red]error:[/red] {error}")
        raise SystemExit(2) from None
