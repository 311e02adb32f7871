"""`vru ingest` and `vru coverage`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vru.cli.options import DEFAULT_WAREHOUSE, WarehouseOption
from vru.errors import InputError, WarehouseError
from vru.warehouse import connect
from vru.warehouse.coverage import UnknownArea, coverage_report


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="police.uk .csv, .csv.gz, monthly folders or .zip archives.")],
    warehouse: WarehouseOption = DEFAULT_WAREHOUSE,
    allow_shrink: Annotated[
        bool,
        typer.Option(
            "--allow-shrink",
            help="Load a file with no rows, or one with under half the rows its month has in the warehouse.",
        ),
    ] = False,
) -> None:
    """Load police.uk street, outcomes and stop-and-search files; each (force, month, kind) replaced whole."""
    # Imported here so that `vru coverage` does not load the ingest code (and shapely) it does not need.
    from vru.sources.police_uk import discover
    from vru.warehouse.ingest import ingest

    console = Console(stderr=True)
    try:
        total_files = len(discover(paths))
        con = connect(warehouse)
    except (InputError, WarehouseError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        files_task = progress.add_task("files", total=total_files)
        rows_task = progress.add_task("rows ", total=None)

        def on_progress(files_done: int, rows_done: int) -> None:
            progress.update(files_task, completed=files_done)
            progress.update(rows_task, completed=rows_done)

        try:
            report = ingest(
                con, paths, on_progress=on_progress, scratch_dir=warehouse.parent, allow_shrink=allow_shrink
            )
        except (InputError, WarehouseError) as error:
            progress.stop()
            console.print(f"[red]error:[/red] {error}")
            console.print("Nothing in the warehouse was changed.")
            raise typer.Exit(2) from None
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(
        f"Loaded {report.rows_loaded:,} rows from {len(report.units)} files into {warehouse}; "
        f"{report.rows_quarantined:,} rows set aside (see `vru coverage`)."
    )
    print_summary(Console(), coverage_report(con))


def print_summary(console: Console, coverage: dict) -> None:
    """The end-of-ingest summary: months present and missing, rows per month, rows without a location."""
    for series in coverage["series"]:
        missing = ", ".join(series["months_missing"]) or "none"
        console.print(
            f"[bold]{series['force']} {series['kind']}[/bold]: {series['first']} to {series['last']}, "
            f"{series['months_present']} months present; missing inside the range: {missing}"
        )
    by_unit = {(u["force"], u["kind"], u["month"]): u for u in coverage["units"]}
    table = Table(title="Rows per month")
    for heading in ("force", "kind", "month", "rows loaded", "without location", "set aside"):
        table.add_column(heading, justify="right" if heading[0] in "rws" else "left")
    for (force, kind, month), unit in sorted(by_unit.items()):
        table.add_row(
            force,
            kind,
            month,
            f"{unit['rows_loaded']:,}",
            f"{unit['rows_without_location']:,}",
            f"{unit['rows_quarantined']:,}",
        )
    console.print(table)
    for item in coverage["quarantine"]:
        console.print(
            f"set aside: {item['force']} {item['kind']} {item['month']}: {item['rows']} rows, {item['reason']}"
        )


def coverage_command(
    warehouse: WarehouseOption = DEFAULT_WAREHOUSE,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Restrict to an area code: LSOA, ward, local authority, CSP or PFA."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (format in docs/coverage.md).")] = False,
) -> None:
    """What the warehouse holds: rows per force, month, kind and crime type; months present and missing."""
    try:
        con = connect(warehouse, read_only=True)
        report = coverage_report(con, area)
    except (FileNotFoundError, UnknownArea, WarehouseError) as error:
        Console(stderr=True).print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        if report["area"]:
            area_info = report["area"]
            Console().print(f"Area: {area_info['name']} ({area_info['code']}, {area_info['level']})")
        print_summary(Console(), report)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("coverage")(coverage_command)
