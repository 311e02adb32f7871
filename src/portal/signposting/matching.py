"""Which contacts fit someone's answers, and in what order: pure functions, no database.

A contact (national or local) says which ages of the person at risk it is for (`about`), whether it is for
the person themselves or for someone worried about them (`asker`), the worries it helps with (`concerns`)
and its `kind`. Crisis lines come first; for professionals the local statutory route (children's social care,
adult safeguarding) comes first instead. Within a kind, B&NES comes before Avon and Somerset before national,
and confirmed details before "details to be confirmed".
"""

from __future__ import annotations

from typing import Protocol

from portal.signposting.content import YOUNG

KIND_ORDER = ["crisis", "statutory", "police", "helpline", "report", "support"]
PROFESSIONAL_KIND_ORDER = ["statutory", "crisis", "police", "helpline", "report", "support"]
AREA_ORDER = {"banes": 0, "avon-and-somerset": 1, "national": 2}
# Shown on their own at the top of every result page, not among the cards.
EMERGENCY = "emergency"


class Contact(Protocol):
    kind: str
    asker: str
    about: tuple[str, ...]
    to_be_confirmed: bool

    @property
    def concerns(self): ...


def age_at_risk(role: str, who: str) -> str:
    """The age group of the person at risk. "Myself" is a young person's own age, else an adult's."""
    if who == "myself":
        return "young-person" if role == "young-person" else "adult"
    return who


def fits(contact: Contact, role: str, who: str, concerns: list[str]) -> bool:
    """Whether to show `contact` to someone in `role` worried about `who` because of `concerns`.

    A young person is shown services for young people only, whoever they are worried about: Childline, not
    a helpline for adults. Anyone else is shown what fits the age of the person at risk and whether it is
    themselves or someone else."""
    if contact.kind == EMERGENCY:
        return False
    if contact.concerns and not set(contact.concerns) & set(concerns):
        return False
    if role == "young-person":
        return contact.asker != "other" and (not contact.about or bool(set(contact.about) & set(YOUNG)))
    asker = "self" if who == "myself" else "other"
    if contact.asker and contact.asker != asker:
        return False
    return not contact.about or age_at_risk(role, who) in contact.about


def area_of(contact) -> str:
    return getattr(contact, "area", "national")


def ordered(contacts: list, role: str) -> list:
    """`contacts` in the order to show them to someone in `role` (a stable sort: ties keep their order)."""
    kinds = PROFESSIONAL_KIND_ORDER if role == "professional" else KIND_ORDER

    def rank(contact) -> tuple[int, int, int]:
        return (kinds.index(contact.kind), contact.to_be_confirmed, AREA_ORDER[area_of(contact)])

    return sorted(contacts, key=rank)


def contacts_for(contacts: list, role: str, who: str, concerns: list[str]) -> list:
    return ordered([contact for contact in contacts if fits(contact, role, who, concerns)], role)


def contacts_for_reader(contacts: list, role: str, whos: tuple[str, ...], concerns: list[str]) -> list:
    """The contacts for a page written for someone in `role` (a parent, a young person), whoever of `whos` they
    are worried about and whatever their worry among `concerns`: each contact that fits any of them, once, in
    the order for `role`."""
    return ordered([contact for contact in contacts if any(fits(contact, role, who, concerns) for who in whos)], role)


def section_contacts(contacts: list, which: str) -> list:
    """The part of an ordered list a page's section shows: "all", "crisis" (open at any time) or "others"."""
    if which == "crisis":
        return [contact for contact in contacts if contact.kind == "crisis"]
    if which == "others":
        return [contact for contact in contacts if contact.kind != "crisis"]
    return list(contacts) if which == "all" else []
