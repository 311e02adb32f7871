"""`vru assess`: run the needs-assessment methods for an area and period and write the bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vru.cli.options import DEFAULT_WAREHOUSE, WarehouseOption


def assess_command(
    area: Annotated[str, typer.Option("--area", help="Area code: local authority, ward, CSP or police force.")],
    first_month: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    last_month: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM (included).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the assessment bundle (created).")],
    profile: Annotated[
        str | None, typer.Option("--profile", help="Definition profile (default: avon-and-somerset-vrp).")
    ] = None,
    permutations: Annotated[int, typer.Option("--permutations", min=99, help="Permutations for Gi* and Moran.")] = 9999,
    licensed_premises: Annotated[
        Path | None,
        typer.Option("--licensed-premises", help="Open Pubs CSV of licensed premises (night-time economy)."),
    ] = None,
    licensed_premises_as_of: Annotated[
        str | None, typer.Option("--licensed-premises-as-of", help="Date of the premises list, e.g. 2016-12.")
    ] = None,
    gdp_deflator_ratio: Annotated[
        float | None,
        typer.Option("--gdp-deflator-ratio", help="HM Treasury GDP deflator ratio from 2015/16 to --price-year."),
    ] = None,
    price_year: Annotated[
        str | None, typer.Option("--price-year", help="Price year of the uplift, e.g. 2024/25.")
    ] = None,
    warehouse: WarehouseOption = DEFAULT_WAREHOUSE,
) -> None:
    """Assess serious violence in an area and write the assessment bundle (docs/bundle.md)."""
    from rich.console import Console

    from vru.assessment import AssessmentError, assess
    from vru.bundle import BundleError, check_destination
    from vru.errors import InputError
    from vru.months import check_month
    from vru.profiles import UnknownProfile, get_profile
    from vru.warehouse import connect
    from vru.warehouse.coverage import UnknownArea

    console = Console(stderr=True)
    try:
        check_month(first_month)
        check_month(last_month)
        if first_month > last_month:
            raise ValueError(f"--from {first_month} is after --to {last_month}: give the earlier month first")
        check_destination(out)
        chosen = get_profile(profile)
        con = connect(warehouse, read_only=True)
        with console.status(f"Assessing {area} from {first_month} to {last_month} ({chosen.label})"):
            if (gdp_deflator_ratio is None) != (price_year is None):
                raise ValueError("give --gdp-deflator-ratio and --price-year together (costs stay in 2015/16 prices)")
            summary = assess(
                con,
                area,
                first_month,
                last_month,
                chosen,
                out,
                permutations=permutations,
                licensed_premises=licensed_premises,
                licensed_premises_as_of=licensed_premises_as_of,
                gdp_deflator=None if gdp_deflator_ratio is None else (gdp_deflator_ratio, price_year),
            )
    except (
        ValueError,
        FileNotFoundError,
        InputError,
        UnknownArea,
        UnknownProfile,
        AssessmentError,
        BundleError,
    ) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    console.print(f"Wrote the assessment bundle for {summary['area']['name']} to {out}")
    for finding in summary["findings"]:
        Console().print(f"• {finding['text']}")


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
