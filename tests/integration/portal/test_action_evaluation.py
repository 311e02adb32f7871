"""The evaluation aid in the portal: `vru evaluate --out` writes a result for an action tied to places,
`manage.py publish_evaluation` stores it for the action (checked, audited, replaced when published again), and
the staff page shows it. The result is made by the toolkit itself from the committed demo extract (real B&NES
police.uk rows): Kingsmead from September 2024. Only the bad-file tests use synthetic files, named so."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.strategy.models import Action, ActionEvaluation, Strategy, StrategyNeed
from vru.evaluation import evaluation
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference

pytestmark = pytest.mark.django_db

BANES = "E06000022"
KINGSMEAD = "E05012471"


@pytest.fixture(scope="module")
def evaluation_file(tmp_path_factory, demo_data):
    folder = tmp_path_factory.mktemp("evaluation")
    con = connect(folder / "warehouse.duckdb")
    load_reference(con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population"])
    ingest(con, [demo_data / "police_uk"])
    result = evaluation(con, BANES, [KINGSMEAD], "2024-09", "2023-01", "2025-04")
    con.close()
    path = folder / "evaluation.json"
    # As `vru evaluate --out` writes it (src/vru/cli/monitor.py).
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def action(db):
    """A strategy for B&NES with one action (the portal's own records, not data: the figures come from the
    evaluation file)."""
    strategy = Strategy.objects.create(
        area_code=BANES, area_name="Bath and North East Somerset", title="Serious violence strategy", version=1,
        assessment_label="Needs assessment", assessment_generated_at=timezone.now(),
        start_date=date(2024, 9, 1), end_date=date(2027, 8, 31),
    )  # fmt: skip
    need = StrategyNeed.objects.create(
        strategy=strategy, position=1, need_id="finding:hotspots", kind="finding", text="Hot spots", thread={}
    )
    return Action.objects.create(
        strategy=strategy, need=need, title="Night-time economy patrols in the city centre", owner="Police",
        start_date=date(2024, 9, 1), end_date=date(2025, 8, 31), success_measure="police-uk:violence:area",
    )  # fmt: skip


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def sign_in(client, role):
    user = get_user_model().objects.create_user(role)
    assign_role(user, role)
    client.force_login(user)
    return user


def body_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    body = table.split("<tbody", 1)[1]
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def url(action) -> str:
    return f"/strategy/staff/{action.strategy_id}/actions/{action.pk}/evaluation/"


def test_publishing_stores_the_result_audited_and_replaces_it(evaluation_file, action):
    source = json.loads(evaluation_file.read_text())
    call_command("publish_evaluation", file=str(evaluation_file), action=action.pk, verbosity=0)
    call_command("publish_evaluation", file=str(evaluation_file), action=action.pk, by="analyst", verbosity=0)
    stored = ActionEvaluation.objects.get()
    assert stored.action == action and stored.result == source
    assert stored.treated_names == "Kingsmead" and stored.start_month == "2024-09"
    assert (stored.effect, stored.lower, stored.upper) == (
        source["result"]["effect"],
        source["result"]["lower"],
        source["result"]["upper"],
    )
    assert stored.pre_months == source["result"]["pre_months"] and stored.has_warnings == bool(source["warnings"])
    events = AuditEvent.objects.filter(object_type="strategy.actionevaluation").order_by("id")
    assert [(e.action, e.username) for e in events] == [("published", "command line"), ("replaced", "analyst")]


def test_bad_files_are_refused_and_nothing_changes(tmp_path, evaluation_file, action):
    call_command("publish_evaluation", file=str(evaluation_file), action=action.pk, verbosity=0)
    good = json.loads(evaluation_file.read_text())
    synthetic_bad = tmp_path / "synthetic-bad.json"

    def refused(text: str, match: str, action_id: int = action.pk) -> None:
        synthetic_bad.write_text(text)
        with pytest.raises(CommandError, match=match):
            call_command("publish_evaluation", file=str(synthetic_bad), action=action_id)

    refused("{not json", r"not a readable JSON file \(line 1, column 2")
    refused(json.dumps({"schema_version": 1}), r"missing keys \['area'")
    refused(json.dumps(good).replace(json.dumps(good["result"]["effect"]), "NaN", 1), "NaN, which is not a number")
    refused(json.dumps({**good, "result": {**good["result"], "upper": None}}), r"`result.upper` is None")
    refused(json.dumps({**good, "crime_type": "Violence\u0000"}), "NUL character")
    refused(json.dumps({**good, "schema_version": 2}), "schema version 2")
    refused(json.dumps({**good, "area": {"code": "E06000023", "name": "Bristol"}}), f"for E06000023.*{BANES}")
    refused(json.dumps(good), "no action with id 999999", action_id=999999)
    with pytest.raises(CommandError, match="no such file"):
        call_command("publish_evaluation", file=str(tmp_path / "absent.json"), action=action.pk)
    assert ActionEvaluation.objects.get().result == good
    assert AuditEvent.objects.filter(object_type="strategy.actionevaluation").count() == 1


def test_staff_page_shows_the_figures_of_the_published_result(client, evaluation_file, action):
    source = json.loads(evaluation_file.read_text())
    result = source["result"]
    call_command("publish_evaluation", file=str(evaluation_file), action=action.pk, verbosity=0)
    sign_in(client, "editor")
    response = client.get(url(action))
    assert response.status_code == 200
    html, text = response.content.decode(), text_of(response)
    effect = result["effect"]
    # On the demo extract Kingsmead fell against its comparison, and the whole interval is below zero.
    assert effect < 0 and result["upper"] < 0
    assert (
        f"about {abs(effect):.1f} fewer crimes of violence and sexual offences a month per ward where the "
        f"action ran than the comparison places would suggest (95% interval: between {abs(result['upper']):.1f} "
        f"and {abs(result['lower']):.1f} fewer a month)" in text
    )
    assert ("The interval includes no change" in text) == (result["lower"] <= 0 <= result["upper"])
    assert "Kingsmead" in text
    assert all(place["name"] in text for place in source["comparison"])
    assert f"{result['pre_months']} months before 2024-09 and {result['post_months']} from it" in text
    assert "not loaded, so left out: 2024-07, 2024-08" in text  # the demo extract lacks them
    assert f"changed by {result['pre_trend_slope']:.2f} a month (p = {result['pre_trend_p_value']:.3f}" in text
    assert all(unescape(a) in text for a in result["assumptions"]) and len(result["assumptions"]) == 6
    assert text.count("Warning ") == len(source["warnings"]) >= 1  # Kingsmead is like no other ward
    assert all(warning in text for warning in source["warnings"])
    assert 'role="region" aria-labelledby="monthly-caption" tabindex="0"' in html
    rows = body_rows(html, "monthly-counts")
    assert [row[0] for row in rows] == source["months"]
    for row, month in zip(rows, source["monthly"], strict=True):
        assert row[2:4] == [str(month["treated_count"]), str(month["comparison_count"])]
        assert float(row[5]) == pytest.approx(month["comparison_mean"], abs=0.05)
        assert row[1] == ("After the start" if month["month"] >= "2024-09" else "Before")
    # The means the estimate rests on, recomputed from the table: mean difference after less mean before.
    difference = [(m["month"], m["treated_mean"] - m["comparison_mean"]) for m in source["monthly"]]
    after = [d for month, d in difference if month >= "2024-09"]
    before = [d for month, d in difference if month < "2024-09"]
    assert math.isclose(sum(after) / len(after) - sum(before) / len(before), effect, abs_tol=1e-3)
    assert f"--treated {KINGSMEAD} --start 2024-09 --from 2023-01 --to 2025-04" in text
    page = text_of(client.get(f"/strategy/staff/{action.strategy_id}/"))
    assert "evaluation (with warnings)" in page


def test_page_before_anything_is_published_says_how(client, action):
    sign_in(client, "editor")
    text = text_of(client.get(url(action)))
    assert "No evaluation has been published for this action yet." in text
    assert f"vru evaluate --area {BANES} --treated WARD_CODES --start 2024-09 --from 2022-09" in text
    assert f"python manage.py publish_evaluation --file evaluation-action-{action.pk}.json --action {action.pk}" in text
    assert "no evaluation yet" in text_of(client.get(f"/strategy/staff/{action.strategy_id}/"))


def test_who_may_see_it(client, evaluation_file, action):
    call_command("publish_evaluation", file=str(evaluation_file), action=action.pk, verbosity=0)
    response = client.get(url(action))
    assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")
    sign_in(client, "approver")  # approvers sign the assessment off; they do not read the strategy
    assert client.get(url(action)).status_code == 403
    client.logout()
    sign_in(client, "partner")  # partners read the strategy (strategy.view_strategy), so its evaluations too
    assert client.get(url(action)).status_code == 200
    other = Strategy.objects.create(
        area_code=BANES, area_name="B&NES", title="Other", version=2, assessment_label="x",
        assessment_generated_at=timezone.now(), start_date=date(2025, 1, 1), end_date=date(2026, 1, 1),
    )  # fmt: skip
    assert client.get(f"/strategy/staff/{other.pk}/actions/{action.pk}/evaluation/").status_code == 404


@pytest.mark.parametrize(
    ("lower", "upper", "words"),
    [
        (-14.75, -1.59, "between 1.6 and 14.8 fewer a month"),
        (1.2, 3.4, "between 1.2 and 3.4 more a month"),
        (-2.0, 3.0, "from 2.0 fewer to 3.0 more a month). The interval includes no change"),
    ],
)
def test_interval_in_words(lower, upper, words):
    """Synthetic intervals (no data): each side of zero reads as fewer or more, never as signed numbers."""
    from portal.strategy.views import estimate_in_words

    synthetic = ActionEvaluation(
        result={"result": {"confidence": 0.95}}, crime_type="Robbery", level="lsoa", start_month="2024-09",
        effect=(lower + upper) / 2, lower=lower, upper=upper,
    )  # fmt: skip
    assert words in estimate_in_words(synthetic)
