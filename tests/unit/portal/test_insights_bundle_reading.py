"""Reading values from an assessment bundle into what the portal stores (no database)."""

from __future__ import annotations

import math

from portal.insights.assessments import _json_safe


def test_nan_and_infinity_become_null_like_in_summary_json():
    assert _json_safe([{"a": math.nan, "b": [math.inf, 1.5]}, -math.inf]) == [{"a": None, "b": [None, 1.5]}, None]
