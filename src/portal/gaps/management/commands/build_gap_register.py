"""manage.py build_gap_register: work out the gap register now from the approved assessment, the
directory and the consultations (staff pages also rebuild it whenever those have changed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.gaps.models import GapEntry
from portal.gaps.register import rebuild


class Command(BaseCommand):
    help = "Work out the gap register from the approved assessment, the service directory and consultations."

    def handle(self, *args, **options) -> None:
        build = rebuild()
        count = GapEntry.objects.filter(in_register=True).count()
        scored = GapEntry.objects.exclude(gap=None).count()
        self.stdout.write(f"Gap register built at {build.built_at:%Y-%m-%d %H:%M}: {scored} ward and theme pairs "
                          f"scored, {count} in the register.")  # fmt: skip
