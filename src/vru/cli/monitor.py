"""`vru monitor`: write the monitoring table of an area's success measures (SPC charts, detectable change)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vru.cli.ingest import WarehouseOption
from vru.warehouse import DEFAULT_WAREHOUSE


def monitor_command(
    area: Annotated[str, typer.Option("--area", help="Area code: local authority, ward, CSP or police force.")],
    first_month: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    last_month: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM (included).")],
    out: Annotated[Path, typer.Option("--out", help="The monitoring table to write (JSON).")],
    baseline_to: Annotated[
        str | None,
        typer.Option(
            "--baseline-to",
            help="Last month of the baseline: the month before the strategy starts (default: --to, all months).",
        ),
    ] = None,
    warehouse: WarehouseOption = DEFAULT_WAREHOUSE,
) -> None:
    """Chart every success measure of an area against a baseline fixed at the strategy's start (docs/monitoring.md)."""
    from vru.assessment import AssessmentError
    from vru.monitoring import monitoring_table, write_monitoring
    from vru.warehouse import connect
    from vru.warehouse.coverage import UnknownArea

    console = Console(stderr=True)
    try:
        con = connect(warehouse, read_only=True)
        table = monitoring_table(con, area, first_month, last_month, baseline_to or last_month)
    except (ValueError, FileNotFoundError, UnknownArea, AssessmentError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    write_monitoring(table, out)
    available = [measure for measure in table["measures"] if measure["available"]]
    console.print(
        f"Wrote {len(table['measures'])} measures for {table['area']['name']} to {out} "
        f"({len(available)} charted, {len(table['measures']) - len(available)} not loaded yet)"
    )
    for measure in available:
        if measure["chart"]:
            place = measure["key"].rsplit(":", 1)[-1]
            Console().print(f"• {measure['name']} ({place}): {measure['chart']['variation_words']}")


def register(app: typer.Typer) -> None:
    app.command("monitor")(monitor_command)
