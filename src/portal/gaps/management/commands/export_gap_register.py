"""manage.py export_gap_register --bundle DIR: write the public gap register to DIR/gaps.json, where
`vru report --bundle DIR` finds it for the report's gaps chapter."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.gaps.export import public_register
from portal.insights.bundle import GAP_REGISTER_FILE


class Command(BaseCommand):
    help = "Write the public gap register (nothing identifying) to BUNDLE/gaps.json for the SNA report."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bundle", type=Path, required=True, help="The assessment bundle folder.")

    def handle(self, *args, bundle: Path, **options) -> None:
        if not (bundle / "summary.json").is_file():
            raise CommandError(f"{bundle} is not an assessment bundle (no summary.json)")
        register = public_register()
        target = bundle / GAP_REGISTER_FILE
        target.write_text(json.dumps(register, indent=1, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"Wrote {len(register['rows'])} gaps to {target}.")
