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


def test_the_forecast_continues_the_months_and_an_unreliable_one_has_no_central_line():
    forecast = svg.ForecastRange(["2024-04", "2024-05"], [5, 6], [8, 9], [11, 12], reliable=False)
    drawing = svg.month_line_chart(
        points([10, None, 12]), id_prefix="f", title="T", desc="D", value_label="crimes", forecast=forecast
    )
    assert "forecast range: NOT RELIABLE" in drawing and 'fill="url(#f-cross)"' in drawing
    assert 'stroke-dasharray="6 4"' not in drawing  # no central forecast line
    assert len(re.findall(r'r="3.5"', drawing)) == 2  # a dot for each observed month with data
    assert ">Apr<" in drawing  # the month axis runs on into the forecast
    reliable = svg.month_line_chart(
        points([10, None, 12]),
        id_prefix="f",
        title="T",
        desc="D",
        value_label="crimes",
        forecast=svg.ForecastRange(["2024-04", "2024-05"], [5, 6], [8, 9], [11, 12], reliable=True),
    )
    assert ">forecast range<" in reliable and 'stroke-dasharray="6 4"' in reliable and "#f-cross" not in reliable


def test_the_forecast_label_stays_inside_the_chart():
    forecast = svg.ForecastRange(["2024-04"], [5], [8], [11], reliable=False)
    drawing = svg.month_line_chart(
        points([10, 12, 11]), id_prefix="f", title="T", desc="D", value_label="c", forecast=forecast
    )
    x = float(re.search(r'<text x="([\d.]+)"[^>]*>forecast range: NOT RELIABLE', drawing).group(1))
    assert x + len("forecast range: NOT RELIABLE") * 4 <= 640 - 16


def test_bars_with_intervals_a_missing_bar_and_a_reference_line():
    bars = [svg.Bar("1", 10.0, 8.0, 12.0), svg.Bar("2", None, missing_text="no areas"), svg.Bar("3", 20.0, 18, 22)]
    drawing = svg.bar_chart(bars, id_prefix="b", title="T", desc="D", reference=("average", 15.0), y_label="Rate")
    assert drawing.count("<rect ") == 2 and ">no areas<" in drawing and ">average<" in drawing
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', drawing)]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)  # bars from zero: 20 is twice 10
    assert len(re.findall(r'<path d="M[^"]*V', drawing)) == 2  # one whisker per bar with an interval


def test_bars_on_an_axis_that_does_not_start_at_zero():
    drawing = svg.bar_chart(
        [svg.Bar("Jan", 0.9, value_text="0.90"), svg.Bar("Feb", 1.1, value_text="1.10")],
        id_prefix="s",
        title="T",
        desc="D",
        y_range=(0.8, 1.2),
    )
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', drawing)]
    assert heights[1] == pytest.approx(3 * heights[0], abs=0.2)  # 1.1 - 0.8 is three times 0.9 - 0.8
    assert ">0.90<" in drawing and ">1.10<" in drawing


def test_the_lorenz_chart_runs_corner_to_corner_with_labelled_marks():
    drawing = svg.lorenz_chart(
        [0, 0.1, 1],
        [0, 0.4, 1],
        [(0.1, 0.4, "top 10%: 40%")],
        id_prefix="l",
        title="T",
        desc="D",
        x_label="Share of areas",
        y_label="Share of crimes",
    )
    curve = re.search(r'<polyline points="([^"]+)"', drawing).group(1).split()
    assert curve[0] == "84,370" and curve[-1] == "440,14"  # (0, 0) bottom left, (1, 1) top right
    assert ">top 10%: 40%<" in drawing and ">100%<" in drawing and ">even spread<" in drawing


def test_halo_text_is_drawn_as_an_outline_copy_then_the_text():
    # WeasyPrint (the PDF report) ignores paint-order: the outline is a separate copy under the text.
    drawing = svg.bar_chart([svg.Bar("a", 1.0, value_text="1.00")], id_prefix="h", title="T", desc="D")
    assert "paint-order" not in drawing
    assert re.search(
        r'fill="#ffffff" stroke="#ffffff"[^>]*>1\.00</text><text [^>]*fill="#0b0c0c">1\.00</text>', drawing
    )


@pytest.mark.parametrize(
    ("width", "length"), [(25_000, 5_000), (40_000, 5_000), (9_000, 1_000), (12_000, 2_000), (600, 100)]
)
def test_a_scale_bar_is_a_round_fifth_of_the_width(width, length):
    assert svg.nice_length(width) == length


def test_scale_labels():
    assert [svg.scale_label(m) for m in (5_000, 2_500, 500)] == ["5 km", "2.5 km", "500 m"]
