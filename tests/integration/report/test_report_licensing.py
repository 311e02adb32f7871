"""The B&NES report (demo extract) shows alcohol and late night refreshment licensing in "Risk and protective
factors": licences per 10,000 residents for B&NES, England and the neighbours that license alone, each year
published, with the Home Office source, table and date, and the test's verdict. The expected figures are
computed here from the demo cut (plain csv) and the packaged mid-2020 populations."""

from __future__ import annotations

import csv
import gzip
import re
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCE = "Home Office: Alcohol and late night refreshment licensing, England and Wales, 31 March 2022 (2022-10-13)"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_report_shows_licences_per_10000_residents_with_their_source(report, summary, demo_data):
    html = squash(unescape(report.html.read_text(encoding="utf-8")))
    with (ROOT / "src/vru/sources/local_authority_population_mid2020.csv").open(encoding="utf-8") as handle:
        population = {row["area_name"]: int(row["population"]) for row in csv.DictReader(handle)}
    for table, title in (
        ("table_2", "Premises licences (alcohol and late night refreshment) per 10,000 residents"),
        ("table_3", "Premises licences with late night refreshment per 10,000 residents"),
    ):
        path = demo_data / f"partner_la/licensing/alcohol_latr_night_licensing_tables_2022_{table}.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            cells = {(row[0], row[2]): row[3] for row in list(csv.reader(handle))[8:]}
        assert f"<h3>{title}</h3>" in html
        section = html.split(f"<h3>{title}</h3>", 1)[1].split("<h3>", 1)[0]
        for period in ("2011/12", "2017/18", "2021/22"):
            count = int(cells[(period, "Bath & North East Somerset")])
            rate = count / population["Bath and North East Somerset"] * 10_000
            assert f"{rate:.2f} ({count})" in section, (table, period)
        york = int(cells[("2021/22", "York")]) / population["York"] * 10_000
        assert f"{york:.2f}" in section
        assert "Kingston upon Thames" in section and "Buckinghamshire" in section
        assert SOURCE in section and f"Table {table[-1]}:" in section
        assert "ONS mid-2020 small-area population estimates" in section
        assert "Does not stand out" in section  # 7 of 7 years above, not after adjusting for 20 factors
        assert "Over the years published" in section and "Mann-Kendall" in section
    factors = summary["partner_factors"]["chapters"]["risk_factors"]["factors"]
    assert {f["source"] for f in factors} >= {"ho_licensing"}
