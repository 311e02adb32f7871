"""`manage.py publish_evaluation`: publish the evaluation `vru evaluate --out` wrote, for one action."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.strategy.evaluation import EvaluationError, publish_evaluation


class Command(BaseCommand):
    help = (
        "Publish the evaluation aid's result (`vru evaluate ... --out FILE`) for one action of a strategy, "
        "replacing the action's earlier evaluation. Staff see it on the action's evaluation page."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", required=True, help="The result (JSON) from `vru evaluate --out`.")
        parser.add_argument("--action", required=True, type=int, help="The action's id (in its staff page address).")
        parser.add_argument(
            "--by", default="", help='Who is publishing it, for the audit trail (default "command line").'
        )

    def handle(self, *args, file: str, action: int, by: str, **options) -> None:
        try:
            evaluation = publish_evaluation(Path(file), action, published_by=by)
        except EvaluationError as error:
            raise CommandError(f"Not published: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Published the evaluation of “{evaluation.action}” ({evaluation.treated_names}, "
                f"from {evaluation.start_month})."
            )
        )
