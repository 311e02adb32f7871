"""Write an assessment bundle (docs/bundle.md): all of it or nothing.

The files are written to a temporary folder beside the destination and renamed into place at the end, so a
failure (a full disk, an interrupted run) leaves the previous bundle, or no bundle, never half of one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from vru.bundle.errors import BundleError
from vru.bundle.schema import BOUNDARY_LAYERS, SCHEMA_VERSION, SUMMARY_FILE, TABLES
from vru.presentation.suppression import is_suppressed

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


def check_destination(out_dir: Path) -> None:
    """Refuse, before any work, a destination that cannot become a bundle folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BundleError(f"--out {out_dir} is a file, not a folder: give a folder for the bundle")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / SUMMARY_FILE).is_file():
        raise BundleError(
            f"--out {out_dir} is a folder that holds other files and no bundle: give an empty or new folder"
        )


def with_suppression_flags(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The small-number verdict for each count of a breakdown table, so no reader decides it again."""
    if "count_suppressed" not in TABLES[name].required or "count_suppressed" in frame.columns:
        return frame
    return frame.assign(count_suppressed=[is_suppressed(count) for count in frame["count"]])


def write_bundle(
    out_dir: Path,
    summary: dict,
    tables: dict[str, pd.DataFrame],
    boundaries: dict[str, gpd.GeoDataFrame],
) -> None:
    """Write summary.json, one Parquet file per table and one GeoJSON file per boundary layer to out_dir.

    Every table and layer of the schema must be given, with its required columns (an empty table keeps its
    columns). Raises BundleError, leaving out_dir as it was."""
    out_dir = Path(out_dir)
    check_destination(out_dir)
    missing = sorted(set(TABLES) - set(tables)) + sorted(set(BOUNDARY_LAYERS) - set(boundaries))
    if missing:
        raise BundleError(f"the assessment produced no {', '.join(missing)}: the bundle was not written")
    prepared = {}
    for name, spec in TABLES.items():
        frame = with_suppression_flags(name, tables[name])
        absent = [column for column in spec.required if column not in frame.columns]
        if absent:
            raise BundleError(f"table {name} has no column {', '.join(absent)}: the bundle was not written")
        prepared[name] = frame
    summary = {**summary, "schema_version": SCHEMA_VERSION}

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_dir.with_name(f".{out_dir.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        temporary.mkdir()
        text = json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False)
        (temporary / SUMMARY_FILE).write_text(text, encoding="utf-8")
        for name, frame in prepared.items():
            frame.to_parquet(temporary / TABLES[name].filename, index=False)
        for layer, filename in BOUNDARY_LAYERS.items():
            boundaries[layer].to_file(temporary / filename, driver="GeoJSON")
        _replace(temporary, out_dir)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _replace(temporary: Path, out_dir: Path) -> None:
    """Put the finished folder in place of out_dir (renames on one file system)."""
    if not out_dir.exists():
        os.rename(temporary, out_dir)
        return
    previous = out_dir.with_name(f".{out_dir.name}.previous-{uuid.uuid4().hex[:8]}")
    os.rename(out_dir, previous)
    try:
        os.rename(temporary, out_dir)
    except BaseException:
        os.rename(previous, out_dir)
        raise
    shutil.rmtree(previous, ignore_errors=True)
