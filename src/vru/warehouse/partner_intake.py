"""Local partner data (vru.sources.partner_intake) in the warehouse: uploads, their records, which sources
staff marked publishable, and the data-quality scorecard.

`write_uploads` runs inside the caller's transaction. An upload replaces the organisation's earlier
records of the same kind for the months it covers (a corrected month is sent again whole).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from vru.sources.partner_intake import TEMPLATES, IntakeFile, record_rows


def write_uploads(
    con: duckdb.DuckDBPyConnection, uploads: list[IntakeFile], organisation: str, received_at: datetime
) -> list[dict]:
    """Write each validated upload; the caller holds the transaction. Returns one summary per upload."""
    summaries = []
    for upload in uploads:
        kind = upload.template.kind
        months = upload.months
        placeholders = ", ".join("?" for _ in months)
        ((replaced,),) = con.execute(
            f"SELECT count(*) FROM partner_record WHERE organisation = ? AND kind = ? AND month IN ({placeholders})",
            [organisation, kind, *months],
        ).fetchall()
        con.execute(
            f"DELETE FROM partner_record WHERE organisation = ? AND kind = ? AND month IN ({placeholders})",
            [organisation, kind, *months],
        )
        ((upload_id,),) = con.execute(
            "INSERT INTO partner_upload (organisation, kind, source_file, source_sha256, received_at, rows_loaded, "
            "months, replaced_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING upload_id",
            [organisation, kind, upload.name, upload.sha256, received_at, len(upload.rows),
             ",".join(month[:7] for month in months), replaced],
        ).fetchall()  # fmt: skip
        frame = pd.DataFrame(record_rows(upload))
        frame.insert(0, "upload_id", upload_id)
        frame.insert(1, "organisation", organisation)
        frame.insert(2, "kind", kind)
        frame["month"] = pd.to_datetime(frame["month"]).dt.date
        # DuckDB reads the frame by its variable name: no register/unregister to fail in an aborted transaction.
        new_records = frame  # noqa: F841
        con.execute("INSERT INTO partner_record SELECT * FROM new_records")
        summaries.append(
            {"upload_id": upload_id, "file": upload.name, "kind": kind, "rows": len(upload.rows),
             "months": [month[:7] for month in months], "replaced_rows": replaced}
        )  # fmt: skip
    return summaries


def mark_publishable(
    con: duckdb.DuckDBPyConnection, organisation: str, kind: str, publishable: bool, marked_by: str, when: datetime
) -> None:
    con.execute(
        "INSERT OR REPLACE INTO partner_publishable VALUES (?, ?, ?, ?, ?)",
        [organisation, kind, publishable, marked_by, when],
    )


def publishable_sources(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute("SELECT organisation, kind FROM partner_publishable WHERE publishable").fetchall()
    return {(organisation, kind) for organisation, kind in rows}


def read_quality_records(con: duckdb.DuckDBPyConnection, organisation: str | None = None) -> pd.DataFrame:
    """Every record held (or one partner's), with what vru.analysis.partner_quality.scorecard scores."""
    located = [kind for kind, template in TEMPLATES.items() if template.has_lsoa]
    query = (
        "SELECT r.organisation, r.kind, r.month, u.received_at, r.record_key, r.completeness, "
        f"CASE WHEN r.kind IN ({', '.join('?' for _ in located)}) THEN r.lsoa21_code IS NOT NULL END AS geocoded, "
        "r.count FROM partner_record r JOIN partner_upload u USING (upload_id)"
    )
    parameters: list[str] = list(located)
    if organisation is not None:
        query += " WHERE r.organisation = ?"
        parameters.append(organisation)
    return con.execute(query + " ORDER BY u.received_at, r.line", parameters).df()


def partner_and_police_by_lsoa(
    con: duckdb.DuckDBPyConnection,
    organisation: str,
    kind: str,
    lsoas: list[str],
    crime_types: list[str],
    months: list | None = None,
) -> tuple[pd.Series, pd.Series]:
    """A partner's counts by LSOA 2021 (records placed in one of `lsoas`) and police.uk street crimes of
    `crime_types` in the same LSOAs and the same months (the partner's months, or `months` where given: both
    sides are then restricted to them), for vru.analysis.partner_quality's comparison."""
    marks = ", ".join("?" for _ in lsoas)
    if months is None:
        months = partner_months(con, organisation, kind)
    month_marks = ", ".join("?" for _ in months) or "NULL"
    partner = con.execute(
        "SELECT lsoa21_code, sum(count) AS n FROM partner_record WHERE organisation = ? AND kind = ? "
        f"AND lsoa21_code IN ({marks}) AND month IN ({month_marks}) GROUP BY 1",
        [organisation, kind, *lsoas, *months],
    ).df()
    police = con.execute(
        f"SELECT lsoa21_code, count(*) AS n FROM street_crime WHERE lsoa21_code IN ({marks}) "
        f"AND month IN ({month_marks}) "
        f"AND crime_type IN ({', '.join('?' for _ in crime_types)}) GROUP BY 1",
        [*lsoas, *months, *crime_types],
    ).df()
    return (
        partner.set_index("lsoa21_code")["n"].astype(int).rename("partner"),
        police.set_index("lsoa21_code")["n"].astype(int).rename("police"),
    )


def partner_months(con: duckdb.DuckDBPyConnection, organisation: str, kind: str) -> list:
    """The months (first days) a partner's records of one kind cover, in order."""
    return [
        month
        for (month,) in con.execute(
            "SELECT DISTINCT month FROM partner_record WHERE organisation = ? AND kind = ? ORDER BY 1",
            [organisation, kind],
        ).fetchall()
    ]


def located_partner_sources(con: duckdb.DuckDBPyConnection, lsoas: list[str]) -> list[tuple[str, str, int]]:
    """(organisation, kind, records) of every partner source with records placed in one of `lsoas`."""
    located = [kind for kind, template in TEMPLATES.items() if template.has_lsoa]
    return [
        (organisation, kind, int(records))
        for organisation, kind, records in con.execute(
            "SELECT organisation, kind, count(*) FROM partner_record "
            f"WHERE kind IN ({', '.join('?' for _ in located)}) "
            f"AND lsoa21_code IN ({', '.join('?' for _ in lsoas) or 'NULL'}) GROUP BY 1, 2 ORDER BY 1, 2",
            [*located, *lsoas],
        ).fetchall()
    ]


def police_months(con: duckdb.DuckDBPyConnection, force: str) -> set:
    """The months police.uk street crimes of the force are loaded for."""
    return {
        month for (month,) in con.execute("SELECT DISTINCT month FROM street_crime WHERE force = ?", [force]).fetchall()
    }
