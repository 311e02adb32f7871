"""Read and check an assessment bundle (docs/bundle.md): the one reader, used by `vru report` and, through
portal.insights.bundle, by `manage.py publish_insights`. What it accepts, both can show; what it refuses, neither
publishes. Every refusal is a BundleError that names the file and what is wrong with it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vru.bundle.errors import BundleError
from vru.bundle.schema import (
    BOUNDARY_LAYERS,
    GAP_REGISTER_FILE,
    GAP_REGISTER_SCHEMA,
    REQUIRED_SUMMARY_KEYS,
    RERUN_HINT,
    SCHEMA_VERSION,
    SUMMARY_FILE,
    TABLES,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

BRITISH_NATIONAL_GRID = "EPSG:27700"


@dataclass
class Bundle:
    """A checked bundle: summary.json as a dict, each table as a DataFrame (also `bundle.<table name>`), each
    boundary layer as a GeoJSON FeatureCollection in WGS84."""

    path: Path
    summary: dict
    tables: dict[str, pd.DataFrame]
    boundaries: dict[str, dict]
    gap_register: dict | None = None  # gaps.json when the portal has exported the gap register into the folder
    _frames: dict = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables") or {}
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def profile_category(self) -> str:
        """The `category` of the profile's rows in the monthly table."""
        return f"profile:{self.summary['profile']['name']}"

    def boundary_frame(self, layer: str, crs: str = BRITISH_NATIONAL_GRID) -> gpd.GeoDataFrame:
        """A boundary layer as a GeoDataFrame (code, name, geometry) projected to `crs`, for drawing maps."""
        key = (layer, crs)
        if key not in self._frames:
            import geopandas as gpd

            features = self.boundaries[layer]["features"]
            frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326", columns=["geometry", "code", "name"])
            self._frames[key] = frame if frame.empty else frame.to_crs(crs)
        return self._frames[key]

    def records(self, name: str) -> list[dict]:
        """A table as JSON-safe rows: missing values (NaN, NaT) as None, numpy types as Python ones."""
        return json.loads(self.tables[name].to_json(orient="records", date_format="iso", force_ascii=False))


def read_bundle(path: str | Path) -> Bundle:
    """Read and check the bundle folder at `path`. Raises BundleError."""
    path = Path(path)
    if not path.is_dir():
        raise BundleError(f"no bundle folder at {path}: write one with `vru assess --out {path}`")
    summary = _read_summary(path / SUMMARY_FILE)
    tables = {name: _read_table(path / spec.filename, spec.required) for name, spec in TABLES.items()}
    boundaries = {layer: _read_boundaries(path / filename) for layer, filename in BOUNDARY_LAYERS.items()}
    gap_register = None
    if (path / GAP_REGISTER_FILE).is_file():
        gap_register = _load_json(path / GAP_REGISTER_FILE)
        if not isinstance(gap_register, dict) or gap_register.get("schema") != GAP_REGISTER_SCHEMA:
            raise BundleError(f"{path / GAP_REGISTER_FILE} is not a gap register ({GAP_REGISTER_SCHEMA})")
    return Bundle(path=path, summary=summary, tables=tables, boundaries=boundaries, gap_register=gap_register)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows (the toolkit writes null)")


def _load_json(file: Path) -> Any:
    if not file.is_file():
        raise BundleError(f"{file.name} is missing from the bundle {file.parent}: {RERUN_HINT}")
    try:
        return json.loads(file.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as error:
        raise BundleError(f"{file} is not UTF-8 text: {error}") from None
    except json.JSONDecodeError as error:
        raise BundleError(
            f"{file} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except ValueError as error:
        raise BundleError(f"{file} is not valid JSON: {error}") from None


def _find_nul(value: Any, where: str) -> str | None:
    """The place of the first text holding a NUL character (PostgreSQL cannot store one), or None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return f"{where}.{key!r}"
        found = _find_nul(item, f"{where}[{key!r}]" if isinstance(key, int) else f"{where}.{key}")
        if found:
            return found
    return None


def _refuse_nul(value: Any, file: Path) -> None:
    found = _find_nul(value, "")
    if found:
        raise BundleError(f"{file.name} holds a NUL character at {found.lstrip('.') or 'the top'}: it is damaged")


def _read_summary(file: Path) -> dict:
    summary = _load_json(file)
    if not isinstance(summary, dict):
        raise BundleError(f"{file} does not hold a JSON object: is it an assessment bundle?")
    version = summary.get("schema_version")
    if version != SCHEMA_VERSION:
        raise BundleError(
            f"{file} was written with bundle schema version {version!r}; this toolkit reads version "
            f"{SCHEMA_VERSION}: {RERUN_HINT}"
        )
    missing = [key for key in REQUIRED_SUMMARY_KEYS if key not in summary]
    if missing:
        raise BundleError(f"{file} has no {', '.join(missing)}: {RERUN_HINT}")
    _refuse_nul(summary, file)
    return summary


def _read_table(file: Path, required: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    if not file.is_file():
        raise BundleError(f"{file.name} is missing from the bundle {file.parent}: {RERUN_HINT}")
    try:
        frame = pd.read_parquet(file)
    except Exception as error:  # pyarrow raises several kinds for a damaged file
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise BundleError(f"{file} cannot be read as Parquet (damaged or not Parquet): {first_line}") from None
    absent = [column for column in required if column not in frame.columns]
    if absent:
        raise BundleError(f"{file} has no column {', '.join(absent)}: {RERUN_HINT}")
    for column in frame.columns:
        if not (pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column])):
            continue
        texts = frame[column].map(lambda value: isinstance(value, str) and "\x00" in value)
        if texts.any():
            row = int(texts.to_numpy().argmax())
            raise BundleError(f"{file.name} holds a NUL character in column {column}, row {row + 1}: it is damaged")
    return frame


def _read_boundaries(file: Path) -> dict:
    from shapely.geometry import shape

    collection = _load_json(file)
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BundleError(f"{file} is not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise BundleError(f"{file} has no list of features")
    _refuse_nul(collection, file)
    kept = []
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if geometry is None:
            continue
        try:
            outline = shape(geometry)
            bounds = outline.bounds
        except Exception as error:  # shapely raises several kinds for a malformed geometry
            raise BundleError(f"{file} feature {number} has a malformed geometry: {error}") from None
        if outline.is_empty or not all(math.isfinite(value) for value in bounds):
            raise BundleError(f"{file} feature {number} has an empty or non-finite geometry")
        properties = feature.get("properties") or {}
        kept.append(
            {
                "type": "Feature",
                "properties": {"code": properties.get("code"), "name": properties.get("name")},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": kept}
