"""IMD files on tiny hand-made inputs: the shared layout, MHCLG File 7 headers, the File 1 workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from vru.errors import InputError
from vru.sources import deprivation
from vru.sources.geography import read_header

SHARED_2019 = (
    '"lsoa11_code","IMD_decile","Income_decile","Housing_and_Access_decile","IMD_rank","Income_rank",'
    '"Housing_and_Access_rank"\n'
    '"E01014370",4,5,2,12188,14000,3000\n'
    '"E01014402",6,7,1,18396,20000,150\n'
)
SHARED_2025 = (
    '"lsoa21_code","IMD_decile","Housing_and_Services_decile","IMD_rank","Housing_and_Services_rank",'
    '"IMD_score","Housing_and_Services_score"\n'
    '"E01035205",7,3,20325,9000,14.069,25.5\n'
)
# Headers of MHCLG File 7 (IoD2019 and IoD2025 use the same ones, with the LSOA vintage in the code header),
# as named by humaniverse/IMD data-raw/imd2019_england_lsoa11.R and imd2025_england_lsoa21.R, which read
# the published File 7 CSVs. Supplementary indices and population denominators are not read.
FILE7_DOMAINS = (
    ("Index of Multiple Deprivation (IMD)", "Score"),
    ("Income", "Score (rate)"),
    ("Employment", "Score (rate)"),
    ("Education, Skills and Training", "Score"),
    ("Health Deprivation and Disability", "Score"),
    ("Crime", "Score"),
    ("Barriers to Housing and Services", "Score"),
    ("Living Environment", "Score"),
)


def file7_text(vintage: int, rows: list[tuple[str, int]]) -> str:
    header = [f"LSOA code ({vintage})", f"LSOA name ({vintage})", "Local Authority District code (2019)"]
    for label, score in FILE7_DOMAINS:
        header += [
            f"{label} {score}",
            f"{label} Rank (where 1 is most deprived)",
            f"{label} Decile (where 1 is most deprived 10% of LSOAs)",
        ]
    header += [
        "Income Deprivation Affecting Children Index (IDACI) Score (rate)",
        "Income Deprivation Affecting Children Index (IDACI) Rank (where 1 is most deprived)",
        "Total population: mid 2015 (excluding prisoners)",
    ]
    lines = [",".join(f'"{text}"' for text in header)]
    for code, base in rows:
        values = [code, "Somewhere 001A", "E06000022"]
        for offset in range(len(FILE7_DOMAINS)):
            values += [f"{base / 1000 + offset:.3f}", str(base + offset), str(1 + offset)]
        values += ["0.1", "999", "1500"]
        lines.append(",".join(values))
    return "\ufeff" + "\n".join(lines) + "\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path: Path):
    header = read_header(path)
    assert deprivation.identify(header)
    return deprivation.read_imd_csv(path, header)


def test_shared_2019_layout_is_long_with_housing_normalised(tmp_path):
    frame = read_csv(write(tmp_path / "imd2019.csv", SHARED_2019))
    assert set(frame["edition"]) == {2019} and set(frame["lsoa_vintage"]) == {2011}
    assert sorted(set(frame["domain"])) == ["housing", "imd", "income"]
    housing = frame[(frame["lsoa_code"] == "E01014402") & (frame["domain"] == "housing")].iloc[0]
    assert (housing["rank"], housing["decile"]) == (150, 1)
    assert frame["score"].isna().all()


def test_shared_2025_layout_has_scores(tmp_path):
    frame = read_csv(write(tmp_path / "imd2025.csv", SHARED_2025))
    assert set(frame["edition"]) == {2025} and set(frame["lsoa_vintage"]) == {2021}
    housing = frame[frame["domain"] == "housing"].iloc[0]
    assert (housing["rank"], housing["decile"], housing["score"]) == (9000, 3, 25.5)


@pytest.mark.parametrize(("vintage", "edition"), [(2011, 2019), (2021, 2025)])
def test_mhclg_file7_headers(tmp_path, vintage, edition):
    frame = read_csv(write(tmp_path / "File_7.csv", file7_text(vintage, [("E01014370", 100), ("E01014371", 200)])))
    assert len(frame) == 2 * 8
    assert set(frame["edition"]) == {edition}
    row = frame[(frame["lsoa_code"] == "E01014371") & (frame["domain"] == "crime")].iloc[0]
    # Crime is the sixth domain (offset 5): rank 205, decile 6, score 0.2 + 5.
    assert (row["rank"], row["decile"], row["score"]) == (205, 6, pytest.approx(5.2))
    imd = frame[(frame["lsoa_code"] == "E01014370") & (frame["domain"] == "imd")].iloc[0]
    assert (imd["rank"], imd["decile"], imd["score"]) == (100, 1, pytest.approx(0.1))


def test_file1_workbook(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    sheet = workbook.create_sheet("IMD2019")
    sheet.append(
        [
            "LSOA code (2011)",
            "LSOA name (2011)",
            "Local Authority District code (2019)",
            "Local Authority District name (2019)",
            "Index of Multiple Deprivation (IMD) Rank",
            "Index of Multiple Deprivation (IMD) Decile",
        ]
    )
    sheet.append(["E01014370", "Bath and North East Somerset 007A", "E06000022", "B&NES", 12188, 4])
    sheet.append(["E01014402", "Bath and North East Somerset 002A", "E06000022", "B&NES", 18396, 6])
    path = tmp_path / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
    workbook.save(path)
    assert deprivation.is_file1_workbook(path)
    frame = deprivation.read_imd_file1(path)
    assert frame[["lsoa_code", "domain", "rank", "decile"]].values.tolist() == [
        ["E01014370", "imd", 12188, 4],
        ["E01014402", "imd", 18396, 6],
    ]
    assert set(frame["edition"]) == {2019}


def test_missing_decile_names_line_1_and_the_column(tmp_path):
    text = SHARED_2019.replace('"IMD_decile",', '"IMD_tenth",')
    with pytest.raises(InputError) as caught:
        read_csv(write(tmp_path / "imd2019.csv", text))
    assert (caught.value.line, caught.value.column) == (1, "IMD_decile")


def test_missing_file7_rank_names_the_mhclg_header(tmp_path):
    text = file7_text(2021, [("E01014370", 100)]).replace("Crime Rank (where 1 is most deprived)", "Crime Rnk")
    with pytest.raises(InputError) as caught:
        read_csv(write(tmp_path / "File_7.csv", text))
    assert (caught.value.line, caught.value.column) == (1, "Crime Rank (where 1 is most deprived)")


def test_decile_out_of_range_is_reported_at_its_line(tmp_path):
    text = SHARED_2019.replace('"E01014402",6,', '"E01014402",11,')
    with pytest.raises(InputError) as caught:
        read_csv(write(tmp_path / "imd2019.csv", text))
    assert (caught.value.line, caught.value.column) == (3, "IMD_decile")


def test_files_without_an_imd_rank_are_not_imd_files():
    assert not deprivation.identify(["lsoa11_code", "IDACI_rank", "CYP_Education_rank"])
    assert not deprivation.identify(["lad_code", "IMD_rank"])
