"""File names, headers and month arithmetic on tiny hand-made inputs."""

import pytest

from vru.errors import InputError
from vru.months import missing_months, month_range
from vru.sources.police_uk import SourceFile, check_header, parse_file_name

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)


def street_source(name="2023-01-avon-and-somerset-street.csv"):
    month, force, kind = parse_file_name(name)
    return SourceFile(path=__import__("pathlib").Path(name), member=None, month=month, force=force, kind=kind)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2023-01-avon-and-somerset-street.csv", ("2023-01", "avon-and-somerset", "street")),
        ("2024-12-metropolitan-outcomes.csv.gz", ("2024-12", "metropolitan", "outcomes")),
        ("2019-03-btp-stop-and-search.csv", ("2019-03", "btp", "stop-and-search")),
        ("2023-01/2023-01-dyfed-powys-street.csv", ("2023-01", "dyfed-powys", "street")),
    ],
)
def test_file_names_give_month_force_and_kind(name, expected):
    assert parse_file_name(name) == expected


@pytest.mark.parametrize("name", ["crimes.csv", "2023-13-avon-and-somerset-street.csv", "2023-01-avon-street.txt"])
def test_other_file_names_are_refused_with_the_file_named(name):
    with pytest.raises(InputError) as caught:
        parse_file_name(name)
    assert name in str(caught.value)


def test_a_correct_header_passes_with_crlf_and_bom():
    check_header(street_source(), "\ufeff" + STREET_HEADER + "\r\n")


def test_a_missing_header_column_is_named():
    header = STREET_HEADER.replace(",Context", "")
    with pytest.raises(InputError) as caught:
        check_header(street_source(), header)
    assert (caught.value.line, caught.value.column) == (1, "Context")
    assert "missing column 'Context'" in str(caught.value)


def test_a_renamed_header_column_is_named():
    with pytest.raises(InputError) as caught:
        check_header(street_source(), STREET_HEADER.replace("Crime type", "Offence"))
    assert caught.value.column == "Crime type"
    assert "found 'Offence'" in caught.value.problem


def test_an_extra_header_column_is_named():
    with pytest.raises(InputError) as caught:
        check_header(street_source(), STREET_HEADER + ",Postcode")
    assert caught.value.column == "Postcode"


def test_month_range_crosses_years():
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_missing_months_are_the_holes_inside_the_range():
    assert missing_months(["2024-05", "2024-06", "2024-09", "2024-10"]) == ["2024-07", "2024-08"]
    assert missing_months(["2024-05"]) == []
    assert missing_months([]) == []
