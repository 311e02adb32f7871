"""Loading the toolkit's evidence library into the portal (`manage.py load_evidence_library`)."""

from __future__ import annotations

from django.db import transaction

from portal.insights.evidence import AGE_GROUPS, IMPACT_BANDS, LIBRARY_FILE, SETTINGS, THEMES, library_rows
from portal.strategy.models import Approach, Term, TermKind


def load_evidence_library(path=LIBRARY_FILE) -> tuple[int, int]:
    """Copy the toolkit's vocabularies in, and add the approaches of the shipped library (or `path`) that the
    portal does not have yet, by slug. Entries already in the portal are kept as they are: staff edits win over
    the file. Returns (added, kept)."""
    rows = library_rows(path)
    existing = set(Approach.objects.values_list("slug", flat=True))
    added = 0
    vocabularies = {
        TermKind.IMPACT_BAND: IMPACT_BANDS,
        TermKind.SETTING: SETTINGS,
        TermKind.AGE_GROUP: AGE_GROUPS,
        TermKind.THEME: THEMES,
    }
    with transaction.atomic():
        # The toolkit's vocabularies are the reference: names and order follow it.
        for kind, names in vocabularies.items():
            for position, (slug, name) in enumerate(names.items()):
                Term.objects.update_or_create(kind=kind, slug=slug, defaults={"name": name, "position": position})
        for row in rows:
            if row["slug"] in existing:
                continue
            Approach.objects.create(
                slug=row["slug"],
                toolkit=row["toolkit"],
                name=row["name"],
                description=row["description"],
                impact_band=row["impact_band"],
                impact_statement=row["impact_statement"],
                evidence_rating=row["evidence_rating"],
                cost_rating=row["cost_rating"],
                delivery_settings=row["settings"],
                age_groups=row["age_groups"],
                themes=row["themes"],
                place_based=row["place_based"],
                source_url=row["source_url"],
                source_title=row["source_title"],
                date_read=row["date_read"],
                fields_read=row["fields_read"],
                verified=row["verified"],
            )
            added += 1
    return added, len(rows) - added
