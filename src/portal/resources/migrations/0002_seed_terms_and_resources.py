"""Seed the fixed lists (audiences, stages, topics).

This migration first loaded the 2026-11-26 vetted resources too; that list was replaced by the re-vetted one,
which migration 0004 loads (and which adds the terms the new list needs). It now seeds the lists only, so a
new database gets the re-vetted resources and nothing else.
"""

from __future__ import annotations

from django.db import migrations

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


def seed(apps, schema_editor) -> None:
    Audience = apps.get_model("resources", "Audience")
    Stage = apps.get_model("resources", "Stage")
    Topic = apps.get_model("resources", "Topic")

    for position, (slug, name, hint) in enumerate(AUDIENCES):
        Audience.objects.create(slug=slug, name=name, hint=hint, position=position)
    for position, (slug, name, hint) in enumerate(STAGES):
        Stage.objects.create(slug=slug, name=name, hint=hint, position=position)
    for position, (slug, name) in enumerate(TOPICS):
        Topic.objects.create(slug=slug, name=name, position=position)


def unseed(apps, schema_editor) -> None:
    for model in ("Resource", "Audience", "Stage", "Topic"):
        apps.get_model("resources", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
