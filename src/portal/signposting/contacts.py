"""National helplines for the "Worried about someone?" results, read from seed/contacts.csv.

That file is a copy of the vetted contacts list (../shared/reference/contacts.csv) with a few columns added
by us (seed/README.md says what each holds). Only national rows with a phone number or a web address are
used; local rows are seeded into LocalContact (migration 0002) for staff to keep up to date.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parent / "seed" / "contacts.csv"


@dataclass(frozen=True)
class PhoneNumber:
    number: str  # as written: "0808 800 5000"
    tel: str  # for a tel: link: "08088005000"
    label: str = ""  # "report a hate crime"


@dataclass(frozen=True)
class NationalContact:
    key: str
    name: str
    organisation: str
    phone: str
    website: str
    note: str
    when_to_use: str
    source_url: str
    last_checked: date

    @property
    def numbers(self) -> list[PhoneNumber]:
        return phone_numbers(self.phone)


def phone_numbers(text: str) -> list[PhoneNumber]:
    """ "0117 942 0060 (general); 0800 171 2272 (report a hate crime)" -> two numbers with labels."""
    numbers = []
    for part in text.split(";"):
        match = re.match(r"\s*([\d ]*\d)\s*(?:\((.*)\))?\s*$", part)
        if match:
            number = match.group(1).strip()
            numbers.append(PhoneNumber(number=number, tel=number.replace(" ", ""), label=match.group(2) or ""))
        elif part.strip():
            numbers.append(PhoneNumber(number=part.strip(), tel=""))
    return numbers


@cache
def national_contacts() -> dict[str, NationalContact]:
    """The national rows that have a phone number or a web address, by key."""
    with SEED_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    contacts = {}
    for row in rows:
        if row["area"] != "national" or not (row["phone"].strip() or row["url"].strip()):
            continue
        contacts[row["key"]] = NationalContact(
            key=row["key"],
            name=row["name"],
            organisation=row["organisation"],
            phone=row["phone"].strip(),
            website=row["website"].strip(),
            note=row["public_note"].strip(),
            when_to_use=row["when_to_use"].strip(),
            source_url=row["url"].strip(),
            last_checked=date.fromisoformat(row["seen_on"]),
        )
    return contacts
