"""The report's maps: boundaries on British National Grid turned into the presentation layer's map (the same
renderer as the dashboard's), with a legend, numbered circles, an inset, a scale bar in metres and a north arrow."""

import re

import geopandas as gpd
from shapely.geometry import box

from vru.report import figures


def squares(codes, per_row=None, size=1000.0):
    """Square areas of `size` metres in rows of `per_row`."""
    per_row = per_row or len(codes)
    return gpd.GeoDataFrame(
        {"code": codes, "name": [f"Area {code}" for code in codes]},
        geometry=[
            box(i % per_row * size, i // per_row * size, (i % per_row + 1) * size, (i // per_row + 1) * size)
            for i in range(len(codes))
        ],
        crs="EPSG:27700",
    )


def test_a_map_carries_title_description_legend_numbers_scale_and_north():
    areas = squares(["a", "b", "c"])
    legend = [figures.MapClass("low", "#fde725", count=2), figures.MapClass("high", "#440154", count=1)]
    drawing = figures.draw_map(
        areas, [0, 0, 1], legend, "Rate", None, {2: "c, the highest"}, "A title", "Alt & text", id_prefix="m"
    )
    assert '<title id="m-title">A title</title><desc id="m-desc">Alt &amp; text</desc>' in drawing
    assert 'aria-labelledby="m-title m-desc"' in drawing
    assert "low (2)" in drawing and "high (1)" in drawing and ">Rate<" in drawing
    # The numbered circle sits inside area c (x 2,000 to 3,000 m) and the legend names it.
    assert "<title>1: c, the highest</title>" in drawing
    assert drawing.count("#440154") == 2  # the area and its legend swatch
    # 3,000 m across 432 SVG units (448 wide less the margins): the scale bar is 500 m, 72 units in two halves.
    assert ">500 m<" in drawing and len(re.findall(r'width="36" height="6"', drawing)) == 2
    assert ">N<" in drawing
    assert "Inset" not in drawing  # three areas side by side: nothing to enlarge


def test_labelled_areas_close_together_get_an_inset_and_a_box_on_the_map():
    # 100 areas in a 10 km square; the two labelled ones are neighbours in a corner.
    areas = squares([f"x{i}" for i in range(100)], per_row=10)
    legend = [figures.MapClass("hot spot", "#b2182b", "diagonal", 2), figures.MapClass("not", "#eeeeee", "", 98)]
    classes = [0, 0] + [1] * 98
    drawing = figures.draw_map(areas, classes, legend, "Gi*", None, {0: "x0", 1: "x1"}, "T", "D", id_prefix="h")
    assert "Inset: enlarged" in drawing and 'clip-path="url(#h-inset-clip)"' in drawing
    assert ">inset<" in drawing  # the box on the main map is named
    # Numbered circles only in the inset (each once) and listed in the legend.
    assert drawing.count("<title>1: x0</title>") == 2 and drawing.count("<title>2: x1</title>") == 2
    # Hot spots are hatched as well as coloured, on the map (main and inset) and in the legend.
    assert 'id="h-diagonal"' in drawing
    assert drawing.count('fill="url(#h-diagonal)"') == 2 * 2 + 1
