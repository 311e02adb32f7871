"""Forms for staff editing the resource library, and the GOV.UK date input used by this app and signposting."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db import models
from django.utils import timezone

from portal.resources.models import Audience, Resource, Stage, Topic


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes. Gives the DateField "YYYY-MM-DD", or what was typed
    (so the field reports "Enter a real date"), or None when all three boxes are empty."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None) -> None:
        super().__init__(
            [
                forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"})
                for _ in self.parts
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (str(part or "").strip() for part in super().value_from_datadict(data, files, name))
        if not (day or month or year):
            return None
        if day.isdigit() and month.isdigit() and year.isdigit():
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"


def typed_date_parts(form: forms.Form, name: str) -> list[str]:
    """What is in the day, month and year boxes: as typed on a bound form, else from the initial date."""
    if form.is_bound:
        return [form.data.get(f"{name}_{index}", "") for index in range(3)]
    value = form[name].value()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, date):
        return [str(value.day), str(value.month), str(value.year)]
    return ["", "", ""]


class PastDateField(forms.DateField):
    """A date that is not in the future (when a page was read, say)."""

    widget = GovukDateWidget

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        error_messages = {"invalid": "Enter a real date, for example 26 11 2026"}
        error_messages.update(kwargs.pop("error_messages", {}))
        super().__init__(error_messages=error_messages, **kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past", code="future")


URL_MESSAGE = "Enter a link in the right format, like https://www.example.org/page"


def https_by_default(field, **kwargs):
    """Model fields to form fields, where a web address typed without a scheme means https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ResourceForm(forms.ModelForm):
    last_checked = PastDateField(
        label="Last checked",
        help_text=(
            "When you last read the page and checked the summary against it. Leave it empty if nobody on the "
            "staff has yet. For example, 26 11 2026"
        ),
        required=False,
    )

    class Meta:
        model = Resource
        formfield_callback = https_by_default
        fields = [
            "title",
            "summary",
            "organisation",
            "url",
            "organisation_url",
            "kind",
            "audiences",
            "stages",
            "topics",
            "local_area",
            "source_evidence",
            "notes",
            "last_checked",
        ]
        labels = {
            "organisation_url": "Organisation's own website (optional)",
            "url": "Link to the page",
            "audiences": "Who it is for",
            "stages": "Stage",
            "topics": "Topics",
            "source_evidence": "What the page says (staff only)",
        }
        help_texts = {
            "title": "The page's own title.",
            "summary": "One or two sentences in plain English, in our own words. Do not copy the page's text.",
            "organisation": "Who published the page.",
            "organisation_url": "Only when someone else published the page and it names the organisation's site.",
            "url": "The full address, starting https:// or http://",
            "audiences": "Select all that apply.",
            "stages": "Select all that apply.",
            "topics": "Select all that apply.",
            "source_evidence": "A short quote from the page that supports the summary. Never shown publicly.",
        }
        widgets = {
            "title": forms.TextInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "source_evidence": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect(),
            "local_area": forms.RadioSelect(),
            "audiences": forms.CheckboxSelectMultiple(),
            "stages": forms.CheckboxSelectMultiple(),
            "topics": forms.CheckboxSelectMultiple(),
        }
        error_messages = {
            "title": {"required": "Enter the title"},
            "summary": {"required": "Enter a summary"},
            "organisation": {"required": "Enter who published the page"},
            "organisation_url": {"invalid": URL_MESSAGE},
            "url": {"required": "Enter the link to the page", "invalid": URL_MESSAGE},
            "kind": {"required": "Select the type of resource"},
            "audiences": {"required": "Select who the resource is for"},
            "stages": {"required": "Select at least one stage"},
            "topics": {"required": "Select at least one topic"},
            "local_area": {"required": "Select the area the resource covers"},
            "source_evidence": {"required": "Enter what the page says that supports the summary"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audiences"].queryset = Audience.objects.all()
        self.fields["stages"].queryset = Stage.objects.all()
        self.fields["topics"].queryset = Topic.objects.all()
        # A radio list has no empty choice: the error says what to select instead.
        for name in ("kind", "local_area"):
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]
