"""vru.analysis.partner_quality on tiny hand-made inputs (synthetic records, made up for these tests)."""

import pandas as pd
import pytest

from vru.analysis.multiple_testing import benjamini_hochberg
from vru.analysis.partner_quality import partner_police_difference, public_counts, scorecard


def test_scorecard_per_partner_kind_and_month():
    records = pd.DataFrame(
        [
            # organisation, kind, month, received_at, record_key, completeness, geocoded, count
            ("ED", "ed_assault", "2024-01-01", "2024-02-10", "a1", 1.0, True, 1),
            ("ED", "ed_assault", "2024-01-01", "2024-02-10", "a2", 0.5, False, 1),
            ("ED", "ed_assault", "2024-01-01", "2024-03-01", "a1", 1.0, True, 1),  # a1 again: duplicate
            ("ED", "ed_assault", "2024-02-01", "2024-03-01", "b1", 0.75, True, 1),
            ("YJS", "youth_justice_cohort", "2024-01-01", "2024-01-31", "k", 1.0, None, 3),
        ],
        columns=["organisation", "kind", "month", "received_at", "record_key", "completeness", "geocoded", "count"],
    )
    card = scorecard(records).set_index(["organisation", "kind", "month"])
    january = card.loc[("ED", "ed_assault", "2024-01")]
    assert january["rows"] == 3
    assert january["completeness"] == pytest.approx(2.5 / 3)
    assert january["days_late"] == 9  # first upload 10 February, month ended 1 February
    assert january["geocoded_share"] == pytest.approx(2 / 3)
    assert january["duplicates"] == 1
    assert card.loc[("ED", "ed_assault", "2024-02")]["days_late"] == 0
    youth = card.loc[("YJS", "youth_justice_cohort", "2024-01")]
    assert pd.isna(youth["geocoded_share"]) and youth["days_late"] == 0


def test_public_counts_only_from_publishable_sources_and_never_1_to_4():
    counts = pd.DataFrame(
        {"organisation": ["ED", "ED", "ED", "AMB"], "kind": ["ed_assault"] * 3 + ["ambulance_assault"],
         "lsoa21_code": ["E1", "E2", "E3", "E1"], "count": [0, 4, 5, 50]}
    )  # fmt: skip
    out = public_counts(counts, {("ED", "ed_assault")})
    assert out["lsoa21_code"].tolist() == ["E1", "E2", "E3"]  # the ambulance source is not publishable
    assert out["count"].tolist()[0] == 0 and pd.isna(out["count"].tolist()[1]) and out["count"].tolist()[2] == 5
    assert out["withheld"].tolist() == [False, True, False]


def test_partner_police_difference_flags_the_lsoa_the_police_do_not_see():
    partner = pd.Series({"L1": 40, "L2": 10, "L3": 10, "L4": 10})
    police = pd.Series({"L1": 10, "L2": 40, "L3": 40, "L4": 40, "L5": 5})
    out = partner_police_difference(partner, police)
    # Overall partner share 70 / 205; L1 has 40 of 50: exact binomial p far below 0.05 / 5.
    assert out.loc["L1", "more_than_police"]
    assert out.loc["L1", "expected_partner"] == pytest.approx(50 * 70 / 205)
    assert not out.loc[["L2", "L3", "L4", "L5"], "more_than_police"].any()
    assert out.loc["L5", "partner"] == 0


def test_benjamini_hochberg_by_hand():
    # Sorted p 0.001, 0.02, 0.03, 0.2 against 0.05 x k / 4 = 0.0125, 0.025, 0.0375, 0.05: the first three.
    rejected, adjusted = benjamini_hochberg([0.2, 0.001, 0.03, 0.02], 0.05)
    assert rejected.tolist() == [False, True, True, True]
    # Adjusted: 0.001 x 4 = 0.004; 0.02 x 4 / 2 = 0.04; 0.03 x 4 / 3 = 0.04; 0.2 x 4 / 4 = 0.2.
    assert adjusted.tolist() == pytest.approx([0.2, 0.004, 0.04, 0.04])
