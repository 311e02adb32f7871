"""Publishes the monitoring table (`vru monitor`) into the portal database (`manage.py publish_monitoring`).

The table is JSON (docs/monitoring.md); this module checks it and replaces the area's measures in one
transaction, so pages never show half of one publication and half of another. No request reads the file.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal.strategy.models import MonitoringMeasure
from portal.strategy.toolkit_files import read_toolkit_json

SUPPORTED_SCHEMA_VERSION = 1
REQUIRED_KEYS = ("schema_version", "generated_at", "area", "months", "baseline_to", "measures")
MEASURE_KEYS = ("key", "name", "source", "geography", "available", "series", "chart", "detectable")


class MonitoringError(ValueError):
    """The monitoring table cannot be published as it stands; nothing has been stored."""


def read_monitoring(path: Path) -> dict:
    table = read_toolkit_json(
        path,
        required_keys=REQUIRED_KEYS,
        schema_version=SUPPORTED_SCHEMA_VERSION,
        error=MonitoringError,
        written_by="vru monitor --out FILE",
    )
    for position, measure in enumerate(table["measures"]):
        absent = [key for key in MEASURE_KEYS if key not in measure]
        if absent:
            raise MonitoringError(f"{path}: measure {position + 1} lacks {absent}")
    return table


def publish_monitoring(path: Path, area_code: str | None = None) -> list:
    """Store the table's measures for its area, replacing what was there. Returns the new rows."""
    table = read_monitoring(path)
    code = table["area"]["code"]
    if area_code and code != area_code:
        raise MonitoringError(f"{path} is for {code}, not {area_code}")
    now = timezone.now()
    rows = [
        MonitoringMeasure(
            area_code=code,
            key=measure["key"],
            position=position,
            name=measure["name"],
            source=measure["source"],
            geography=measure["geography"],
            available=bool(measure["available"]),
            missing_reason=measure.get("missing_reason", ""),
            baseline_from=measure.get("baseline_from", ""),
            baseline_to=measure.get("baseline_to", ""),
            series=measure["series"],
            chart={**(measure["chart"] or {}), "notes": measure.get("notes", []), "places": measure.get("places", [])},
            detectable=measure["detectable"] or {},
            published_at=now,
        )
        for position, measure in enumerate(table["measures"])
    ]
    with transaction.atomic():
        MonitoringMeasure.objects.filter(area_code=code).delete()
        MonitoringMeasure.objects.bulk_create(rows)
    return rows
