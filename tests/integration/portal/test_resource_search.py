"""Search of the resource library: a test set of real queries with the results people expect at the top.

The queries are the ones the issue found failing ("exploited", "CCE", "stabbing", "teenager", "DV" matching
"aDVerse"...) and what a youth worker, a parent and a young person would type. The same test set runs on
SQLite (FTS5, porter stemmer) and, with DATABASE_URL set to PostgreSQL, on PostgreSQL (english full-text
search): the expected results must hold on both.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection

from portal.resources import search_index
from portal.resources.models import Resource
from portal.resources.search import Filters, apply_filters, search

pytestmark = pytest.mark.django_db

# (query, resources that must all be among the first `top` results)
EXPECTED = [
    ("exploited", ["child-sexual-exploitation", "spotting-the-signs-of-child-exploitation-lookcloser"], 4),
    ("grooming", ["child-sexual-exploitation"], 4),
    ("drugs", ["project-28-young-peoples-drug-and-alcohol-service"], 1),
    ("trafficking", ["national-referral-mechanism-guidance-for-child-first-responders"], 4),
    ("CCE", ["criminal-exploitation-of-children-and-vulnerable-adults-county-lines"], 3),
    ("CSE", ["child-sexual-exploitation"], 1),
    ("stabbing", ["busting-the-myths-about-knives", "i-think-someone-i-know-carries-a-knife-warning-signs"], 4),
    ("teenager knives", ["talking-to-a-young-person-about-knives-10-step-guide"], 2),
    ("DV", ["domestic-violence-disclosure-scheme-clares-law"], 4),
    (
        "county lines",
        ["criminal-exploitation-of-children-and-vulnerable-adults-county-lines", "county-lines-advice-for-parents"],
        4,
    ),
    ("NRM", ["national-referral-mechanism-guidance-for-child-first-responders"], 2),
    ("MARAC", ["what-is-a-marac"], 1),
    ("DASH", ["dash-risk-checklist-quick-start-guidance", "dash-risk-checklist-for-young-people"], 2),
    ("Clare's Law", ["domestic-violence-disclosure-scheme-clares-law"], 1),
    ("my child is missing", ["if-your-child-is-missing"], 1),
    ("rape", ["247-rape-and-sexual-abuse-support-line-faqs"], 2),
    ("hate crime", ["sari-hate-crime-support"], 2),
    ("nudes", ["report-remove-getting-nude-images-taken-down"], 1),
    ("gangs", ["dont-take-the-bait-county-lines"], 8),
    ("knife crime parents", ["talking-to-a-young-person-about-knives-10-step-guide"], 3),
    ("ACEs", ["adverse-childhood-experiences-and-trauma-informed-practice-in-bristol"], 1),
    ("designated safeguarding lead", ["keeping-children-safe-in-education"], 2),
]


def slugs(queryset) -> list[str]:
    return [resource.slug for resource in queryset]


@pytest.mark.parametrize(("query", "expected", "top"), EXPECTED, ids=[query for query, _, _ in EXPECTED])
def test_real_queries_find_what_people_expect_at_the_top(query, expected, top):
    found = slugs(search(Resource.objects.live(), query))
    assert set(expected) <= set(found[:top]), found[:top]


def test_whole_words_only():
    # "DV" is in "aDVerse" and "aDVice": neither is a match for domestic violence.
    found = slugs(search(Resource.objects.live(), "DV"))
    assert "adverse-childhood-experiences-and-trauma-informed-practice-in-bristol" not in found
    for resource in Resource.objects.filter(slug__in=found):
        topics = " ".join(topic.name for topic in resource.topics.all())
        text = f"{resource.title} {resource.summary} {resource.organisation} {topics}".lower()
        assert "domestic" in text, resource.slug
    assert slugs(search(Resource.objects.live(), "knif")) == []  # a part-word is not a word


def test_every_term_must_match_and_common_words_are_ignored():
    both = slugs(search(Resource.objects.live(), "the knife myths"))
    assert both == ["busting-the-myths-about-knives"]
    assert slugs(search(Resource.objects.live(), "the and of what")) == []
    assert slugs(search(Resource.objects.live(), "zzzqqq")) == []
    assert slugs(search(Resource.objects.live(), "")) == []


def test_stemming_finds_other_forms_of_a_word():
    exploit = set(slugs(search(Resource.objects.live(), "exploitation")))
    assert exploit == set(slugs(search(Resource.objects.live(), "exploiting"))) and exploit


def test_title_matches_rank_above_summary_matches():
    found = slugs(search(Resource.objects.live(), "missing"))
    assert found[0] == "if-your-child-is-missing"
    assert len(found) > 1  # others mention going missing in their summaries


def test_the_local_filter_keeps_only_local_resources():
    local = apply_filters(Resource.objects.live(), Filters(areas=["banes", "avon-and-somerset"]))
    found = search(local, "exploitation")
    assert found and all(resource.local_area in {"banes", "avon-and-somerset"} for resource in found)
    national = search(apply_filters(Resource.objects.live(), Filters(areas=["national"])), "exploitation")
    assert set(slugs(found)) | set(slugs(national)) == set(slugs(search(Resource.objects.live(), "exploitation")))


def test_the_index_follows_every_edit():
    resource = Resource.objects.get(slug="what-is-a-marac")
    resource.title = "Multi-agency meetings explained"
    resource.save()
    assert slugs(search(Resource.objects.live(), "meetings explained")) == ["what-is-a-marac"]
    assert "what-is-a-marac" in slugs(search(Resource.objects.live(), "professionals"))  # an audience
    resource.audiences.clear()
    assert "what-is-a-marac" not in slugs(search(Resource.objects.live(), "professionals"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the index table is SQLite's")
def test_rebuilding_the_sqlite_index_gives_the_same_results():
    before = slugs(search(Resource.objects.live(), "county lines"))
    assert search_index.rebuild(Resource.objects.prefetch_related("topics", "audiences")) == Resource.objects.count()
    assert slugs(search(Resource.objects.live(), "county lines")) == before


def searchable_text(resource) -> str:
    tags = [term.name for term in [*resource.topics.all(), *resource.audiences.all()]]
    return " ".join([resource.title, resource.summary, resource.organisation, *tags]).lower()


@pytest.mark.parametrize(
    ("query", "forms"),
    [
        ("exploited", r"\bexploit(s|ed|ing|ation)?\b"),
        ("stabbing", r"\b(stabbing|knife|knives)\b"),
        ("teenager", r"\b(teenagers?|young (people|person))\b"),
    ],
)
def test_what_is_found_is_every_resource_with_a_form_of_the_word_on_both_databases(query, forms):
    # Checked against a plain regular expression over the same fields, not against the search itself.
    expected = {resource.slug for resource in Resource.objects.live() if re.search(forms, searchable_text(resource))}
    assert expected
    assert set(slugs(search(Resource.objects.live(), query))) == expected
