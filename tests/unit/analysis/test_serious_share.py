"""The serious share of the headline on a hand-made force mix with a known answer."""

import pytest

from vru.analysis.cost import ForceMix
from vru.analysis.serious_share import serious_share

COMPONENTS = (
    "homicide",
    "violence_with_injury",
    "violence_without_injury",
    "stalking_and_harassment",
    "death_or_serious_injury_unlawful_driving",
    "sexual_offences",
)


def mix(*editions):
    return ForceMix.from_counts(
        {f"20{18 + i}-03": dict(zip(COMPONENTS, counts, strict=True)) for i, counts in enumerate(editions)}, "Test"
    )


def test_serious_share_by_hand():
    # Force mix: 1% homicide + 29% violence with injury = 30% of VSO serious.
    force = mix((1, 29, 40, 20, 0, 10))
    result = serious_share({"Violence and sexual offences": 900, "Robbery": 60, "Possession of weapons": 40}, force)
    assert result["share_serious"] == pytest.approx((900 * 0.30 + 100) / 1000)  # 0.37
    assert result["rest_central_shares"]["violence without injury"] == pytest.approx(900 * 0.40 / 1000)
    assert result["rest_central_shares"]["sexual offences"] == pytest.approx(900 * 0.10 / 1000)


def test_range_across_editions():
    force = mix((1, 29, 40, 20, 0, 10), (1, 39, 30, 20, 0, 10))
    result = serious_share({"Violence and sexual offences": 1000}, force)
    assert result["share_serious"] == pytest.approx(0.40)  # central: the most recent edition
    assert result["share_serious_low"] == pytest.approx(0.30)
    assert result["share_serious_high"] == pytest.approx(0.40)
    with pytest.raises(ValueError, match="no crimes"):
        serious_share({}, force)
