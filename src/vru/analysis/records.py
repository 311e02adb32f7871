"""JSON-safe values for the assessment bundle: one rounding rule for every method's results.

NaN, NA and infinities become None; numpy scalars become Python numbers; p-values (`p_value`, `p_*`) keep
four significant figures so 3e-12 stays 3e-12; coordinates keep six decimals; whole counts and populations
become ints; other floats keep `default_digits` decimals unless `digits` names the column.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

COORDINATE_KEYS = frozenset({"longitude", "latitude"})
WHOLE_NUMBER_KEYS = frozenset({"count", "population"})


def _is_p_value(key: str) -> bool:
    return key == "p_value" or key.startswith("p_") or key.endswith("_p_value")


def json_safe(value: Any, key: str = "", digits: Mapping[str, int] | None = None, default_digits: int = 4) -> Any:
    """A JSON-safe copy of a number, dataclass, mapping or sequence (see the module docstring)."""
    digits = digits or {}

    def convert(item: Any, name: str) -> Any:
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return {f.name: convert(getattr(item, f.name), f.name) for f in dataclasses.fields(item)}
        if isinstance(item, Mapping):
            return {str(k): convert(v, str(k)) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [convert(v, name) for v in item]
        if isinstance(item, np.ndarray):
            return [convert(v, name) for v in item.tolist()]
        if item is None or item is pd.NA or item is pd.NaT:
            return None
        if isinstance(item, bool | np.bool_):
            return bool(item)
        if isinstance(item, int | np.integer):
            return int(item)
        if isinstance(item, float | np.floating):
            number = float(item)
            if not math.isfinite(number):
                return None
            if _is_p_value(name):
                return float(f"{number:.4g}")
            if name in COORDINATE_KEYS:
                return round(number, 6)
            if name in WHOLE_NUMBER_KEYS and number.is_integer():
                return int(number)
            return round(number, digits.get(name, default_digits))
        return item

    return convert(value, key)


def to_records(frame: pd.DataFrame, digits: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """JSON-safe rows of a result table."""
    return [json_safe(row, digits=digits) for row in frame.to_dict(orient="records")]
