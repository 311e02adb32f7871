"""Partner uploads in the staff area: the toolkit's validator (through portal.insights), each partner
seeing only their own organisation's files, problems and scorecard. Every file is SYNTHETIC
(tests/data/partner_synthetic, records made up for these tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.accounts.models import Organisation
from portal.accounts.users import create_staff_user
from portal.partners.models import PartnerUpload

PASSWORD = "a long enough pass phrase"
SYNTHETIC = Path(__file__).resolve().parents[2] / "data" / "partner_synthetic"
pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def member(username: str, organisation: str):
    user = create_staff_user(username, f"{username}@example.org", "partner", PASSWORD)
    org, _ = Organisation.objects.get_or_create(
        name=organisation, defaults={"slug": organisation.lower().replace(" ", "-")}
    )
    org.members.add(user)
    return user


def upload(client, name: str):
    data = (SYNTHETIC / name).read_bytes()
    return client.post(reverse("partners:uploads"), {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_a_good_file_is_accepted_and_scored(client):
    client.force_login(member("ed", "Synthetic hospital"))
    response = upload(client, "synthetic_ed_assault_good.csv")
    saved = PartnerUpload.objects.get()
    assert response.status_code == 302 and saved.accepted and saved.rows == 6 and saved.kind == "ed_assault"
    assert saved.months == "2024-01,2024-02" and saved.problems == []
    page = text_of(client.get(reverse("partners:uploads")))
    # January by hand: 5 rows, 3 in an LSOA (60%), SYN-0002 twice (1 repeated), completeness 82%.
    assert "2024-01 5 82% " in page and " 60% 1 " in page
    assert "Emergency department assault attendances" in page


def test_a_bad_file_lists_every_problem_and_keeps_no_rows(client):
    client.force_login(member("ed", "Synthetic hospital"))
    upload(client, "synthetic_bad_many.csv")
    saved = PartnerUpload.objects.get()
    assert not saved.accepted and saved.records == [] and saved.rows == 0
    assert [(p["line"], p["column"]) for p in saved.problems] == [
        (3, "attendance_date"), (3, "assault_time_band"), (4, "weapon")
    ]  # fmt: skip
    page = text_of(client.get(reverse("partners:upload_detail", args=[saved.pk])))
    assert "Not accepted" in page and "3 attendance_date" in page and "is not one of" in page
    assert "No accepted files yet" in text_of(client.get(reverse("partners:uploads")))


def test_a_partner_sees_only_their_own_organisation(client):
    other = member("amb", "Synthetic ambulance service")
    client.force_login(other)
    upload(client, "synthetic_ambulance_assault_good.csv")
    theirs = PartnerUpload.objects.get()
    client.force_login(member("ed", "Synthetic hospital"))
    assert client.get(reverse("partners:upload_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("partners:upload_delete", args=[theirs.pk])).status_code == 404
    assert "synthetic_ambulance" not in text_of(client.get(reverse("partners:uploads")))


def test_a_partner_can_delete_their_upload(client):
    client.force_login(member("ed", "Synthetic hospital"))
    upload(client, "synthetic_youth_justice_cohort_good.csv")
    saved = PartnerUpload.objects.get()
    assert client.post(reverse("partners:upload_delete", args=[saved.pk])).status_code == 302
    assert not PartnerUpload.objects.exists()


def test_who_may_upload(client, settings):
    response = client.get(reverse("partners:uploads"))
    assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    editor = create_staff_user("edith", "edith@example.org", "editor", PASSWORD)
    client.force_login(editor)
    assert client.get(reverse("partners:uploads")).status_code == 403
    unattached = create_staff_user("pat", "pat@example.org", "partner", PASSWORD)
    client.force_login(unattached)  # a partner not yet given an organisation
    assert client.get(reverse("partners:uploads")).status_code == 403


def test_a_non_csv_is_refused_and_the_form_says_why(client):
    client.force_login(member("ed", "Synthetic hospital"))
    response = client.post(
        reverse("partners:uploads"), {"file": SimpleUploadedFile("notes.txt", b"hello", "text/plain")}
    )
    assert response.status_code == 400 and "The selected file must be a CSV" in text_of(response)
    assert not PartnerUpload.objects.exists()


def test_the_upload_page_takes_one_file_up_to_its_limit_and_no_other_page_takes_any(client, settings):
    client.force_login(member("ed", "Synthetic hospital"))
    settings.VRU_MAX_PARTNER_UPLOAD_BYTES = 2_000
    big = SimpleUploadedFile("big.csv", b"month,cohort,age_band,sex,count\n" + b"x" * 3_000, "text/csv")
    assert client.post(reverse("partners:uploads"), {"file": big}).status_code == 413
    small = SimpleUploadedFile("synthetic.csv", (SYNTHETIC / "synthetic_bad_urn.csv").read_bytes(), "text/csv")
    assert client.post(reverse("feedback:form"), {"file": small}).status_code == 415  # files refused elsewhere
    assert not PartnerUpload.objects.exists()
