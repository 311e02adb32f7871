"""Golden-thread ranking on hand-made needs and approaches whose scores are worked out in the comments, and on
the shipped evidence library."""

import pytest

from vru.analysis.golden_thread import Need, need_from_finding, need_from_gap_row, rank_approaches
from vru.sources.evidence_library import read_evidence_library


def approach(slug, themes, *, settings=(), ages=(), place_based=False, band="high", evidence=None, harmful=False):
    return {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "themes": themes,
        "settings": settings,
        "age_groups": ages,
        "place_based": place_based,
        "impact_band": "harmful" if harmful else band,
        "evidence_rating": evidence,
        "cost_rating": None,
        "harmful": harmful,
        "verified": False,
    }


LIBRARY = [
    approach("hospital-navigators", ("youth-violence",), settings=("hospital",)),
    approach(
        "street-lighting",
        ("public-space-violence",),
        settings=("public-space",),
        ages=("10-17", "18-24", "25-plus"),
        place_based=True,
        band="low",
        evidence=3,
    ),
    approach(
        "mentoring", ("youth-violence", "youth-support"), settings=("community",), ages=("10-17",), band="moderate"
    ),
    approach("prison-visits", ("youth-violence",), harmful=True),
    approach("refuges", ("domestic-abuse",), band="high"),
]
HOT_SPOT = Need(
    id="finding:hotspots",
    kind="finding",
    text="Kingsmead is a hot spot",
    themes=("public-space-violence", "youth-violence"),
    age_groups=("10-17", "18-24"),
    settings=("public-space",),
    places=("Kingsmead",),
)


def test_place_need_ranking_worked_by_hand():
    thread = rank_approaches(HOT_SPOT, LIBRARY)
    # hospital navigators: theme 1/2, age unchecked 0.5, setting 0, place 0.5 -> fit 0.4; high band 1:
    #   0.6 * 0.4 + 0.4 * 1 = 0.64
    # street lighting: theme 1/2, age 2/2, setting 1, place 1 -> fit 0.8; low band 1/3: 0.48 + 0.1333 = 0.6133
    # mentoring: theme 1/2, age 1/2, setting 0, place 0.5 -> fit 0.4; moderate 2/3: 0.24 + 0.2667 = 0.5067
    assert [c.slug for c in thread.candidates] == ["hospital-navigators", "street-lighting", "mentoring"]
    assert [c.score for c in thread.candidates] == pytest.approx([0.64, 0.6133, 0.5067], abs=1e-4)
    assert thread.candidates[1].fit_parts == {"theme": 0.5, "age": 1.0, "setting": 1.0, "place": 1.0}
    # Refuges address none of the themes; prison visits are harmful: never a candidate, listed to avoid.
    assert [item["slug"] for item in thread.avoid] == ["prison-visits"]
    assert "harmful" in thread.avoid[0]["reason"]


def test_explanations_say_why_in_words():
    first, second, _ = rank_approaches(HOT_SPOT, LIBRARY).candidates
    assert first.explanation.startswith("Ranked 1 of 3 (score 0.64: fit 0.40, evidence 1.00).")
    assert "it has age groups not yet checked" in first.explanation
    assert "works elsewhere (hospital) than the need's (public-space)" in first.explanation
    assert "works with people rather than places, for a need concentrated in Kingsmead" in first.explanation
    assert "evidence quality not yet checked" in first.explanation
    assert "is place-based, for a need concentrated in Kingsmead" in second.explanation
    assert "evidence quality 3 of 5" in second.explanation


def test_area_wide_need_leaves_out_what_it_does_not_say():
    need = Need(id="n", kind="finding", text="", themes=("youth-violence",), age_groups=("10-17",))
    thread = rank_approaches(need, LIBRARY)
    # hospital navigators: theme 1, age 0.5 -> fit (0.4 + 0.1) / 0.6 = 0.8333; 0.5 + 0.4 = 0.9
    # mentoring: theme 1, age 1 -> fit 1; 0.6 + 0.2667 = 0.8667
    assert [c.slug for c in thread.candidates] == ["hospital-navigators", "mentoring"]
    assert thread.candidates[0].fit == pytest.approx(0.8333, abs=1e-4)
    assert set(thread.candidates[0].fit_parts) == {"theme", "age"}


def test_ties_go_to_the_better_evidence_rating_then_the_name():
    need = Need(id="n", kind="gap", text="", themes=("weapons",))
    library = [
        approach("b-unrated", ("weapons",), band="moderate"),
        approach("c-rated", ("weapons",), band="moderate", evidence=4),
        approach("a-unrated", ("weapons",), band="moderate"),
    ]
    assert [c.slug for c in rank_approaches(need, library).candidates] == ["c-rated", "a-unrated", "b-unrated"]


def test_no_candidate_is_said_plainly():
    need = Need(id="n", kind="gap", text="", themes=("sexual-violence",))
    thread = rank_approaches(need, LIBRARY)
    assert thread.candidates == [] and "No approach" in thread.summary


def test_needs_from_findings_and_gap_rows():
    hot = need_from_finding({"id": "hotspots", "text": "12 hot spots"})
    assert hot.themes == ("public-space-violence", "youth-violence")
    assert hot.settings == ("public-space",) and hot.age_groups == ("10-17", "18-24")
    own = need_from_finding({"id": "new-kind", "text": "x", "themes": ["weapons"], "places": ["Twerton"]})
    assert own.themes == ("weapons",) and own.places == ("Twerton",)
    gap = need_from_gap_row(
        {
            "ward_code": "E05001",
            "ward_name": "Twerton",
            "theme": "domestic-abuse",
            "gap": 0.42,
            "reasons": ["No service"],
        }
    )
    assert gap.id == "gap:E05001:domestic-abuse" and gap.places == ("Twerton",)
    assert gap.themes == ("domestic-abuse",) and gap.text == "Twerton, domestic-abuse (gap score 0.42): No service"


def test_the_shipped_library_flags_harm_and_leaves_unread_ratings_empty():
    library = read_evidence_library()
    harmful = set(library.loc[library["harmful"], "slug"])
    assert harmful == {"prison-awareness", "scared-straight"}
    # Nobody has read an evidence-quality or cost score from the toolkits yet (../shared/data/evidence).
    assert library["evidence_rating"].isna().all() and library["cost_rating"].isna().all()
    assert not library["verified"].any()
    thread = rank_approaches(need_from_finding({"id": "volume", "text": ""}), library.to_dict("records"))
    assert {item["slug"] for item in thread.avoid} == {"prison-awareness", "scared-straight"}
    assert thread.candidates and all(c.slug not in harmful for c in thread.candidates)


def test_explanations_use_the_names_given():
    labels = {"public-space-violence": "Violence in public places", "public-space": "Streets and public places"}
    best = rank_approaches(HOT_SPOT, LIBRARY, labels=labels).candidates[1]
    assert "(Violence in public places)" in best.explanation
    assert "works in the need's setting (Streets and public places)" in best.explanation
