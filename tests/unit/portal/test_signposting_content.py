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
from portal.signposting.views import Answers

APP = Path(__file__).resolve().parents[3] / "src" / "portal" / "signposting"
RESOURCES_SEED = APP.parent / "resources" / "seed" / "resources.csv"
CONTACTS_SEED = APP / "seed" / "contacts.csv"
VETTED_CONTACTS = Path(__file__).resolve().parents[4] / "shared" / "reference" / "contacts.csv"


def resource_slugs() -> set[str]:
    # The seed migration makes each slug from the title (no two titles clash).
    with RESOURCES_SEED.open(newline="", encoding="utf-8") as handle:
        return {slugify(row["title"])[:90].strip("-") for row in csv.DictReader(handle)}


def all_points() -> list[content.Point]:
    points = [point for advice in content.ADVICE.values() for point in advice.signs + advice.actions]
    return points + [point for points in content.WHO_ACTIONS.values() for point in points]


def test_every_concern_has_advice_topics_and_contacts():
    for choice in content.CONCERN_CHOICES:
        assert choice.value in content.ADVICE
        assert content.CONCERN_TOPICS[choice.value]
        assert content.CONCERN_CONTACTS[choice.value]
    for choice in content.WHO_CHOICES:
        assert content.WHO_AUDIENCES[choice.value]
        assert choice.value in content.WHO_CONTACTS


def test_every_point_names_a_seeded_resource_and_states_no_statistics():
    slugs = resource_slugs()
    who_values = {choice.value for choice in content.WHO_CHOICES}
    for point in all_points():
        assert not point.resource or point.resource in slugs, point.resource
        assert set(point.who) <= who_values
        # No figures carried from anywhere: no percentages, "x in y" or large numbers (ages, 24/7, 999 and
        # 101 are fine).
        text = point.text.replace("999", "").replace("101", "")
        assert not re.search(r"\d ?%|per cent|\d+ (in|out of) \d+|\d{3,}|\d,\d", text), point.text


def test_every_contact_named_in_the_flow_is_a_national_contact_with_a_way_in():
    contacts = national_contacts()
    named = set(content.CONTACT_ORDER)
    for keys in [*content.WHO_CONTACTS.values(), *content.CONCERN_CONTACTS.values()]:
        assert set(keys) <= named
    assert named <= set(contacts)
    for contact in contacts.values():
        assert contact.phone or contact.source_url
        assert contact.last_checked.isoformat() == "2026-11-26"


def test_national_contacts_are_the_national_rows_of_the_vetted_file():
    with CONTACTS_SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 26
    national = [row for row in rows if row["area"] == "national"]
    assert set(national_contacts()) == {row["key"] for row in national if row["phone"] or row["url"]}
    if VETTED_CONTACTS.exists():
        with VETTED_CONTACTS.open(newline="", encoding="utf-8") as handle:
            vetted = list(csv.DictReader(handle))
        assert [{name: row[name] for name in vetted[0]} for row in rows] == vetted


def test_numbers_are_only_those_in_the_vetted_file():
    with CONTACTS_SEED.open(newline="", encoding="utf-8") as handle:
        rows = {row["key"]: row for row in csv.DictReader(handle)}
    for key, contact in national_contacts().items():
        assert contact.phone == rows[key]["phone"]
    assert national_contacts()["childline"].numbers[0].tel == "08001111"
    assert national_contacts()["fearless"].numbers == []  # no number on the page seen: none shown


def test_phone_numbers():
    [general, report] = phone_numbers("0117 942 0060 (general); 0800 171 2272 (report a hate crime)")
    assert (general.number, general.tel, general.label) == ("0117 942 0060", "01179420060", "general")
    assert (report.tel, report.label) == ("08001712272", "report a hate crime")
    assert [number.tel for number in phone_numbers("01225 396312; 01225 396313")] == ["01225396312", "01225396313"]
    assert phone_numbers("") == []


def test_answers_keep_only_known_values_in_a_fixed_order():
    answers = Answers.from_query(
        QueryDict("danger=no&who=child&concern=other&concern=knife&concern=nonsense&concern=knife")
    )
    assert (answers.danger, answers.who, answers.concerns) == ("no", "child", ["knife", "other"])
    assert Answers.from_query(QueryDict("danger=maybe&who=dog")) == Answers()
    assert answers.pairs(leave_out="concern") == [("danger", "no"), ("who", "child")]


@pytest.mark.parametrize(
    ("answers", "first_missing"),
    [
        (Answers(), "signposting:danger"),
        (Answers(danger="yes", who="child", concerns=["knife"]), "signposting:danger"),
        (Answers(danger="no"), "signposting:who"),
        (Answers(danger="no", who="adult"), "signposting:concerns"),
        (Answers(danger="no", who="adult", concerns=["other"]), None),
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
