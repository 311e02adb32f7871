"""ONS lookups and boundaries on tiny hand-made files: both column spellings, BOMs, gzip, and the errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from vru.errors import InputError
from vru.sources import geography

SHARED_LSOA_LOOKUP = (
    '"lsoa11_name","lsoa11_code","change_code","lsoa21_name","lsoa21_code","ltla22_name","ltla22_code"\n'
    '"Bath 001A","E01014370","U","Bath 001A","E01014370","Bath and North East Somerset","E06000022"\n'
    '"Bath 002A","E01014402","S","Bath 002E","E01035205","Bath and North East Somerset","E06000022"\n'
    '"Bath 002A","E01014402","S","Bath 002F","E01035206","Bath and North East Somerset","E06000022"\n'
)
# The ONS Open Geography download: different headers and order, ObjectId and Welsh names, UTF-8 with BOM.
ONS_LSOA_LOOKUP = (
    "\ufeffLSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId\n"
    "E01014370,Bath 001A,E01014370,Bath 001A,U,E06000022,Bath and North East Somerset,,1\n"
    "E01014402,Bath 002A,E01035205,Bath 002E,S,E06000022,Bath and North East Somerset,,2\n"
    "E01014402,Bath 002A,E01035206,Bath 002F,S,E06000022,Bath and North East Somerset,,3\n"
)


def write(path: Path, text: str, gzipped: bool = False) -> Path:
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def test_shared_and_ons_lsoa_lookups_read_the_same(tmp_path):
    shared = geography.read_lsoa11_lsoa21(write(tmp_path / "shared.csv.gz", SHARED_LSOA_LOOKUP, gzipped=True))
    ons = geography.read_lsoa11_lsoa21(write(tmp_path / "ons.csv", ONS_LSOA_LOOKUP))
    pd.testing.assert_frame_equal(shared, ons)
    assert list(shared.columns) == [
        "lsoa11_code", "lsoa11_name", "change_code", "lsoa21_code", "lsoa21_name", "lad22_code", "lad22_name",
    ]  # fmt: skip
    assert shared["lsoa21_code"].tolist() == ["E01014370", "E01035205", "E01035206"]


def test_the_f_prefixed_ons_header_of_the_first_lookup_version_is_read(tmp_path):
    text = ONS_LSOA_LOOKUP.replace("LSOA11CD", "F_LSOA11CD")
    frame = geography.read_lsoa11_lsoa21(write(tmp_path / "v1.csv", text))
    assert frame["lsoa11_code"].tolist() == ["E01014370", "E01014402", "E01014402"]


def test_a_bom_inside_gzip_is_dropped(tmp_path):
    path = write(tmp_path / "bom.csv.gz", "\ufeff" + SHARED_LSOA_LOOKUP, gzipped=True)
    assert geography.read_header(path)[0] == "lsoa11_name"
    assert len(geography.read_lsoa11_lsoa21(path)) == 3


def test_missing_required_column_names_file_line_1_and_column(tmp_path):
    path = write(tmp_path / "lookup.csv", ONS_LSOA_LOOKUP.replace("CHGIND", "CHANGE"))
    with pytest.raises(InputError) as caught:
        geography.read_lsoa11_lsoa21(path)
    assert caught.value.file == path
    assert caught.value.line == 1
    assert caught.value.column == "change_code"
    assert "'CHGIND'" in str(caught.value)


def test_a_lookup_missing_a_column_is_still_recognised_by_its_name(tmp_path):
    path = write(tmp_path / "LSOA_(2011)_to_LSOA_(2021)_Lookup.csv", "LSOA11CD,LSOA11NM\nE01014370,Bath 001A\n")
    assert geography.identify_lookup(path, geography.read_header(path)) == "lsoa11_lsoa21"


def test_bad_change_code_is_reported_at_its_line(tmp_path):
    path = write(tmp_path / "lookup.csv", SHARED_LSOA_LOOKUP.replace('"S","Bath 002F"', '"Q","Bath 002F"'))
    with pytest.raises(InputError) as caught:
        geography.read_lsoa11_lsoa21(path)
    assert (caught.value.line, caught.value.column) == (4, "change_code")


def test_ward_lookup_in_both_spellings(tmp_path):
    shared = write(
        tmp_path / "shared.csv",
        '"lsoa21_name","lsoa21_code","ward24_name","ward24_code","ltla24_name","ltla24_code"\n'
        '"Bath 001A","E01014370","Lambridge","E05013085","Bath and North East Somerset","E06000022"\n',
    )
    ons = write(
        tmp_path / "ons.csv",
        "\ufeffLSOA21CD,LSOA21NM,WD24CD,WD24NM,WD24NMW,LAD24CD,LAD24NM,LAD24NMW,ObjectId\n"
        "E01014370,Bath 001A,E05013085,Lambridge,,E06000022,Bath and North East Somerset,,1\n",
    )
    pd.testing.assert_frame_equal(geography.read_lsoa21_area(shared), geography.read_lsoa21_area(ons))
    assert geography.identify_lookup(ons, geography.read_header(ons)) == "lsoa21_area"


def test_duplicate_lsoa_in_ward_lookup_is_refused(tmp_path):
    row = "E01014370,Bath 001A,E05013085,Lambridge,E06000022,Bath and North East Somerset\n"
    path = write(tmp_path / "ons.csv", "LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\n" + row + row)
    with pytest.raises(InputError) as caught:
        geography.read_lsoa21_area(path)
    assert caught.value.line == 3


def test_csp_lookup_keeps_one_row_per_partnership_of_a_district(tmp_path):
    path = write(
        tmp_path / "csp.csv",
        "LAD24CD,LAD24NM,CSP24CD,CSP24NM,PFA24CD,PFA24NM,ObjectId\n"
        "E06000022,Bath and North East Somerset,E22000295,B&NES,E23000036,Avon and Somerset,1\n"
        "E06000060,Buckinghamshire,E22000303,Aylesbury Vale,E23000029,Thames Valley,2\n"
        "E06000060,Buckinghamshire,E22000306,Chiltern,E23000029,Thames Valley,3\n",
    )
    frame = geography.read_lad_csp_pfa(path)
    assert frame.groupby("lad_code").size().to_dict() == {"E06000022": 1, "E06000060": 2}
    assert geography.identify_lookup(path, geography.read_header(path)) == "lad_csp_pfa"


def feature_collection(properties: dict, coordinates: list, crs: str | None = None) -> dict:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Polygon", "coordinates": [coordinates]},
            }
        ],
    }
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return collection


SQUARE = [[-2.36, 51.38], [-2.35, 51.38], [-2.35, 51.39], [-2.36, 51.39], [-2.36, 51.38]]


@pytest.mark.parametrize(
    ("properties", "layer", "code", "name"),
    [
        ({"lsoa21_name": "Bath 001A", "lsoa21_code": "E01014370"}, "lsoa21", "E01014370", "Bath 001A"),
        (
            {"LSOA21CD": "E01014370", "LSOA21NM": "Bath 001A", "GlobalID": "x"},
            "lsoa21",
            "E01014370",
            "Bath 001A",
        ),
        ({"LSOA11CD": "E01014370", "LSOA11NM": "Bath 001A"}, "lsoa11", "E01014370", "Bath 001A"),
        ({"ward22_name": "Lambridge", "ward22_code": "E05013085"}, "ward", "E05013085", "Lambridge"),
        (
            {"WD24CD": "E05013085", "WD24NM": "Lambridge", "LAD24CD": "E06000022"},
            "ward",
            "E05013085",
            "Lambridge",
        ),
        ({"LAD24CD": "E06000022", "LAD24NM": "Bath and North East Somerset"}, "lad", "E06000022", None),
        (
            {"pfa20_name": "Avon and Somerset", "pfa20_code": "E23000036"},
            "pfa",
            "E23000036",
            "Avon and Somerset",
        ),
    ],
)
def test_boundary_layer_from_the_code_property(tmp_path, properties, layer, code, name):
    path = tmp_path / "boundary.geojson"
    path.write_text(json.dumps(feature_collection(properties, SQUARE, "urn:ogc:def:crs:OGC:1.3:CRS84")))
    frame = geography.read_boundaries(path)
    assert frame[["layer", "code"]].iloc[0].tolist() == [layer, code]
    if name:
        assert frame["name"].iloc[0] == name
    assert (
        frame["geometry_wkt"].iloc[0] == "POLYGON ((-2.36 51.38, -2.35 51.38, -2.35 51.39, -2.36 51.39, -2.36 51.38))"
    )


def test_boundary_coordinates_keep_full_precision(tmp_path):
    precise = [
        [-2.3558187, 51.3893795],
        [-2.3631305, 51.3836364],
        [-2.3632932, 51.3782656],
        [-2.3558187, 51.3893795],
    ]
    path = tmp_path / "precise.geojson"
    path.write_text(json.dumps(feature_collection({"lsoa21_code": "E01014370"}, precise)))
    assert "-2.3558187 51.3893795" in geography.read_boundaries(path)["geometry_wkt"].iloc[0]


def test_british_national_grid_boundaries_are_refused(tmp_path):
    easting_northing = [[375000, 165000], [376000, 165000], [376000, 166000], [375000, 165000]]
    unnamed = tmp_path / "bng.geojson"
    unnamed.write_text(json.dumps(feature_collection({"LSOA21CD": "E01014370"}, easting_northing)))
    with pytest.raises(InputError, match="WGS84"):
        geography.read_boundaries(unnamed)
    named = tmp_path / "bng_named.geojson"
    named.write_text(json.dumps(feature_collection({"LSOA21CD": "E01014370"}, SQUARE, "EPSG:27700")))
    with pytest.raises(InputError, match="WGS84"):
        geography.read_boundaries(named)


def test_geojson_without_a_known_code_is_not_a_boundary_file(tmp_path):
    collection = feature_collection({"name": "Bath Spa University"}, SQUARE)
    assert geography.identify_boundaries(collection) is None
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps(collection))
    with pytest.raises(InputError, match="code property"):
        geography.read_boundaries(path)
