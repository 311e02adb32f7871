"""The form staff edit a page with: GOV.UK error messages, and the date as day, month and year boxes."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.common.formatting import join_words
from portal.core import markup
from portal.core.models import Page

DATE_PARTS = ("day", "month", "year")
DATE_LABEL = "Date last reviewed"


class PageForm(forms.ModelForm):
    # GOV.UK's date input: three boxes, checked together in clean(). Text fields, so that what was typed
    # comes back unchanged when there is an error.
    last_reviewed_day = forms.CharField(label="Day", required=False, max_length=10)
    last_reviewed_month = forms.CharField(label="Month", required=False, max_length=10)
    last_reviewed_year = forms.CharField(label="Year", required=False, max_length=10)

    class Meta:
        model = Page
        fields = ["title", "summary", "body", "published"]
        labels = {
            "title": "Title",
            "summary": "Summary",
            "body": "Page text",
            "published": "Show this page on the website",
        }
        help_texts = {
            "title": "The page’s main heading.",
            "summary": "One sentence about the page, shown where other pages link to it.",
            "body": "",
            "published": "",
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "Title must be %(limit_value)d characters or fewer",
            },
            "summary": {
                "required": "Enter a summary",
                "max_length": "Summary must be %(limit_value)d characters or fewer",
            },
            "body": {"required": "Enter the page text"},
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}

    # Labels for the audit trail's summary of what changed (never the text itself).
    CHANGE_LABELS = {
        "title": "title",
        "summary": "summary",
        "body": "page text",
        "last_reviewed": "date last reviewed",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        reviewed = self.instance.last_reviewed if self.instance.pk else None
        if reviewed and not self.is_bound:
            self.initial.update(
                last_reviewed_day=str(reviewed.day),
                last_reviewed_month=str(reviewed.month),
                last_reviewed_year=str(reviewed.year),
            )
        # Which of the three date boxes to mark as wrong.
        self.date_error_parts: set[str] = set()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")
        found = markup.problems(body)
        if found:
            raise ValidationError(found)
        return body

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["last_reviewed"] = self._clean_date()
        return cleaned

    def _date_error(self, message: str, parts: set[str]) -> None:
        self.date_error_parts = parts
        self.add_error(f"last_reviewed_{min(parts, key=DATE_PARTS.index)}", message)

    def _clean_date(self) -> date | None:
        values = {part: (self.cleaned_data.get(f"last_reviewed_{part}") or "").strip() for part in DATE_PARTS}
        missing = [part for part in DATE_PARTS if not values[part]]
        if len(missing) == 3:
            self._date_error("Enter the date the page was last reviewed", set(DATE_PARTS))
            return None
        if missing:
            self._date_error(f"{DATE_LABEL} must include a {join_words(missing)}", set(missing))
            return None
        not_numbers = {part for part in DATE_PARTS if not values[part].isdigit()}
        if not_numbers:
            self._date_error(f"{DATE_LABEL} must be a real date", not_numbers)
            return None
        if len(values["year"]) != 4:
            self._date_error("Year must include 4 numbers", {"year"})
            return None
        year, month, day = int(values["year"]), int(values["month"]), int(values["day"])
        if not 1 <= month <= 12:
            self._date_error(f"{DATE_LABEL} must be a real date", {"month"})
            return None
        try:
            value = date(year, month, day)
        except ValueError:
            self._date_error(f"{DATE_LABEL} must be a real date", {"day"})
            return None
        if value > timezone.localdate():
            self._date_error(f"{DATE_LABEL} must be today or in the past", set(DATE_PARTS))
            return None
        return value

    @property
    def date_fields(self) -> list[tuple[forms.BoundField, str, int]]:
        """(bound field, part, GOV.UK input width) for the day, month and year boxes."""
        return [(self[f"last_reviewed_{part}"], part, 4 if part == "year" else 2) for part in DATE_PARTS]

    @property
    def date_errors(self) -> list[str]:
        return [error for part in DATE_PARTS for error in self.errors.get(f"last_reviewed_{part}", [])]

    def change_summary(self, before: dict) -> str:
        """What the valid form changes, compared with `before` (from snapshot()), in words for the audit
        trail: which fields, never their text. Empty when nothing changes."""
        changed = [label for name, label in self.CHANGE_LABELS.items() if self.cleaned_data.get(name) != before[name]]
        sentences = [f"Changed the {join_words(changed)}."] if changed else []
        if self.cleaned_data["published"] != before["published"]:
            sentences.append(
                "Published the page." if self.cleaned_data["published"] else "Hid the page from the public."
            )
        return " ".join(sentences)

    @classmethod
    def snapshot(cls, page: Page) -> dict:
        return {name: getattr(page, name) for name in [*cls.CHANGE_LABELS, "published"]}

    def save(self, commit: bool = True) -> Page:
        self.instance.last_reviewed = self.cleaned_data["last_reviewed"]
        return super().save(commit=commit)
