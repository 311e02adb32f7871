"""Consultations: staff open one, partners answer for their organisation (drafts, a timed-out sign-in loses
nothing), the public answer anonymously (moderated), staff tag and export; small counts are suppressed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import AuditEvent, Organisation
from portal.accounts.users import create_staff_user
from portal.consultations.models import Answer, Consultation, Question, Response
from portal.consultations.results import question_results

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough pass phrase"


def user(role: str, name: str):
    return create_staff_user(name, f"{name}@example.org", role, PASSWORD)


def make_organisation(name: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def partner_of(name: str, organisation_name: str):
    account = user("partner", name)
    organisation = make_organisation(organisation_name)
    organisation.members.add(account)
    return account, organisation


@pytest.fixture
def consultation():
    consultation = Consultation.objects.create(
        title="Gaps in youth provision",
        introduction="Tell us what is missing.",
        closes_on=timezone.localdate() + timedelta(days=30),
        public=True,
    )
    Question.objects.create(
        consultation=consultation, position=0, text="What is missing in Twerton?", theme="youth-support",
        area_code="E05012488", gap_kind="provision",
    )  # fmt: skip
    Question.objects.create(
        consultation=consultation, position=1, text="How well do partners share information?", kind="rating"
    )
    return consultation


def field(consultation: Consultation, position: int) -> str:
    return f"question_{consultation.questions.get(position=position).pk}"


def test_staff_open_a_consultation_with_questions(client):
    client.force_login(user("editor", "eddie"))
    data = {
        "title": "Night-time safety",
        "introduction": "What works at night?",
        "closes_on_0": "31",
        "closes_on_1": "3",
        "closes_on_2": str(timezone.localdate().year + 1),
        "public": "on",
        "questions-TOTAL_FORMS": "3",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
        "questions-0-text": "What is missing in Kingsmead at night?",
        "questions-0-kind": "text",
        "questions-0-gap_kind": "provision",
        "questions-0-theme": "night-time-economy",
        "questions-0-area_code": "e05012471",
        "questions-0-audience": "everyone",
    }
    for empty in (1, 2):  # the empty questions as a browser sends them: each list at its first choice
        data.update({f"questions-{empty}-kind": "text", f"questions-{empty}-gap_kind": "practice"})
        data[f"questions-{empty}-audience"] = "everyone"
    response = client.post(reverse("consultations:staff_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Consultation.objects.get(title="Night-time safety")
    question = created.questions.get()
    assert (question.theme, question.area_code) == ("night-time-economy", "E05012471")
    assert AuditEvent.objects.filter(object_type="consultations.consultation", action="created").exists()


def test_partner_drafts_then_sends(client, consultation):
    account, organisation = partner_of("pat", "Youth Connect")
    client.force_login(account)
    url = reverse("consultations:partner_answer", args=[consultation.pk])
    text = "No youth club is open on Friday evenings."
    response = client.post(url, {field(consultation, 0): text, "action": "save"})
    assert response.status_code == 302
    saved = Response.objects.get(organisation=organisation)
    assert saved.submitted_at is None and saved.answers.get().text == text
    assert text in client.get(url).content.decode()
    client.post(url, {field(consultation, 0): text, field(consultation, 1): "2", "action": "send"})
    saved.refresh_from_db()
    assert saved.submitted_at is not None
    assert sorted(saved.answers.values_list("rating", flat=True), key=str) == [2, None]


def test_a_timed_out_sign_in_keeps_the_answers(client, consultation):
    account, organisation = partner_of("pat", "Youth Connect")
    client.force_login(account)
    url = reverse("consultations:partner_answer", args=[consultation.pk])
    client.get(url)
    client.logout()  # the session has ended while the page was open
    text = "Outreach stops at 9pm; trouble starts later."
    response = client.post(url, {field(consultation, 0): text, "action": "save"})
    assert response.status_code == 302 and reverse("accounts:sign_in") in response["Location"]
    assert not Answer.objects.filter(text=text).exists()
    # Signing in again in the same browser (the anonymous session is kept by the login).
    response = client.post(reverse("accounts:sign_in") + f"?next={url}", {"username": "pat", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "We kept them as a draft" in page and text in page
    assert Response.objects.get(organisation=organisation).answers.get().text == text


def test_answers_close_at_the_end_date(client, consultation):
    account, organisation = partner_of("pat", "Youth Connect")
    consultation.closes_on = timezone.localdate() - timedelta(days=1)
    consultation.save()
    client.force_login(account)
    url = reverse("consultations:partner_answer", args=[consultation.pk])
    page = client.post(url, {field(consultation, 0): "Too late", "action": "send"}, follow=True).content.decode()
    assert "closed on" in page
    assert not Answer.objects.filter(text="Too late").exists()
    response = client.post(
        reverse("consultations:public_answer", args=[consultation.pk]), {field(consultation, 0): "Too late"}
    )
    assert response.status_code == 200 and not Answer.objects.exists()


def test_a_partner_sees_only_their_organisations_answers(client, consultation):
    first, first_organisation = partner_of("pat", "Youth Connect")
    second, _ = partner_of("sam", "Mentoring Plus")
    client.force_login(first)
    url = reverse("consultations:partner_answer", args=[consultation.pk])
    client.post(url, {field(consultation, 0): "Only Youth Connect may read this", "action": "send"})
    client.force_login(second)
    page = client.get(url).content.decode()
    assert "Only Youth Connect may read this" not in page and "Mentoring Plus" in page
    assert client.get(reverse("consultations:staff_results", args=[consultation.pk])).status_code == 403
    assert client.get(reverse("consultations:staff_export", args=[consultation.pk])).status_code == 403


def test_public_answers_are_anonymous_and_read_before_anyone_else_sees_them(client, consultation):
    url = reverse("consultations:public_answer", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "We do not ask who you are" in page
    assert "email" not in page.lower().split("<form", 1)[1]  # no personal data asked
    text = "There is nowhere safe to go after school."
    response = client.post(url, {field(consultation, 0): text})
    assert response.status_code == 302
    answer = Answer.objects.get(text=text)
    assert answer.moderation == Answer.Moderation.WAITING
    assert answer.response.user is None and answer.response.organisation is None
    assert question_results(consultation)[0].answers == 0

    editor = user("editor", "eddie")
    client.force_login(editor)
    page = client.get(reverse("consultations:staff_results", args=[consultation.pk])).content.decode()
    assert "Public answers to read first (1)" in page
    client.post(reverse("consultations:staff_moderate", args=[answer.pk]), {"decision": "release"})
    answer.refresh_from_db()
    assert answer.moderation == Answer.Moderation.RELEASED
    assert question_results(consultation)[0].answers == 1


def submitted(consultation, organisation, text="", rating=None, themes=()):
    response = Response.objects.create(
        consultation=consultation, channel="partners", organisation=organisation, submitted_at=timezone.now()
    )
    question = consultation.questions.get(position=1 if rating else 0)
    return Answer.objects.create(response=response, question=question, text=text, rating=rating, themes=list(themes))


def test_results_suppress_small_groups(consultation):
    organisations = [make_organisation(f"Partner {n}") for n in range(6)]
    for organisation, rating in zip(organisations[:4], (1, 2, 2, 5), strict=True):
        submitted(consultation, organisation, rating=rating)
    rating_result = question_results(consultation)[1]
    assert rating_result.answers_shown == "fewer than 5" and rating_result.mean_rating == ""
    submitted(consultation, organisations[4], rating=5)
    rating_result = question_results(consultation)[1]
    assert rating_result.answers_shown == "5"
    assert rating_result.mean_rating == "3.0"  # (1 + 2 + 2 + 5 + 5) / 5
    assert dict(rating_result.ratings) == {n: "fewer than 5" for n in range(1, 6)}


def test_tagging_and_csv_export(client, consultation):
    organisation = make_organisation("Youth Connect")
    answer = submitted(consultation, organisation, text="=HYPERLINK(evil) nothing on Fridays")
    url = reverse("consultations:partner_answer", args=[consultation.pk])
    waiting = Answer.objects.create(
        response=Response.objects.create(consultation=consultation, channel="public", submitted_at=timezone.now()),
        question=answer.question,
        text="not yet read",
        moderation=Answer.Moderation.WAITING,
    )
    client.force_login(user("editor", "eddie"))
    client.post(reverse("consultations:staff_tag", args=[answer.pk]), {"themes": ["youth-support", "exploitation"]})
    answer.refresh_from_db()
    assert answer.themes == ["youth-support", "exploitation"]
    response = client.get(reverse("consultations:staff_export", args=[consultation.pk]))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Question" and len(rows) == 2
    assert rows[1][6] == "'=HYPERLINK(evil) nothing on Fridays"
    assert rows[1][8] == "Youth support and diversion; Exploitation"
    assert waiting.text not in body and url
