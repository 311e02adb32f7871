"""The shared shape of the loading commands: open the warehouse, show progress, report bad input."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vru.errors import InputError, WarehouseError
from vru.warehouse import connect

Report = TypeVar("Report")
# A loader takes the connection, the paths and a progress callback (what, done, total).
Loader = Callable[..., Report]


def load_with_progress(loader: Loader, paths: Sequence[Path], warehouse: Path) -> Report:
    """Run `loader` with a Rich progress bar on stderr. Bad input: the error, a word that nothing changed,
    and exit status 2."""
    console = Console(stderr=True)
    columns = (TextColumn("{task.description:<45}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        con: duckdb.DuckDBPyConnection = connect(warehouse)
    except WarehouseError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    try:
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("finding files", total=None)

            def on_progress(what: str, done: int, total: int) -> None:
                progress.update(task, description=what, completed=done, total=total)

            try:
                return loader(con, paths, progress=on_progress)
            except InputError as error:
                progress.stop()
                console.print(f"[red]error:[/red] {error}")
                console.print("Nothing in the warehouse was changed.")
                raise typer.Exit(2) from None
    finally:
        con.close()
