"""The dashboard's SVG charts and maps, and its small-number rule (no database)."""

from __future__ import annotations

import re

import pytest

from portal.dashboards import svg
from portal.dashboards.suppression import count_text, is_suppressed, withhold

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


def test_the_palette_is_five_steps_light_to_dark():
    def lightness(colour: str) -> float:
        red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    assert len(svg.SEQUENTIAL) == 5
    values = [lightness(colour) for colour in svg.SEQUENTIAL]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(
    ("count", "partner", "text"),
    [
        (0, False, "0"),
        (1, False, "fewer than 5"),
        (4.9, False, "fewer than 5"),
        (5, False, "5"),
        (12644, False, "12,644"),
        (0, True, "fewer than 5"),
        (1.9, True, "fewer than 5"),
        (46.4, True, "46"),
        (None, False, "not known"),
    ],
)
def test_count_text(count, partner, text):
    assert count_text(count, partner=partner) == text


def test_a_rate_from_a_suppressed_count_is_withheld():
    assert withhold(3, "12.5") == "not shown"
    assert withhold(30, "12.5") == "12.5"
    assert not is_suppressed(True) and not is_suppressed("n/a")


def test_the_rule_matches_the_reports():
    suppression = pytest.importorskip("vru.report.suppression")
    for count in [0, 0.5, 1, 2, 3, 4, 4.99, 5, 6, 100]:
        assert is_suppressed(count) == suppression.is_suppressed(count), count


def test_classes_match_the_reports_maps():
    from portal.dashboards.rendering import classify, quantile_breaks

    maps = pytest.importorskip("vru.report.maps")
    values = [3.4, 5.0, 7.7, 13.4, 13.4, 17.7, 20.0, 26.4, 39.2, 213.5, 8.1, 9.9]
    assert quantile_breaks(values) == pytest.approx(maps.quantile_breaks(values))
    edges = quantile_breaks(values)
    assert [classify(value, edges) for value in values] == maps.classify(values, maps.quantile_breaks(values))
    assert list(svg.SEQUENTIAL) == maps.sequential_colours(5)
