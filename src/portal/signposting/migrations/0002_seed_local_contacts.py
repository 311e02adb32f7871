"""Seed the local contacts (area not "national") from seed/contacts.csv, a copy of the vetted list.

A row with a phone number is published; a row without one is an unpublished placeholder for staff to
complete from a published source (never a guessed number). `seen_on` becomes "last checked"; the row's
`url` is where the details were read.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "contacts.csv"
AREAS = {"B&NES": "banes", "Avon and Somerset": "avon-and-somerset"}


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def seed(apps, schema_editor) -> None:
    LocalContact = apps.get_model("signposting", "LocalContact")
    with SEED_FILE.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["area"] != "national"]
    for row in rows:
        LocalContact.objects.create(
            name=row["name"],
            organisation=row["organisation"],
            purpose=row["when_to_use"],
            phone=row["phone"],
            email=row["email"],
            url=row["website"],
            hours=row["hours"],
            area=AREAS[row["area"]],
            for_whom=split(row["for_whom"]),
            concerns=split(row["concerns"]),
            source_url=row["url"],
            last_checked=date.fromisoformat(row["seen_on"]),
            notes=f"From the vetted contacts list: {row['text_or_other']} Evidence: {row['evidence']}",
            published=bool(row["phone"].strip()),
        )


def unseed(apps, schema_editor) -> None:
    apps.get_model("signposting", "LocalContact").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("signposting", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
