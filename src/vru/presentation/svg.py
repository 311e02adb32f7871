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


# --- Line chart over months, with gaps ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonthPoint:
    month: str  # YYYY-MM
    label: str  # "July 2024"
    value: float | None  # None: no data for the month


MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_line_chart(
    points: Sequence[MonthPoint], *, id_prefix: str, title: str, desc: str, value_label: str, width: float = 640.0
) -> str:
    """A line of monthly values; a month with no data is a grey band marked "No data" and breaks the line."""
    height = 330.0 if width >= 500 else 300.0
    left, right, top, bottom = (64.0 if width >= 500 else 52.0), 16.0, 20.0, 64.0
    # On a narrow chart (for phones) a label every 6 months, not every 3, so that they do not run together.
    label_every = 3 if width >= 500 else 6
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [point.value for point in points if point.value is not None]
    top_value = max(values, default=0)
    step = nice_step(top_value or 1)
    y_max = max(step, math.ceil(top_value / step) * step)
    count = len(points)
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
    # Gridlines and y-axis labels.
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = y_of(tick)
        parts.append(
            f'<line x1="{fmt(left)}" y1="{fmt(y)}" x2="{fmt(width - right)}" y2="{fmt(y)}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{fmt(left - 8)}" y="{fmt(y + 5)}" text-anchor="end" font-size="15" fill="{TEXT}">'
            f"{tick_label(tick)}</text>"
        )
        tick += step
    parts.append(
        f'<line x1="{fmt(left)}" y1="{fmt(top + plot_h)}" x2="{fmt(width - right)}" y2="{fmt(top + plot_h)}" '
        f'stroke="{AXIS}" stroke-width="1.5"/>'
    )
    # "No data", written downwards once in the middle of each run of months without data.
    index = 0
    while index < count:
        if points[index].value is None:
            end = index
            while end + 1 < count and points[end + 1].value is None:
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
    # Month labels every third month, and the year under each January (and under the first month).
    for index, point in enumerate(points):
        year, number = point.month.split("-")
        month_number = int(number)
        x = x_of(index)
        if (month_number - 1) % label_every == 0:
            parts.append(
                f'<line x1="{fmt(x)}" y1="{fmt(top + plot_h)}" x2="{fmt(x)}" y2="{fmt(top + plot_h + 6)}" '
                f'stroke="{AXIS}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{fmt(x)}" y="{fmt(top + plot_h + 24)}" text-anchor="middle" font-size="15" '
                f'fill="{TEXT}">{MONTH_ABBREVIATIONS[month_number - 1]}</text>'
            )
        if month_number == 1 or index == 0:
            parts.append(
                f'<text x="{fmt(x)}" y="{fmt(top + plot_h + 46)}" text-anchor="middle" font-size="15" '
                f'font-weight="bold" fill="{TEXT}">{year}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --- Maps -----------------------------------------------------------------------------------------------


@dataclass
class Projection:
    """Longitude and latitude to SVG units: equirectangular, scaled by the cosine of the middle latitude
    (true to within a fraction of a percent across a district)."""

    min_lon: float
    max_lat: float
    kx: float
    scale: float
    margin: float
    width: float
    height: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.margin + (lon - self.min_lon) * self.kx * self.scale,
            self.margin + (self.max_lat - lat) * self.scale,
        )


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
    features: Sequence[dict], width: float = 640.0, margin: float = 8.0, view: BBox | None = None
) -> Projection | None:
    bbox = view or bbox_of(features)
    if bbox is None:
        return None
    min_lon, min_lat, max_lon, max_lat = bbox
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * kx, 1e-9)
    scale = (width - 2 * margin) / span_x
    height = (max_lat - min_lat) * scale + 2 * margin
    return Projection(min_lon, max_lat, kx, scale, margin, width, height)


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


@dataclass
class MapMarker:
    lon: float
    lat: float
    title: str
    label: str = ""  # a short label drawn next to the marker, for example its number in a list
    radius: float = 4.0


@dataclass
class MapLabel:
    code: str  # the area to label at its centre
    text: str


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


def area_map(spec: MapSpec) -> str:
    """A map of areas filled by category, with optional outlines, markers and labels."""
    projection = projection_for([*spec.features, *spec.outlines], width=spec.width, view=spec.view)
    if projection is None:
        return ""

    def visible(feature: dict) -> bool:
        if spec.view is None:
            return True
        box = bbox_of([feature])
        return box is not None and _overlaps(box, spec.view)

    features = [feature for feature in spec.features if visible(feature)]
    outlines = [feature for feature in spec.outlines if visible(feature)]
    parts = _open(projection.width, projection.height, spec.id_prefix, spec.title, spec.desc)
    parts.append('<g stroke-linejoin="round">')
    for feature in features:
        code = (feature.get("properties") or {}).get("code", "")
        area = spec.areas.get(code)
        fill = area.fill if area else spec.missing_fill
        stroke = area.stroke if area else "#ffffff"
        stroke_width = area.stroke_width if area else 0.6
        title = area.title if area else f"{(feature.get('properties') or {}).get('name', code)}: no figure"
        parts.append(
            f'<path d="{path_data(feature["geometry"], projection)}" fill="{fill}" fill-rule="evenodd" '
            f'stroke="{stroke}" stroke-width="{stroke_width}"><title>{esc(title)}</title></path>'
        )
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
    if spec.frame:
        x1, y1 = projection.point(spec.frame[0], spec.frame[3])
        x2, y2 = projection.point(spec.frame[2], spec.frame[1])
        parts.append(
            f'<rect x="{fmt(x1)}" y="{fmt(y1)}" width="{fmt(x2 - x1)}" height="{fmt(y2 - y1)}" fill="none" '
            f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        if spec.frame_label:
            parts.append(_halo_text(x1, y1 - 6, spec.frame_label, anchor="start", size=15))
    for marker in spec.markers:
        if spec.view and not (
            spec.view[0] <= marker.lon <= spec.view[2] and spec.view[1] <= marker.lat <= spec.view[3]
        ):
            continue
        x, y = projection.point(marker.lon, marker.lat)
        parts.append(
            f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(marker.radius)}" fill="{TEXT}" stroke="#ffffff" '
            f'stroke-width="1.5"><title>{esc(marker.title)}</title></circle>'
        )
        if marker.label:
            parts.append(_halo_text(x + marker.radius + 3, y + 5, marker.label, anchor="start"))
    by_code = {(feature.get("properties") or {}).get("code"): feature for feature in features}
    for label in spec.labels:
        feature = by_code.get(label.code)
        centre = ring_centre(feature["geometry"]) if feature else None
        if centre:
            x, y = projection.point(*centre)
            parts.append(_halo_text(x, y + 6, label.text, anchor="middle", size=18))
    parts.extend(spec.extra)
    parts.append("</svg>")
    return "".join(parts)


def _halo_text(x: float, y: float, text: str, *, anchor: str, size: int = 15) -> str:
    """Bold text with a white outline, readable over any fill."""
    return (
        f'<text x="{fmt(x)}" y="{fmt(y)}" text-anchor="{anchor}" font-size="{size}" font-weight="bold" '
        f'fill="{TEXT}" stroke="#ffffff" stroke-width="4" paint-order="stroke" aria-hidden="true">{esc(text)}</text>'
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
) -> str:
    """Horizontal bars with 95% interval whiskers, one row each; an optional dashed reference line. Narrower than
    500 units, each label goes above its bar instead of beside it."""
    beside = width >= 500
    label_w, right, top, row_h = (210.0, 70.0, 12.0, 40.0) if beside else (8.0, 60.0, 12.0, 62.0)
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
