"""`vru report`: render an assessment bundle as the strategic needs assessment report (HTML and PDF)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"


class ReportStatusChoice(StrEnum):
    draft = "draft"
    approved = "approved"


def report_command(
    bundle: Annotated[Path, typer.Option("--bundle", help="Assessment bundle folder written by `vru assess`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for report.html, its figures and report.pdf (created).")],
    formats: Annotated[
        list[ReportFormat] | None,
        typer.Option("--format", help="html or pdf; repeat for both (default: both)."),
    ] = None,
    status: Annotated[
        ReportStatusChoice,
        typer.Option("--status", help="draft (for the partnership board) or approved (for publication)."),
    ] = ReportStatusChoice.draft,
    approved_on: Annotated[
        str | None, typer.Option("--approved-on", help="With --status approved: the date approved, YYYY-MM-DD.")
    ] = None,
    approved_by: Annotated[
        str | None,
        typer.Option("--approved-by", help="With --status approved: who approved it, a role and/or a name."),
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="With --status approved: the version number, if numbered.")
    ] = None,
) -> None:
    """Write the serious violence strategic needs assessment report from a bundle (docs/report.md)."""
    from rich.console import Console

    from vru.bundle import BundleError
    from vru.report import DRAFT, ReportStatus, StatusError, render_report

    console = Console(stderr=True)
    chosen = tuple(dict.fromkeys(fmt.value for fmt in formats)) if formats else ("html", "pdf")
    try:
        if status is ReportStatusChoice.approved:
            if not approved_on:
                raise StatusError("--status approved needs --approved-on YYYY-MM-DD")
            try:
                day = date.fromisoformat(approved_on)
            except ValueError:
                raise StatusError(f"--approved-on {approved_on!r} is not a date in YYYY-MM-DD form") from None
            report_status = ReportStatus.approved(day, approved_by or "", version)
        elif approved_on or approved_by or version is not None:
            raise StatusError("--approved-on, --approved-by and --version go with --status approved")
        else:
            report_status = DRAFT
    except StatusError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    try:
        if out.exists() and not out.is_dir():
            raise FileExistsError(f"--out {out} is a file, not a folder: give a folder for the report")
        with console.status(f"Writing the report from {bundle} ({', '.join(chosen)})"):
            result = render_report(bundle, out, chosen, status=report_status)
    except (BundleError, FileNotFoundError, FileExistsError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    for path in (result.html, result.pdf):
        if path is not None:
            console.print(f"Wrote {path}")
    console.print(f"{len(result.figures)} figures; " + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
