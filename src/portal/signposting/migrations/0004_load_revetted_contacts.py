"""Replace the first seeded local contacts with the re-vetted ones.

Local rows of seed/contacts.csv (an exact copy of ../shared/reference/contacts.csv) become published contacts;
local services in seed/contacts_unconfirmed.csv that seed/contacts_fit.csv names become published
"details to be confirmed" placeholders, with no number, for staff to complete from the organisation's own
page. The vetted `source_excerpt` and `notes`, and the unconfirmed list's reasons and next steps, go into
the staff-only notes. `source_checked` is empty: no one on the staff has checked them yet.

Seeded contacts nobody on the staff has edited are removed first; ones staff edited are theirs and stay.
"""

from __future__ import annotations

from datetime import date

from django.db import migrations

from portal.signposting.contacts import (
    CONTACTS_FILE,
    UNCONFIRMED_FILE,
    email_addresses,
    fits,
    public_text,
    read_list,
    web_addresses,
)

AREAS = {"B&NES": "banes", "Avon and Somerset": "avon-and-somerset"}


def load(apps, schema_editor) -> None:
    LocalContact = apps.get_model("signposting", "LocalContact")
    LocalContact.objects.filter(updated_by__isnull=True).delete()
    for row in read_list(CONTACTS_FILE):
        fit = fits().get(("contacts", row["name"]))
        if row["area"] == "national" or fit is None:
            continue
        other = row["text_or_other"]
        LocalContact.objects.create(
            key=fit.key,
            kind=fit.kind,
            name=row["name"],
            organisation=row["organisation"],
            purpose=row["when_to_use"],
            phone=row["phone"],
            email=next(iter(email_addresses(other)), ""),
            url=fit.website or next(iter(web_addresses(other)), ""),
            hours=row["hours"],
            area=AREAS[row["area"]],
            for_whom=list(fit.about),
            asker=fit.asker,
            concerns=list(fit.concerns),
            source_url=row["url"],
            last_checked=date.fromisoformat(row["source_checked"]) if row["source_checked"] else None,
            notes=(
                f"Other ways in (as vetted): {public_text(other) or 'none'}\n"
                f"The page says: {row['source_excerpt']}\nReviewer's notes: {row['notes']}"
            ),
            published=bool(row["phone"].strip() or other.strip()),
        )
    for row in read_list(UNCONFIRMED_FILE):
        fit = fits().get(("unconfirmed", row["name"]))
        if fit is None or fit.placeholder_area == "national":
            continue
        LocalContact.objects.create(
            key=fit.key,
            kind=fit.kind,
            name=fit.public_name,
            purpose=fit.public_purpose,
            area=AREAS[fit.placeholder_area],
            for_whom=list(fit.about),
            asker=fit.asker,
            concerns=list(fit.concerns),
            notes=(
                f"Not confirmed: {row['detail_not_confirmed']}\nSeen: {row['where_it_was_seen']}\n"
                f"Why: {row['reason']}\nNext step: {row['suggested_next_step']}"
            ),
            to_be_confirmed=True,
            published=True,
        )


class Migration(migrations.Migration):
    dependencies = [("signposting", "0003_contact_kind_asker_to_be_confirmed")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
