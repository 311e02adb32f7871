"""Read an assessment bundle (docs/bundle.md): the report's only input. Nothing here recomputes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

SUPPORTED_SCHEMA_VERSIONS = (1,)
TABLES = ("monthly", "lsoa", "ward", "locations", "lorenz", "outcomes")
BOUNDARY_LAYERS = ("lsoa21", "ward", "lad")
BRITISH_NATIONAL_GRID = "EPSG:27700"


class BundleError(ValueError):
    """The folder is not a readable assessment bundle."""


@dataclass
class Bundle:
    path: Path
    summary: dict
    monthly: pd.DataFrame
    lsoa: pd.DataFrame
    ward: pd.DataFrame
    locations: pd.DataFrame
    lorenz: pd.DataFrame
    outcomes: pd.DataFrame
    boundaries: dict[str, gpd.GeoDataFrame]  # projected to British National Grid for drawing

    @property
    def profile_category(self) -> str:
        return f"profile:{self.summary['profile']['name']}"


def load_bundle(path: str | Path) -> Bundle:
    """Read summary.json, the Parquet tables and the boundaries (projected to EPSG:27700)."""
    path = Path(path)
    summary_file = path / "summary.json"
    if not summary_file.is_file():
        raise BundleError(f"{path} is not an assessment bundle: summary.json is missing (run `vru assess`)")
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BundleError(f"{summary_file} is not valid JSON: {error}") from None
    version = summary.get("schema_version")
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        raise BundleError(
            f"{summary_file} has schema version {version!r}; this report reads version "
            f"{', '.join(map(str, SUPPORTED_SCHEMA_VERSIONS))}"
        )
    tables = {}
    for name in TABLES:
        file = path / f"{name}.parquet"
        if not file.is_file():
            raise BundleError(f"{file} is missing from the bundle")
        tables[name] = pd.read_parquet(file)
    boundaries = {}
    for layer in BOUNDARY_LAYERS:
        file = path / f"boundaries_{layer}.geojson"
        if not file.is_file():
            raise BundleError(f"{file} is missing from the bundle")
        frame = gpd.read_file(file)
        if frame.empty:
            boundaries[layer] = frame
            continue
        if frame.crs is None:
            frame = frame.set_crs("EPSG:4326")
        boundaries[layer] = frame.to_crs(BRITISH_NATIONAL_GRID)
    return Bundle(path=path, summary=summary, boundaries=boundaries, **tables)
