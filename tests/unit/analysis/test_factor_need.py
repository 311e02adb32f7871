"""vru.analysis.factor_need on hand-made factor comparisons (made-up verdicts, not real figures) whose
effect on the gap register's need is worked out by hand; the demo's are in
tests/integration/portal/test_gap_register.py."""

from __future__ import annotations

from datetime import date

import pytest

from portal.directory.themes import THEME_BY_SLUG
from vru.analysis import gaps
from vru.analysis.factor_need import FACTOR_THEMES, factor_need_indicators
from vru.assessment.partner_factors import SECTIONS


def made_up_factor(indicator, title, stands_out, worse, direction="higher", above=9, years=9):
    return {
        "indicator": indicator,
        "title": title,
        "stands_out": stands_out,
        "worse": worse,
        "direction": direction,
        "years_above": above,
        "years_compared": years,
        "comparator": "statistical neighbours",
        "publication": "Made-up publisher: made-up table (2026)",
    }


def made_up_chapters(*factors):
    return {"available": True, "area_name": "Testshire", "chapters": {"risk_factors": {"factors": list(factors)}}}


def test_only_a_factor_standing_out_on_the_worse_side_becomes_need_for_its_themes():
    chapters = made_up_chapters(
        made_up_factor("TotFixedEx", "Suspensions (all pupils)", True, True),
        made_up_factor("FirstYJS", "First-time entrants", False, None, above=5),
        made_up_factor("16-17 NEET", "NEET", True, False, direction="lower", above=0),  # the better side
        made_up_factor("Table 2: Total Premises licences", "Premises licences", True, None),  # no polarity
    )
    got = factor_need_indicators(chapters, ["A", "B", "A"])
    assert sorted(zip(got["ward_code"], got["theme"], strict=True)) == [
        ("A", "education-employment"),
        ("B", "education-employment"),
    ]
    assert set(got["value"]) == {1.0} and set(got["indicator"]) == {"risk factor: Suspensions (all pupils)"}
    assert got["reason"].iloc[0] == (
        "Testshire stands out on suspensions (all pupils): above its statistical neighbours in 9 of 9 years, "
        "the worse side (Made-up publisher: made-up table (2026))"
    )


def test_a_factor_lower_on_the_worse_side_counts_the_years_below():
    chapters = made_up_chapters(made_up_factor("16-17 NEET", "NEET", True, True, direction="lower", above=1, years=8))
    assert "below its statistical neighbours in 7 of 8 years" in factor_need_indicators(chapters, ["A"])["reason"][0]


def test_no_chapters_no_indicators():
    assert factor_need_indicators({"available": False, "reason": "not loaded"}, ["A"]).empty


def test_the_gap_register_need_of_the_linked_theme_only_rises_by_the_known_amount():
    from test_gaps import need

    chapters = made_up_chapters(made_up_factor("TotFixedEx", "Suspensions (all pupils)", True, True))
    base = need()
    table = gaps.gap_table(
        base,
        [],
        ["education-employment", "youth-support"],
        as_of=date(2026, 1, 1),
        indicators=factor_need_indicators(chapters, base["ward_code"]),
    )
    rows = {(row["ward_code"], row["theme"]): row for row in table.to_dict("records")}
    components = base.set_index("ward_code").loc["A", list(gaps.NEED_COMPONENTS)]
    # Ward A's four need components average 0.5 (see test_gaps); the flag adds a fifth component of 1.
    assert rows[("A", "youth-support")]["need"] == pytest.approx(components.mean())
    assert rows[("A", "education-employment")]["need"] == pytest.approx((components.sum() + 1) / 5)
    assert rows[("A", "education-employment")]["indicator:risk factor: Suspensions (all pupils)"] == 1.0
    assert any("stands out on suspensions" in reason for reason in rows[("A", "education-employment")]["reasons"])
    assert not any("stands out" in reason for reason in rows[("A", "youth-support")]["reasons"])


def test_every_factor_of_the_chapters_has_themes_and_every_theme_is_the_portals():
    compared = {factor.indicator for _, factors in SECTIONS.values() for factor in factors}
    assert compared == set(FACTOR_THEMES)
    assert {theme for themes in FACTOR_THEMES.values() for theme in themes} <= set(THEME_BY_SLUG)
