"""The warehouse queries of the assessment: each reads the DuckDB warehouse and returns a plain frame (or a few
values); none computes a method. `vru.assessment.run` hands the frames to the pure functions in `vru.analysis`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import geopandas as gpd
import pandas as pd
from shapely import wkt

from vru.warehouse.coverage import area_lsoas

POPULATION_YEAR = 2020
BETWEEN_MONTHS = "month BETWEEN CAST(? || '-01' AS DATE) AND CAST(? || '-01' AS DATE)"


class AssessmentError(ValueError):
    pass


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    lsoas: list[str]
    force: str  # police.uk force slug, e.g. avon-and-somerset
    pfa_code: str
    pfa_name: str


@dataclass(frozen=True)
class Scope:
    """The rows of street_crime an assessment reads: the area, the period and the profile's categories."""

    area: Area
    first_month: str
    last_month: str
    categories: list[str]

    @property
    def where(self) -> str:
        """SQL restricting street_crime to the area and period. A force area takes every row of the force, with
        those that have no location; smaller areas take rows whose LSOA is in the area."""
        place = (
            "force = ?" if self.area.level == "pfa" else "force = ? AND lsoa21_code IN (SELECT unnest(?::VARCHAR[]))"
        )
        return f"{place} AND {BETWEEN_MONTHS}"

    @property
    def params(self) -> list:
        place = [self.area.force] if self.area.level == "pfa" else [self.area.force, self.area.lsoas]
        return [*place, self.first_month, self.last_month]

    @property
    def in_profile(self) -> str:
        return f"crime_type IN ({', '.join('?' for _ in self.categories)})"


def resolve_area(con: duckdb.DuckDBPyConnection, area_code: str) -> Area:
    described, lsoas = area_lsoas(con, area_code)
    forces = con.execute(
        """
        SELECT DISTINCT c.pfa_code, c.pfa_name FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [lsoas],
    ).fetchall()
    if len(forces) != 1:
        raise AssessmentError(f"{area_code} spans {len(forces)} police force areas; assess each force's part")
    pfa_code, pfa_name = forces[0]
    return Area(
        code=area_code,
        name=described["name"],
        level=described["level"],
        lsoas=lsoas,
        force=police_uk_force_id(pfa_name),
        pfa_code=pfa_code,
        pfa_name=pfa_name,
    )


def months_loaded(con, force: str, months: list[str]) -> list[str]:
    """Those of `months` for which the force's police.uk street file is loaded."""
    loaded = {
        month
        for (month,) in con.execute(
            "SELECT strftime(month, '%Y-%m') FROM ingest_unit WHERE kind = 'street' AND force = ?", [force]
        ).fetchall()
    }
    return [month for month in months if month in loaded]


def availability(con, force: str, months: list[str]) -> dict[str, dict]:
    """What `vru fetch --check-available` recorded about the force's months (via `vru ingest`): month ->
    {published, reason, checked_at}. A warehouse written before the table existed, opened read-only, has none."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'police_uk_availability'"
    ).fetchone()[0]
    if not exists or not months:
        return {}
    rows = con.execute(
        """
        SELECT strftime(month, '%Y-%m'), published, reason, checked_at FROM police_uk_availability
        WHERE force = ? AND strftime(month, '%Y-%m') IN (SELECT unnest(?::VARCHAR[]))
        """,
        [force, months],
    ).fetchall()
    return {
        month: {"published": published, "reason": reason, "checked_at": at} for month, published, reason, at in rows
    }


def population(con, lsoas: list[str]) -> pd.DataFrame:
    return con.execute(
        """
        SELECT lsoa21_code, population_total, population_10_24 FROM ref_population_lsoa21
        WHERE year = ? AND lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [POPULATION_YEAR, lsoas],
    ).df()


def counts_by_month(con, scope: Scope) -> pd.DataFrame:
    """month, category, count for every police.uk category with rows."""
    return con.execute(
        f"""
        SELECT strftime(month, '%Y-%m') AS month, crime_type AS category, count(*) AS count
        FROM street_crime WHERE {scope.where} GROUP BY ALL
        """,
        scope.params,
    ).df()


def lsoa_counts_by_year(con, scope: Scope) -> pd.DataFrame:
    """lsoa21_code, year, count of the profile (rows with an LSOA)."""
    return con.execute(
        f"""
        SELECT lsoa21_code, strftime(month, '%Y') AS year, count(*) AS count
        FROM street_crime WHERE {scope.where} AND {scope.in_profile} AND lsoa21_code IS NOT NULL
        GROUP BY ALL
        """,
        [*scope.params, *scope.categories],
    ).df()


def ward_category_counts(con, scope: Scope) -> pd.DataFrame:
    """ward_code, category, year, count of the profile (rows with an LSOA; a ward is the best fit of its
    LSOAs, as in the ward table)."""
    return con.execute(
        f"""
        WITH profile AS (
            SELECT lsoa21_code, crime_type, month FROM street_crime
            WHERE {scope.where} AND {scope.in_profile} AND lsoa21_code IS NOT NULL
        )
        SELECT a.ward_code, p.crime_type AS category, strftime(p.month, '%Y') AS year, count(*) AS count
        FROM profile AS p JOIN ref_lsoa21_area AS a USING (lsoa21_code)
        GROUP BY ALL
        """,
        [*scope.params, *scope.categories],
    ).df()


def lsoa_reference(con, lsoas: list[str]) -> pd.DataFrame:
    """One row per LSOA: names, ward, local authority, population and IMD deciles."""
    return con.execute(
        """
        SELECT a.lsoa21_code, a.lsoa21_name, a.ward_code, a.ward_name, a.lad_code, a.lad_name,
               p.population_total, p.population_10_24,
               i19.decile AS imd2019_decile, i25.decile AS imd2025_decile, i25.score AS imd2025_score
        FROM ref_lsoa21_area AS a
        LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = a.lsoa21_code AND p.year = ?
        LEFT JOIN ref_imd_lsoa21 AS i19 ON i19.lsoa21_code = a.lsoa21_code AND i19.edition = 2019 AND i19.domain = 'imd'
        LEFT JOIN ref_imd_lsoa21 AS i25 ON i25.lsoa21_code = a.lsoa21_code AND i25.edition = 2025 AND i25.domain = 'imd'
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY a.lsoa21_code
        """,
        [POPULATION_YEAR, lsoas],
    ).df()


def boundaries(con, layer: str, codes: list[str]) -> gpd.GeoDataFrame:
    """Outlines (WGS84) of `codes` in a boundary layer: code, name, geometry."""
    rows = con.execute(
        """
        SELECT code, name, geometry_wkt FROM ref_boundary
        WHERE layer = ? AND code IN (SELECT unnest(?::VARCHAR[])) ORDER BY code
        """,
        [layer, codes],
    ).fetchall()
    return gpd.GeoDataFrame(
        {"code": [r[0] for r in rows], "name": [r[1] for r in rows]},
        geometry=[wkt.loads(r[2]) for r in rows],
        crs="EPSG:4326",
    )


def local_authorities(con, lsoas: list[str]) -> list[str]:
    return [
        code
        for (code,) in con.execute(
            "SELECT DISTINCT lad_code FROM ref_lsoa21_area WHERE lsoa21_code IN (SELECT unnest(?::VARCHAR[]))",
            [lsoas],
        ).fetchall()
    ]


def locations(con, scope: Scope) -> pd.DataFrame:
    """Profile counts per snap point, over every snap point with any street crime in the area and period
    (so points with none of the profile count as zero)."""
    return con.execute(
        f"""
        SELECT location, lsoa21_code, longitude, latitude,
               count(*) FILTER (WHERE {scope.in_profile}) AS count, count(*) AS all_crime
        FROM street_crime
        WHERE {scope.where} AND longitude IS NOT NULL
        GROUP BY ALL ORDER BY count DESC, location, longitude, latitude
        """,
        [*scope.categories, *scope.params],
    ).df()


def outcomes(con, scope: Scope) -> pd.DataFrame:
    """year, category, outcome, count for the profile."""
    return con.execute(
        f"""
        SELECT strftime(month, '%Y') AS year, crime_type AS category, last_outcome_category AS outcome,
               count(*) AS count
        FROM street_crime WHERE {scope.where} AND {scope.in_profile} GROUP BY ALL
        """,
        [*scope.params, *scope.categories],
    ).df()


def imd_domains(con, lsoas: list[str]) -> pd.DataFrame:
    """lsoa21_code, domain, score of the IMD 2025 domains."""
    return con.execute(
        """
        SELECT lsoa21_code, domain, score FROM ref_imd_lsoa21
        WHERE edition = 2025 AND lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [lsoas],
    ).df()


def force_lsoa_counts(con, scope: Scope) -> pd.DataFrame:
    """One row per LSOA of the force: lsoa21_code, csp_code, csp_name, count of the profile (rows with a
    location in the LSOA, from the force's files) and population. A district in several partnerships
    gives its LSOAs one row per partnership."""
    area = scope.area
    return con.execute(
        f"""
        WITH lsoa_csp AS (
            SELECT DISTINCT a.lsoa21_code, c.csp_code, c.csp_name
            FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code) WHERE c.pfa_code = ?
        ),
        counts AS (
            SELECT lsoa21_code, count(*) AS count FROM street_crime
            WHERE force = ? AND {BETWEEN_MONTHS} AND {scope.in_profile}
            GROUP BY ALL
        )
        SELECT l.lsoa21_code, l.csp_code, l.csp_name, coalesce(c.count, 0) AS count,
               coalesce(p.population_total, 0) AS population
        FROM lsoa_csp AS l
        LEFT JOIN counts AS c USING (lsoa21_code)
        LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = l.lsoa21_code AND p.year = ?
        ORDER BY l.csp_code, l.lsoa21_code
        """,
        [area.pfa_code, area.force, scope.first_month, scope.last_month, *scope.categories, POPULATION_YEAR],
    ).df()


def monthly_area_and_rest(con, scope: Scope, months: list[str]) -> pd.DataFrame:
    """Profile counts by month in the area and in the rest of its force (rows with a location in the force's
    LSOAs, from the force's files): month, area, rest."""
    area = scope.area
    return con.execute(
        f"""
        WITH force_lsoas AS (
            SELECT DISTINCT a.lsoa21_code FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)
            WHERE c.pfa_code = ?
        )
        SELECT strftime(month, '%Y-%m') AS month,
               count(*) FILTER (WHERE lsoa21_code IN (SELECT unnest(?::VARCHAR[]))) AS area,
               count(*) FILTER (WHERE lsoa21_code NOT IN (SELECT unnest(?::VARCHAR[]))) AS rest
        FROM street_crime
        WHERE force = ? AND {scope.in_profile}
          AND lsoa21_code IN (SELECT lsoa21_code FROM force_lsoas)
          AND strftime(month, '%Y-%m') IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY ALL ORDER BY month
        """,
        [area.pfa_code, area.lsoas, area.lsoas, area.force, *scope.categories, months],
    ).df()


def whole_partnership(con, area: Area) -> str | None:
    """The partnership the area is, when it is one: a partnership, or a district that is one whole partnership."""
    if area.level == "csp":
        return area.code
    rows = con.execute(
        """
        SELECT c.csp_code, count(DISTINCT a.lsoa21_code) FROM ref_lsoa21_area AS a
        JOIN ref_lad_csp_pfa AS c USING (lad_code)
        WHERE c.csp_code IN (
            SELECT DISTINCT c2.csp_code FROM ref_lsoa21_area AS a2 JOIN ref_lad_csp_pfa AS c2 USING (lad_code)
            WHERE a2.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        )
        GROUP BY ALL
        """,
        [area.lsoas],
    ).fetchall()
    if len(rows) == 1 and rows[0][1] == len(area.lsoas):
        return rows[0][0]
    return None


def months_by_force(con) -> dict[str, set[str]]:
    """The street months loaded for every force: {force: {'YYYY-MM', ...}}."""
    loaded: dict[str, set[str]] = {}
    for force, month in con.execute(
        "SELECT force, strftime(month, '%Y-%m') FROM ingest_unit WHERE kind = 'street' GROUP BY ALL"
    ).fetchall():
        loaded.setdefault(force, set()).add(month)
    return loaded


def partnerships(con, pfa_code: str) -> list[tuple[str, str]]:
    """(code, name) of every community safety partnership in the force area."""
    return con.execute(
        "SELECT DISTINCT csp_code, csp_name FROM ref_lad_csp_pfa WHERE pfa_code = ? ORDER BY 1", [pfa_code]
    ).fetchall()


def partnership_of(con, area: Area) -> str:
    codes = con.execute(
        """
        SELECT DISTINCT c.csp_code FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)
        WHERE a.lsoa21_code IN (SELECT unnest(?::VARCHAR[]))
        """,
        [area.lsoas],
    ).fetchall()
    return codes[0][0]


def police_uk_files(con, force: str) -> pd.DataFrame:
    return con.execute(
        """
        SELECT strftime(month, '%Y-%m') AS month, source_file, source_sha256,
               strftime(ingested_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS ingested_at
        FROM ingest_unit WHERE force = ? AND kind = 'street' ORDER BY month
        """,
        [force],
    ).df()


def reference_files(con) -> pd.DataFrame:
    return con.execute("SELECT table_name, source_file, source_sha256, rows_loaded FROM ref_source ORDER BY ALL").df()


# police.uk force ids that do not follow from the ONS police force area name.
FORCE_IDS = {"Metropolitan Police": "metropolitan", "London, City of": "city-of-london"}


def police_uk_force_id(pfa_name: str) -> str:
    """police.uk's force id from the ONS police force area name ('Devon & Cornwall' → 'devon-and-cornwall')."""
    if pfa_name in FORCE_IDS:
        return FORCE_IDS[pfa_name]
    return re.sub(r"[^a-z0-9]+", "-", pfa_name.lower().replace("&", "and")).strip("-")


def national_lsoa_counts(con, months: Sequence[str], categories: Sequence[str]) -> pd.DataFrame:
    """One row per LSOA 2021 in every partnership of England and Wales: csp, force, count of the profile
    in `months` (from the partnership's own force's files), residents, aged 10-24 and 65+, IMD 2025 score."""
    names = [row[0] for row in con.execute("SELECT DISTINCT pfa_name FROM ref_lad_csp_pfa").fetchall()]
    forces = pd.DataFrame({"pfa_name": names, "force": [police_uk_force_id(name) for name in names]})
    placeholders = ", ".join("?" for _ in categories)
    con.register("national_force_ids", forces)
    try:
        return con.execute(
            f"""
            WITH lsoa AS (
                SELECT DISTINCT a.lsoa21_code, c.csp_code, c.csp_name, c.pfa_code, c.pfa_name, f.force
                FROM ref_lsoa21_area AS a JOIN ref_lad_csp_pfa AS c USING (lad_code)
                JOIN national_force_ids AS f USING (pfa_name)
            ),
            counts AS (
                SELECT lsoa21_code, force, count(*) AS count FROM street_crime
                WHERE strftime(month, '%Y-%m') IN (SELECT unnest(?::VARCHAR[])) AND crime_type IN ({placeholders})
                  AND lsoa21_code IS NOT NULL
                GROUP BY ALL
            ),
            old AS (
                SELECT lsoa21_code, sum(population) AS population_65_plus FROM ref_population_age
                WHERE year = ? AND age >= 65 GROUP BY ALL
            )
            SELECT l.*, coalesce(c.count, 0) AS count, p.population_total, p.population_10_24,
                   o.population_65_plus, i.score AS imd2025_score
            FROM lsoa AS l
            LEFT JOIN counts AS c ON c.lsoa21_code = l.lsoa21_code AND c.force = l.force
            LEFT JOIN ref_population_lsoa21 AS p ON p.lsoa21_code = l.lsoa21_code AND p.year = ?
            LEFT JOIN old AS o ON o.lsoa21_code = l.lsoa21_code
            LEFT JOIN ref_imd_lsoa21 AS i
                ON i.lsoa21_code = l.lsoa21_code AND i.edition = 2025 AND i.domain = 'imd'
            ORDER BY l.csp_code, l.lsoa21_code
            """,
            [list(months), *categories, POPULATION_YEAR, POPULATION_YEAR],
        ).df()
    finally:
        con.unregister("national_force_ids")
