"""The report's maps, drawn by the presentation layer's SVG renderer (vru.presentation.svg) like the dashboard's:
this module only turns the bundle's boundaries (GeoDataFrames on British National Grid) into the renderer's
map specification, with a legend, numbered circles, an enlarged inset where the labelled areas sit close
together, a scale bar in metres and a north arrow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
from shapely.geometry import mapping

from vru.presentation import svg
from vru.presentation.formatting import thousands

MAP_WIDTH = 700.0  # SVG units; the PDF prints it across the text width
INSET_ASPECT = 4 / 3
INSET_MIN_PAD_M = 800.0  # metres around the labelled areas, at the least


@dataclass(frozen=True)
class MapClass:
    """A class of the legend and of the map's data table."""

    label: str
    colour: str
    hatch: str = ""  # "diagonal" or "dots" (svg.hatch_patterns)
    count: int = 0


def features(frame: gpd.GeoDataFrame) -> list[dict]:
    """GeoJSON-like features (code, name; coordinates in the frame's CRS) for the SVG renderer."""
    return [
        {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": mapping(geometry)}
        for code, name, geometry in zip(frame["code"], frame["name"], frame.geometry, strict=True)
    ]


def draw_map(
    areas: gpd.GeoDataFrame,
    classes: Sequence[int],
    legend: Sequence[MapClass],
    legend_title: str,
    outline: gpd.GeoDataFrame | None,
    labels: dict[int, str],
    title: str,
    alt: str,
    *,
    id_prefix: str,
    edge: str = "#ffffff",
) -> str:
    """Areas (EPSG:27700, row positions matching `classes`, an index into `legend`; -1 or out of range: no class)
    under the area outline. Areas in `labels` (row position -> name) get numbered circles that the legend names;
    when they sit close together an inset shows them enlarged and a dashed box on the main map marks where."""
    codes = list(areas["code"])
    map_areas = {}
    for code, name, cls in zip(codes, areas["name"], classes, strict=True):
        if 0 <= cls < len(legend):
            entry = legend[cls]
            map_areas[code] = svg.MapArea(
                code,
                entry.colour,
                f"{name}: {entry.label}",
                stroke=svg.TEXT if entry.hatch else edge,
                stroke_width=0.8 if entry.hatch else 0.5,
                hatch=entry.hatch,
            )
    numbered = []
    for number, (position, name) in enumerate(labels.items(), start=1):
        point = areas.geometry.iloc[position].representative_point()  # inside the area, unlike a centroid
        numbered.append(svg.MapMarker(point.x, point.y, name, label=str(number)))
    inset = None
    if labels:
        focus = tuple(areas.geometry.iloc[list(labels)].total_bounds)
        inset = svg.zoom_box(focus, tuple(areas.total_bounds), aspect=INSET_ASPECT, min_pad=INSET_MIN_PAD_M)
    return svg.area_map(
        svg.MapSpec(
            id_prefix=id_prefix,
            title=title,
            desc=alt,
            features=features(areas),
            areas=map_areas,
            outlines=features(outline) if outline is not None and not outline.empty else (),
            outline_width=1.5,
            width=MAP_WIDTH,
            projected=True,
            legend=[
                svg.LegendEntry(f"{entry.label} ({thousands(entry.count)})", entry.colour, entry.hatch)
                for entry in legend
            ],
            legend_title=legend_title,
            numbered=numbered,
            inset=inset,
            scale_bar=True,
            north_arrow=True,
        )
    )
