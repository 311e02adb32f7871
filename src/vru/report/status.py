"""The report's publication status: a draft for the partnership board (the default), or a version approved
for publication, by whom and on what date. The cover, the page description, the closing line and every PDF
page's footer say which; the draft's wording ("not for publication ...") is never on an approved report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vru.presentation.formatting import long_date


class StatusError(ValueError):
    """An approval described incompletely (no date, no approver)."""


@dataclass(frozen=True)
class ReportStatus:
    """`approved_on` None: a draft. Otherwise approved on that date by `approved_by` (a role and/or a name,
    for example "Assessment approver (April Jones)"), as `version` when the portal numbered it."""

    approved_on: date | None = None
    approved_by: str = ""
    version: int | None = None

    def __post_init__(self) -> None:
        if self.approved_on is not None and not self.approved_by.strip():
            raise StatusError("an approved report must say who approved it (--approved-by ROLE/NAME)")
        if self.approved_on is None and (self.approved_by or self.version):
            raise StatusError("a draft has no approver or version: give --status approved with --approved-on")
        if self.version is not None and self.version < 1:
            raise StatusError(f"the version must be 1 or more (got {self.version})")

    @classmethod
    def approved(cls, approved_on: date, approved_by: str, version: int | None = None) -> ReportStatus:
        return cls(approved_on=approved_on, approved_by=" ".join(approved_by.split()), version=version)

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None

    @property
    def label(self) -> str:
        """Short: the PDF page footer, the page description and the closing line."""
        if not self.is_approved:
            return "Draft for the partnership board"
        version = f"Version {self.version}, approved" if self.version else "Approved"
        return f"{version} for publication on {long_date(self.approved_on.isoformat())}"

    @property
    def cover_heading(self) -> str:
        if not self.is_approved:
            return "Status: draft for the partnership board."
        return f"Status: {self.label[0].lower()}{self.label[1:]}."

    @property
    def cover_text(self) -> str:
        if not self.is_approved:
            return "Not yet agreed by the partnership; not for publication until the board has reviewed it."
        return f"Approved by {self.approved_by}."

    @property
    def footer_css(self) -> str:
        """The label as a CSS string (the @page footer): quotes, backslashes and '<' escaped, so that no
        approver's name can end the string or the <style> element."""
        escaped = self.label.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")
        return f'"{escaped}"'


DRAFT = ReportStatus()
