"""Stores a coverage report from the toolkit in the portal database (used by `manage.py publish_coverage`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.insights.coverage import SUPPORTED_SCHEMA_VERSION
from portal.insights.models import PublishedCoverage

REQUIRED_KEYS = ("schema_version", "area", "months", "rows_per_month", "totals", "units")


class CoverageReportError(ValueError):
    """The report is not one this portal can publish; nothing has been stored."""


def _aware(moment: str, where: str) -> datetime:
    parsed = parse_datetime(moment)
    if parsed is None:
        raise CoverageReportError(f"{where}: {moment!r} is not an ISO 8601 date and time")
    # The warehouse stores TIMESTAMPTZ, so an offset is expected; a bare time is taken as UTC.
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def publish_coverage_report(report: Mapping, *, area_code: str, warehouse_path: str) -> PublishedCoverage:
    """Check `report` (the dict vru.warehouse.coverage.coverage_report returns) and store it.

    Raises CoverageReportError, storing nothing, when the report is not JSON, has another schema version,
    lacks a section or is for another area.
    """
    try:
        # Round-trip through JSON so what is stored is exactly what the pages will read back.
        payload = json.loads(json.dumps(report))
    except (TypeError, ValueError) as error:
        raise CoverageReportError(f"the report cannot be stored as JSON: {error}") from error

    missing_keys = [key for key in REQUIRED_KEYS if key not in payload]
    if missing_keys:
        raise CoverageReportError(f"the report has no {', '.join(missing_keys)}")
    if payload["schema_version"] != SUPPORTED_SCHEMA_VERSION:
        raise CoverageReportError(
            f"the report has schema version {payload['schema_version']!r}; this portal shows version "
            f"{SUPPORTED_SCHEMA_VERSION}. Upgrade the portal and the toolkit together."
        )
    area = payload["area"]
    if area is not None and area.get("code") != area_code:
        raise CoverageReportError(f"the report is for area {area.get('code')!r}, not {area_code!r}")

    ingest_times = [
        _aware(unit["ingested_at"], f"units[{index}].ingested_at") for index, unit in enumerate(payload["units"])
    ]
    return PublishedCoverage.objects.create(
        area_code=area_code,
        area_name=(area or {}).get("name") or "",
        payload=payload,
        warehouse_path=warehouse_path,
        ingested_at=max(ingest_times, default=None),
    )
