"""vru.analysis.cost_claim on tiny hand-made frames whose answers are worked out by hand, and the claims file."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from test_cost import UNIT_COSTS, recorded

from vru.analysis.cost_claim import reproduce_claim
from vru.errors import InputError
from vru.sources.cost_claims import read_cost_claims

GROUPS = ("homicide", "violence_with_injury")


def headline_frame() -> pd.DataFrame:
    """Homicide 12 a year; violence with injury 1,200 in YE Mar 2018 and 2,400 in YE Mar 2019 (P1), and
    1,000 in YE Mar 2017 derived from P2 of an older edition that also published YE Mar 2018 as 1,000
    (so the latest basis is 1.2x that edition's)."""
    return recorded(
        [
            ("2018-03", "P1", "2018-03", "homicide", 12),
            ("2019-03", "P1", "2019-03", "homicide", 12),
            ("2018-03", "P1", "2018-03", "violence_with_injury", 1000),
            ("2018-03", "P2", "2017-03", "violence_with_injury", 1000),
            ("2019-03", "P2", "2018-03", "violence_with_injury", 1200),
            ("2019-03", "P1", "2019-03", "violence_with_injury", 2400),
        ]
    )


def test_headline_reproduction_by_hand():
    check = reproduce_claim(
        headline_frame(),
        UNIT_COSTS,
        "Testshire",
        "2015-11",
        "2019-03",
        groups=GROUPS,
        published_gbp=765_000_000,
        rough_counts_per_month={"violence_with_injury": 1050},
        rough_counts_in_period={"homicide": 50},
    )
    assert check.months == 41
    counts = check.counts.set_index("offence_group")
    # homicide: 24 months published + 17 carried at 1 a month = 41
    assert counts.loc["homicide", "central"] == pytest.approx(41)
    assert counts.loc["homicide", "months_p1"] == 24 and counts.loc["homicide", "months_carried"] == 17
    # VWI: 2400 + 1200 + 1000 x 1.2 (revision factor) + 5 months x 1200/12 = 5300
    assert counts.loc["violence_with_injury", "central"] == pytest.approx(5300)
    assert counts.loc["violence_with_injury", "months_p2"] == 24
    # as first published: 2400 + 1000 + 1000 + 5 x 1000/12
    assert counts.loc["violence_with_injury", "first_published"] == pytest.approx(4400 + 5000 / 12)
    # carried months range: smallest and largest 12-month totals (1200 and 2400 after scaling)
    assert counts.loc["violence_with_injury", "high"] == pytest.approx(4800 + 5 * 200)
    assert check.cost.total_gbp == pytest.approx(41 * 1_000_000 + 5300 * 10_000)
    assert check.difference_gbp == pytest.approx(check.cost.total_gbp - 765_000_000)
    assert check.difference_pct == pytest.approx(100 * check.difference_gbp / 765_000_000)
    assert check.rough_cost_gbp == pytest.approx(1050 * 41 * 10_000 + 50 * 1_000_000)
    assert check.cost_low_gbp <= check.cost.total_gbp <= check.cost_high_gbp
    assert any("scaled by 1.2000" in text for text in check.assumptions)
    assert any("carried" in text or "nearest 12-month total" in text for text in check.assumptions)
    text = check.describe()
    assert "41 months" in text and "2015/16 prices" in text


def test_headline_uses_pro_rata_for_a_month_in_a_total_that_runs_past_the_window():
    frame = recorded(
        [("2019-03", "P1", "2019-03", "homicide", 24), ("2019-03", "P1", "2019-03", "violence_with_injury", 12)]
    )
    check = reproduce_claim(frame, UNIT_COSTS, "Testshire", "2018-10", "2019-01", groups=GROUPS, published_gbp=1.0)
    counts = check.counts.set_index("offence_group")
    assert counts.loc["homicide", "months_pro_rata"] == 4
    assert counts.loc["homicide", "central"] == pytest.approx(8)
    with pytest.raises(ValueError, match="before start"):
        reproduce_claim(frame, UNIT_COSTS, "Testshire", "2019-03", "2018-03", groups=GROUPS, published_gbp=1.0)
    with pytest.raises(ValueError, match="no Table P1 or P2 counts"):
        reproduce_claim(frame, UNIT_COSTS, "Elsewhere", "2015-11", "2019-03", groups=GROUPS, published_gbp=1.0)
    assert math.isfinite(check.cost.total_gbp)
    assert check.rough_cost_gbp is None  # the claim gave no rough counts


def test_the_shipped_claim_is_the_seed_pages():
    claims = read_cost_claims()
    assert [(claim.pfa_code, claim.first_month, claim.last_month) for claim in claims] == [
        ("E23000036", "2015-11", "2019-03")
    ]
    claim = claims[0]
    assert claim.published_gbp == 765_000_000 and claim.offence_groups == GROUPS
    assert "nearly £765 million" in claim.text


def test_a_claim_without_a_key_or_two_for_one_force_is_refused(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text('[[claim]]\nid = "a"\npfa_code = "E23999999"\n', encoding="utf-8")
    with pytest.raises(InputError, match="claim 1 has no 'pfa_name'"):
        read_cost_claims(path)
    one = (
        '[[claim]]\nid = "a"\npfa_code = "E23999999"\npfa_name = "Testshire"\nfrom = "2015-11"\nto = "2019-03"\n'
        'offence_groups = ["homicide"]\npublished_gbp = 1\ntext = "t"\n'
    )
    path.write_text(one + one, encoding="utf-8")
    with pytest.raises(InputError, match="two claims for one force"):
        read_cost_claims(path)
