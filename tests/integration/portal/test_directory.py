"""The service directory: the seeded B&NES services, ORUK feed import (official examples, bad feeds), the
open API checked against the ORUK schemas and the validator's rules, staff editing and provision mapping."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest
from django.urls import reverse

from portal.accounts.models import AuditEvent
from portal.accounts.models import Organisation as PartnerOrganisation
from portal.accounts.users import create_staff_user
from portal.directory import compliance
from portal.directory.importer import FeedError, import_feed, import_records, records_of
from portal.directory.models import Organisation, Service
from portal.directory.oruk import validation_errors, with_new_ids
from portal.directory.themes import THEME_BY_SLUG

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough pass phrase"
SEED = Path(__file__).resolve().parents[3] / "src" / "portal" / "directory" / "seed" / "services.csv"
EXAMPLE_ID = "ac148810-d857-441c-9679-408f346de14b"


@pytest.fixture
def examples(shared_data: Path) -> Path:
    return shared_data / "open_referral_uk" / "examples"


@pytest.fixture
def service_full(examples: Path) -> dict:
    return json.loads((examples / "service_full.json").read_text())


def seed_rows() -> list[dict]:
    with SEED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def api_get(client):
    def get(path: str):
        response = client.get("/api" + path)
        return response.status_code, response.headers, response.json()

    return get


def user(role: str, name: str):
    return create_staff_user(name, f"{name}@example.org", role, PASSWORD)


def partner_with_organisation(name: str, organisation_name: str):
    """A partner account in a partner organisation (accounts), and the directory organisation it speaks for."""
    account = user("partner", name)
    partner = PartnerOrganisation.objects.create(
        name=organisation_name, slug=organisation_name.lower().replace(" ", "-")
    )
    partner.members.add(account)
    return account, Organisation.objects.create(name=organisation_name, description="Youth work", partner=partner)


# --- The seeded directory ------------------------------------------------------------------------------


def test_seed_loads_every_row_with_its_source_and_date(client):
    rows = seed_rows()
    assert Service.objects.published().count() == len(rows) == 15
    for row in rows:
        service = Service.objects.get(name=row["name"])
        assert service.source_url == row["source_url"] and service.source_url.startswith("http")
        assert service.last_checked.isoformat() == row["last_checked"]
        assert sorted(service.theme_slugs) == sorted(row["themes"].split(";"))
    # Only public columns of the vetted lists: the seed has no notes or source excerpts.
    assert not {"notes", "source_excerpt"} & set(rows[0])


def test_api_filters_match_a_plain_count_of_the_seed_file(client):
    rows = seed_rows()
    for slug in ("night-time-economy", "domestic-abuse", "sexual-violence"):
        expected = sum(slug in row["themes"].split(";") for row in rows)
        assert client.get(f"/api/services?theme={slug}").json()["total_items"] == expected
    # Age 15: every row without a limit, plus those whose limits hold 15 (maximum_age 17 rows included).
    expected_15 = sum(
        (not row["minimum_age"] or float(row["minimum_age"]) <= 15)
        and (not row["maximum_age"] or float(row["maximum_age"]) >= 15)
        for row in rows
    )
    assert client.get("/api/services?age=15").json()["total_items"] == expected_15
    expected_adult = sum(not row["maximum_age"] or float(row["maximum_age"]) >= 30 for row in rows)
    assert client.get("/api/services?age=30").json()["total_items"] == expected_adult
    # The council area and the force area are different service areas.
    assert client.get("/api/services?area=E23000036").json()["total_items"] == sum(
        row["area"] == "avon-and-somerset" for row in rows
    )
    body = client.get("/api/services?search=pastors").json()
    assert [item["name"] for item in body["contents"]] == ["Bath Street Pastors"]


def test_bad_filters_are_400_with_a_reason(client):
    response = client.get("/api/services?age=fifteen")
    assert response.status_code == 400
    assert "age must be a number" in response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/services?theme=knitting").status_code == 400
    assert client.get("/api/services/not-a-uuid").status_code == 404


def test_paging(client):
    first = client.get("/api/services?per_page=4").json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (15, 4, 4)
    assert first["first_page"] and not first["last_page"]
    last = client.get("/api/services?per_page=4&page=4").json()
    assert last["size"] == 3 and last["last_page"]
    names = [
        item["name"]
        for page in range(1, 5)
        for item in client.get(f"/api/services?per_page=4&page={page}").json()["contents"]
    ]
    assert len(set(names)) == 15


# --- The official examples ------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_official_example_round_trips(client, service_full, examples):
    result = import_feed(examples / "service_full.json")
    assert result.services == 1
    assert client.get(f"/api/services/{EXAMPLE_ID}").json() == service_full
    # In the list, the service's own fields and organisation, as the official list example has them.
    listed = json.loads((examples / "service_list.json").read_text())["contents"][0]
    body = client.get("/api/services?search=Community+Counselling").json()
    assert body["contents"] == [listed]


@pytest.mark.shared_data
def test_a_page_of_services_is_a_feed_too(service_full):
    page = {"total_items": 2, "contents": [service_full, with_new_ids(service_full, "copy")]}
    assert import_records(records_of(page, "page")).services == 2


@pytest.mark.shared_data
def test_a_schedule_id_shared_by_two_services_is_refused(service_full):
    copied = {**copy.deepcopy(service_full), "id": "0c2b9d1e-0000-4000-8000-000000000001"}
    with pytest.raises(FeedError, match=r"record 2 .*field schedules\[0\]\.id: .* already used by record 1"):
        import_records([service_full, copied])


@pytest.mark.shared_data
def test_a_feed_with_one_bad_record_loads_nothing_and_names_record_and_field(service_full, tmp_path):
    good = copy.deepcopy(service_full)
    bad = copy.deepcopy(service_full)
    bad["id"] = "5d7a2c0e-1111-4000-8000-000000000002"
    bad["status"] = "open"
    bad["service_at_locations"][0]["location"]["location_type"] = "shed"
    del bad["name"]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([good, bad]))
    before = Service.objects.count()
    with pytest.raises(FeedError) as raised:
        import_feed(feed)
    problems = raised.value.problems
    assert f"record 2 (id {bad['id']}), field name: 'name' is a required property" in problems
    assert any("record 2" in problem and "field status" in problem and "'open'" in problem for problem in problems)
    assert any("service_at_locations[0].location.location_type" in problem for problem in problems)
    assert not any("record 1 " in problem for problem in problems)
    assert Service.objects.count() == before
    assert not Service.objects.filter(pk=good["id"]).exists()


def test_a_file_that_is_not_json_names_line_and_column(tmp_path):
    feed = tmp_path / "broken.json"
    feed.write_text('[\n  {"id": "x",\n  oops}\n]')
    with pytest.raises(FeedError, match=r"line 3, column 3"):
        import_feed(feed)


@pytest.mark.shared_data
def test_the_same_id_twice_is_refused(service_full):
    with pytest.raises(FeedError, match="appears 2 times"):
        import_records([service_full, service_full])


# --- The API against the ORUK OpenAPI and the validator's rules -----------------------------------------


@pytest.mark.shared_data
def test_api_passes_the_oruk_compliance_rules(client, examples):
    import_feed(examples / "service_full.json")
    result = compliance.check(api_get(client))
    assert result.ok, result.failed
    assert len(result.passed) > 40


def test_compliance_check_catches_a_broken_api():
    def broken(path: str):
        if path == "/services":
            return 200, {"Access-Control-Allow-Origin": "*"}, {"contents": [{"name": "no id or status"}]}
        return 200, {}, {}

    result = compliance.check(broken)
    assert not result.ok
    assert any("service_list schema" in failure for failure in result.failed)
    assert any("CORS" in failure for failure in result.failed)


def test_every_answer_allows_any_origin_and_needs_no_key(client):
    for name in (
        "directory_api:root",
        "directory_api:services",
        "directory_api:taxonomy_terms",
        "directory_api:openapi",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
    theme = THEME_BY_SLUG["exploitation"]
    assert client.get(f"/api/taxonomy_terms/{theme.id}").json()["term"] == "exploitation"
    description = client.get("/api/openapi.json").json()
    assert "/services/{id}" in description["paths"] and description["servers"][0]["url"].endswith("/api")


def test_seeded_services_conform_to_the_service_schema(client):
    for item in client.get("/api/services?per_page=50").json()["contents"]:
        detail = client.get(f"/api/services/{item['id']}").json()
        assert validation_errors(detail) == []
        assert "capacity_per_week" not in detail and "evaluation" not in detail


# --- Staff and provision mapping ------------------------------------------------------------------------


def mapping_form(owner: Organisation, **changes) -> dict:
    data = {
        "organisation": str(owner.id),
        "name": "Friday night detached youth work",
        "description": "Youth workers meet young people in the city centre on Friday nights.",
        "themes": ["youth-support", "night-time-economy"],
        "minimum_age": "11",
        "maximum_age": "19",
        "area_codes": "E05012471",
        "capacity_per_week": "40",
        "funding_ends_0": "31",
        "funding_ends_1": "3",
        "funding_ends_2": "2027",
        "evaluation": "Counts of contacts; a survey of young people each term.",
        "url": "",
        "email": "",
        "opening-TOTAL_FORMS": "2",
        "opening-INITIAL_FORMS": "0",
        "opening-0-byday": ["FR"],
        "opening-0-opens_at": "19:00",
        "opening-0-closes_at": "23:00",
        "location-TOTAL_FORMS": "1",
        "location-INITIAL_FORMS": "0",
        "location-0-name": "Kingsmead Square",
        "location-0-latitude": "51.3807",
        "location-0-longitude": "-2.3630",
    }
    data.update(changes)
    return data


def test_partner_maps_a_service_and_staff_approve_it(client):
    partner, organisation = partner_with_organisation("pat", "Bath Youth Outreach")
    client.force_login(partner)
    response = client.post(reverse("directory:mapping_add"), mapping_form(organisation))
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(name="Friday night detached youth work")
    assert service.awaiting_approval and not service.published
    assert service.capacity_per_week == 40 and service.funding_ends.isoformat() == "2027-03-31"
    assert sorted(service.theme_slugs) == ["night-time-economy", "youth-support"]
    assert service.schedules.get().byday == "FR"
    assert service.service_at_locations.get().location.latitude == pytest.approx(51.3807)
    assert client.get(f"/api/services/{service.id}").status_code == 404
    # A partner cannot approve, nor reach the staff list.
    assert client.post(reverse("directory:staff_approve", args=[service.id])).status_code == 403
    assert client.get(reverse("directory:staff_list")).status_code == 403

    editor = user("editor", "eddie")
    client.force_login(editor)
    assert "Friday night detached youth work" in client.get(reverse("directory:staff_list")).content.decode()
    client.post(reverse("directory:staff_approve", args=[service.id]))
    service.refresh_from_db()
    assert service.published and service.approved_at and service.assured_date
    assert client.get(f"/api/services/{service.id}").json()["name"] == service.name
    assert client.get("/api/services?area=E05012471&theme=youth-support").json()["total_items"] >= 1
    actions = set(AuditEvent.objects.filter(object_id=str(service.id)).values_list("action", flat=True))
    assert actions == {"proposed", "approved"}


def test_partner_form_errors_keep_what_was_typed(client):
    partner, organisation = partner_with_organisation("pat", "Bath Youth Outreach")
    client.force_login(partner)
    response = client.post(
        reverse("directory:mapping_add"), mapping_form(organisation, themes=[], minimum_age="20", maximum_age="12")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select at least one theme" in page
    assert "The oldest age must be the same as or more than the youngest" in page
    assert "Friday night detached youth work" in page and "Kingsmead Square" in page
    assert not Service.objects.filter(name="Friday night detached youth work").exists()


def test_partner_sees_only_their_own_organisations_services(client):
    partner, mine = partner_with_organisation("pat", "Mine")
    other = Service.objects.published().first()
    client.force_login(partner)
    assert client.get(reverse("directory:mapping_edit", args=[other.id])).status_code == 403
    response = client.post(
        reverse("directory:mapping_add"), mapping_form(mine, organisation=str(other.organisation_id))
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_staff_edit_is_audited_with_field_names(client):
    editor = user("editor", "eddie")
    client.force_login(editor)
    service = Service.objects.get(name="Bath Street Pastors")
    response = client.get(reverse("directory:staff_edit", args=[service.id]))
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "organisation": str(service.organisation_id),
            "themes": service.theme_slugs,
            "status": "active",
            "published": "on",
            "capacity_per_week": "25",
            "last_checked_0": "26",
            "last_checked_1": "11",
            "last_checked_2": "2026",
            "opening-TOTAL_FORMS": "0",
            "opening-INITIAL_FORMS": "0",
            "location-TOTAL_FORMS": "0",
            "location-INITIAL_FORMS": "0",
        }
    )
    for key in ("id", "taxonomy_terms", "last_checked", "assured_date", "funding_ends"):
        data.pop(key, None)
    response = client.post(reverse("directory:staff_edit", args=[service.id]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    service.refresh_from_db()
    assert service.capacity_per_week == 25
    event = AuditEvent.objects.filter(object_id=str(service.id)).latest("at")
    assert event.action == "changed" and "places a week" in event.summary and "25" not in event.summary


@pytest.mark.shared_data
def test_import_command_names_the_problem_and_loads_nothing(service_full, tmp_path):
    from django.core.management import CommandError, call_command

    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([{**service_full, "status": "open"}]))
    with pytest.raises(CommandError, match=rf"record 1 \(id {EXAMPLE_ID}\), field status"):
        call_command("import_oruk", str(feed))
    assert not Service.objects.filter(pk=EXAMPLE_ID).exists()
    feed.write_text(json.dumps([service_full]))
    call_command("import_oruk", str(feed))
    assert Service.objects.filter(pk=EXAMPLE_ID, published=True).exists()


def test_a_new_partner_gets_a_directory_organisation_under_its_name(client):
    account = user("partner", "newbie")
    partner = PartnerOrganisation.objects.create(name="Southside", slug="southside")
    partner.members.add(account)
    client.force_login(account)
    assert client.get(reverse("directory:mapping_add")).status_code == 200
    assert Organisation.objects.get(partner=partner).name == "Southside"


def test_public_pages(client):
    response = client.get(reverse("directory:index") + "?theme=night-time-economy")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bath Street Pastors" in page and "Southside IDVA" not in page
    service = Service.objects.get(name="Bath Street Pastors")
    page = client.get(reverse("directory:detail", args=[service.id])).content.decode()
    assert "last checked 26 November 2026" in page
