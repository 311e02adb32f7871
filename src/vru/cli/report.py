"""`vru report`: render an assessment bundle as the strategic needs assessment report (HTML and PDF)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"


def report_command(
    bundle: Annotated[Path, typer.Option("--bundle", help="Assessment bundle folder written by `vru assess`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for report.html, its figures and report.pdf (created).")],
    formats: Annotated[
        list[ReportFormat] | None,
        typer.Option("--format", help="html or pdf; repeat for both (default: both)."),
    ] = None,
) -> None:
    """Write the serious violence strategic needs assessment report from a bundle (docs/report.md)."""
    from rich.console import Console

    from vru.bundle import BundleError
    from vru.report import render_report

    console = Console(stderr=True)
    chosen = tuple(dict.fromkeys(fmt.value for fmt in formats)) if formats else ("html", "pdf")
    try:
        if out.exists() and not out.is_dir():
            raise FileExistsError(f"--out {out} is a file, not a folder: give a folder for the report")
        with console.status(f"Writing the report from {bundle} ({', '.join(chosen)})"):
            result = render_report(bundle, out, chosen)
    except (BundleError, FileNotFoundError, FileExistsError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    for path in (result.html, result.pdf):
        if path is not None:
            console.print(f"Wrote {path}")
    console.print(f"{len(result.figures)} figures; " + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
