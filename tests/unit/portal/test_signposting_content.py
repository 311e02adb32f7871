"""'Worried about someone?': its wording, its contacts file and the pieces that need no database."""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

import pytest
from django.http import QueryDict
from django.utils.text import slugify

from portal.signposting import content
from portal.signposting.contacts import national_contacts, phone_numbers
from portal.signposting.log_filters import HideFlowAnswers, without_answers
from portal.signposting.sources import parse_sources, signs_sources
from portal.signposting.views import Answers

APP = Path(__file__).resolve().parents[3] / "src" / "portal" / "signposting"
RESOURCES_SEED = APP.parent / "resources" / "seed" / "resources.csv"
SEED = APP / "seed"
VETTED = Path(__file__).resolve().parents[4] / "shared" / "reference"


def resource_slugs() -> set[str]:
    # The seed migration makes each slug from the title (no two titles clash).
    with RESOURCES_SEED.open(newline="", encoding="utf-8") as handle:
        return {slugify(row["title"])[:90].strip("-") for row in csv.DictReader(handle)}


def all_points() -> list[content.Point]:
    points = [
        point
        for advice in content.ADVICE.values()
        for point in advice.signs + [step for steps in advice.steps.values() for step in steps]
    ]
    points += [route.how for route in content.PROFESSIONAL_ROUTES]
    points += [point for section in guide_sections() for point in section.points]
    return points + [point for points in content.ROLE_STEPS.values() for point in points]


def guide_sections() -> list[content.GuideSection]:
    return [*content.PARENTS_GUIDE, *content.YOUNG_PEOPLE_GUIDE]


def fit_keys() -> set[str]:
    with (SEED / "contacts_fit.csv").open(newline="", encoding="utf-8") as handle:
        return {row["key"] for row in csv.DictReader(handle) if row["key"]}


@pytest.mark.parametrize("name", ["contacts.csv", "contacts_unconfirmed.csv", "signs.md"])
def test_the_seed_files_are_the_vetted_files(name):
    assert (SEED / name).stat().st_size > 0
    if VETTED.exists():  # ../shared is beside the repository on the team's machines and in CI
        assert (SEED / name).read_bytes() == (VETTED / name).read_bytes()


def test_every_concern_has_advice_and_topics_and_every_role_has_steps_for_each_concern():
    for choice in content.CONCERN_CHOICES:
        assert choice.value in content.ADVICE
        assert content.CONCERN_TOPICS[choice.value]
        for role in content.ROLE_CHOICES:
            assert content.ADVICE[choice.value].steps_for(role.value), (choice.value, role.value)
    for role in content.ROLE_CHOICES:
        assert content.ROLE_AUDIENCES[role.value]


def test_every_point_names_known_sources_contacts_and_resources_and_states_no_statistics():
    slugs, keys, codes = resource_slugs(), fit_keys(), set(signs_sources())
    ages = {choice.value for choice in content.AGE_CHOICES}
    for point in all_points():
        assert set(point.resources) <= slugs, point.resources
        assert set(point.contacts) <= keys, point.contacts
        assert set(point.sources) <= codes, point.sources
        assert set(point.ages) <= ages
        # No figures carried from anywhere: no percentages, "x in y" or large numbers (ages, 24 hours, 999,
        # 101 and 55 are fine; numbers come from the contacts, never from the text).
        text = point.text.replace("999", "").replace("101", "")
        assert not re.search(r"\d ?%|per cent|\d+ (in|out of) \d+|\d{3,}|\d,\d", text), point.text


def test_every_point_of_the_pages_for_parents_and_young_people_has_a_named_source_or_a_vetted_contact():
    # The advice on these pages comes from signs.md's named sources, the vetted resources (which link the
    # publisher's page) or the vetted contacts (each with its source page); nothing is ours alone.
    for section in guide_sections():
        assert section.points or section.contacts, section.heading
        for point in section.points:
            assert point.sources or point.resources or point.contacts, point.text
        assert set(section.signs_of) <= set(content.ADVICE)
        assert section.contacts in ("", "all", "crisis", "others")
    # Crisis lines come first on the young people's page.
    assert content.YOUNG_PEOPLE_GUIDE[0].contacts == "crisis"
    # Every point on the young people's page speaks to them, not about "your child".
    for point in (point for section in content.YOUNG_PEOPLE_GUIDE for point in section.points):
        assert "your child" not in point.text, point.text


def test_every_sign_names_a_source():
    for advice in content.ADVICE.values():
        for sign in advice.signs:
            assert sign.sources, sign.text


def test_sources_are_read_from_signs_md():
    sources = signs_sources()
    assert sources["CS"].url == (
        "https://www.childrenssociety.org.uk/what-we-do/our-work/child-criminal-exploitation-and-county-lines/"
        "spotting-signs"
    )
    assert sources["CS"].label == "The Children's Society, Spotting the signs (#LookCloser)"
    # A code named twice with two addresses is an error, with the line.
    with pytest.raises(ValueError, match="line 2"):
        parse_sources("- [A] One: https://a.example/\n- [A] Two: https://b.example/\n")


def test_national_contacts_are_the_national_rows_we_fit_plus_the_unconfirmed_services_with_no_number():
    contacts = national_contacts()
    with (SEED / "contacts.csv").open(newline="", encoding="utf-8") as handle:
        national = {row["name"]: row for row in csv.DictReader(handle) if row["area"] == "national"}
    for contact in contacts.values():
        if contact.to_be_confirmed:
            assert not contact.phone and not contact.numbers and not contact.source_url
        else:
            row = national[contact.name]
            assert contact.phone == row["phone"].strip()  # only numbers from the vetted file
            assert contact.source_url == row["url"]
            assert contact.last_checked is None  # no one on the staff has checked them yet
    assert contacts["childline"].numbers[0].tel == "08001111"
    assert contacts["fearless"].numbers == []  # no number on the page seen: none shown
    assert contacts["fearless"].website == "https://www.fearless.org"
    assert contacts["rape-sexual-abuse-support-line"].numbers == []
    assert contacts["mens-advice-line"].to_be_confirmed


def test_no_internal_column_reaches_a_contact():
    with (SEED / "contacts.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    internal = {row[name] for row in rows for name in ("source_excerpt", "notes") if len(row[name]) > 20}
    for contact in national_contacts().values():
        for value in (contact.note, contact.when_to_use, contact.name):
            assert value not in internal
            assert "as given on the page" not in value


def test_phone_numbers():
    [general, report] = phone_numbers("0117 942 0060 (general); 0800 171 2272 (report a hate crime)")
    assert (general.number, general.tel, general.label) == ("0117 942 0060", "01179420060", "general")
    assert (report.tel, report.label) == ("08001712272", "report a hate crime")
    assert [number.tel for number in phone_numbers("01225 396312; 01225 396313")] == ["01225396312", "01225396313"]
    assert [number.tel for number in phone_numbers("01225 396312 or 01225 396313")] == ["01225396312", "01225396313"]
    assert [number.tel for number in phone_numbers("(01225) 396000")] == ["01225396000"]
    [silent] = phone_numbers("999, then press 55 when prompted")
    assert silent.tel == ""  # words, not a number to dial
    assert phone_numbers("") == []


def test_answers_keep_only_known_values_in_a_fixed_order():
    answers = Answers.from_query(
        QueryDict("danger=no&role=parent&who=child&concern=other&concern=knife&concern=nonsense&concern=knife")
    )
    assert (answers.danger, answers.role, answers.who) == ("no", "parent", "child")
    assert answers.concerns == ["knife", "other"]
    assert Answers.from_query(QueryDict("danger=maybe&role=cat&who=dog")) == Answers()
    assert answers.pairs(leave_out="concern") == [("danger", "no"), ("role", "parent"), ("who", "child")]


@pytest.mark.parametrize(
    ("answers", "first_missing"),
    [
        (Answers(), "signposting:danger"),
        (Answers(danger="yes", role="parent", who="child", concerns=["knife"]), "signposting:danger"),
        (Answers(danger="no"), "signposting:role"),
        (Answers(danger="no", role="parent"), "signposting:who"),
        (Answers(danger="no", role="parent", who="adult"), "signposting:concerns"),
        (Answers(danger="no", role="parent", who="adult", concerns=["other"]), None),
    ],
)
def test_the_first_step_still_to_answer(answers, first_missing):
    assert answers.first_missing_step() == first_missing


def test_the_request_log_keeps_the_path_but_not_the_answers():
    line = "GET /worried-about-someone/help-and-contacts/?danger=no&who=child&concern=knife HTTP/1.1"
    assert without_answers(line) == "GET /worried-about-someone/help-and-contacts/ HTTP/1.1"
    other = "GET /resources/?q=knife HTTP/1.1"
    assert without_answers(other) == other

    record = logging.LogRecord("django.server", logging.INFO, "", 0, '"%s" %s %s', (line, "200", "123"), None)
    assert HideFlowAnswers().filter(record)
    assert record.getMessage() == '"GET /worried-about-someone/help-and-contacts/ HTTP/1.1" 200 123'


def test_the_filter_is_on_the_development_servers_log():
    assert any(isinstance(existing, HideFlowAnswers) for existing in logging.getLogger("django.server").filters)
