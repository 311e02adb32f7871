"""What the headline counts: the share of a profile's count that is likely to be serious violence.

police.uk's "Violence and sexual offences" mixes violence with injury with violence without injury,
stalking and harassment and sexual offences. The force's recorded-crime offence mix (ONS Table P1, via
`vru.analysis.cost.force_mix`) estimates how much of it is homicide or violence with injury; robbery and
possession of weapons are counted directly and are serious by definition (the Serious Violence Duty's
robbery, weapons). The share is an estimate with the mix's low-high range, never a count.
Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping

from vru.analysis.cost import ForceMix
from vru.analysis.records import json_safe

__all__ = ["serious_share"]

VSO = "Violence and sexual offences"
SERIOUS_VSO_COMPONENTS = ("homicide", "violence_with_injury")
COUNTED_SERIOUS = ("Robbery", "Possession of weapons")
REST_LABELS = {
    "violence_without_injury": "violence without injury",
    "stalking_and_harassment": "stalking and harassment",
    "sexual_offences": "sexual offences",
    "death_or_serious_injury_unlawful_driving": "death or serious injury by unlawful driving",
}


def serious_share(counts_by_category: Mapping[str, float], mix: ForceMix) -> dict:
    """Share of the profile likely serious (homicide and violence with injury from the force mix, plus
    robbery and possession of weapons as counted), central with its low-high range, and the share of each
    other component of 'Violence and sexual offences' (central)."""
    total = float(sum(counts_by_category.values()))
    if total <= 0:
        raise ValueError("the profile has no crimes to describe")
    vso = float(counts_by_category.get(VSO, 0.0))
    counted = sum(float(counts_by_category.get(category, 0.0)) for category in COUNTED_SERIOUS)
    levels = {}
    for level, shares in (("central", mix.central), ("low", mix.low), ("high", mix.high)):
        serious_vso = vso * sum(shares[component] for component in SERIOUS_VSO_COMPONENTS)
        levels[level] = (serious_vso + counted) / total
    rest = {
        label: vso * mix.central[component] / total
        for component, label in REST_LABELS.items()
        if component in mix.central
    }
    return json_safe(
        {
            "share_serious": levels["central"],
            "share_serious_low": levels["low"],
            "share_serious_high": levels["high"],
            "counted_serious": counted,
            "profile_total": total,
            "rest_central_shares": rest,
            "mix_editions": mix.editions,
            "central_edition": mix.central_edition,
            "method": (
                "homicide and violence with injury as their share of the force's recorded 'violence against the "
                "person' and sexual offences (ONS Table P1), applied to police.uk's 'Violence and sexual "
                "offences'; robbery and possession of weapons as counted. Low and high: the mix's lowest and "
                "highest shares across the editions used."
            ),
        }
    )
