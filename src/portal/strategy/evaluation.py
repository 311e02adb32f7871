"""Publishes the evaluation aid's result (`vru evaluate --out`) for one action (`manage.py publish_evaluation`).

The file is JSON (src/vru/evaluation.py writes it); this module checks it against the action (its strategy's
area) and stores it, replacing the action's earlier evaluation, with an audit event. No request reads the file,
and the web process never imports the toolkit: the staff page reads what is stored here.
"""

from __future__ import annotations

import math
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal.accounts.audit import record_event
from portal.accounts.role_audit import COMMAND_LINE
from portal.strategy.models import Action, ActionEvaluation
from portal.strategy.toolkit_files import read_toolkit_json

SUPPORTED_SCHEMA_VERSION = 1
REQUIRED_KEYS = (
    "schema_version",
    "area",
    "crime_type",
    "level",
    "treated",
    "comparison",
    "months",
    "first_month",
    "last_month",
    "monthly",
    "result",
    "warnings",
    "description",
)
RESULT_KEYS = ("start_month", "pre_months", "post_months", "effect", "lower", "upper", "confidence", "assumptions")
NUMBER_KEYS = ("effect", "lower", "upper", "confidence")
MONTHLY_KEYS = ("month", "treated_count", "comparison_count", "treated_mean", "comparison_mean")


class EvaluationError(ValueError):
    """The evaluation cannot be published as it stands; nothing has been stored."""


def read_evaluation(path: Path) -> dict:
    table = read_toolkit_json(
        path,
        required_keys=REQUIRED_KEYS,
        schema_version=SUPPORTED_SCHEMA_VERSION,
        error=EvaluationError,
        written_by="vru evaluate ... --out FILE",
    )
    result = table["result"]
    if not isinstance(result, dict):
        raise EvaluationError(f"{path}: `result` is not an object")
    absent = [key for key in RESULT_KEYS if key not in result]
    if absent:
        raise EvaluationError(f"{path}: `result` lacks {absent}")
    for key in NUMBER_KEYS:
        value = result[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise EvaluationError(f"{path}: `result.{key}` is {value!r}, not a number")
    if not table["treated"] or not table["comparison"]:
        raise EvaluationError(f"{path}: no treated or no comparison places")
    for position, row in enumerate(table["monthly"]):
        lacking = [key for key in MONTHLY_KEYS if key not in row]
        if lacking:
            raise EvaluationError(f"{path}: month {position + 1} of `monthly` lacks {lacking}")
    return table


def publish_evaluation(path: Path, action_id: int, published_by: str = "") -> ActionEvaluation:
    """Store the evaluation for the action, replacing its earlier one. Returns the stored row."""
    table = read_evaluation(path)
    action = Action.objects.select_related("strategy").filter(pk=action_id).first()
    if action is None:
        raise EvaluationError(f"no action with id {action_id} (the id is in the address of its edit page)")
    code = table["area"].get("code") if isinstance(table["area"], dict) else None
    if code != action.strategy.area_code:
        raise EvaluationError(
            f"{path} is for {code}, but action {action_id} belongs to a strategy for {action.strategy.area_code}"
        )
    result = table["result"]
    fields = {
        "result": table,
        "area_code": code,
        "crime_type": table["crime_type"],
        "level": table["level"],
        "treated_names": ", ".join(place["name"] for place in table["treated"]),
        "start_month": result["start_month"],
        "first_month": table["first_month"],
        "last_month": table["last_month"],
        "pre_months": result["pre_months"],
        "post_months": result["post_months"],
        "effect": result["effect"],
        "lower": result["lower"],
        "upper": result["upper"],
        "has_warnings": bool(table["warnings"]),
        "published_at": timezone.now(),
        "published_by": published_by or COMMAND_LINE,
    }
    with transaction.atomic():
        evaluation, created = ActionEvaluation.objects.update_or_create(action=action, defaults=fields)
        record_event(
            None,
            "published" if created else "replaced",
            evaluation,
            f"Evaluation of action {action.pk} ({evaluation.treated_names}, from {evaluation.start_month})",
            username=evaluation.published_by,
        )
    return evaluation
