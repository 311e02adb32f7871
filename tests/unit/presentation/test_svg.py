"""The SVG charts and maps of the presentation layer (shared by the dashboard and the report)."""

from __future__ import annotations

import re

import pytest

from vru.presentation import svg

SQUARE = {"type": "Polygon", "coordinates": [[[-2.4, 51.3], [-2.3, 51.3], [-2.3, 51.4], [-2.4, 51.4], [-2.4, 51.3]]]}
OTHER = {"type": "MultiPolygon", "coordinates": [[[[-2.3, 51.3], [-2.2, 51.3], [-2.2, 51.4], [-2.3, 51.3]]]]}


def points(values):
    months = [f"2024-{number:02d}" for number in range(1, len(values) + 1)]
    return [svg.MonthPoint(month, f"Month {month}", value) for month, value in zip(months, values, strict=True)]


def test_the_line_chart_leaves_gaps_for_months_without_data():
    chart = svg.month_line_chart(
        points([10, 12, None, None, 15, 9]), id_prefix="t", title="Title & more", desc="Desc", value_label="crimes"
    )
    assert chart.startswith("<svg") and chart.endswith("</svg>")
    assert 'role="img"' in chart and 'aria-labelledby="t-title t-desc"' in chart
    assert '<title id="t-title">Title &amp; more</title>' in chart and '<desc id="t-desc">Desc</desc>' in chart
    # Two runs of data: two lines, and the missing months are bands marked "No data" (once per run).
    assert chart.count("<polyline") == 2
    assert chart.count("no data</title></rect>") == 2
    assert chart.count(">No data</text>") == 1
    # A missing month is never drawn as a zero point.
    assert chart.count("<circle") == 4
    assert "style=" not in chart


def test_a_single_month_between_gaps_is_a_point_not_a_line():
    chart = svg.month_line_chart(points([None, 5, None]), id_prefix="t", title="T", desc="D", value_label="crimes")
    assert chart.count("<polyline") == 0 and chart.count("<circle") == 1


def test_the_y_axis_starts_at_zero_with_round_ticks():
    chart = svg.month_line_chart(points([380, 640, 410]), id_prefix="t", title="T", desc="D", value_label="crimes")
    labels = re.findall(r'text-anchor="end"[^>]*>([\d,]+)</text>', chart)
    assert labels[0] == "0" and labels[-1] == "800"


@pytest.mark.parametrize(("span", "step"), [(800, 200), (640, 200), (45, 10), (7, 2), (0, 1)])
def test_nice_step(span, step):
    assert svg.nice_step(span) == step


def test_the_map_draws_each_area_with_its_title_and_fill():
    features = [
        {"properties": {"code": "A", "name": "Area A"}, "geometry": SQUARE},
        {"properties": {"code": "B", "name": "Area B"}, "geometry": OTHER},
    ]
    spec = svg.MapSpec(
        id_prefix="m",
        title="Map",
        desc="A map",
        features=features,
        areas={"A": svg.MapArea("A", "#440154", "Area A: 12.3 <high>")},
    )
    drawn = svg.area_map(spec)
    assert drawn.count("<path") == 2
    assert 'fill="#440154"' in drawn and "Area A: 12.3 &lt;high&gt;" in drawn
    # An area without a figure is drawn in the "no figure" colour and says so.
    assert f'fill="{svg.NO_DATA_FILL}"' in drawn and "Area B: no figure" in drawn
    width, height = (float(number) for number in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', drawn).groups())
    assert width == 640
    # Equirectangular with the cosine of the latitude: 0.1 degrees of latitude is taller than 0.2 of longitude
    # is wide times 0.62, so the map is about 0.8 times as tall as wide.
    assert 0.7 < height / width < 0.9


def test_a_close_up_shows_only_the_areas_in_view():
    features = [
        {"properties": {"code": "A", "name": "Area A"}, "geometry": SQUARE},
        {
            "properties": {"code": "B", "name": "Area B"},
            "geometry": {"type": "Polygon", "coordinates": [[[-1.0, 50.0], [-0.9, 50.0], [-0.9, 50.1], [-1.0, 50.0]]]},
        },
    ]
    view = svg.close_up_view(svg.bbox_of([features[0]]))
    drawn = svg.area_map(svg.MapSpec("m", "Map", "D", features, {}, view=view))
    assert "Area A" in drawn and "Area B" not in drawn


def test_the_interval_chart_marks_the_focus_and_the_reference():
    rows = [
        svg.IntervalRow("Bristol", 50.2, 49.7, 50.6, value_text="50.2"),
        svg.IntervalRow("Bath", 29.7, 29.2, 30.2, highlight=True, value_text="29.7"),
    ]
    chart = svg.interval_chart(rows, id_prefix="c", title="T", desc="D", reference=("Force: 40.9", 40.9))
    assert chart.count("<rect") == 2
    assert f'fill="{svg.BRAND}"' in chart and 'stroke-dasharray="6 4"' in chart and "Force: 40.9" in chart
