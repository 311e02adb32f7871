"""Seed the fixed lists (audiences, stages, topics) and the 56 vetted resources.

The resources come from seed/resources.csv: a copy of the vetted list (../shared/reference/resources.csv)
with one added column, `summary`, written in our own words from the row's `facts`. Every row has a url
and the evidence for it; `seen_on` becomes the resource's "last checked" date. The CSV's own words for
audiences, topics and areas are mapped to the portal's lists below.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "resources.csv"

AUDIENCES = [
    ("professionals", "Professionals", ""),
    ("community-groups", "Community groups", ""),
    ("parents-and-carers", "Parents and carers", ""),
    ("young-people", "Young people", ""),
]
STAGES = [
    ("recognise", "Recognise", "Spotting the signs"),
    ("prevent", "Prevent", "Stopping violence before it happens"),
    ("respond", "Respond", "What to do and where to get help"),
]
TOPICS = [
    ("knife-crime", "Knife crime"),
    ("county-lines", "County lines and child criminal exploitation"),
    ("domestic-abuse", "Domestic abuse"),
    ("youth-violence", "Youth violence"),
    ("sexual-violence", "Sexual violence"),
    ("trauma-and-aces", "Trauma and adverse childhood experiences"),
    ("night-time-economy", "Alcohol and the night-time economy"),
    ("hate-crime", "Hate crime"),
    # Not in the list, but six vetted rows are tagged with it: kept rather than folded into
    # county lines, which is about children.
    ("modern-slavery", "Modern slavery"),
    ("general", "General"),
]

# The CSV's words -> our slugs.
AUDIENCE_MAP = {
    "professionals": ["professionals"],
    "community": ["community-groups"],
    "parents": ["parents-and-carers"],
    "young people": ["young-people"],
    "everyone": [slug for slug, _, _ in AUDIENCES],
}
TOPIC_MAP = {
    "knife crime": "knife-crime",
    "county lines and criminal exploitation": "county-lines",
    "domestic abuse": "domestic-abuse",
    "youth violence": "youth-violence",
    "sexual violence": "sexual-violence",
    "trauma and ACEs": "trauma-and-aces",
    "night-time economy": "night-time-economy",
    "hate crime": "hate-crime",
    "modern slavery": "modern-slavery",
    "general": "general",
}
AREA_MAP = {"B&NES": "banes", "Avon and Somerset": "avon-and-somerset", "national": "national"}

# The organisation's own site, only where the row cites a page published by someone else and that page
# names the site. Checked by reading the stored page each row's evidence search finds; the others name
# no site (a news story, a council page or a blog about the organisation).
ORGANISATION_URLS = {
    # The Crimestoppers guide is a copy on issuu; it names www.crimestoppers-uk.org.
    "https://issuu.com./crimestoppers/docs/final_pcc": "https://www.crimestoppers-uk.org/",
}


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def seed(apps, schema_editor) -> None:
    Audience = apps.get_model("resources", "Audience")
    Stage = apps.get_model("resources", "Stage")
    Topic = apps.get_model("resources", "Topic")
    Resource = apps.get_model("resources", "Resource")

    audiences = {
        slug: Audience.objects.create(slug=slug, name=name, hint=hint, position=position)
        for position, (slug, name, hint) in enumerate(AUDIENCES)
    }
    stages = {
        slug: Stage.objects.create(slug=slug, name=name, hint=hint, position=position)
        for position, (slug, name, hint) in enumerate(STAGES)
    }
    topics = {
        slug: Topic.objects.create(slug=slug, name=name, position=position)
        for position, (slug, name) in enumerate(TOPICS)
    }

    with SEED_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    slugs: set[str] = {"staff"}
    for row in rows:
        base = slugify(row["title"])[:90].strip("-")
        slug, number = base, 2
        while slug in slugs:
            slug = f"{base}-{number}"
            number += 1
        slugs.add(slug)
        resource = Resource.objects.create(
            title=row["title"],
            slug=slug,
            summary=row["summary"],
            organisation=row["organisation"],
            organisation_url=ORGANISATION_URLS.get(row["url"], ""),
            url=row["url"],
            kind=row["kind"],
            local_area=AREA_MAP[row["local"]],
            source_evidence=row["evidence"],
            last_checked=date.fromisoformat(row["seen_on"]),
        )
        audience_slugs = dict.fromkeys(slug for word in split(row["audience"]) for slug in AUDIENCE_MAP[word])
        resource.audiences.set([audiences[slug] for slug in audience_slugs])
        resource.stages.set([stages[word] for word in split(row["stage"])])
        resource.topics.set([topics[TOPIC_MAP[word]] for word in split(row["topic"])])


def unseed(apps, schema_editor) -> None:
    for model in ("Resource", "Audience", "Stage", "Topic"):
        apps.get_model("resources", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
