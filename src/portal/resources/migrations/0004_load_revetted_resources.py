"""Replace the first seed list with the re-vetted resources in seed/resources.csv.

seed/resources.csv is an exact copy of the re-vetted list (../shared/reference/resources.csv; a test keeps the
two the same). Each row's `facts` are already a plain-English summary and become the public summary; its
`source_excerpt` (what the page says) and `notes` (the reviewer's notes) are kept for staff only. `seen_on` is
empty: nobody on the staff has checked the pages yet, so `last_checked` stays empty ("not yet checked").

A resource already in the database with the same link is updated in place (it keeps its address); one from
the first seed list (added by no one) that is not in the new list is retired, not deleted, so old links
still answer. Resources staff added themselves are left alone.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

from portal.resources.press_releases import read_seed_rows

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "resources.csv"

# Terms the re-vetted list uses that the first one did not: (slug, name), added after the existing ones.
NEW_AUDIENCES = [("adults", "Adults")]
NEW_TOPICS = [
    ("child-sexual-exploitation", "Child sexual exploitation"),
    ("drugs-and-alcohol", "Drugs and alcohol"),
    ("online-safety", "Online safety"),
    ("missing-children", "Missing children"),
]

# The CSV's words -> our slugs.
AUDIENCE_MAP = {
    "professionals": "professionals",
    "community": "community-groups",
    "parents": "parents-and-carers",
    "young people": "young-people",
    "adults": "adults",
}
TOPIC_MAP = {
    "knife crime": "knife-crime",
    "county lines and criminal exploitation": "county-lines",
    "child sexual exploitation": "child-sexual-exploitation",
    "domestic abuse": "domestic-abuse",
    "youth violence": "youth-violence",
    "sexual violence": "sexual-violence",
    "trauma and ACEs": "trauma-and-aces",
    "drugs and alcohol": "drugs-and-alcohol",
    "online safety": "online-safety",
    "missing children": "missing-children",
    "hate crime": "hate-crime",
    "modern slavery": "modern-slavery",
    "general": "general",
}
AREA_MAP = {"B&NES": "banes", "Avon and Somerset": "avon-and-somerset", "national": "national"}


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def read_rows() -> list[dict]:
    # Refuses the list if a row is a press release or news item (portal.resources.press_releases).
    return read_seed_rows(SEED_FILE)


def add_terms(model, new_terms: list[tuple[str, str]]) -> None:
    position = model.objects.count()
    for slug, name in new_terms:
        _, created = model.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
        position += created


def load(apps, schema_editor) -> None:
    Audience = apps.get_model("resources", "Audience")
    Stage = apps.get_model("resources", "Stage")
    Topic = apps.get_model("resources", "Topic")
    Resource = apps.get_model("resources", "Resource")
    add_terms(Audience, NEW_AUDIENCES)
    add_terms(Topic, NEW_TOPICS)
    audiences = {term.slug: term for term in Audience.objects.all()}
    stages = {term.slug: term for term in Stage.objects.all()}
    topics = {term.slug: term for term in Topic.objects.all()}

    rows = read_rows()
    slugs = set(Resource.objects.values_list("slug", flat=True)) | {"staff"}
    kept = []
    for row in rows:
        fields = {
            "title": row["title"],
            "summary": row["facts"],
            "organisation": row["organisation"],
            "organisation_url": "",
            "kind": row["kind"],
            "local_area": AREA_MAP[row["local"]],
            "source_evidence": row["source_excerpt"],
            "notes": row["notes"],
            "last_checked": date.fromisoformat(row["seen_on"]) if row["seen_on"] else None,
            "retired": False,
            "retired_at": None,
        }
        resource = Resource.objects.filter(url=row["url"]).order_by("pk").first()
        if resource:
            for name, value in fields.items():
                setattr(resource, name, value)
            resource.save()
        else:
            base = slugify(row["title"])[:90].strip("-")
            slug, number = base, 2
            while slug in slugs:
                slug = f"{base}-{number}"
                number += 1
            slugs.add(slug)
            resource = Resource.objects.create(slug=slug, url=row["url"], **fields)
        kept.append(resource.pk)
        resource.audiences.set([audiences[AUDIENCE_MAP[word]] for word in split(row["audience"])])
        resource.stages.set([stages[word] for word in split(row["stage"])])
        resource.topics.set([topics[TOPIC_MAP[word]] for word in split(row["topic"])])

    first_seed = Resource.objects.filter(created_by__isnull=True, retired=False).exclude(pk__in=kept)
    first_seed.update(retired=True, retired_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_resource_staff_notes_and_unchecked")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
