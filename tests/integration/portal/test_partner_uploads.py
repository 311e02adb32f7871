"""Partner uploads in the staff area: the toolkit's validator (through portal.insights), each partner
seeing only their own organisation's files, problems and scorecard. Every file is SYNTHETIC
(tests/data/partner_synthetic, records made up for these tests)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import AuditEvent, Organisation
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


# --- Export, deletion, retention, audit ---------------------------------------------------------------------


def test_a_partner_downloads_a_copy_of_their_accepted_file(client):
    client.force_login(member("ed", "Synthetic hospital"))
    upload(client, "synthetic_ed_assault_good.csv")
    saved = PartnerUpload.objects.get()
    response = client.get(reverse("partners:upload_export", args=[saved.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="synthetic_ed_assault_good.csv"' in response["Content-Disposition"]
    # The copy is the file as sent (every row and column, in order), read independently with csv.
    sent = list(csv.reader(io.StringIO((SYNTHETIC / "synthetic_ed_assault_good.csv").read_text("utf-8"))))
    assert response.content.startswith("\ufeff".encode())  # UTF-8 with a byte order mark, as every CSV download
    copy = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert copy == sent
    assert AuditEvent.objects.filter(action="exported", object_id=str(saved.pk), username="ed").exists()


def test_the_copy_writes_the_partners_formulas_as_text(client):
    """Free text a spreadsheet would run as a formula (synthetic_ed_assault_formulas.csv, made up) comes back
    with a quote in front, by the one function every CSV download uses (portal.core.spreadsheets.safe_cell);
    every other cell is as sent."""
    from portal.core.spreadsheets import safe_cell

    client.force_login(member("ed", "Synthetic hospital"))
    upload(client, "synthetic_ed_assault_formulas.csv")
    saved = PartnerUpload.objects.get()
    assert saved.accepted
    response = client.get(reverse("partners:upload_export", args=[saved.pk]))
    copy = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    sent = list(csv.DictReader(io.StringIO((SYNTHETIC / "synthetic_ed_assault_formulas.csv").read_text("utf-8"))))
    assert [row["assault_location"] for row in copy] == [
        '\'=HYPERLINK("https://example.invalid","made-up link")',
        "'+1+1 made-up square",
        "'@SUM(1) made up",
        "'-2 made-up lane",
    ]
    for got, given in zip(copy, sent, strict=True):
        assert got == {name: safe_cell(value) for name, value in given.items()}
        assert {name: value for name, value in got.items() if name != "assault_location"} == {
            name: value for name, value in given.items() if name != "assault_location"
        }


def test_a_rejected_file_downloads_as_its_list_of_problems(client):
    client.force_login(member("ed", "Synthetic hospital"))
    upload(client, "synthetic_bad_many.csv")
    saved = PartnerUpload.objects.get()
    response = client.get(reverse("partners:upload_export", args=[saved.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["line"], r["column"]) for r in rows] == [("3", "attendance_date"), ("3", "assault_time_band"),
                                                        ("4", "weapon")]  # fmt: skip
    assert 'filename="synthetic_bad_many-problems.csv"' in response["Content-Disposition"]


def test_another_organisation_cannot_download_an_upload(client):
    client.force_login(member("amb", "Synthetic ambulance service"))
    upload(client, "synthetic_ambulance_assault_good.csv")
    theirs = PartnerUpload.objects.get()
    client.force_login(member("ed", "Synthetic hospital"))
    assert client.get(reverse("partners:upload_export", args=[theirs.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="exported").exists()


def test_upload_and_deletion_are_in_the_audit_trail(client):
    client.force_login(member("ed", "Synthetic hospital"))
    upload(client, "synthetic_youth_justice_cohort_good.csv")
    saved = PartnerUpload.objects.get()
    client.post(reverse("partners:upload_delete", args=[saved.pk]))
    events = AuditEvent.objects.filter(object_type="partners.partnerupload", object_id=str(saved.pk))
    assert sorted(events.values_list("action", "username")) == [("created", "ed"), ("deleted", "ed")]
    created = events.get(action="created")
    assert created.summary.startswith("Uploaded: accepted, ") and "Synthetic hospital" in created.object_repr


def test_purge_deletes_uploads_past_the_retention_period_with_an_audit_event(client, settings, capsys):
    settings.PARTNER_UPLOAD_RETENTION_DAYS = 30
    client.force_login(member("ed", "Synthetic hospital"))
    for name in ("synthetic_youth_justice_cohort_good.csv", "synthetic_bad_many.csv", "synthetic_ed_assault_good.csv"):
        upload(client, name)
    cohort, rejected, recent = PartnerUpload.objects.order_by("pk")
    now = timezone.now()
    PartnerUpload.objects.filter(pk=cohort.pk).update(uploaded_at=now - timedelta(days=31))
    PartnerUpload.objects.filter(pk=rejected.pk).update(uploaded_at=now - timedelta(days=30, minutes=5))
    PartnerUpload.objects.filter(pk=recent.pk).update(uploaded_at=now - timedelta(days=29, hours=23))

    call_command("purge_partner_uploads", "--dry-run")
    assert "Would delete 2 partner upload(s) older than 30 days" in capsys.readouterr().out
    assert PartnerUpload.objects.count() == 3

    call_command("purge_partner_uploads")
    assert "Deleted 2 partner upload(s) older than 30 days" in capsys.readouterr().out
    assert list(PartnerUpload.objects.values_list("pk", flat=True)) == [recent.pk]
    purged = AuditEvent.objects.filter(action="deleted", username="retention period")
    assert sorted(purged.values_list("object_id", flat=True)) == sorted([str(cohort.pk), str(rejected.pk)])
    assert set(purged.values_list("summary", flat=True)) == {"Past the 30-day retention period"}

    call_command("purge_partner_uploads", "--days", "1")
    assert "Deleted 1 partner upload(s) older than 1 days" in capsys.readouterr().out
    assert not PartnerUpload.objects.exists()


def test_the_upload_page_states_the_retention_period(client, settings):
    settings.PARTNER_UPLOAD_RETENTION_DAYS = 400
    client.force_login(member("ed", "Synthetic hospital"))
    assert "Each file is kept for 400 days after it is uploaded" in text_of(client.get(reverse("partners:uploads")))
