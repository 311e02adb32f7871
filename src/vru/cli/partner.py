"""`vru partner`: load the ONS police force area data tables (police recorded crime) into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vru.cli.loading import load_with_progress
from vru.warehouse import DEFAULT_WAREHOUSE
from vru.warehouse.partner import PartnerLoadReport, load_partner_tables


def partner_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="ONS 'Police force area data tables' workbooks (.xlsx), or folders searched recursively."),
    ],
    warehouse: Annotated[
        Path, typer.Option("--warehouse", help="DuckDB warehouse file.", show_default=True)
    ] = DEFAULT_WAREHOUSE,
) -> None:
    """Load ONS police force area tables; each edition is replaced whole, all in one transaction."""
    report = load_with_progress(load_partner_tables, paths, warehouse)
    print_summary(Console(), report, warehouse)


def print_summary(console: Console, report: PartnerLoadReport, warehouse: Path) -> None:
    """One line per edition loaded: rows, tables read, whether it replaced earlier rows; then warnings."""
    table = Table(title=f"ONS police force area tables loaded into {warehouse}")
    table.add_column("12 months ending")
    table.add_column("rows", justify="right")
    table.add_column("tables")
    table.add_column("replaced rows", justify="right")
    table.add_column("file")
    for load in report.editions:
        table.add_row(
            load.edition_end,
            f"{load.rows:,}",
            ", ".join(load.tables),
            f"{load.replaced_rows:,}",
            Path(load.source_file).name,
        )
    console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


def register(app: typer.Typer) -> None:
    app.command("partner")(partner_command)
