"""`vru fetch`: download a police force's months from data.police.uk into a folder `vru ingest` reads."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from vru.sources.police_uk_download import (
    ALL_KINDS,
    DEFAULT_ARCHIVE_COVERAGE_MONTHS,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_ATTEMPTS,
    FetchError,
    FetchResult,
    Kind,
    Month,
    PoliceUkClient,
    RetryPolicy,
    fetch_force_months,
    month_range,
    validate_force,
)


def register(app: typer.Typer) -> None:
    app.command("fetch", help="Download a police force's months from data.police.uk (see docs/fetch.md).")(fetch)


def fetch(
    force: Annotated[
        str | None, typer.Option("--force", help="data.police.uk force id, e.g. avon-and-somerset.")
    ] = None,
    from_month: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    to_month: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM (included).")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", file_okay=False, help="Folder to write YYYY-MM/ folders into (created)."),
    ] = None,
    kinds: Annotated[
        list[Kind] | None,
        typer.Option("--kind", help="File kind to extract; repeat for several. Default: all three."),
    ] = None,
    base_url: Annotated[str, typer.Option("--base-url", help="Server to download from.")] = DEFAULT_BASE_URL,
    archive_coverage_months: Annotated[
        int, typer.Option(min=1, help="Months each archive holds, counting back from its own month.")
    ] = DEFAULT_ARCHIVE_COVERAGE_MONTHS,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Attempts per request on HTTP 429, 5xx or a broken connection.")
    ] = DEFAULT_MAX_ATTEMPTS,
    archive_dir: Annotated[
        Path | None,
        typer.Option(
            "--archive-dir",
            file_okay=False,
            help="Where archives download and resume. Default: ~/.cache/vru/police-uk-archives.",
        ),
    ] = None,
    keep_archives: Annotated[
        bool, typer.Option("--keep-archives", help="Keep archives after extracting, for other forces.")
    ] = False,
    check_available: Annotated[
        bool,
        typer.Option(
            "--check-available/--no-check-available",
            help="Ask data.police.uk which months are published before downloading.",
        ),
    ] = True,
    list_available: Annotated[
        bool, typer.Option("--list-available", help="Only list the months data.police.uk has published.")
    ] = False,
) -> None:
    console = Console(highlight=False)
    errors = Console(stderr=True, highlight=False)
    retry = RetryPolicy(max_attempts=max_attempts)
    try:
        if list_available:
            with _client(base_url, retry) as client:
                _list_available(client, console, force)
            return
        force, months, out = _required_request(force, from_month, to_month, out)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            with _client(base_url, retry, _RichDownloadProgress(progress)) as client:
                result = fetch_force_months(
                    client,
                    force,
                    months,
                    out,
                    kinds=tuple(kinds or ALL_KINDS),
                    coverage_months=archive_coverage_months,
                    check_availability=check_available,
                    archive_dir=archive_dir,
                    keep_archives=keep_archives,
                )
    except (FetchError, OSError) as error:
        # OSError: the output folder cannot be written (permissions, a full disk).
        errors.print(f"[red]Error:[/red] {error}")
        raise typer.Exit(1) from error
    _print_summary(console, result, out)
    if not result.months_fetched:
        errors.print("[red]Error:[/red] no file was fetched for the requested months.")
        raise typer.Exit(1)


def _required_request(
    force: str | None, from_month: str | None, to_month: str | None, out: Path | None
) -> tuple[str, list[Month], Path]:
    for value, option in ((force, "--force"), (from_month, "--from"), (to_month, "--to"), (out, "--out")):
        if value is None:
            raise typer.BadParameter("required unless --list-available is given", param_hint=option)
    try:
        validate_force(force)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--force") from error
    first = _parse_month(from_month, "--from")
    last = _parse_month(to_month, "--to")
    try:
        months = month_range(first, last)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--from/--to") from error
    return force, months, out


def _client(base_url: str, retry: RetryPolicy, progress: _RichDownloadProgress | None = None) -> PoliceUkClient:
    try:
        return PoliceUkClient(base_url, retry=retry, progress=progress)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--base-url") from error


def _parse_month(text: str, option: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=option) from error


class _RichDownloadProgress:
    """Draws each archive download as a bar of bytes; a resumed download starts at the bytes it had."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def download_started(self, url: str, total_bytes: int | None, resumed_from: int) -> None:
        description = url.rsplit("/", 1)[-1] + (" (resumed)" if resumed_from else "")
        if self._task is None:
            self._task = self._progress.add_task(description, total=total_bytes, completed=resumed_from)
        else:
            self._progress.reset(self._task, description=description, total=total_bytes, completed=resumed_from)

    def bytes_received(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)

    def retrying(self, url: str, failed_attempt: int, delay: float, reason: str) -> None:
        self._progress.console.print(f"[yellow]{url}: {reason}; attempt {failed_attempt + 1} in {delay:.1f} s[/yellow]")


def describe_months(months: list[Month]) -> str:
    """Months as runs, e.g. "2023-01 to 2024-06, 2024-09 to 2025-04"; a gap shows as a break."""
    runs: list[list[Month]] = []
    for month in sorted(months):
        if runs and runs[-1][-1].plus(1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs) or "none"


def _print_summary(console: Console, result: FetchResult, out: Path) -> None:
    fetched = result.months_fetched
    archives = ", ".join(plan.filename for plan in result.archives) or "no archive"
    console.print(
        f"[bold]{result.force}[/bold]: {len(fetched)} of {len(result.months)} months fetched "
        f"({describe_months(fetched)}) from {archives}"
    )
    console.print(
        f"Files written: {len(result.written)}; already complete from an earlier run: "
        f"{len(result.already_complete)}; in {out}",
    )
    for note in result.notes:
        console.print(f"[yellow]Note:[/yellow] {note}")
    if result.missing:
        console.print("[yellow]Missing (reported, not filled in):[/yellow]")
        for kinds, reason, months in _group_missing(result):
            console.print(f"  {', '.join(kinds)}: {describe_months(months)}: {reason}")
    if Kind.STREET in result.kinds or Kind.OUTCOMES in result.kinds:
        console.print(
            f"Outcomes are as at the download date ({date.today()}): a later download of the same month "
            "may show different outcomes."
        )


def _group_missing(result: FetchResult) -> list[tuple[tuple[Kind, ...], str, list[Month]]]:
    """Gaps as (kinds, reason, months), so a month missing every kind for one reason takes one line."""
    kinds_missing: dict[tuple[Month, str], set[Kind]] = defaultdict(set)
    for gap in result.missing:
        kinds_missing[(gap.month, gap.reason)].add(gap.kind)
    months_by_group: dict[tuple[tuple[Kind, ...], str], list[Month]] = defaultdict(list)
    for (month, reason), kinds in kinds_missing.items():
        in_request_order = tuple(kind for kind in result.kinds if kind in kinds)
        months_by_group[(in_request_order, reason)].append(month)
    return [(kinds, reason, months) for (kinds, reason), months in sorted(months_by_group.items())]


def _list_available(client: PoliceUkClient, console: Console, force: str | None) -> None:
    newest = client.crime_last_updated()
    available = client.crimes_street_dates()
    console.print(f"Newest month of crime data on data.police.uk: {newest}.")
    months = [entry.month for entry in available]
    console.print(f"Published months ({len(months)}): {describe_months(months)}")
    if force is not None:
        with_stop_and_search = [entry.month for entry in available if force in entry.stop_and_search_forces]
        console.print(f"Stop-and-search published by {force}: {describe_months(with_stop_and_search)}")
    console.print("Older months are only in the archives: each holds about three years up to its own month.")
