"""`vru reference`: load geography, deprivation and population files into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vru.cli.loading import load_with_progress
from vru.warehouse import DEFAULT_WAREHOUSE
from vru.warehouse.reference import ReferenceLoadReport, load_reference

# Skipped files named in the summary; the rest are counted.
SKIPPED_SHOWN = 5
PART_LABELS = {
    "ref_imd": "IMD editions",
    "ref_boundary": "layers",
    "ref_population_age": "mid-years",
    "ref_price_index": "series",
}


def reference_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Reference files, or folders searched recursively: ONS lookups and GeoJSON boundaries, "
            "IMD 2019/2025, LSOA population by single year of age (docs/data-sources.md)."
        ),
    ],
    warehouse: Annotated[
        Path, typer.Option("--warehouse", help="DuckDB warehouse file.", show_default=True)
    ] = DEFAULT_WAREHOUSE,
) -> None:
    """Load reference data; each table given files is replaced whole, all in one transaction."""
    report = load_with_progress(load_reference, paths, warehouse)
    print_summary(Console(), report, warehouse)


def print_summary(console: Console, report: ReferenceLoadReport, warehouse: Path) -> None:
    """Tables replaced (rows, parts, files), the population apportioning check, and what was skipped."""
    table = Table(title=f"Reference data loaded into {warehouse}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("holds")
    table.add_column("from files")
    for load in report.tables:
        files = "\n".join(Path(source.path).name for source in load.sources)
        holds = f"{PART_LABELS[load.table]} {', '.join(load.parts)}" if load.parts else ""
        table.add_row(load.table, f"{load.rows:,}", holds, files)
    console.print(table)
    for load in report.tables:
        if load.parts_dropped:
            console.print(
                f"[yellow]note:[/yellow] {load.table} no longer holds {', '.join(load.parts_dropped)} "
                "(a table is replaced whole: give all its files together)"
            )
    for check in report.population_checks:
        verdict = "[green]conserved[/green]" if check.conserved else "[red]NOT conserved[/red]"
        console.print(
            f"Population mid-{check.year}: {check.lsoa11_total:,.0f} people in {check.lsoa11_areas:,} "
            f"LSOAs 2011 → {check.lsoa21_total:,.1f} in {check.lsoa21_areas:,} LSOAs 2021 ({verdict})"
        )
    if report.skipped:
        shown = ", ".join(path.name for path in report.skipped[:SKIPPED_SHOWN])
        more = f" and {len(report.skipped) - SKIPPED_SHOWN} more" if len(report.skipped) > SKIPPED_SHOWN else ""
        files = "file" if len(report.skipped) == 1 else "files"
        console.print(f"Skipped {len(report.skipped)} {files} that are not reference data: {shown}{more}")


def register(app: typer.Typer) -> None:
    app.command("reference")(reference_command)
