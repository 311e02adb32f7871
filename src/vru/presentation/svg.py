"""Charts and maps as SVG, drawn in pure Python (no JavaScript, no requests): the renderer for figures that the
dashboard (through portal.insights.presentation, when an assessment is published) and the report draw alike.

Every SVG is an image with a title and a description (role="img", aria-labelledby), and the page beside it
gives the same figures as a table. Colours and fonts are SVG presentation attributes, never `style`, so the
SVGs need nothing from the Content Security Policy. Coordinates are rounded to keep the markup small.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FONT = "arial, sans-serif"
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#484949"
GRID = "#cecece"
AXIS = "#0b0c0c"
BRAND = "#106165"
NO_DATA_FILL = "#f3f2f1"
OTHER = "#6f777b"
# Hot and cold spots: orange and blue, a pair that stays distinct with red-green colour blindness.
HOT = "#b35806"
COLD = "#2166ac"
NEUTRAL_AREA = "#e8e8e8"


def esc(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def fmt(value: float) -> str:
    """A coordinate with one decimal, without a trailing .0."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_step(span: float, steps: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about `steps` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / steps
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= raw:
            return multiple * power
    return 10 * power


def tick_label(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _open(width: float, height: float, id_prefix: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(width)} {fmt(height)}" width="100%" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" focusable="false" '
        f'font-family="{FONT}">',
        f'<title id="{id_prefix}-title">{esc(title)}</title>',
        f'<desc id="{id_prefix}-desc">{esc(desc)}</desc>',
    ]


def responsive(wide: str, narrow: str) -> str:
    """The same figure drawn twice: dashboards.css shows the narrow one on phones and the wide one otherwise
    (display: none also hides the other from screen readers)."""
    if not narrow:
        return wide
    return f'<div class="portal-figure__wide">{wide}</div><div class="portal-figure__narrow">{narrow}</div>'


def y_gridlines(
    y_of, low: float, high: float, step: float, left: float, right: float, *, font_size: int, label=tick_label
) -> list[str]:
    """Horizontal gridlines with their labels at the left, every `step` from the first multiple of it at or
    above `low` up to `high`."""
    parts = []
    tick = math.ceil(low / step - 1e-9) * step
    while tick <= high + 1e-9:
        y = y_of(tick)
        parts.append(
            f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(right)}" y2="{fmt(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{fmt(left - 8)}" y="{fmt(y + 5)}" text-anchor="end" font-size="{font_size}" fill="{TEXT}">'
            f"{label(tick)}</text>"
        )
        tick += step
    return parts


def baseline(left: float, right: float, y: float) -> str:
    """The x axis."""
    return f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(right)}" y2="{fmt(y)}" stroke="{AXIS}" stroke-width="1.5"/>'


def y_title(x: float, y: float, text: str, size: int = 14) -> str:
    """An axis title written upwards, centred on (x, y)."""
    return (
        f'<text x="{fmt(x)}" y="{fmt(y)}" transform="rotate(-90 {fmt(x)} {fmt(y)})" text-anchor="middle" '
        f'font-size="{size}" fill="{SECONDARY_TEXT}">{esc(text)}</text>'
    )


def month_axis(
    months: Sequence[str],
    x_of,
    axis_y: float,
    *,
    every: int = 3,
    font_size: int = 15,
    tick_marks: bool = True,
    label_gap: float = 24.0,
    year_gap: float = 46.0,
) -> list[str]:
    """Month labels every `every` months from January, and the year under each January (and the first month)."""
    parts = []
    for index, month in enumerate(months):
        year, number = month.split("-")
        month_number = int(number)
        x = x_of(index)
        if (month_number - 1) % every == 0:
            if tick_marks:
                parts.append(
                    f'<line x1="{fmt(x)}" y1="{fmt(axis_y)}" x2="{fmt(x)}" y2="{fmt(axis_y + 6)}" '
                    f'stroke="{AXIS}" stroke-width="1"/>'
                )
            parts.append(
                f'<text x="{fmt(x)}" y="{fmt(axis_y + label_gap)}" text-anchor="middle" font-size="{font_size}" '
                f'fill="{TEXT}">{MONTH_ABBREVIATIONS[month_number - 1]}</text>'
            )
        if month_number == 1 or index == 0:
            parts.append(
                f'<text x="{fmt(x)}" y="{fmt(axis_y + year_gap)}" text-anchor="middle" font-size="{font_size}" '
                f'font-weight="bold" fill="{TEXT}">{year}</text>'
            )
    return parts


def hatch_patterns(id_prefix: str) -> str:
    """Pattern fills drawn over a colour so that colour is not the only cue: `{id_prefix}-diagonal`,
    `{id_prefix}-dots` and `{id_prefix}-cross` (transparent between the marks)."""
    return (
        f'<defs><pattern id="{id_prefix}-diagonal" patternUnits="userSpaceOnUse" width="7" height="7">'
        f'<path d="M-1 1L1 -1M0 7L7 0M6 8L8 6" stroke="{TEXT}" stroke-width="1.1"/></pattern>'
        f'<pattern id="{id_prefix}-dots" patternUnits="userSpaceOnUse" width="6" height="6">'
        f'<circle cx="3" cy="3" r="1.1" fill="{TEXT}"/></pattern>'
        f'<pattern id="{id_prefix}-cross" patternUnits="userSpaceOnUse" width="8" height="8">'
        f'<path d="M0 0L8 8M8 0L0 8" stroke="{SECONDARY_TEXT}" stroke-width="0.9"/></pattern></defs>'
    )


FORECAST_BAND = "#9fb6d3"


def _forecast_range(
    forecast: ForecastRange,
    id_prefix: str,
    start: int,
    x_of,
    y_of,
    divider_x: float,
    top: float,
    plot_h: float,
    plot_right: float,
) -> list[str]:
    """The prediction range after the observed months, a line where the forecast starts, and its label."""
    if not forecast.months:
        return []
    xs = [x_of(start + index) for index in range(len(forecast.months))]
    outline = [f"{fmt(x)},{fmt(y_of(value))}" for x, value in zip(xs, forecast.upper, strict=True)]
    outline += [f"{fmt(x)},{fmt(y_of(value))}" for x, value in reversed(list(zip(xs, forecast.lower, strict=True)))]
    points = " ".join(outline)
    parts = [
        f'<line x1="{fmt(divider_x)}" y1="{fmt(top)}" x2="{fmt(divider_x)}" y2="{fmt(top + plot_h)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    ]
    if forecast.reliable:
        parts.append(f'<polygon points="{points}" fill="{FORECAST_BAND}" stroke="none"/>')
        mean = " ".join(f"{fmt(x)},{fmt(y_of(value))}" for x, value in zip(xs, forecast.mean, strict=True))
        parts.append(
            f'<polyline points="{mean}" fill="none" stroke="{BRAND}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        label = "forecast range"
    else:
        parts.append(hatch_patterns(id_prefix))
        parts.append(
            f'<polygon points="{points}" fill="url(#{id_prefix}-cross)" stroke="{SECONDARY_TEXT}" stroke-width="1"/>'
        )
        label = "forecast range: NOT RELIABLE"
    # Centred over the range, but kept inside the plot (13-unit bold text is about 8 units a character).
    half = len(label) * 4.0
    x = min(max((xs[0] + xs[-1]) / 2, x_of(0) + half), plot_right - half)
    y = y_of(max(forecast.upper)) - 8
    parts.append(_halo_text(x, max(y, 14.0), label, anchor="middle", size=13))
    return parts


# --- Line chart over months, with gaps ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonthPoint:
    month: str  # YYYY-MM
    label: str  # "July 2024"
    value: float | None  # None: no data for the month


MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ForecastRange:
    """The months after the observed ones with a prediction range and a central forecast. An unreliable forecast
    (one that failed its back-test) is drawn as a cross-hatched range with no central line."""

    months: Sequence[str]  # YYYY-MM
    lower: Sequence[float]
    mean: Sequence[float]
    upper: Sequence[float]
    reliable: bool


def month_line_chart(
    points: Sequence[MonthPoint],
    *,
    id_prefix: str,
    title: str,
    desc: str,
    value_label: str,
    width: float = 640.0,
    y_label: str = "",
    forecast: ForecastRange | None = None,
    height: float | None = None,
) -> str:
    """A line of monthly values; a month with no data is a grey band marked "No data" and breaks the line.
    `forecast` continues the months with a prediction range; `y_label` names the y axis."""
    height = height or (330.0 if width >= 500 else 300.0)
    left, right, top, bottom = (64.0 if width >= 500 else 52.0) + (24.0 if y_label else 0.0), 16.0, 20.0, 64.0
    # On a narrow chart (for phones) a label every 6 months, not every 3, so that they do not run together.
    label_every = 3 if width >= 500 else 6
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [point.value for point in points if point.value is not None]
    top_value = max([*values, *(forecast.upper if forecast else ())], default=0)
    step = nice_step(top_value or 1)
    y_max = max(step, math.ceil(top_value / step) * step)
    count = len(points) + (len(forecast.months) if forecast else 0)
    slot = plot_w / max(count, 1)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return top + plot_h - (value / y_max) * plot_h

    parts = _open(width, height, id_prefix, title, desc)
    # Months with no data: a band, drawn first so that gridlines and the axis lie over it.
    for index, point in enumerate(points):
        if point.value is None:
            parts.append(
                f'<rect x="{fmt(left + slot * index)}" y="{fmt(top)}" width="{fmt(slot)}" height="{fmt(plot_h)}" '
                f'fill="{NO_DATA_FILL}"><title>{esc(point.label)}: no data</title></rect>'
            )
    parts.extend(y_gridlines(y_of, 0.0, y_max, step, left, width - right, font_size=15))
    parts.append(baseline(left, width - right, top + plot_h))
    # "No data", written downwards once in the middle of each run of months without data.
    index = 0
    while index < len(points):
        if points[index].value is None:
            end = index
            while end + 1 < len(points) and points[end + 1].value is None:
                end += 1
            x, y = (x_of(index) + x_of(end)) / 2 - 5, top + 8
            parts.append(
                f'<text x="{fmt(x)}" y="{fmt(y)}" transform="rotate(90 {fmt(x)} {fmt(y)})" font-size="14" '
                f'fill="{SECONDARY_TEXT}">No data</text>'
            )
            index = end + 1
        else:
            index += 1
    # The line, one segment per run of months with data.
    run: list[tuple[float, float]] = []
    runs: list[list[tuple[float, float]]] = []
    for index, point in enumerate(points):
        if point.value is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((x_of(index), y_of(point.value)))
    if run:
        runs.append(run)
    for segment in runs:
        if len(segment) > 1:
            coordinates = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in segment)
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{BRAND}" stroke-width="3" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
    for index, point in enumerate(points):
        if point.value is not None:
            parts.append(
                f'<circle cx="{fmt(x_of(index))}" cy="{fmt(y_of(point.value))}" r="3.5" fill="{BRAND}">'
                f"<title>{esc(point.label)}: {tick_label(point.value)} {esc(value_label)}</title></circle>"
            )
    if forecast is not None:
        parts.extend(
            _forecast_range(
                forecast, id_prefix, len(points), x_of, y_of, left + slot * len(points), top, plot_h, width - right
            )
        )
    parts.extend(
        month_axis(
            [point.month for point in points] + list(forecast.months if forecast else ()),
            x_of,
            top + plot_h,
            every=label_every,
            font_size=15,
            tick_marks=True,
        )
    )
    if y_label:
        parts.append(y_title(16, top + plot_h / 2, y_label))
    parts.append("</svg>")
    return "".join(parts)


# --- Maps -----------------------------------------------------------------------------------------------


@dataclass
class Projection:
    """Map coordinates to SVG units. Longitude and latitude: equirectangular, scaled by the cosine of the middle
    latitude (true to within a fraction of a percent across a district). Coordinates already projected onto a
    grid in metres (British National Grid, x east and y north): kx is 1, a plain scaling."""

    min_lon: float
    max_lat: float
    kx: float
    scale: float  # SVG units per degree of latitude, or per metre on a grid
    margin: float
    width: float
    height: float
    x0: float = 0.0  # where the map starts in the SVG (an inset beside the main map)
    y0: float = 0.0
    projected: bool = False

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.x0 + self.margin + (lon - self.min_lon) * self.kx * self.scale,
            self.y0 + self.margin + (self.max_lat - lat) * self.scale,
        )

    @property
    def metres_per_unit(self) -> float:
        # A degree of latitude is 111.32 km to within half a percent in Britain.
        return (1.0 if self.projected else 111_320.0) / self.scale


def _rings(geometry: dict) -> Iterable[list]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coordinates
    elif kind == "MultiPolygon":
        for polygon in coordinates:
            yield from polygon


BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


def bbox_of(features: Iterable[dict]) -> BBox | None:
    lons, lats = [], []
    for feature in features:
        for ring in _rings(feature.get("geometry") or {}):
            for lon, lat, *_ in ring:
                lons.append(lon)
                lats.append(lat)
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def _overlaps(first: BBox, second: BBox) -> bool:
    return first[0] <= second[2] and second[0] <= first[2] and first[1] <= second[3] and second[1] <= first[3]


def close_up_view(focus: BBox, *, aspect: float = 4 / 3, margin: float = 0.5, min_half_height: float = 0.012) -> BBox:
    """A view around `focus` (degrees), `margin` of its size wider on each side, at least 2 x min_half_height
    degrees of latitude tall (0.012 is about 1.3 km), with width / height = aspect on the map."""
    min_lon, min_lat, max_lon, max_lat = focus
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    centre_lon, centre_lat = (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
    half_height = (max_lat - min_lat) / 2 * (1 + margin)
    half_width = (max_lon - min_lon) / 2 * kx * (1 + margin)
    half_height = max(half_height, half_width / aspect, min_half_height)
    half_width = half_height * aspect
    return (
        centre_lon - half_width / kx,
        centre_lat - half_height,
        centre_lon + half_width / kx,
        centre_lat + half_height,
    )


def projection_for(
    features: Sequence[dict],
    width: float = 640.0,
    margin: float = 8.0,
    view: BBox | None = None,
    *,
    projected: bool = False,
    height: float | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
) -> Projection | None:
    """The projection that fits `view` (default: all the features) into `width`, and into `height` when given
    (centred in the other direction)."""
    bbox = view or bbox_of(features)
    if bbox is None:
        return None
    min_lon, min_lat, max_lon, max_lat = bbox
    kx = 1.0 if projected else math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * kx, 1e-9)
    scale = (width - 2 * margin) / span_x
    if height is not None:
        scale = min(scale, (height - 2 * margin) / max(max_lat - min_lat, 1e-9))
        x_extra = (width - 2 * margin - span_x * scale) / 2
        y_extra = (height - 2 * margin - (max_lat - min_lat) * scale) / 2
        return Projection(
            min_lon, max_lat, kx, scale, margin, width, height, origin[0] + x_extra, origin[1] + y_extra, projected
        )
    height = (max_lat - min_lat) * scale + 2 * margin
    return Projection(min_lon, max_lat, kx, scale, margin, width, height, origin[0], origin[1], projected)


def zoom_box(focus: BBox, whole: BBox, *, aspect: float, min_pad: float, max_share: float = 0.2) -> BBox | None:
    """A box (map coordinates) around `focus`, padded by 40% of its size and at least `min_pad`, with
    width / height = aspect; None when it would cover more than `max_share` of `whole`, so an inset is not worth
    drawing. For coordinates on a grid in metres (the report's inset)."""
    min_x, min_y, max_x, max_y = focus
    pad = max(max(max_x - min_x, max_y - min_y) * 0.4, min_pad)
    min_x, min_y, max_x, max_y = min_x - pad, min_y - pad, max_x + pad, max_y + pad
    box_w, box_h = max_x - min_x, max_y - min_y
    if box_w / box_h < aspect:
        extra = (box_h * aspect - box_w) / 2
        min_x, max_x = min_x - extra, max_x + extra
    else:
        extra = (box_w / aspect - box_h) / 2
        min_y, max_y = min_y - extra, max_y + extra
    if (max_x - min_x) * (max_y - min_y) > max_share * (whole[2] - whole[0]) * (whole[3] - whole[1]):
        return None
    return min_x, min_y, max_x, max_y


def nice_length(width_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^k metres) of about a fifth of `width_m`."""
    if width_m <= 0:
        return 1.0
    target = width_m / 5
    power = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * power <= target:
            return step * power
    return power


def scale_label(length_m: float) -> str:
    """1000 -> "1 km", 500 -> "500 m", 2500 -> "2.5 km"."""
    return f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"


def path_data(geometry: dict, projection: Projection) -> str:
    """SVG path data for a Polygon or MultiPolygon (holes drawn with the even-odd rule)."""
    pieces = []
    for ring in _rings(geometry):
        points: list[str] = []
        last = None
        for lon, lat, *_ in ring:
            x, y = projection.point(lon, lat)
            current = f"{fmt(x)} {fmt(y)}"
            if current != last:
                points.append(current)
                last = current
        if len(points) >= 3:
            pieces.append("M" + " ".join(points) + "Z")
    return "".join(pieces)


@dataclass
class MapArea:
    code: str
    fill: str
    title: str  # the tooltip: name and figure
    stroke: str = "#ffffff"
    stroke_width: float = 0.6
    hatch: str = ""  # "diagonal" or "dots" drawn over the fill, so that colour is not the only cue


@dataclass
class MapMarker:
    lon: float  # x east on a projected map
    lat: float  # y north on a projected map
    title: str
    label: str = ""  # a short label drawn next to the marker, for example its number in a list
    radius: float = 4.0


@dataclass
class MapLabel:
    code: str  # the area to label at its centre
    text: str


@dataclass
class LegendEntry:
    label: str
    fill: str
    hatch: str = ""


@dataclass
class MapSpec:
    id_prefix: str
    title: str
    desc: str
    features: Sequence[dict]  # GeoJSON features with properties.code
    areas: dict[str, MapArea]
    outlines: Sequence[dict] = ()  # drawn on top, no fill (for example the district boundary)
    markers: Sequence[MapMarker] = ()
    labels: Sequence[MapLabel] = ()
    missing_fill: str = NO_DATA_FILL
    outline_width: float = 1.5
    view: BBox | None = None  # show only this box (a close-up); default: everything
    frame: BBox | None = None  # draw this box, labelled, to show where a close-up is
    frame_label: str = ""
    width: float = 640.0  # in SVG units; a narrower map draws its labels relatively larger (for phones)
    overlay: Sequence[dict] = ()  # outlines drawn thinner over the areas, each labelled with its name (wards)
    extra: list[str] = field(default_factory=list)
    # What a printed map carries (the report): coordinates in metres on British National Grid, a legend and an
    # enlarged inset in a column to the right, numbered circles that the legend names, a scale bar, north arrow.
    projected: bool = False
    legend: Sequence[LegendEntry] = ()
    legend_title: str = ""
    numbered: Sequence[MapMarker] = ()  # label: the number in the circle; title: the name the legend gives it
    inset: BBox | None = None  # drawn enlarged under the legend (with the numbered circles); a box marks it
    scale_bar: bool = False
    north_arrow: bool = False


def ring_centre(geometry: dict) -> tuple[float, float] | None:
    """The centroid (in degrees) of the largest ring of a polygon: where to put a label."""
    best, best_area = None, 0.0
    for ring in _rings(geometry):
        area = cx = cy = 0.0
        for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) > best_area and area:
            best_area = abs(area)
            best = (cx / (3 * area), cy / (3 * area))
    return best


MAP_SHARE = 0.64  # of the width, for the map itself when a legend column stands beside it
SIDE_GAP = 16.0
SCALE_BAR_SPACE = 24.0  # below a map with a scale bar
LEGEND_ROW = 24.0


def area_map(spec: MapSpec) -> str:
    """A map of areas filled by category, with optional outlines, markers and labels; for print, a legend, an
    enlarged inset, numbered circles, a scale bar and a north arrow."""
    side = bool(spec.legend or spec.numbered or spec.inset)
    map_width = spec.width * MAP_SHARE if side else spec.width
    projection = projection_for(
        [*spec.features, *spec.outlines], width=map_width, view=spec.view, projected=spec.projected
    )
    if projection is None:
        return ""
    body = _map_layers(spec, projection, spec.view, numbered=spec.inset is None)
    if spec.north_arrow:
        body.extend(_north_arrow(map_width - 22, 6))
    height = projection.height
    if spec.scale_bar:
        body.extend(_scale_bar(projection, projection.margin, height + 6, map_width))
        height += SCALE_BAR_SPACE
    if side:
        x0 = map_width + SIDE_GAP
        column, column_height = _side_column(spec, projection, x0, spec.width - x0)
        body.extend(column)
        height = max(height, column_height)
    parts = _open(spec.width, height, spec.id_prefix, spec.title, spec.desc)
    if any(area.hatch for area in spec.areas.values()) or any(entry.hatch for entry in spec.legend):
        parts.append(hatch_patterns(spec.id_prefix))
    parts.extend(body)
    parts.extend(spec.extra)
    parts.append("</svg>")
    return "".join(parts)


def _map_layers(spec: MapSpec, projection: Projection, view: BBox | None, *, numbered: bool) -> list[str]:
    """The areas, outlines, overlay, close-up frame, markers and labels of `spec` inside `view`."""

    def visible(feature: dict) -> bool:
        if view is None:
            return True
        box = bbox_of([feature])
        return box is not None and _overlaps(box, view)

    def inside(marker: MapMarker) -> bool:
        return view is None or (view[0] <= marker.lon <= view[2] and view[1] <= marker.lat <= view[3])

    features = [feature for feature in spec.features if visible(feature)]
    outlines = [feature for feature in spec.outlines if visible(feature)]
    parts = ['<g stroke-linejoin="round">']
    hatched = []
    for feature in features:
        code = (feature.get("properties") or {}).get("code", "")
        area = spec.areas.get(code)
        fill = area.fill if area else spec.missing_fill
        stroke = area.stroke if area else "#ffffff"
        stroke_width = area.stroke_width if area else 0.6
        title = area.title if area else f"{(feature.get('properties') or {}).get('name', code)}: no figure"
        data = path_data(feature["geometry"], projection)
        parts.append(
            f'<path d="{data}" fill="{fill}" fill-rule="evenodd" '
            f'stroke="{stroke}" stroke-width="{stroke_width}"><title>{esc(title)}</title></path>'
        )
        if area and area.hatch:
            hatched.append(
                f'<path d="{data}" fill="url(#{spec.id_prefix}-{area.hatch})" fill-rule="evenodd" stroke="none"/>'
            )
    parts.extend(hatched)
    parts.append("</g>")
    for feature in outlines:
        parts.append(
            f'<path d="{path_data(feature["geometry"], projection)}" fill="none" stroke="{TEXT}" '
            f'stroke-width="{spec.outline_width}" stroke-linejoin="round"/>'
        )
    overlay = [feature for feature in spec.overlay if visible(feature)]
    for feature in overlay:
        parts.append(
            f'<path d="{path_data(feature["geometry"], projection)}" fill="none" stroke="{SECONDARY_TEXT}" '
            f'stroke-width="1.2" stroke-linejoin="round"/>'
        )
    for feature in overlay:
        centre = ring_centre(feature["geometry"])
        name = (feature.get("properties") or {}).get("name", "")
        if not centre or not name:
            continue
        x, y = projection.point(*centre)
        # Only names that fit: a label centred near an edge would be cut off.
        half = len(name) * 3.6
        if half + 2 < x < projection.width - half - 2 and 14 < y < projection.height - 4:
            parts.append(
                f'<text x="{fmt(x)}" y="{fmt(y)}" text-anchor="middle" font-size="13" fill="{SECONDARY_TEXT}" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke" aria-hidden="true">{esc(name)}</text>'
            )
    for box, label in ((spec.frame, spec.frame_label), (None if numbered else spec.inset, "inset")):
        if box:
            x1, y1 = projection.point(box[0], box[3])
            x2, y2 = projection.point(box[2], box[1])
            parts.append(
                f'<rect x="{fmt(x1)}" y="{fmt(y1)}" width="{fmt(x2 - x1)}" height="{fmt(y2 - y1)}" fill="none" '
                f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
            if label:
                parts.append(_halo_text(x1, y1 - 6, label, anchor="start", size=15))
    for marker in spec.markers:
        if not inside(marker):
            continue
        x, y = projection.point(marker.lon, marker.lat)
        parts.append(
            f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(marker.radius)}" fill="{TEXT}" stroke="#ffffff" '
            f'stroke-width="1.5"><title>{esc(marker.title)}</title></circle>'
        )
        if marker.label:
            parts.append(_halo_text(x + marker.radius + 3, y + 5, marker.label, anchor="start"))
    if numbered:
        for marker in spec.numbered:
            if inside(marker):
                parts.append(_numbered_circle(*projection.point(marker.lon, marker.lat), marker))
    by_code = {(feature.get("properties") or {}).get("code"): feature for feature in features}
    for label in spec.labels:
        feature = by_code.get(label.code)
        centre = ring_centre(feature["geometry"]) if feature else None
        if centre:
            x, y = projection.point(*centre)
            parts.append(_halo_text(x, y + 6, label.text, anchor="middle", size=18))
    return parts


def _numbered_circle(x: float, y: float, marker: MapMarker) -> str:
    return (
        f'<g><title>{esc(marker.label)}: {esc(marker.title)}</title><circle cx="{fmt(x)}" cy="{fmt(y)}" r="9" '
        f'fill="#ffffff" stroke="{TEXT}" stroke-width="1.2"/><text x="{fmt(x)}" y="{fmt(y + 4.5)}" '
        f'text-anchor="middle" font-size="12" font-weight="bold" fill="{TEXT}">{esc(marker.label)}</text></g>'
    )


def _north_arrow(x: float, y: float) -> list[str]:
    return [
        f'<text x="{fmt(x)}" y="{fmt(y + 15)}" text-anchor="middle" font-size="15" font-weight="bold" '
        f'fill="{TEXT}">N</text>',
        f'<polygon points="{fmt(x)},{fmt(y + 20)} {fmt(x + 8)},{fmt(y + 44)} {fmt(x)},{fmt(y + 38)} '
        f'{fmt(x - 8)},{fmt(y + 44)}" fill="{TEXT}"><title>North is up</title></polygon>',
    ]


def _scale_bar(projection: Projection, x: float, y: float, span_units: float) -> list[str]:
    """A bar of a round length (about a fifth of `span_units`), half black and half white, its length beside it."""
    length_m = nice_length(span_units * projection.metres_per_unit)
    length = length_m / projection.metres_per_unit
    half = length / 2
    return [
        f"<g><title>Scale bar: {esc(scale_label(length_m))}</title>"
        f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(half)}" height="6" fill="{TEXT}" stroke="{TEXT}" '
        f'stroke-width="0.8"/><rect x="{fmt(x + half)}" y="{fmt(y)}" width="{fmt(half)}" height="6" fill="#ffffff" '
        f'stroke="{TEXT}" stroke-width="0.8"/></g>',
        f'<text x="{fmt(x + length + 6)}" y="{fmt(y + 7)}" font-size="13" fill="{TEXT}">'
        f"{esc(scale_label(length_m))}</text>",
    ]


def wrap(text: str, width_chars: int) -> list[str]:
    """Words into lines of at most `width_chars` characters (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _side_column(spec: MapSpec, main: Projection, x0: float, width: float) -> tuple[list[str], float]:
    """The legend (title, swatches, then the numbered names) and the inset under it; returns the parts and the
    height they take."""
    parts: list[str] = []
    y = 4.0
    chars = int((width - 34) / 7.2)  # 13-unit text is about 7.2 units a character
    if spec.legend_title:
        for line in wrap(spec.legend_title, int(width / 7.8)):
            y += 18
            parts.append(
                f'<text x="{fmt(x0)}" y="{fmt(y)}" font-size="14" font-weight="bold" fill="{TEXT}">{esc(line)}</text>'
            )
        y += 8
    for entry in spec.legend:
        parts.append(
            f'<rect x="{fmt(x0)}" y="{fmt(y)}" width="24" height="16" fill="{entry.fill}" stroke="{TEXT}" '
            f'stroke-width="0.6"/>'
        )
        if entry.hatch:
            parts.append(
                f'<rect x="{fmt(x0)}" y="{fmt(y)}" width="24" height="16" fill="url(#{spec.id_prefix}-{entry.hatch})" '
                f'stroke="none"/>'
            )
        lines = wrap(entry.label, chars)
        for index, line in enumerate(lines):
            parts.append(
                f'<text x="{fmt(x0 + 32)}" y="{fmt(y + 13 + 16 * index)}" font-size="13" fill="{TEXT}">'
                f"{esc(line)}</text>"
            )
        y += LEGEND_ROW + 16 * (len(lines) - 1)
    if spec.numbered:
        y += 6
    for marker in spec.numbered:
        parts.append(_numbered_circle(x0 + 12, y + 8, marker))
        lines = wrap(marker.title, chars)
        for index, line in enumerate(lines):
            parts.append(
                f'<text x="{fmt(x0 + 32)}" y="{fmt(y + 13 + 16 * index)}" font-size="13" fill="{TEXT}">'
                f"{esc(line)}</text>"
            )
        y += LEGEND_ROW + 16 * (len(lines) - 1)
    if spec.inset:
        y += 14
        parts.append(
            f'<text x="{fmt(x0)}" y="{fmt(y)}" font-size="13" font-weight="bold" fill="{TEXT}">Inset: enlarged</text>'
        )
        y += 6
        box = spec.inset
        inset_height = width * (box[3] - box[1]) / max(box[2] - box[0], 1e-9)
        projection = projection_for(
            [], width=width, margin=0.0, view=box, projected=spec.projected, height=inset_height, origin=(x0, y)
        )
        clip = f"{spec.id_prefix}-inset-clip"
        parts.append(
            f'<clipPath id="{clip}"><rect x="{fmt(x0)}" y="{fmt(y)}" width="{fmt(width)}" '
            f'height="{fmt(inset_height)}"/></clipPath><g clip-path="url(#{clip})">'
        )
        inset_spec = MapSpec(
            spec.id_prefix,
            "",
            "",
            spec.features,
            spec.areas,
            outlines=spec.outlines,
            numbered=spec.numbered,
            projected=spec.projected,
            outline_width=spec.outline_width,
        )
        parts.extend(_map_layers(inset_spec, projection, box, numbered=True))
        parts.append(
            f'</g><rect x="{fmt(x0)}" y="{fmt(y)}" width="{fmt(width)}" height="{fmt(inset_height)}" fill="none" '
            f'stroke="{TEXT}" stroke-width="1.5"/>'
        )
        y += inset_height
        parts.extend(_scale_bar(projection, x0 + 4, y + 8, width))
        y += SCALE_BAR_SPACE
    return parts, y


def _halo_text(x: float, y: float, text: str, *, anchor: str, size: int = 15) -> str:
    """Bold text with a white outline, readable over any fill: the outline is a copy drawn first (not
    paint-order, which WeasyPrint ignores when it prints the report)."""
    common = (
        f'x="{fmt(x)}" y="{fmt(y)}" text-anchor="{anchor}" font-size="{size}" font-weight="bold" aria-hidden="true"'
    )
    return (
        f'<text {common} fill="#ffffff" stroke="#ffffff" stroke-width="4" stroke-linejoin="round">{esc(text)}</text>'
        f'<text {common} fill="{TEXT}">{esc(text)}</text>'
    )


# --- Comparison: rates with confidence intervals --------------------------------------------------------


@dataclass(frozen=True)
class IntervalRow:
    label: str
    value: float
    lower: float | None
    upper: float | None
    highlight: bool = False
    value_text: str = ""


def interval_chart(
    rows: Sequence[IntervalRow],
    *,
    id_prefix: str,
    title: str,
    desc: str,
    reference: tuple[str, float] | None = None,
    unit: str = "",
    width: float = 640.0,
    label_width: float = 210.0,
) -> str:
    """Horizontal bars with 95% interval whiskers, one row each; an optional dashed reference line. Narrower than
    500 units, each label goes above its bar instead of beside it."""
    beside = width >= 500
    label_w, right, top, row_h = (label_width, 70.0, 12.0, 40.0) if beside else (8.0, 60.0, 12.0, 62.0)
    bottom = 40.0
    plot_w = width - label_w - right
    height = top + row_h * len(rows) + bottom
    top_value = max([row.upper or row.value for row in rows] + ([reference[1]] if reference else []), default=1)
    step = nice_step(top_value, 4)
    x_max = max(step, math.ceil(top_value / step) * step)

    def x_of(value: float) -> float:
        return label_w + value / x_max * plot_w

    parts = _open(width, height, id_prefix, title, desc)
    tick = 0.0
    while tick <= x_max + 1e-9:
        x = x_of(tick)
        parts.append(
            f'<line x1="{fmt(x)}" y1="{fmt(top)}" x2="{fmt(x)}" y2="{fmt(height - bottom)}" stroke="{GRID}"/>'
            f'<text x="{fmt(x)}" y="{fmt(height - bottom + 22)}" text-anchor="middle" font-size="15" '
            f'fill="{TEXT}">{tick_label(tick)}</text>'
        )
        tick += step
    for index, row in enumerate(rows):
        y = top + row_h * index
        colour = BRAND if row.highlight else OTHER
        weight = ' font-weight="bold"' if row.highlight else ""
        if beside:
            middle, bar_top, bar_h = y + row_h / 2, y + 9, row_h - 18
            parts.append(
                f'<text x="{fmt(label_w - 10)}" y="{fmt(middle + 5)}" text-anchor="end" font-size="15" '
                f'fill="{TEXT}"{weight}>{esc(row.label)}</text>'
            )
        else:
            bar_top, bar_h = y + 26, row_h - 34
            middle = bar_top + bar_h / 2
            parts.append(
                f'<text x="{fmt(label_w)}" y="{fmt(y + 19)}" font-size="15" fill="{TEXT}"{weight}>'
                f"{esc(row.label)}</text>"
            )
        parts.append(
            f'<rect x="{fmt(label_w)}" y="{fmt(bar_top)}" width="{fmt(max(x_of(row.value) - label_w, 0))}" '
            f'height="{fmt(bar_h)}" fill="{colour}"><title>{esc(row.label)}: {esc(row.value_text)}</title></rect>'
        )
        if row.lower is not None and row.upper is not None:
            x1, x2 = x_of(row.lower), x_of(row.upper)
            parts.append(
                f'<path d="M{fmt(x1)} {fmt(middle)}H{fmt(x2)}M{fmt(x1)} {fmt(middle - 7)}V{fmt(middle + 7)}'
                f'M{fmt(x2)} {fmt(middle - 7)}V{fmt(middle + 7)}" stroke="{TEXT}" stroke-width="1.5" fill="none"/>'
            )
        parts.append(
            f'<text x="{fmt(max(x_of(row.upper or row.value), x_of(row.value)) + 6)}" y="{fmt(middle + 5)}" '
            f'font-size="14" fill="{TEXT}">{esc(row.value_text)}</text>'
        )
    if reference:
        x = x_of(reference[1])
        parts.append(
            f'<line x1="{fmt(x)}" y1="{fmt(top - 6)}" x2="{fmt(x)}" y2="{fmt(height - bottom)}" stroke="{TEXT}" '
            f'stroke-width="2" stroke-dasharray="6 4"><title>{esc(reference[0])}</title></line>'
        )
    parts.append(
        f'<line x1="{fmt(label_w)}" y1="{fmt(top)}" x2="{fmt(label_w)}" y2="{fmt(height - bottom)}" stroke="{AXIS}"/>'
    )
    if unit:
        parts.append(
            f'<text x="{fmt(label_w + plot_w / 2)}" y="{fmt(height - 2)}" text-anchor="middle" font-size="14" '
            f'fill="{SECONDARY_TEXT}">{esc(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- Bars: one value a category, optionally with an interval --------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar
    value: float | None  # None: no bar, `missing_text` written upwards instead
    lower: float | None = None
    upper: float | None = None
    value_text: str = ""  # written over the bar when given
    missing_text: str = "no data"


def bar_chart(
    bars: Sequence[Bar],
    *,
    id_prefix: str,
    title: str,
    desc: str,
    y_label: str = "",
    x_label: str = "",
    reference: tuple[str, float] | None = None,
    y_range: tuple[float, float] | None = None,
    width: float = 640.0,
    height: float = 300.0,
) -> str:
    """Vertical bars with optional interval whiskers and value labels, and an optional dashed reference line
    labelled at its left end. `y_range` (low, high) when the axis should not start at zero (an index around 1)."""
    # A reference line is named at its right end, beyond the bars.
    left, right, top = 64.0 + (24.0 if y_label else 0.0), (16.0 + 8.0 * len(reference[0]) if reference else 16.0), 22.0
    bottom = 40.0 + (26.0 if x_label else 0.0)
    plot_w, plot_h = width - left - right, height - top - bottom
    if y_range is None:
        top_value = max(
            [bar.upper if bar.upper is not None else bar.value for bar in bars if bar.value is not None]
            + ([reference[1]] if reference else []),
            default=1,
        )
        step = nice_step(top_value or 1, 4)
        low, high = 0.0, max(step, math.ceil(top_value / step) * step)
    else:
        low, high = y_range
        step = nice_step(high - low, 4)
    slot = plot_w / max(len(bars), 1)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return top + plot_h - (min(max(value, low), high) - low) / (high - low) * plot_h

    parts = _open(width, height, id_prefix, title, desc)
    parts.extend(y_gridlines(y_of, low, high, step, left, width - right, font_size=14))
    for index, bar in enumerate(bars):
        x = x_of(index)
        if bar.value is None:
            y = top + plot_h - 8
            parts.append(
                f'<text x="{fmt(x + 5)}" y="{fmt(y)}" transform="rotate(-90 {fmt(x + 5)} {fmt(y)})" font-size="13" '
                f'fill="{SECONDARY_TEXT}">{esc(bar.missing_text)}</text>'
            )
        else:
            bar_w = slot * 0.7
            y = y_of(bar.value)
            text = bar.value_text or tick_label(bar.value)
            parts.append(
                f'<rect x="{fmt(x - bar_w / 2)}" y="{fmt(y)}" width="{fmt(bar_w)}" '
                f'height="{fmt(top + plot_h - y)}" fill="{BRAND}"><title>{esc(bar.label)}: {esc(text)}</title></rect>'
            )
            if bar.lower is not None and bar.upper is not None:
                y1, y2 = y_of(bar.lower), y_of(bar.upper)
                parts.append(
                    f'<path d="M{fmt(x)} {fmt(y1)}V{fmt(y2)}M{fmt(x - 6)} {fmt(y1)}H{fmt(x + 6)}M{fmt(x - 6)} '
                    f'{fmt(y2)}H{fmt(x + 6)}" stroke="{TEXT}" stroke-width="1.5" fill="none"/>'
                )
            if bar.value_text:
                parts.append(_halo_text(x, y - 5, bar.value_text, anchor="middle", size=13))
        parts.append(
            f'<text x="{fmt(x)}" y="{fmt(top + plot_h + 22)}" text-anchor="middle" font-size="14" fill="{TEXT}">'
            f"{esc(bar.label)}</text>"
        )
    if reference:
        y = y_of(reference[1])
        parts.append(
            f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(width - right)}" y2="{fmt(y)}" stroke="{TEXT}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{fmt(width - right + 6)}" y="{fmt(y + 5)}" font-size="13" fill="{TEXT}">'
            f"{esc(reference[0])}</text>"
        )
    parts.append(baseline(left, width - right, top + plot_h))
    if y_label:
        parts.append(y_title(16, top + plot_h / 2, y_label))
    if x_label:
        parts.append(
            f'<text x="{fmt(left + plot_w / 2)}" y="{fmt(height - 8)}" text-anchor="middle" font-size="14" '
            f'fill="{SECONDARY_TEXT}">{esc(x_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- Concentration: the Lorenz curve read from the top ----------------------------------------------------


def percent_tick(value: float) -> str:
    return f"{value * 100:.0f}%"


def lorenz_chart(
    shares_of_units: Sequence[float],
    shares_of_incidents: Sequence[float],
    marks: Sequence[tuple[float, float, str]],
    *,
    id_prefix: str,
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    width: float = 460.0,
) -> str:
    """Cumulative share of incidents (y, 0 to 1) against share of units (x, 0 to 1), a dashed diagonal for an even
    spread, and labelled marks (x, y, text) on the curve."""
    left, right, top, bottom = 84.0, 20.0, 14.0, 62.0
    plot_w = width - left - right
    plot_h = plot_w
    height = top + plot_h + bottom

    def x_of(value: float) -> float:
        return left + value * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - value * plot_h

    parts = _open(width, height, id_prefix, title, desc)
    parts.extend(y_gridlines(y_of, 0.0, 1.0, 0.2, left, width - right, font_size=14, label=percent_tick))
    tick = 0.0
    while tick <= 1.0 + 1e-9:
        x = x_of(tick)
        parts.append(
            f'<line x1="{fmt(x)}" y1="{fmt(top)}" x2="{fmt(x)}" y2="{fmt(top + plot_h)}" stroke="{GRID}"/>'
            f'<text x="{fmt(x)}" y="{fmt(top + plot_h + 22)}" text-anchor="middle" font-size="14" fill="{TEXT}">'
            f"{percent_tick(tick)}</text>"
        )
        tick += 0.2
    parts.append(
        f'<line x1="{fmt(x_of(0))}" y1="{fmt(y_of(0))}" x2="{fmt(x_of(1))}" y2="{fmt(y_of(1))}" '
        f'stroke="{SECONDARY_TEXT}" stroke-width="1.2" stroke-dasharray="6 4"/>'
    )
    parts.append(
        f'<text x="{fmt(x_of(0.62))}" y="{fmt(y_of(0.55))}" font-size="13" fill="{SECONDARY_TEXT}">even spread</text>'
    )
    curve = " ".join(
        f"{fmt(x_of(x))},{fmt(y_of(y))}" for x, y in zip(shares_of_units, shares_of_incidents, strict=True)
    )
    parts.append(f'<polyline points="{curve}" fill="none" stroke="{BRAND}" stroke-width="3" stroke-linejoin="round"/>')
    for x, y, text in marks:
        parts.append(
            f'<circle cx="{fmt(x_of(x))}" cy="{fmt(y_of(y))}" r="5" fill="{HOT}" stroke="#ffffff" stroke-width="1.5">'
            f"<title>{esc(text)}</title></circle>"
        )
        parts.append(_halo_text(x_of(x) + 9, y_of(y) + 17, text, anchor="start", size=13))
    parts.append(baseline(left, width - right, top + plot_h))
    parts.append(
        f'<line x1="{fmt(left)}" y1="{fmt(top)}" x2="{fmt(left)}" y2="{fmt(top + plot_h)}" stroke="{AXIS}" '
        f'stroke-width="1.5"/>'
    )
    parts.append(y_title(16, top + plot_h / 2, y_label))
    parts.append(
        f'<text x="{fmt(left + plot_w / 2)}" y="{fmt(height - 10)}" text-anchor="middle" font-size="14" '
        f'fill="{SECONDARY_TEXT}">{esc(x_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
