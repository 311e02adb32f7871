"""Options shared by several commands. Importing this loads nothing heavy (see vru.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vru.warehouse import DEFAULT_WAREHOUSE

WarehouseOption = Annotated[Path, typer.Option("--warehouse", help="DuckDB warehouse file.", show_default=True)]

__all__ = ["DEFAULT_WAREHOUSE", "WarehouseOption"]
