"""`manage.py render_strategy`: the strategy document and board pack as HTML and PDF (the report pipeline)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.strategy.documents import render_strategy_documents
from portal.strategy.models import Strategy


class Command(BaseCommand):
    help = (
        "Render the response strategy document and this quarter's board pack as HTML and a tagged PDF through "
        "the toolkit's report pipeline, for the pages to offer. Default: the newest version for the area."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--area", default=settings.VRU_AREA_CODE, help="ONS code (default: %(default)s).")
        parser.add_argument("--strategy-version", type=int, default=None, help="The version (default: newest).")

    def handle(self, *args, area: str, strategy_version: int | None, **options) -> None:
        version = strategy_version
        strategies = Strategy.objects.filter(area_code=area).order_by("-version")
        strategy = strategies.filter(version=version).first() if version else strategies.first()
        if strategy is None:
            raise CommandError(f"No strategy for {area}{f' version {version}' if version else ''}: draft one first")
        written = render_strategy_documents(strategy, timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"Rendered version {strategy.version}: {', '.join(sorted(written))}"))
