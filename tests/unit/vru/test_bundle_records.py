"""What the portal stores from a bundle table: JSON-safe rows (synthetic frames: the shape, not real data)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from vru.bundle import Bundle


def test_nan_and_infinity_become_null_like_in_summary_json():
    frame = pd.DataFrame({"a": [math.nan, 1.5], "b": [math.inf, -math.inf], "c": ["x", None]})
    bundle = Bundle(path=Path("."), summary={}, tables={"t": frame}, boundaries={})
    assert bundle.records("t") == [{"a": None, "b": None, "c": "x"}, {"a": 1.5, "b": None, "c": None}]
    assert bundle.t is frame
