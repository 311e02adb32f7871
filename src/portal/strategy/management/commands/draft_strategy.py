"""`manage.py draft_strategy`: a new draft version of the response strategy from the newest assessment."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.publication.releases import public_assessment_id
from portal.strategy.drafting import StrategyError, draft_strategy
from portal.strategy.models import Strategy


def first_of_next_month(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


class Command(BaseCommand):
    help = (
        "Draft a new version of the response strategy from the newest published needs assessment: each key "
        "finding and gap-register row with its candidate approaches from the evidence library, ranked and "
        "explained. Actions of the previous version whose need is still there are carried over."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--area", default=settings.VRU_AREA_CODE, help="ONS code (default: %(default)s).")
        parser.add_argument("--start", default=None, help="Start date YYYY-MM-DD (default: the 1st of next month).")
        parser.add_argument("--years", type=int, default=3, help="How many years it runs (default: %(default)s).")
        parser.add_argument("--title", default="", help="Title (default: 'Serious violence response strategy for …').")
        parser.add_argument(
            "--new-version",
            action="store_true",
            help="Draft a new version even when the newest already rests on the newest assessment.",
        )

    def handle(self, *args, area: str, start: str | None, years: int, title: str, new_version: bool, **options) -> None:
        latest = Strategy.objects.filter(area_code=area).order_by("-version").first()
        approved = public_assessment_id(area)
        if latest and approved and latest.assessment_id == approved and not new_version:
            self.stdout.write(
                f"Version {latest.version} already rests on the approved assessment: nothing drafted "
                "(--new-version drafts another)."
            )
            return
        try:
            begins = date.fromisoformat(start) if start else first_of_next_month(timezone.localdate())
        except ValueError:
            raise CommandError(f"--start {start!r} is not a date in YYYY-MM-DD form") from None
        ends = begins.replace(year=begins.year + years) - timedelta(days=1)
        try:
            strategy = draft_strategy(area, begins, ends, title=title)
        except StrategyError as error:
            raise CommandError(f"Not drafted: {error}") from error
        needs = strategy.needs.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Drafted {strategy.title}, version {strategy.version}: {needs} needs with their candidate "
                f"approaches, {strategy.actions.count()} action(s) carried over; rests on {strategy.assessment_label}."
            )
        )
