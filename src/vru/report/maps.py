"""Maps as SVG: outlines from the bundle's boundaries (British National Grid), a legend, a scale bar worked
out in metres, a north arrow, and no web tiles. Colour-blind-safe palettes (viridis), and hot and cold spots
told apart by hatching and labels as well as by colour."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib.pyplot as plt
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from vru.presentation.formatting import thousands
from vru.report.charts import INK, MUTED, style, svg_document

MAP_SIZE = (7.0, 5.2)
NOT_SIGNIFICANT = "#eeeeee"
HOT = {99: "#67001f", 95: "#b2182b", 90: "#ef8a62"}  # ColorBrewer RdBu, red end
COLD = {99: "#053061", 95: "#2166ac", 90: "#67a9cf"}  # ColorBrewer RdBu, blue end


@dataclass(frozen=True)
class MapClass:
    label: str
    colour: str
    hatch: str | None = None
    count: int = 0


def nice_length(width_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) of about a fifth of the map's width."""
    if width_m <= 0:
        return 1.0
    target = width_m / 5
    power = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * power <= target:
            return step * power
    return power


def scale_label(length_m: float) -> str:
    """1000 → "1 km", 500 → "500 m", 2500 → "2.5 km"."""
    if length_m >= 1000:
        km = length_m / 1000
        return f"{km:g} km"
    return f"{length_m:g} m"


def _add_scale_bar(axes, bounds) -> None:
    minx, miny, maxx, maxy = bounds
    width = maxx - minx
    length = nice_length(width)
    x0 = minx + width * 0.03
    y0 = miny + (maxy - miny) * 0.03
    height = (maxy - miny) * 0.012
    half = length / 2
    axes.add_patch(Rectangle((x0, y0), half, height, facecolor=INK, edgecolor=INK, linewidth=0.6, zorder=5))
    axes.add_patch(Rectangle((x0 + half, y0), half, height, facecolor="white", edgecolor=INK, linewidth=0.6, zorder=5))
    halo = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    for x, text in ((x0, "0"), (x0 + length, scale_label(length))):
        axes.text(x, y0 + height * 1.6, text, ha="center", va="bottom", fontsize=8, zorder=6, bbox=halo)


def _add_north_arrow(axes, bounds) -> None:
    minx, miny, maxx, maxy = bounds
    x = maxx - (maxx - minx) * 0.04
    y = maxy - (maxy - miny) * 0.16
    size = (maxy - miny) * 0.09
    axes.annotate(
        "",
        xy=(x, y + size),
        xytext=(x, y),
        arrowprops={"arrowstyle": "-|>", "color": INK, "linewidth": 1.5, "mutation_scale": 14},
        zorder=6,
    )
    axes.text(x, y + size * 1.08, "N", ha="center", va="bottom", fontsize=10, fontweight="bold", zorder=6)


def _number_markers(axes, labelled: list[tuple[float, float, str]]) -> None:
    """Numbered circles on the labelled areas; the legend says which number is which area."""
    for number, (x, y, _) in enumerate(labelled, start=1):
        axes.text(
            x,
            y,
            str(number),
            ha="center",
            va="center",
            fontsize=7,
            fontweight="bold",
            color=INK,
            zorder=8,
            bbox={"boxstyle": "circle,pad=0.25", "facecolor": "white", "edgecolor": INK, "linewidth": 0.8},
        )


def _zoom_box(areas: gpd.GeoDataFrame, positions: list[int], aspect: float) -> tuple[float, float, float, float] | None:
    """A box around the labelled areas for an inset, or None when they are spread over much of the map."""
    if not positions:
        return None
    minx, miny, maxx, maxy = areas.geometry.iloc[positions].total_bounds
    full = areas.total_bounds
    size = max(maxx - minx, maxy - miny)
    pad = max(size * 0.4, 800.0)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    width, height = maxx - minx, maxy - miny
    if width / height < aspect:
        extra = (height * aspect - width) / 2
        minx, maxx = minx - extra, maxx + extra
    else:
        extra = (width / aspect - height) / 2
        miny, maxy = miny - extra, maxy + extra
    if (maxx - minx) * (maxy - miny) > 0.2 * (full[2] - full[0]) * (full[3] - full[1]):
        return None
    return minx, miny, maxx, maxy


def _draw_areas(axes, areas, classes, legend, outline, edge_width) -> None:
    for index, entry in enumerate(legend):
        members = areas[[c == index for c in classes]]
        if members.empty:
            continue
        members.plot(
            ax=axes,
            facecolor=entry.colour,
            edgecolor=MUTED if entry.hatch is None else INK,
            linewidth=edge_width,
            hatch=entry.hatch,
        )
    if outline is not None and not outline.empty:
        outline.boundary.plot(ax=axes, color=INK, linewidth=1.0)


def draw_map(
    areas: gpd.GeoDataFrame,
    classes: Sequence[int],
    legend: Sequence[MapClass],
    legend_title: str,
    outline: gpd.GeoDataFrame | None,
    labels: dict[int, str],
    title: str,
    alt: str,
    edge_width: float = 0.25,
) -> str:
    """Areas (EPSG:27700) filled by class (index into `legend`), the area outline on top, legend, scale bar and
    north arrow. Areas in `labels` (row position → text) are labelled; when they sit close together an inset
    shows them enlarged, with its own scale bar, and a box on the main map marks where it is."""
    with plt.rc_context(style()):
        minx, miny, maxx, maxy = areas.total_bounds
        inset_size = (MAP_SIZE[0] * 0.31, 2.2)  # inches
        box = _zoom_box(areas, list(labels), inset_size[0] / inset_size[1])
        main_width = MAP_SIZE[0] * 0.66
        legend_height = 0.25 * (len(legend) + len(labels) + 1) + 0.3
        height = max(
            main_width * (maxy - miny) / max(maxx - minx, 1.0) * 1.08,
            legend_height + (inset_size[1] + 0.3 if box else 0),
            3.6,
        )
        height = min(height, 8.0)
        figure = plt.figure(figsize=(MAP_SIZE[0], height))
        main = figure.add_axes((0.0, 0.0, 0.66, 1.0))
        _draw_areas(main, areas, classes, legend, outline, edge_width)
        pad_x, pad_y = (maxx - minx) * 0.02, (maxy - miny) * 0.02
        bounds = (minx - pad_x, miny - pad_y * 4, maxx + pad_x, maxy + pad_y)
        main.set_xlim(bounds[0], bounds[2])
        main.set_ylim(bounds[1], bounds[3])
        main.set_aspect("equal")
        main.set_axis_off()
        inset_rect = (0.69, 0.0, 0.31, inset_size[1] / height)
        points = []
        for position, text in labels.items():
            point = areas.geometry.iloc[position].representative_point()
            points.append((point.x, point.y, text))
        if box is None:
            _number_markers(main, points)
        else:
            inset = figure.add_axes(inset_rect)
            near = areas.geometry.intersects(shapely.box(*box)).to_list()  # draw only what the inset shows
            _draw_areas(
                inset,
                areas[near],
                [cls for cls, keep in zip(classes, near, strict=True) if keep],
                legend,
                outline,
                edge_width * 2,
            )
            inset.set_xlim(box[0], box[2])
            inset.set_ylim(box[1], box[3])
            inset.set_aspect("equal")
            inset.set_xticks([])
            inset.set_yticks([])
            for spine in inset.spines.values():
                spine.set_visible(True)
                spine.set_color(INK)
                spine.set_linewidth(1.2)
            inset.set_title("Inset: enlarged", fontsize=8, loc="left", pad=3)
            _number_markers(inset, points)
            inset.set_xlabel("")
            inset.set_ylabel("")
            _add_scale_bar(inset, box)
            main.add_patch(
                Rectangle(
                    (box[0], box[1]),
                    box[2] - box[0],
                    box[3] - box[1],
                    fill=False,
                    edgecolor=INK,
                    linewidth=1.2,
                    zorder=6,
                )
            )
            main.annotate(
                "inset",
                (box[2], box[3]),
                xytext=(2, 2),
                textcoords="offset points",
                fontsize=8,
                fontweight="bold",
                zorder=7,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
            )
        _add_scale_bar(main, bounds)
        _add_north_arrow(main, bounds)
        handles = [
            Patch(
                facecolor=entry.colour,
                edgecolor=INK,
                hatch=entry.hatch,
                linewidth=0.6,
                label=f"{entry.label} ({thousands(entry.count)})",
            )
            for entry in legend
        ]
        handles += [
            Line2D([], [], marker=f"${number}$", linestyle="None", color=INK, markersize=7, label=text)
            for number, (_, _, text) in enumerate(points, start=1)
        ]
        figure.legend(
            handles=handles,
            title=legend_title,
            loc="upper left",
            bbox_to_anchor=(0.68, 1.0),
            frameon=False,
            fontsize=8,
            title_fontsize=8.5,
            handleheight=1.6,
            handlelength=2.4,
            alignment="left",
        )
        return svg_document(figure, title, alt)
