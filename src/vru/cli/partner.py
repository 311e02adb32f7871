"""`vru partner`: load partner data (ONS force tables, published local authority indicators, local partner
CSVs) into the warehouse in one transaction; show the data-quality scorecard; mark a source publishable."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vru.cli.loading import load_with_progress
from vru.sources.partner_intake import TEMPLATES
from vru.warehouse import DEFAULT_WAREHOUSE, connect
from vru.warehouse.partner import PartnerLoadReport, load_partner_tables
from vru.warehouse.partner_intake import mark_publishable, read_quality_records


def partner_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="ONS police force area workbooks (.xlsx), partner publications (docs/partner-data.md), partner "
            "CSVs made from a template, or folders searched for workbooks and publications.",
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", help="The partner that sent the CSVs (needed for partner CSVs)."),
    ] = None,
    scorecard: Annotated[
        bool, typer.Option("--scorecard", help="Print the data-quality scorecard (of --organisation, or all).")
    ] = False,
    publishable: Annotated[
        str | None,
        typer.Option(
            "--publishable",
            help="Mark --organisation's data of this kind publishable ('yes') or not ('no'): KIND=yes|no.",
        ),
    ] = None,
    warehouse: Annotated[
        Path, typer.Option("--warehouse", help="DuckDB warehouse file.", show_default=True)
    ] = DEFAULT_WAREHOUSE,
) -> None:
    """Load partner files, all in one transaction; or show the scorecard, or mark a source publishable."""
    console = Console()
    if publishable:
        _mark(console, warehouse, organisation, publishable)
    if paths:
        report = load_with_progress(
            lambda con, files, progress: load_partner_tables(con, files, progress, organisation=organisation),
            paths,
            warehouse,
        )
        print_summary(console, report, warehouse)
    if scorecard:
        # Imported here: the scorecard's module brings scipy, which loading files does not need.
        from vru.analysis import partner_quality

        con = connect(warehouse)
        try:
            print_scorecard(console, partner_quality.scorecard(read_quality_records(con, organisation)))
        finally:
            con.close()
    if not (paths or scorecard or publishable):
        raise typer.BadParameter("give files to load, --scorecard or --publishable")


def _mark(console: Console, warehouse: Path, organisation: str | None, setting: str) -> None:
    kind, _, answer = setting.partition("=")
    if not organisation or kind not in TEMPLATES or answer not in ("yes", "no"):
        raise typer.BadParameter(
            f"--publishable needs --organisation and KIND=yes|no with KIND one of {', '.join(TEMPLATES)}"
        )
    con = connect(warehouse)
    try:
        mark_publishable(con, organisation, kind, answer == "yes", getpass.getuser(), datetime.now(UTC))
    finally:
        con.close()
    console.print(f"{organisation}, {kind}: {'publishable' if answer == 'yes' else 'not publishable'}")


def print_summary(console: Console, report: PartnerLoadReport, warehouse: Path) -> None:
    """What was loaded: force-table editions, publication files, partner uploads; then warnings."""
    if report.editions:
        table = Table(title=f"ONS police force area tables loaded into {warehouse}")
        for column in ("12 months ending", "rows", "tables", "replaced rows", "file"):
            table.add_column(column, justify="right" if "rows" in column else "left")
        for load in report.editions:
            table.add_row(
                load.edition_end,
                f"{load.rows:,}",
                ", ".join(load.tables),
                f"{load.replaced_rows:,}",
                Path(load.source_file).name,
            )
        console.print(table)
    if report.indicators:
        table = Table(title=f"Partner indicators loaded into {warehouse}")
        for column in ("source", "rows", "replaced rows", "file"):
            table.add_column(column, justify="right" if "rows" in column else "left")
        for load in report.indicators:
            table.add_row(load.source, f"{load.rows:,}", f"{load.replaced_rows:,}", load.source_file)
        console.print(table)
    if report.uploads:
        table = Table(title=f"Partner files loaded into {warehouse}")
        for column in ("kind", "rows", "months", "replaced rows", "file"):
            table.add_column(column, justify="right" if "rows" in column else "left")
        for upload in report.uploads:
            table.add_row(
                upload["kind"],
                f"{upload['rows']:,}",
                ", ".join(upload["months"]),
                f"{upload['replaced_rows']:,}",
                upload["file"],
            )
        console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


def print_scorecard(console: Console, card) -> None:
    table = Table(title="Partner data quality, per partner, kind and month")
    for column in ("partner", "kind", "month", "rows", "complete", "days late", "in an LSOA", "duplicates"):
        table.add_column(column)
    for row in card.itertuples(index=False):
        geocoded = "" if row.geocoded_share != row.geocoded_share else f"{row.geocoded_share:.0%}"
        table.add_row(
            row.organisation,
            row.kind,
            row.month,
            f"{row.rows:,}",
            f"{row.completeness:.0%}",
            str(row.days_late),
            geocoded,
            str(row.duplicates),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("partner")(partner_command)
