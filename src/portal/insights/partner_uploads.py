"""Partner uploads in the portal go through the toolkit's own validator and scorecard (the same code as
`vru partner`). The toolkit is imported inside each function: the web process loads it only when a
partner uploads a file or opens their scorecard."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class CheckedFile:
    accepted: bool
    kind: str = ""
    rows: int = 0
    months: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # line, column, problem
    records: list[dict] = field(default_factory=list)  # vru.sources.partner_intake.record_rows


def check_partner_file(name: str, data: bytes) -> CheckedFile:
    """Validate one uploaded CSV: accepted with its rows, or every problem with line, column and why."""
    from vru.sources.partner_intake import IntakeErrors, record_rows, validate_partner_file

    try:
        checked = validate_partner_file(name, data)
    except IntakeErrors as error:
        problems = [{"line": p.line, "column": p.column or "", "problem": p.problem} for p in error.problems]
        return CheckedFile(accepted=False, problems=problems)
    return CheckedFile(
        accepted=True,
        kind=checked.template.kind,
        rows=len(checked.rows),
        months=[month[:7] for month in checked.months],
        records=record_rows(checked),
    )


def template_titles() -> dict[str, str]:
    from vru.sources.partner_intake import TEMPLATES

    return {kind: template.title for kind, template in TEMPLATES.items()}


def scorecard(uploads: Iterable[tuple[str, str, datetime, list[dict]]]) -> list[dict]:
    """The data-quality scorecard (vru.analysis.partner_quality.scorecard) of one organisation's accepted
    uploads, given oldest first as (organisation, kind, uploaded_at, records). As in the warehouse, a later
    upload replaces the months it holds."""
    import pandas as pd

    from vru.analysis.partner_quality import scorecard as quality_scorecard
    from vru.sources.partner_intake import TEMPLATES

    latest: dict[tuple[str, str, str], tuple[datetime, list[dict]]] = {}
    for organisation, kind, uploaded_at, records in uploads:
        for month in {record["month"] for record in records}:
            latest[(organisation, kind, month)] = (uploaded_at, [r for r in records if r["month"] == month])
    rows = [
        {
            "organisation": organisation,
            "kind": kind,
            "month": month,
            "received_at": uploaded_at,
            "record_key": record["record_key"],
            "completeness": record["completeness"],
            "geocoded": (record["lsoa21_code"] is not None) if TEMPLATES[kind].has_lsoa else None,
            "count": record["count"],
        }
        for (organisation, kind, month), (uploaded_at, records) in sorted(latest.items())
        for record in records
    ]
    card = quality_scorecard(pd.DataFrame(rows))
    return [
        {**row, "geocoded_share": None if pd.isna(row["geocoded_share"]) else float(row["geocoded_share"])}
        for row in card.to_dict("records")
    ]


def export_table(kind: str, records: list[dict]) -> tuple[list[str], list[list]]:
    """An accepted upload's rows as the partner can download them again: the template's columns in the
    template's order, each row as validated (dates and choices as the template writes them)."""
    import json

    from vru.sources.partner_intake import TEMPLATES

    header = list(TEMPLATES[kind].names)
    rows = []
    for record in sorted(records, key=lambda record: record["line"]):
        fields = json.loads(record["fields"])
        rows.append(["" if fields.get(name) is None else fields[name] for name in header])
    return header, rows
