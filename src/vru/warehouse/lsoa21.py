"""Map the LSOA codes police.uk publishes to LSOA 2021, so every month aggregates on one geography.

Recent files use 2021 codes; older ones still carry 2011 codes. With the ONS 2011→2021 lookup loaded:
* a 2021 code is kept (`published-2021`);
* a 2011 code that was unchanged or merged has one 2021 code (`from-2011-u`, `from-2011-m`);
* a 2011 code that was split (or changed in a complex way) has several 2021 codes: the row goes to the
  2021 LSOA whose boundary contains its snap point (`split-point-in-polygon`), else the nearest one
  (`split-nearest-boundary`); without 2021 boundaries for those LSOAs, to the first by code
  (`split-first-child`), which keeps local-authority totals right but may misplace a ward.
Without the lookup the code is kept as published (`as-published-no-lookup`) until `vru reference` runs.
"""

from __future__ import annotations

import duckdb

MAP_TABLE = "lsoa_code_map"
JOIN_CLAUSE = f"LEFT JOIN {MAP_TABLE} AS m ON m.lsoa_code = s.lsoa_code"
POLICE_TABLES_WITH_LSOA = ("street_crime", "outcome")


def prepare_code_map(con: duckdb.DuckDBPyConnection) -> bool:
    """Build the temp code map; False when no lookup is loaded (codes are then kept as published)."""
    loaded = con.execute("SELECT (SELECT count(*) FROM ref_lsoa11_lsoa21) > 0").fetchone()[0]
    if not loaded:
        return False
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {MAP_TABLE} AS
        WITH codes_2021 AS (
            SELECT lsoa21_code FROM ref_lsoa11_lsoa21 UNION SELECT lsoa21_code FROM ref_lsoa21_area
        )
        SELECT lsoa21_code AS lsoa_code, lsoa21_code, 'published-2021' AS method FROM codes_2021
        UNION ALL
        SELECT lsoa11_code,
               CASE WHEN count(DISTINCT lsoa21_code) = 1 THEN any_value(lsoa21_code) END,
               CASE WHEN count(DISTINCT lsoa21_code) = 1 THEN 'from-2011-' || lower(any_value(change_code))
                    ELSE 'split-pending' END
        FROM ref_lsoa11_lsoa21
        WHERE lsoa11_code NOT IN (SELECT lsoa21_code FROM codes_2021)
        GROUP BY lsoa11_code
        """
    )
    return True


def mapped_columns(mapping_ready: bool) -> tuple[str, str]:
    """SQL for (lsoa21_code, lsoa21_method) over staged rows `s`, joined to the map as `m`."""
    if not mapping_ready:
        return (
            "s.lsoa_code",
            "CASE WHEN s.lsoa_code IS NOT NULL THEN 'as-published-no-lookup' END",
        )
    return (
        "CASE WHEN s.lsoa_code IS NOT NULL THEN coalesce(m.lsoa21_code, s.lsoa_code) END",
        "CASE WHEN s.lsoa_code IS NOT NULL THEN coalesce(m.method, 'unknown-code') END",
    )


def resolve_splits(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Give rows marked `split-pending` their 2021 LSOA from their snap point. Returns rows resolved."""
    pending = con.execute(
        f"SELECT rowid, lsoa_code, longitude, latitude FROM {table} WHERE lsoa21_method = 'split-pending'"
    ).fetchall()
    if not pending:
        return 0
    parents = sorted({code for _, code, _, _ in pending})
    children = con.execute(
        """
        SELECT l.lsoa11_code, l.lsoa21_code, b.geometry_wkt
        FROM ref_lsoa11_lsoa21 AS l
        LEFT JOIN ref_boundary AS b ON b.layer = 'lsoa21' AND b.code = l.lsoa21_code
        WHERE l.lsoa11_code IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY l.lsoa11_code, l.lsoa21_code
        """,
        [parents],
    ).fetchall()
    # Imported here: only rows with a split 2011 code need geometry, and shapely takes a while to load.
    from shapely import wkt

    by_parent: dict[str, list[tuple[str, object | None]]] = {}
    for parent, child, geometry in children:
        by_parent.setdefault(parent, []).append((child, wkt.loads(geometry) if geometry else None))

    resolved = []
    for rowid, parent, longitude, latitude in pending:
        resolved.append((rowid, *_choose_child(by_parent[parent], longitude, latitude)))
    con.execute("CREATE OR REPLACE TEMP TABLE split_resolved (row_id BIGINT, code VARCHAR, method VARCHAR)")
    # One statement over three lists: executemany would run one statement per row.
    row_ids, codes, methods = (list(column) for column in zip(*resolved, strict=True))
    con.execute(
        "INSERT INTO split_resolved SELECT unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
        [row_ids, codes, methods],
    )
    con.execute(
        f"""
        UPDATE {table} SET lsoa21_code = r.code, lsoa21_method = r.method
        FROM split_resolved AS r WHERE {table}.rowid = r.row_id
        """
    )
    con.execute("DROP TABLE split_resolved")
    return len(resolved)


def _choose_child(children, longitude, latitude) -> tuple[str, str]:
    with_shapes = [(code, shape) for code, shape in children if shape is not None]
    if len(with_shapes) != len(children) or longitude is None or latitude is None:
        return children[0][0], "split-first-child"
    import shapely

    point = shapely.Point(longitude, latitude)
    for code, shape in with_shapes:
        if shape.covers(point):
            return code, "split-point-in-polygon"
    nearest = min(with_shapes, key=lambda child: child[1].distance(point))
    return nearest[0], "split-nearest-boundary"


def remap_all(con: duckdb.DuckDBPyConnection) -> None:
    """Re-derive lsoa21_code for every police row, e.g. after the lookup or boundaries are (re)loaded."""
    mapping_ready = prepare_code_map(con)
    code, method = mapped_columns(mapping_ready)
    for table in POLICE_TABLES_WITH_LSOA:
        con.execute(
            f"""
            UPDATE {table} SET lsoa21_code = mapped.code, lsoa21_method = mapped.method
            FROM (SELECT s.lsoa_code, {code} AS code, {method} AS method
                  FROM (SELECT DISTINCT lsoa_code FROM {table}) AS s
                  {JOIN_CLAUSE if mapping_ready else ""}) AS mapped
            WHERE {table}.lsoa_code = mapped.lsoa_code
            """
        )
        if mapping_ready:
            resolve_splits(con, table)
