"""Consultation results: counts, ratings and themes per question, with small groups suppressed (the same
rule as the dashboard's partner figures: any count under 5 is "fewer than 5", and nothing worked out from it
is shown)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from portal.consultations.models import Answer, Consultation, Question
from portal.directory.themes import THEME_BY_SLUG
from portal.insights.presentation import SUPPRESSED, is_suppressed


def shown(count: int) -> str:
    return SUPPRESSED if is_suppressed(count, partner=True) else f"{count:,}"


@dataclass
class QuestionResult:
    question: Question
    answers: int
    answers_shown: str
    mean_rating: str = ""
    ratings: list[tuple[int, str]] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)


def answers_for_results(consultation: Consultation):
    """Submitted answers that others may see (public free text only once released)."""
    return Answer.objects.filter(
        question__consultation=consultation,
        response__submitted_at__isnull=False,
        moderation__in=[Answer.Moderation.NOT_NEEDED, Answer.Moderation.RELEASED],
    )


def question_results(consultation: Consultation) -> list[QuestionResult]:
    by_question: dict[int, list[Answer]] = {}
    for answer in answers_for_results(consultation):
        by_question.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in consultation.questions.all():
        answers = by_question.get(question.pk, [])
        result = QuestionResult(question=question, answers=len(answers), answers_shown=shown(len(answers)))
        if not is_suppressed(len(answers), partner=True):
            ratings = [answer.rating for answer in answers if answer.rating]
            if ratings and not is_suppressed(len(ratings), partner=True):
                result.mean_rating = f"{sum(ratings) / len(ratings):.1f}"
                counts = Counter(ratings)
                result.ratings = [(value, shown(counts.get(value, 0))) for value in range(1, 6)]
            themes = Counter(slug for answer in answers for slug in answer.themes)
            result.themes = [
                (THEME_BY_SLUG[slug].name, shown(count))
                for slug, count in themes.most_common()
                if slug in THEME_BY_SLUG
            ]
        results.append(result)
    return results
