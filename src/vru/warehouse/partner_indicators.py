"""Published partner indicators (vru.sources.partner_la) in the warehouse: `partner_indicator`, their
definitions, DfE statistical neighbours, and the local authority populations that counts published without a
denominator are divided by.

`write_indicator_files` runs inside the caller's transaction (vru.warehouse.partner loads every partner
file of a run in one): each publication FILE given replaces the rows that file gave before (its
`source_file` name), so loading the same folder twice leaves the same rows, and another edition of the
same source (a new NEET year, say) sits beside the old one. Statistical neighbours and local authority
populations come with the package (`dfe_statistical_neighbours_2025.csv`,
`local_authority_population_mid2020.csv`, see docs/partner-data.md) and are written with them.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from vru.sources.partner_la import DEFINITION_COLUMNS, INDICATOR_COLUMNS, PUBLICATIONS, PartnerLaFile

TABLE = "partner_indicator"
STATISTICAL_NEIGHBOURS = Path(__file__).resolve().parents[1] / "sources" / "dfe_statistical_neighbours_2025.csv"
AREA_POPULATION = Path(__file__).resolve().parents[1] / "sources" / "local_authority_population_mid2020.csv"


def publication_label(source: str) -> str:
    publication = PUBLICATIONS[source]
    return f"{publication.publisher}: {publication.title} ({publication.published})"


def write_indicator_files(con: duckdb.DuckDBPyConnection, reads: list[PartnerLaFile], loaded_at: datetime) -> dict:
    """Replace each file's rows; return {file name: (rows written, rows replaced)}. Caller holds the
    transaction."""
    written = {}
    for read in reads:
        frame = read.frame.copy()
        frame["publication"] = publication_label(read.source)
        frame["source_file"] = read.path.name
        frame["source_sha256"] = read.sha256
        frame["loaded_at"] = pd.Timestamp(loaded_at)
        frame["year"] = frame["year"].astype("Int64")
        for column in ("numerator", "denominator", "value"):
            frame[column] = pd.to_numeric(frame[column], errors="raise").astype("float64")
        columns = [*INDICATOR_COLUMNS, "publication", "source_file", "source_sha256", "loaded_at"]
        ((before,),) = con.execute(f"SELECT count(*) FROM {TABLE} WHERE source_file = ?", [read.path.name]).fetchall()
        con.execute(f"DELETE FROM {TABLE} WHERE source_file = ?", [read.path.name])
        # DuckDB reads the frame by its variable name: no register/unregister to fail in an aborted transaction.
        indicator_rows = frame[columns]  # noqa: F841
        con.execute(f"INSERT INTO {TABLE} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM indicator_rows")
        definitions = read.definitions.copy()
        definitions["name"] = definitions["name"].fillna(definitions["indicator"])
        # DuckDB reads the frame by its variable name: no register/unregister to fail in an aborted transaction.
        definition_rows = definitions[DEFINITION_COLUMNS]  # noqa: F841
        con.execute(
            "INSERT OR REPLACE INTO partner_indicator_definition SELECT "
            + ", ".join(DEFINITION_COLUMNS)
            + " FROM definition_rows"
        )
        written[read.path.name] = (len(frame), before)
    if reads:
        write_statistical_neighbours(con)
        write_area_population(con)
    return written


def statistical_neighbours() -> pd.DataFrame:
    with STATISTICAL_NEIGHBOURS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    frame = pd.DataFrame(rows)
    frame["rank"] = frame["rank"].astype(int)
    return frame


def write_statistical_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    frame = statistical_neighbours()
    con.execute("DELETE FROM partner_statistical_neighbour")
    # DuckDB reads the frame by its variable name: no register/unregister to fail in an aborted transaction.
    neighbour_rows = frame  # noqa: F841
    con.execute(
        "INSERT INTO partner_statistical_neighbour SELECT area_code, neighbour_code, rank, closeness, source "
        "FROM neighbour_rows"
    )


def write_area_population(con: duckdb.DuckDBPyConnection) -> None:
    # dtype=str and an explicit cast: the file is read exactly as written.
    population_rows = pd.read_csv(AREA_POPULATION, dtype=str, keep_default_na=False)  # noqa: F841
    con.execute("DELETE FROM partner_area_population")
    con.execute(
        "INSERT INTO partner_area_population SELECT area_code, area_name, CAST(year AS INTEGER), "
        "CAST(population AS DOUBLE), basis FROM population_rows"
    )


def area_population(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """area_code, area_name, year, population, basis: the latest estimate of each local authority district."""
    return con.execute(
        "SELECT * FROM partner_area_population "
        "QUALIFY row_number() OVER (PARTITION BY area_code ORDER BY year DESC) = 1 ORDER BY area_code"
    ).df()


def read_indicator_everywhere(con: duckdb.DuckDBPyConnection, source: str, indicator: str) -> pd.DataFrame:
    """One indicator's rows for every area that publishes it (read_indicators' columns)."""
    return con.execute(
        f"SELECT i.*, d.name, d.definition, d.polarity, d.owner, d.link, d.updated FROM {TABLE} i "
        "LEFT JOIN partner_indicator_definition d USING (source, indicator) WHERE i.source = ? AND i.indicator = ? "
        "ORDER BY area_code, year, period",
        [source, indicator],
    ).df()


def read_indicators(
    con: duckdb.DuckDBPyConnection, area_codes: list[str], sources: list[str] | None = None
) -> pd.DataFrame:
    """Rows for the given areas (and sources), with each indicator's definition, ordered for reading."""
    query = (
        f"SELECT i.*, d.name, d.definition, d.polarity, d.owner, d.link, d.updated FROM {TABLE} i "
        "LEFT JOIN partner_indicator_definition d USING (source, indicator) WHERE i.area_code IN "
        f"({', '.join('?' for _ in area_codes)})"
    )
    parameters: list = list(area_codes)
    if sources:
        query += f" AND i.source IN ({', '.join('?' for _ in sources)})"
        parameters += sources
    return con.execute(query + " ORDER BY source, indicator, area_code, year, period", parameters).df()


def neighbours_of(con: duckdb.DuckDBPyConnection, area_code: str) -> list[str]:
    rows = con.execute(
        "SELECT neighbour_code FROM partner_statistical_neighbour WHERE area_code = ? ORDER BY rank", [area_code]
    ).fetchall()
    return [code for (code,) in rows]
