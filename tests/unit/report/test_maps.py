"""Scale bars and map classes: small pure helpers of the map drawing."""

import geopandas as gpd
from shapely.geometry import box

from vru.report import maps


def test_scale_bar_length_is_a_round_fifth_of_the_width():
    assert maps.nice_length(25_000) == 5_000
    assert maps.nice_length(40_000) == 5_000
    assert maps.nice_length(9_000) == 1_000
    assert maps.nice_length(12_000) == 2_000
    assert maps.nice_length(600) == 100
    assert maps.scale_label(5_000) == "5 km"
    assert maps.scale_label(2_500) == "2.5 km"
    assert maps.scale_label(500) == "500 m"


def test_draw_map_writes_svg_with_title_description_legend_and_scale():
    areas = gpd.GeoDataFrame(
        {"code": ["a", "b", "c"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs="EPSG:27700",
    )
    legend = [maps.MapClass("low", "#fde725", count=2), maps.MapClass("high", "#440154", count=1)]
    svg = maps.draw_map(areas, [0, 0, 1], legend, "Rate", None, {2: "c, the highest"}, "A title", "Alt & text")
    assert "<title>A title</title><desc>Alt &amp; text</desc>" in svg
    assert "c, the highest" in svg and "low (2)" in svg and "500 m" in svg and ">N<" in svg
    assert "dc:date" not in svg
