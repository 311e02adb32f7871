"""What the warehouse holds: rows per force, month, kind and crime type; months present and missing.

The format of `coverage_report` is documented in docs/coverage.md (COVERAGE_SCHEMA_VERSION there).
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from vru.months import missing_months

COVERAGE_SCHEMA_VERSION = 1

# Area levels by the GSS code's first three characters (England E, Wales W).
AREA_LEVELS = {
    "E01": "lsoa21",
    "W01": "lsoa21",
    "E05": "ward",
    "W05": "ward",
    "E06": "lad",
    "E07": "lad",
    "E08": "lad",
    "E09": "lad",
    "W06": "lad",
    "E22": "csp",
    "W22": "csp",
    "E23": "pfa",
    "W15": "pfa",
}


class UnknownArea(ValueError):
    pass


def area_lsoas(con: duckdb.DuckDBPyConnection, area_code: str) -> tuple[dict, list[str]]:
    """The area's description and its LSOA 2021 codes, from the loaded lookups."""
    level = AREA_LEVELS.get(area_code[:3])
    # A few districts sit in several partnerships in the ONS lookup (a best fit at district level):
    # their LSOAs count towards each of them, and DISTINCT keeps a force's LSOAs from repeating.
    via_lad = "FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)"
    queries = {
        "lsoa21": "SELECT DISTINCT lsoa21_name, lsoa21_code FROM ref_lsoa21_area WHERE lsoa21_code = ?",
        "ward": "SELECT DISTINCT first(ward_name) OVER (), lsoa21_code FROM ref_lsoa21_area WHERE ward_code = ?",
        "lad": "SELECT DISTINCT first(lad_name) OVER (), lsoa21_code FROM ref_lsoa21_area WHERE lad_code = ?",
        "csp": f"SELECT DISTINCT first(c.csp_name) OVER (), a.lsoa21_code {via_lad} WHERE c.csp_code = ?",
        "pfa": f"SELECT DISTINCT first(c.pfa_name) OVER (), a.lsoa21_code {via_lad} WHERE c.pfa_code = ?",
    }
    if level is None:
        raise UnknownArea(f"{area_code} is not an LSOA, ward, local authority, partnership or police force code")
    rows = con.execute(queries[level] + " ORDER BY 2", [area_code]).fetchall()
    if not rows:
        raise UnknownArea(
            f"{area_code} is not in the loaded reference data: run `vru reference` with the lookups first"
        )
    return {"code": area_code, "name": rows[0][0], "level": level, "lsoa21_count": len(rows)}, [r[1] for r in rows]


def coverage_report(con: duckdb.DuckDBPyConnection, area_code: str | None = None) -> dict:
    area = None
    restrict = ""
    if area_code:
        area, lsoas = area_lsoas(con, area_code)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE coverage_area AS SELECT unnest(?::VARCHAR[]) AS lsoa21_code",
            [lsoas],
        )
        restrict = "WHERE lsoa21_code IN (SELECT lsoa21_code FROM coverage_area)"

    units = con.execute(
        """
        SELECT force, strftime(month, '%Y-%m'), kind, source_file, source_sha256,
               strftime(ingested_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'),
               rows_loaded, rows_quarantined, rows_without_location
        FROM ingest_unit ORDER BY kind, force, month
        """
    ).fetchall()
    unit_fields = (
        "force",
        "month",
        "kind",
        "source_file",
        "source_sha256",
        "ingested_at",
        "rows_loaded",
        "rows_quarantined",
        "rows_without_location",
    )
    unit_dicts = [dict(zip(unit_fields, unit, strict=True)) for unit in units]

    # Stop-and-search rows carry no LSOA, so an area's coverage counts street and outcome rows only.
    parts = [
        f"SELECT force, month, 'street' AS kind, crime_type FROM street_crime {restrict}",
        f"SELECT force, month, 'outcomes' AS kind, NULL AS crime_type FROM outcome {restrict}",
    ]
    if not area_code:
        parts.append("SELECT force, month, 'stop-and-search' AS kind, NULL AS crime_type FROM stop_search")
    counted = con.execute(
        f"""
        SELECT force, strftime(month, '%Y-%m') AS month, kind, crime_type, count(*) AS rows
        FROM ({" UNION ALL ".join(parts)})
        GROUP BY ALL ORDER BY kind, force, month, crime_type
        """
    ).fetchall()
    rows = [
        {"force": force, "month": month, "kind": kind, "crime_type": crime_type, "rows": count}
        for force, month, kind, crime_type, count in counted
    ]

    per_month: dict[tuple[str, str], int] = {}
    for row in rows:
        per_month[(row["month"], row["kind"])] = per_month.get((row["month"], row["kind"]), 0) + row["rows"]
    present = sorted({unit["month"] for unit in unit_dicts})

    series = []
    for force, kind in sorted({(unit["force"], unit["kind"]) for unit in unit_dicts}):
        months = [unit["month"] for unit in unit_dicts if unit["force"] == force and unit["kind"] == kind]
        series.append(
            {
                "force": force,
                "kind": kind,
                "first": months[0],
                "last": months[-1],
                "months_present": len(months),
                "months_missing": missing_months(months),
            }
        )

    quarantine = con.execute(
        """
        SELECT force, strftime(month, '%Y-%m'), kind, reason, count(*) FROM quarantine
        GROUP BY ALL ORDER BY 1, 2, 3, 4
        """
    ).fetchall()
    return {
        "schema_version": COVERAGE_SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "area": area,
        "months": {
            "first": present[0] if present else None,
            "last": present[-1] if present else None,
            "present": present,
            "missing": missing_months(present),
        },
        "series": series,
        "rows_per_month": [
            {"month": month, "kind": kind, "rows": count} for (month, kind), count in sorted(per_month.items())
        ],
        "rows": rows,
        "totals": {
            "rows": sum(row["rows"] for row in rows),
            # Rows without a location or set aside cannot be placed in an area: these are force-wide.
            "rows_without_location": sum(unit["rows_without_location"] for unit in unit_dicts),
            "rows_quarantined": sum(unit["rows_quarantined"] for unit in unit_dicts),
            "totals_scope": "force-wide" if area_code else "warehouse",
        },
        "quarantine": [
            {"force": force, "month": month, "kind": kind, "reason": reason, "rows": count}
            for force, month, kind, reason, count in quarantine
        ],
        "units": unit_dicts,
    }
