"""The golden thread: from a need the assessment found (a key finding or a row of the gap register) to the
approaches in the evidence library that could meet it, ranked by fit and strength of evidence, each ranking
explained in words.

Pure functions, no I/O. Method: docs/methods-monitoring.md ("The golden thread").

Fit to the need, each part on a 0 to 1 scale and left out (not guessed) when the need does not say:
* ``theme`` (weight 0.4): the share of the need's themes the approach addresses; an approach addressing
  none of them is not a candidate;
* ``age`` (0.2): the share of the need's age groups the approach is for; 0.5 when nobody has yet checked
  the approach's age groups;
* ``setting`` (0.2): 1 when the approach works in a setting the need names, else 0;
* ``place`` (0.2): for a need concentrated in named places, 1 for a place-based approach, 0.5 for one that
  works with people wherever they are.
Evidence strength: the impact band (high 1, moderate 2/3, low 1/3, anything else 0). The score is
0.6 × fit + 0.4 × strength; ties go to the better evidence rating, then the name. Approaches the evidence
finds harmful are never candidates: when one addresses the need's themes it is listed to avoid, with why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Candidate",
    "Need",
    "Thread",
    "need_from_finding",
    "need_from_gap_row",
    "rank_approaches",
]

WEIGHTS = {"theme": 0.4, "age": 0.2, "setting": 0.2, "place": 0.2}
FIT_SHARE, EVIDENCE_SHARE = 0.6, 0.4
BAND_STRENGTH = {"high": 1.0, "moderate": 2 / 3, "low": 1 / 3}
BAND_WORDS = {
    "high": "high impact (30% or more less violence, YEF band)",
    "moderate": "moderate impact (10% to 30% less violence, YEF band)",
    "low": "low impact (2% to 9% less violence, YEF band)",
    "no-effect": "no effect on violence found",
    "insufficient": "not enough evidence to estimate the impact",
    "not-yet-checked": "impact not yet checked",
}
UNCHECKED_AGE_FIT = 0.5
PEOPLE_NOT_PLACES_FIT = 0.5
YOUNG_PEOPLE = ("10-17", "18-24")  # the Duty's focus and the local definition: violence affecting under-25s

# What a key finding is about, by its id, when the finding does not say itself (the findings of
# vru.analysis.findings describe the serious-violence profile: public-space violence affecting under-25s).
VIOLENCE = ("public-space-violence", "youth-violence")
FINDING_NEEDS: dict[str, dict[str, tuple[str, ...]]] = {
    "volume": {"themes": VIOLENCE},
    "trend": {"themes": VIOLENCE},
    "latest-12": {"themes": VIOLENCE},
    "forecast": {"themes": VIOLENCE},
    "cost": {"themes": VIOLENCE},
    "concentration": {"themes": VIOLENCE, "settings": ("public-space",)},
    "hotspots": {"themes": VIOLENCE, "settings": ("public-space",)},
    "deprivation": {"themes": (*VIOLENCE, "education-employment", "family-support"), "settings": ("community",)},
    "outcomes": {"themes": ("reoffending", "victim-support"), "settings": ("criminal-justice",)},
    "night-time-economy": {
        "themes": ("night-time-economy", "public-space-violence", "substance-misuse"),
        "settings": ("night-time-economy", "public-space"),
    },
}


@dataclass(frozen=True)
class Need:
    """What the strategy has to answer. `places` are named places the need is concentrated in (wards, hot
    spots); empty for a need across the whole area."""

    id: str
    kind: str  # "finding" or "gap"
    text: str
    themes: tuple[str, ...]
    age_groups: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    slug: str
    name: str
    rank: int
    score: float
    fit: float
    fit_parts: dict[str, float]
    evidence_strength: float
    explanation: str


@dataclass(frozen=True)
class Thread:
    need: Need
    candidates: list[Candidate]
    avoid: list[dict[str, str]] = field(default_factory=list)  # slug, name, reason

    @property
    def summary(self) -> str:
        if not self.candidates:
            return "No approach in the evidence library addresses this need's themes yet."
        best = self.candidates[0]
        return f"{len(self.candidates)} candidate approaches; best fit: {best.name}."


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return tuple(str(part) for part in value)


def need_from_finding(finding: Mapping[str, Any]) -> Need:
    """A need from a key finding ({id, text, ...}). Themes, age groups, settings and places the finding
    carries itself win; otherwise they come from `FINDING_NEEDS` by the finding's id (young people aged 10 to
    24 unless it says)."""
    known = FINDING_NEEDS.get(str(finding["id"]), {"themes": VIOLENCE})
    return Need(
        id=f"finding:{finding['id']}",
        kind="finding",
        text=str(finding.get("text", "")),
        themes=_tuple(finding.get("themes")) or known["themes"],
        age_groups=_tuple(finding.get("age_groups")) or YOUNG_PEOPLE,
        settings=_tuple(finding.get("settings")) or known.get("settings", ()),
        places=_tuple(finding.get("places")),
    )


def need_from_gap_row(row: Mapping[str, Any]) -> Need:
    """A need from a gap-register row (vru.analysis.gaps: ward_code, ward_name, theme, gap, reasons ...): the
    theme, the ward as the place, young people aged 10 to 24."""
    ward = str(row.get("ward_name") or row.get("ward_code") or "")
    reasons = row.get("reasons") or []
    reason_text = "; ".join(reasons) if isinstance(reasons, list | tuple) else str(reasons)
    gap = row.get("gap")
    gap_text = f" (gap score {gap:.2f})" if isinstance(gap, int | float) else ""
    return Need(
        id=f"gap:{row.get('ward_code', ward)}:{row['theme']}",
        kind="gap",
        text=f"{ward}, {row['theme']}{gap_text}" + (f": {reason_text}" if reason_text else ""),
        themes=_tuple(row.get("themes")) or (str(row["theme"]),),
        age_groups=_tuple(row.get("age_groups")) or YOUNG_PEOPLE,
        settings=_tuple(row.get("settings")),
        places=(ward,) if ward else (),
    )


def _fit(need: Need, approach: Mapping[str, Any], labels: Mapping[str, str]) -> tuple[dict[str, float], list[str]]:
    def named(values: Iterable[str]) -> str:
        return ", ".join(labels.get(value, value) for value in values)

    themes, ages, settings = _tuple(approach["themes"]), _tuple(approach["age_groups"]), _tuple(approach["settings"])
    parts: dict[str, float] = {}
    words: list[str] = []
    shared = [theme for theme in need.themes if theme in themes]
    parts["theme"] = len(shared) / len(need.themes) if need.themes else 0.0
    words.append(f"addresses {len(shared)} of the need's {len(need.themes)} themes ({named(shared) or 'none'})")
    if need.age_groups:
        if not ages:
            parts["age"] = UNCHECKED_AGE_FIT
            words.append("has age groups not yet checked")
        else:
            covered = [age for age in need.age_groups if age in ages]
            parts["age"] = len(covered) / len(need.age_groups)
            words.append(
                f"is for {len(covered)} of the need's {len(need.age_groups)} age groups"
                + (f" ({named(covered)})" if covered else "")
            )
    if need.settings:
        common = [setting for setting in need.settings if setting in settings]
        parts["setting"] = 1.0 if common else 0.0
        elsewhere = named(settings) or "setting not recorded"
        words.append(
            f"works in the need's setting ({named(common)})"
            if common
            else f"works elsewhere ({elsewhere}) than the need's ({named(need.settings)})"
        )
    if need.places:
        place_based = bool(approach["place_based"])
        parts["place"] = 1.0 if place_based else PEOPLE_NOT_PLACES_FIT
        words.append(
            f"is place-based, for a need concentrated in {', '.join(need.places)}"
            if place_based
            else f"works with people rather than places, for a need concentrated in {', '.join(need.places)}"
        )
    return parts, words


def _evidence_words(approach: Mapping[str, Any]) -> str:
    band = str(approach["impact_band"])
    evidence = approach.get("evidence_rating")
    cost = approach.get("cost_rating")
    words = [BAND_WORDS.get(band, band)]
    words.append(f"evidence quality {evidence} of 5" if evidence else "evidence quality not yet checked")
    words.append(f"cost {cost} of 3" if cost else "cost not yet checked")
    if not approach.get("verified"):
        words.append("not yet verified against the source")
    return "; ".join(words)


def rank_approaches(
    need: Need, approaches: Iterable[Mapping[str, Any]], labels: Mapping[str, str] | None = None
) -> Thread:
    """The candidate approaches for `need`, best first, and the harmful ones to avoid. `approaches` are rows of
    the evidence library (vru.sources.evidence_library): slug, name, themes, age_groups, settings,
    place_based, impact_band, evidence_rating, cost_rating, harmful, verified. `labels` name the themes, age
    groups and settings in the explanations (slugs are shown where it has no name)."""
    scored, avoid = [], []
    for approach in approaches:
        parts, words = _fit(need, approach, labels or {})
        if parts["theme"] == 0:
            continue
        if approach["harmful"]:
            avoid.append(
                {
                    "slug": str(approach["slug"]),
                    "name": str(approach["name"]),
                    "reason": f"The evidence finds it harmful: it can increase offending. It {words[0]}.",
                }
            )
            continue
        weight = sum(WEIGHTS[name] for name in parts)
        fit = sum(WEIGHTS[name] * value for name, value in parts.items()) / weight
        strength = BAND_STRENGTH.get(str(approach["impact_band"]), 0.0)
        score = FIT_SHARE * fit + EVIDENCE_SHARE * strength
        scored.append((approach, parts, words, fit, strength, score))
    scored.sort(key=lambda item: (-item[5], -item[4], -(item[0].get("evidence_rating") or 0), str(item[0]["name"])))
    total = len(scored)
    candidates = []
    for rank, (approach, parts, words, fit, strength, score) in enumerate(scored, start=1):
        explanation = (
            f"Ranked {rank} of {total} (score {score:.2f}: fit {fit:.2f}, evidence {strength:.2f}). "
            f"It {'; it '.join(words)}. Evidence: {_evidence_words(approach)}."
        )
        candidates.append(
            Candidate(
                slug=str(approach["slug"]),
                name=str(approach["name"]),
                rank=rank,
                score=round(score, 4),
                fit=round(fit, 4),
                fit_parts={name: round(value, 4) for name, value in parts.items()},
                evidence_strength=round(strength, 4),
                explanation=explanation,
            )
        )
    return Thread(need=need, candidates=candidates, avoid=sorted(avoid, key=lambda item: item["name"]))
