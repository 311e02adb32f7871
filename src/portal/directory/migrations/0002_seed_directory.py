"""The directory's themes (taxonomy terms) and the starting B&NES services from seed/services.csv (see the
folder's README for where each row comes from). Never overwrites a row that exists."""

import csv
import uuid
from datetime import date, time
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parents[1] / "seed" / "services.csv"
# The same namespace as portal.directory.themes.THEME_NAMESPACE (migrations keep their own copy).
NAMESPACE = uuid.UUID("5f0c4d0e-5a5b-4f4e-9a53-7d8a3c1b2e61")
TAXONOMY = "VRU themes"
THEMES = [
    ("youth-support", "Youth support and diversion", "Youth work, mentoring, activities and diversion."),
    ("exploitation", "Exploitation", "Criminal and sexual exploitation of children, county lines."),
    ("domestic-abuse", "Domestic abuse", "Support for people harmed by domestic abuse; work with those who harm."),
    ("sexual-violence", "Sexual violence", "Support after rape, sexual assault and abuse."),
    ("substance-misuse", "Substance misuse", "Drug and alcohol services."),
    ("mental-health", "Mental health", "Emotional wellbeing and mental health support."),
    ("education-employment", "Education and employment", "Staying in education, training and work."),
    ("victim-support", "Victim support", "Help for victims and witnesses of crime."),
    ("family-support", "Family support", "Help for parents, carers and families."),
    ("night-time-economy", "Night-time economy safety", "Safety in town centres at night."),
]
AREAS = {
    "banes": ("Bath and North East Somerset", "E06000022"),
    "avon-and-somerset": ("Avon and Somerset (police force area)", "E23000036"),
}


def seed(apps, schema_editor):
    term_model = apps.get_model("directory", "TaxonomyTerm")
    organisation_model = apps.get_model("directory", "Organisation")
    service_model = apps.get_model("directory", "Service")
    for slug, name, description in THEMES:
        term_model.objects.get_or_create(
            id=uuid.uuid5(NAMESPACE, slug),
            defaults={"name": name, "description": description, "taxonomy": TAXONOMY, "term": slug},
        )
    with SEED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        service_id = uuid.uuid5(NAMESPACE, "service:" + row["key"])
        if service_model.objects.filter(id=service_id).exists():
            continue
        organisation, _ = organisation_model.objects.get_or_create(
            id=uuid.uuid5(NAMESPACE, "organisation:" + row["organisation"]),
            defaults={"name": row["organisation"], "description": row["organisation"]},
        )
        service = service_model.objects.create(
            id=service_id,
            organisation=organisation,
            name=row["name"],
            description=row["description"],
            url=row["url"],
            email=row["email"],
            status="active",
            minimum_age=float(row["minimum_age"]) if row["minimum_age"] else None,
            maximum_age=float(row["maximum_age"]) if row["maximum_age"] else None,
            source_url=row["source_url"],
            last_checked=date.fromisoformat(row["last_checked"]),
            published=True,
        )
        for slug in row["themes"].split(";"):
            service.attributes.create(
                id=uuid.uuid5(NAMESPACE, f"attribute:{row['key']}:{slug}"),
                taxonomy_term_id=uuid.uuid5(NAMESPACE, slug),
                link_type="service",
            )
        area_name, code = AREAS[row["area"]]
        service.service_areas.create(
            id=uuid.uuid5(NAMESPACE, f"area:{row['key']}"),
            name=area_name,
            uri=f"http://statistics.data.gov.uk/id/statistical-geography/{code}",
            area_code=code,
        )
        if row["byday"] or row["hours"]:
            service.schedules.create(
                id=uuid.uuid5(NAMESPACE, f"schedule:{row['key']}"),
                freq="WEEKLY" if row["byday"] else "",
                interval=1 if row["byday"] else None,
                byday=row["byday"],
                opens_at=time.fromisoformat(row["opens_at"]) if row["opens_at"] else None,
                closes_at=time.fromisoformat(row["closes_at"]) if row["closes_at"] else None,
                description=row["hours"],
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
