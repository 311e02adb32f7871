"""Partner accounts: the public request form, approval by an administrator (account, organisation, emailed
password link), refusal, the retention period, and the partner's dashboard."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from portal.accounts.models import AccountRequest, AuditEvent, Organisation
from portal.accounts.users import create_staff_user

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough pass phrase"
FORM = "/staff/request-account/"
REQUESTS = "/staff/account-requests/"
# What a person types into the public form (made up: a form test, no real person).
REQUEST = {
    "name": "Priya Example",
    "email": "priya@school.example.org",
    "organisation_name": "Example Secondary School",
    "job_title": "Designated safeguarding lead",
    "reason": "Keeping our school's support sessions up to date.",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def signed_in(client, role: str, username: str | None = None):
    user = create_staff_user(username or role, f"{role}@example.org", role, PASSWORD)
    client.force_login(user)
    return user


def test_the_form_is_public_states_retention_and_is_linked_from_sign_in(client, settings):
    settings.ACCOUNT_REQUEST_RETENTION_DAYS = 90
    response = client.get(FORM)
    assert response.status_code == 200
    assert "We keep it for 90 days after we decide, then delete it" in text_of(response)
    assert 'data-module="govuk-character-count"' in response.content.decode()
    assert f'href="{FORM}"' in client.get("/staff/sign-in/").content.decode()
    assert "If you ask for a partner account" in text_of(client.get("/privacy/"))


def test_a_request_is_saved_before_the_confirmation(client):
    response = client.post(FORM, REQUEST)
    assert response.status_code == 302 and response["Location"] == "/staff/request-account/sent/"
    saved = AccountRequest.objects.get()
    assert (saved.name, saved.email, saved.status) == ("Priya Example", REQUEST["email"], "waiting")
    assert "Request sent" in text_of(client.get(response["Location"]))


def test_a_rejected_request_explains_and_keeps_what_was_typed(client):
    response = client.post(FORM, REQUEST | {"email": "not an address", "job_title": ""})
    assert response.status_code == 200
    text = text_of(response)
    assert "Enter an email address in the correct format" in text and "Enter your job title" in text
    assert 'value="Example Secondary School"' in response.content.decode()
    assert not AccountRequest.objects.exists()


def test_bots_and_floods_are_stopped(client, settings):
    assert client.post(FORM, REQUEST | {"website": "spam"}).status_code == 302
    assert not AccountRequest.objects.exists()
    settings.FEEDBACK_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(FORM, REQUEST).status_code == 302
    refused = client.post(FORM, REQUEST)
    assert refused.status_code == 429 and "Example Secondary School" in refused.content.decode()
    # The feedback form counts on its own.
    assert client.post("/feedback/", {"topic": "website", "message": "Hello"}).status_code == 302


@pytest.mark.parametrize("role", ["editor", "partner"])
def test_only_administrators_see_and_decide_requests(client, role):
    AccountRequest.objects.create(**REQUEST)
    signed_in(client, role)
    assert client.get(REQUESTS).status_code == 403
    item = AccountRequest.objects.get()
    assert client.post(f"{REQUESTS}{item.pk}/", {"decision": "refuse"}).status_code == 403
    item.refresh_from_db()
    assert item.status == "waiting"


def test_approving_makes_a_partner_account_in_a_new_organisation_and_emails_a_password_link(client, settings):
    settings.VRU_CONTACT_EMAIL = "vru@example.org"
    admin = signed_in(client, "administrator", "ada")
    item = AccountRequest.objects.create(**REQUEST)
    page = client.get(f"{REQUESTS}{item.pk}/")
    assert 'value="priya"' in page.content.decode()  # the username suggested from the email address

    response = client.post(
        f"{REQUESTS}{item.pk}/",
        {"decision": "approve", "username": "priya", "organisation": "", "new_organisation_name": "Example School"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="priya")
    assert user.email == REQUEST["email"] and not user.has_usable_password() and not user.is_staff
    assert user.has_perm("accounts.view_partner_dashboard") and not user.has_perm("core.change_page")
    organisation = Organisation.objects.get(name="Example School")
    assert list(organisation.members.all()) == [user] and organisation.slug == "example-school"
    item.refresh_from_db()
    assert (item.status, item.decided_by, item.user, item.organisation) == ("approved", admin, user, organisation)
    assert AuditEvent.objects.get(action="approved").summary == "Approved: partner account “priya” in Example School"
    for event in AuditEvent.objects.all():
        assert "Priya Example" not in event.summary and "school.example.org" not in event.summary

    [email] = mail.outbox
    assert email.to == [REQUEST["email"]] and email.reply_to == ["vru@example.org"]
    link = re.search(r"http://testserver(/staff/set-password/\S+)", email.body).group(1)
    # The link lets the person choose a password once, then sign in.
    client.logout()
    form_page = client.get(link, follow=True)
    assert "Choose your password" in text_of(form_page)
    new_password = "three random words together"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"] == "/staff/password-set/"
    signed = client.post("/staff/sign-in/", {"username": "priya", "password": new_password})
    assert signed.status_code == 302 and signed["Location"] == "/staff/"
    client.logout()
    assert "This link has expired" in text_of(client.get(link, follow=True))


def test_approving_into_an_organisation_that_exists(client):
    signed_in(client, "administrator")
    school = Organisation.objects.create(name="Example Secondary School", slug="example-secondary-school")
    item = AccountRequest.objects.create(**REQUEST)
    page = client.get(f"{REQUESTS}{item.pk}/").content.decode()
    assert f'<option value="{school.pk}" selected>' in page  # matched on the typed name
    client.post(f"{REQUESTS}{item.pk}/", {"decision": "approve", "username": "priya", "organisation": school.pk})
    assert [member.username for member in school.members.all()] == ["priya"]
    assert Organisation.objects.count() == 1


def test_approval_errors_keep_the_request_waiting(client):
    signed_in(client, "administrator", "ada")
    Organisation.objects.create(name="Example School", slug="example-school")
    item = AccountRequest.objects.create(**REQUEST)
    taken = client.post(f"{REQUESTS}{item.pk}/", {"decision": "approve", "username": "ADA", "organisation": ""})
    text = text_of(taken)
    assert "An account with the username “ADA” already exists" in text
    assert "Enter the name of the new organisation, or select one" in text
    same = client.post(
        f"{REQUESTS}{item.pk}/",
        {"decision": "approve", "username": "priya", "organisation": "", "new_organisation_name": "example school"},
    )
    assert "“example school” already exists: select it from the list" in text_of(same)
    item.refresh_from_db()
    assert item.status == "waiting" and mail.outbox == []


def test_refusing_records_the_decision_and_emails_nobody(client):
    signed_in(client, "administrator")
    item = AccountRequest.objects.create(**REQUEST)
    client.post(f"{REQUESTS}{item.pk}/", {"decision": "refuse"})
    item.refresh_from_db()
    assert item.status == "refused" and item.decided_at is not None and item.user is None
    assert mail.outbox == [] and AuditEvent.objects.get(action="refused")
    assert not get_user_model().objects.filter(email=REQUEST["email"]).exists()


def test_purge_deletes_requests_past_the_retention_period_and_keeps_accounts(settings, capsys):
    settings.ACCOUNT_REQUEST_RETENTION_DAYS = 90
    now = timezone.now()
    user = get_user_model().objects.create_user("kept")
    old_decided = AccountRequest.objects.create(**REQUEST, decided_at=now - timedelta(days=91), user=user)
    old_waiting = AccountRequest.objects.create(**REQUEST, received_at=now - timedelta(days=91))
    recent_decided = AccountRequest.objects.create(
        **REQUEST, received_at=now - timedelta(days=200), decided_at=now - timedelta(days=89)
    )
    call_command("purge_account_requests", "--dry-run")
    assert "Would delete 2 account request(s)" in capsys.readouterr().out
    assert AccountRequest.objects.count() == 3
    call_command("purge_account_requests")
    assert "Deleted 2 account request(s) older than 90 days (before " in capsys.readouterr().out
    assert list(AccountRequest.objects.all()) == [recent_decided]
    assert not AccountRequest.objects.filter(pk__in=[old_decided.pk, old_waiting.pk]).exists()
    assert get_user_model().objects.filter(username="kept").exists()


def test_the_partner_dashboard_shows_the_organisation_and_the_tasks_in_order(client):
    partner = signed_in(client, "partner", "priya")
    colleague = get_user_model().objects.create_user("sam", first_name="Sam Colleague")
    school = Organisation.objects.create(name="Example Secondary School", slug="example-secondary-school")
    school.members.add(partner, colleague)
    index = text_of(client.get("/staff/"))
    assert "Your organisation’s work" in index and "Feedback inbox" not in index
    text = text_of(client.get("/staff/partner/"))
    assert "Example Secondary School" in text
    assert "priya (you)" in text and "Sam Colleague (sam)" in text
    tasks = ["Suggest a resource, service or contact", "Read the needs assessment in detail",
             "Ask for an account for a colleague"]  # fmt: skip
    positions = [text.index(task) for task in tasks]
    assert positions == sorted(positions)
    # "Suggest a resource" opens the feedback form on the right topic.
    form = client.get("/feedback/?topic=resources").content.decode()
    assert re.search(r'value="resources" checked', form)


def test_a_partner_without_an_organisation_is_told_what_to_do(client):
    signed_in(client, "partner")
    assert "Your account is not linked to an organisation yet" in text_of(client.get("/staff/partner/"))


def test_editors_have_no_partner_dashboard(client):
    signed_in(client, "editor")
    assert client.get("/staff/partner/").status_code == 403
