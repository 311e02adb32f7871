"""The contacts "Worried about someone?" shows, read from the vetted lists in seed/.

seed/contacts.csv and seed/contacts_unconfirmed.csv are exact copies of the re-vetted lists
(../shared/reference; a test keeps them the same). seed/contacts_fit.csv is ours: for each row we use, a
stable key, what kind of contact it is (which decides the order), whom it fits and, for a service whose
details could not be confirmed, a public name and purpose in our words (the unconfirmed list's own columns
are notes for staff). National rows are read here at run time; the others are seeded into LocalContact
(migration 0004) for staff to keep up to date, and so are the unconfirmed local services. Unconfirmed
services are shown as "details to be confirmed", never with a number. The `source_excerpt` and `notes`
columns are for staff only.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

SEED = Path(__file__).resolve().parent / "seed"
CONTACTS_FILE = SEED / "contacts.csv"
UNCONFIRMED_FILE = SEED / "contacts_unconfirmed.csv"
FIT_FILE = SEED / "contacts_fit.csv"

# Where the vetted rows say a web address was copied as written, which is not for the public.
AS_GIVEN = re.compile(r"\s*\((?:address )?as given on the page\)")
WEB_ADDRESS = re.compile(
    r"(?<![@\w.])((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org\.uk|co\.uk|gov\.uk|uk|org|com)(?:/[\w/.-]*\w)?)"
)
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class PhoneNumber:
    number: str  # as written: "0808 800 5000"
    tel: str  # for a tel: link: "08088005000"
    label: str = ""  # "report a hate crime"


def phone_numbers(text: str) -> list[PhoneNumber]:
    """ "0117 942 0060 (general); 0800 171 2272 (report a hate crime)" -> two numbers with labels.

    Numbers are separated by ";" or " or "; anything that is not a number is kept as words, with no link."""
    numbers = []
    for part in re.split(r";| or ", text):
        match = re.match(r"\s*(\(?\d[\d ()]*\d)\s*(?:\((.*)\))?\s*$", part)
        if match:
            number = match.group(1).strip()
            numbers.append(PhoneNumber(number=number, tel=re.sub(r"\D", "", number), label=match.group(2) or ""))
        elif part.strip():
            numbers.append(PhoneNumber(number=part.strip(), tel=""))
    return numbers


def web_addresses(text: str) -> list[str]:
    """The web addresses a row's text gives, as links: "Online form at www.fearless.org" -> https://..."""
    return [f"https://{address}" for address in WEB_ADDRESS.findall(text)]


def email_addresses(text: str) -> list[str]:
    return EMAIL_ADDRESS.findall(text)


def public_text(text: str) -> str:
    return AS_GIVEN.sub("", text).strip()


def split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


@dataclass(frozen=True)
class Fit:
    """Our additions for one vetted row (seed/contacts_fit.csv)."""

    key: str
    kind: str  # emergency, crisis, statutory, police, helpline, report, support
    about: tuple[str, ...]  # ages of the person at risk it is for: child, young-person, adult; empty = all
    asker: str  # "self": for the person at risk; "other": for someone worried about them; "" = both
    concerns: tuple[str, ...]  # the flow's worries it helps with; empty = all
    public_name: str
    public_purpose: str
    public_note: str
    website: str  # the service's own site, where the row's text names none
    placeholder_area: str  # unconfirmed services: national, B&NES or Avon and Somerset


@cache
def fits() -> dict[tuple[str, str], Fit]:
    """(list, name) -> Fit, for every vetted row we use ("contacts" or "unconfirmed")."""
    with FIT_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        (row["list"], row["name"]): Fit(
            key=row["key"],
            kind=row["kind"],
            about=split(row["about"]),
            asker=row["asker"],
            concerns=split(row["concerns"]),
            public_name=row["public_name"],
            public_purpose=row["public_purpose"],
            public_note=row["public_note"],
            website=row["website"],
            placeholder_area=row["placeholder_area"],
        )
        for row in rows
        if row["key"]
    }


def read_list(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class NationalContact:
    key: str
    name: str
    organisation: str
    phone: str
    website: str
    email: str
    note: str
    when_to_use: str
    hours: str
    source_url: str
    last_checked: date | None  # when staff last checked it; None until someone has
    kind: str
    about: tuple[str, ...]
    asker: str
    concerns: tuple[str, ...]
    to_be_confirmed: bool = False  # a service we could not confirm: shown with no number

    @property
    def numbers(self) -> list[PhoneNumber]:
        return phone_numbers(self.phone)

    @property
    def review_due(self) -> bool:
        from portal.resources.checking import review_due

        return review_due(self.last_checked)


@cache
def national_contacts() -> dict[str, NationalContact]:
    """The national contacts we use, by key: the vetted rows, then the unconfirmed services as placeholders."""
    contacts = {}
    for row in read_list(CONTACTS_FILE):
        fit = fits().get(("contacts", row["name"]))
        if row["area"] != "national" or fit is None:
            continue
        other = row["text_or_other"]
        contacts[fit.key] = NationalContact(
            key=fit.key,
            name=row["name"],
            organisation=row["organisation"],
            phone=row["phone"].strip(),
            website=fit.website or next(iter(web_addresses(other)), ""),
            email=next(iter(email_addresses(other)), ""),
            note=fit.public_note or public_text(other),
            when_to_use=row["when_to_use"],
            hours=row["hours"],
            source_url=row["url"],
            last_checked=date.fromisoformat(row["source_checked"]) if row["source_checked"] else None,
            kind=fit.kind,
            about=fit.about,
            asker=fit.asker,
            concerns=fit.concerns,
        )
    for row in read_list(UNCONFIRMED_FILE):
        fit = fits().get(("unconfirmed", row["name"]))
        if fit is None or fit.placeholder_area != "national":
            continue
        contacts[fit.key] = NationalContact(
            key=fit.key,
            name=fit.public_name,
            organisation="",
            phone="",
            website="",
            email="",
            note="",
            when_to_use=fit.public_purpose,
            hours="",
            source_url="",
            last_checked=None,
            kind=fit.kind,
            about=fit.about,
            asker=fit.asker,
            concerns=fit.concerns,
            to_be_confirmed=True,
        )
    return contacts
