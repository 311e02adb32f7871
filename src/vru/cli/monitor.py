"""`vru monitor`: write the monitoring table of an area's success measures (SPC charts, detectable change);
`vru evaluate`: the evaluation aid for an action tied to places (difference in differences)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vru.cli.options import DEFAULT_WAREHOUSE, WarehouseOption


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


def evaluate_command(
    area: Annotated[str, typer.Option("--area", help="Area code: local authority, CSP or police force.")],
    treated: Annotated[str, typer.Option("--treated", help="Comma-separated ward (E05...) or LSOA (E01...) codes.")],
    start: Annotated[str, typer.Option("--start", help="The action's first month, YYYY-MM.")],
    first_month: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    last_month: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM (included).")],
    crime_type: Annotated[
        str, typer.Option("--crime-type", help="police.uk crime type.")
    ] = "Violence and sexual offences",
    comparisons: Annotated[int, typer.Option("--comparisons", min=1, help="How many comparison places.")] = 5,
    out: Annotated[Path | None, typer.Option("--out", help="Write the result as JSON here too.")] = None,
    warehouse: WarehouseOption = DEFAULT_WAREHOUSE,
) -> None:
    """Before and after an action tied to places, against similar places (difference in differences)."""
    import json

    from vru.assessment import AssessmentError
    from vru.evaluation import evaluation
    from vru.warehouse import connect
    from vru.warehouse.coverage import UnknownArea

    console = Console(stderr=True)
    codes = [code.strip() for code in treated.split(",") if code.strip()]
    try:
        con = connect(warehouse, read_only=True)
        result = evaluation(con, area, codes, start, first_month, last_month, crime_type, comparisons)
    except (ValueError, FileNotFoundError, UnknownArea, AssessmentError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    names = ", ".join(place["name"] for place in result["comparison"])
    Console().print(f"Compared with: {names}")
    Console().print(result["description"])
    for assumption in result["result"]["assumptions"]:
        Console().print(f"• {assumption}")


def register(app: typer.Typer) -> None:
    app.command("monitor")(monitor_command)
    app.command("evaluate")(evaluate_command)
