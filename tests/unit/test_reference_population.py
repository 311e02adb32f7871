"""Population by single year of age, and apportioning LSOA 2011 → 2021 with known answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vru.errors import InputError
from vru.sources import population
from vru.sources.population import PopulationEstimate


def estimate(counts: dict[str, list[float]], year: int = 2020) -> PopulationEstimate:
    """Counts for ages 0, 1, 2; every other age 0."""
    by_age = pd.DataFrame(0.0, index=pd.Index(list(counts), name="lsoa11_code"), columns=list(population.AGES))
    for code, values in counts.items():
        by_age.loc[code, [0, 1, 2]] = values
    return PopulationEstimate(year, by_age)


def lookup(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["lsoa11_code", "lsoa21_code", "change_code"])


def by_code(apportioned: pd.DataFrame) -> dict[str, list[float]]:
    kept = apportioned[apportioned["age"] <= 2]
    return {code: group["population"].tolist() for code, group in kept.groupby("lsoa21_code")}


def test_unchanged_split_merged_and_complex():
    population_2011 = estimate(
        {
            "E01000001": [10, 20, 30],  # U
            "E01000002": [9, 3, 6],  # S into two
            "E01000003": [1, 2, 3],  # M with ...
            "E01000004": [4, 5, 6],  # ... this one
            "E01000005": [8, 8, 8],  # X: into 21-A and 21-B
            "E01000006": [3, 3, 3],  # X: into 21-B only
        }
    )
    changes = lookup(
        [
            ("E01000001", "E01000001", "U"),
            ("E01000002", "E01100001", "S"),
            ("E01000002", "E01100002", "S"),
            ("E01000003", "E01100003", "M"),
            ("E01000004", "E01100003", "M"),
            ("E01000005", "E01100004", "X"),
            ("E01000005", "E01100005", "X"),
            ("E01000006", "E01100005", "X"),
        ]
    )
    apportioned = population.apportion_to_lsoa21(population_2011, changes, "population.csv")
    assert by_code(apportioned) == {
        "E01000001": [10, 20, 30],
        "E01100001": [4.5, 1.5, 3],
        "E01100002": [4.5, 1.5, 3],
        "E01100003": [5, 7, 9],
        "E01100004": [4, 4, 4],
        "E01100005": [7, 7, 7],
    }
    methods = apportioned.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["method"].to_dict()
    assert methods == {
        "E01000001": "unchanged",
        "E01100001": "split_equal_share",
        "E01100002": "split_equal_share",
        "E01100003": "merged_sum",
        "E01100004": "complex_equal_share",
        "E01100005": "complex_equal_share",
    }
    assert apportioned["population"].sum() == pytest.approx(population_2011.by_age.to_numpy().sum())
    assert set(apportioned["year"]) == {2020}
    assert len(apportioned) == 6 * len(population.AGES)


def test_a_2011_lsoa_missing_from_the_lookup_is_an_error():
    with pytest.raises(InputError, match="E01000009"):
        population.apportion_to_lsoa21(
            estimate({"E01000009": [1, 1, 1]}), lookup([("E01000001", "E01000001", "U")]), "population.csv"
        )


def population_text(oldest_header: str = "90+", total: int | None = None) -> str:
    ages = [str(age) for age in range(90)] + [oldest_header]
    header = ",".join(f'"{name}"' for name in ["lsoa11_name", "lsoa11_code", "total_population", *ages])
    counts = [1] * 91
    stated = sum(counts) if total is None else total
    return f'{header}\n"Bath 001A","E01014370",{stated},' + ",".join(map(str, counts)) + "\n"


@pytest.mark.parametrize("oldest_header", ["90+", "90"])
def test_read_population_with_either_header_for_90_and_over(tmp_path, oldest_header):
    path = tmp_path / "population20_lsoa11_single_year_of_age.csv"
    path.write_text("\ufeff" + population_text(oldest_header), encoding="utf-8")
    read = population.read_population(path)
    assert read.year == 2020
    assert read.by_age.loc["E01014370"].sum() == 91
    assert list(read.by_age.columns) == list(range(91))


def test_a_total_that_is_not_the_sum_of_ages_is_reported(tmp_path):
    path = tmp_path / "population20.csv"
    path.write_text(population_text(total=90), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        population.read_population(path)
    assert (caught.value.line, caught.value.column) == (2, "total_population")


def test_missing_age_column(tmp_path):
    path = tmp_path / "population20.csv"
    path.write_text(population_text().replace('"17",', ""), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        population.read_population(path)
    assert (caught.value.line, caught.value.column) == (1, "17")


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("population20_lsoa11.csv", 2020),
        ("sape23dt2-mid-2020-lsoa.csv", 2020),
        ("Mid_2019_persons.csv", 2019),
    ],
)
def test_mid_year_from_file_name(name, year):
    assert population.mid_year(Path(name)) == year


def test_no_year_in_the_name_is_an_error():
    with pytest.raises(InputError, match="mid-year"):
        population.mid_year(Path("lsoa_ages.csv"))


def test_parents_with_different_change_codes_name_both_methods():
    changes = lookup([("E01000003", "E01100003", "M"), ("E01000005", "E01100003", "X")])
    apportioned = population.apportion_to_lsoa21(
        estimate({"E01000003": [1, 1, 1], "E01000005": [2, 2, 2]}), changes, "population.csv"
    )
    assert set(apportioned["method"]) == {"complex_equal_share+merged_sum"}
    assert by_code(apportioned) == {"E01100003": [3, 3, 3]}
