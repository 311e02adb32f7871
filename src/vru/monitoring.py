"""The monitoring table (`vru monitor`): the strategy's success measures for an area, read from the warehouse,
with their SPC charts and minimum detectable changes, written as one JSON file the portal publishes
(`manage.py publish_monitoring`). Methods in vru.analysis.monitoring; format in docs/monitoring.md.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from vru import __version__
from vru.analysis.monitoring import monitoring_measures
from vru.assessment.queries import POPULATION_YEAR, AssessmentError, Scope, months_loaded, resolve_area
from vru.months import check_month, month_range

SCHEMA_VERSION = 1


def monitoring_table(
    con: duckdb.DuckDBPyConnection, area_code: str, first_month: str, last_month: str, baseline_to: str
) -> dict[str, Any]:
    """The monitoring table for `area_code` over the months loaded from `first_month` to `last_month`, the
    limits fixed on the months up to `baseline_to` (the month before the strategy starts)."""
    for month in (first_month, last_month, baseline_to):
        check_month(month)
    if last_month < first_month:
        raise AssessmentError(f"--to {last_month} is before --from {first_month}")
    area = resolve_area(con, area_code)
    expected = month_range(first_month, last_month)
    present = months_loaded(con, area.force, expected)
    if not present:
        raise AssessmentError(f"no police.uk street data for {area.force} between {first_month} and {last_month}")
    scope = Scope(area, first_month, last_month, [])
    counts = con.execute(
        f"""
        SELECT strftime(month, '%Y-%m') AS month, lsoa21_code, crime_type, count(*) AS count
        FROM street_crime WHERE {scope.where} AND lsoa21_code IS NOT NULL GROUP BY ALL
        """,
        scope.params,
    ).df()
    lsoas = con.execute(
        """
        SELECT a.lsoa21_code, a.lsoa21_name, coalesce(p.population_10_24, 0) AS population_10_24
        FROM ref_lsoa21_area AS a
        LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = a.lsoa21_code AND p.year = ?
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY a.lsoa21_code
        """,
        [POPULATION_YEAR, area.lsoas],
    ).df()
    table = monitoring_measures(
        counts,
        lsoas,
        present,
        baseline_to,
        missing_months=[month for month in expected if month not in present],
        area_name=area.name,
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "toolkit_version": __version__,
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "period": {"from": first_month, "to": last_month},
        "population_year": POPULATION_YEAR,
        **table,
    }


def write_monitoring(table: dict[str, Any], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
