"""Forms for staff: evidence library entries, draft strategies and their actions."""

from __future__ import annotations

from django import forms

from portal.resources.forms import GovukDateWidget, PastDateField, https_by_default
from portal.strategy.models import HARMFUL, Action, Approach, Term, TermKind

NOT_READ = ("", "Not yet checked (nobody has read it from the source)")
EVIDENCE_CHOICES = [NOT_READ, *[(str(n), f"{n} of 5") for n in range(1, 6)]]
COST_CHOICES = [NOT_READ, *[(str(n), f"{n} of 3") for n in range(1, 4)]]
YES_NO = [("true", "Yes: it works on places, such as streets or town centres"), ("false", "No: it works with people")]


def _rating(value: str) -> int | None:
    return int(value) if value else None


class ApproachForm(forms.ModelForm):
    evidence_rating = forms.TypedChoiceField(
        label="Evidence quality",
        choices=EVIDENCE_CHOICES,
        coerce=_rating,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only a score you have read on the toolkit page. Never estimate one.",
    )
    cost_rating = forms.TypedChoiceField(
        label="Cost",
        choices=COST_CHOICES,
        coerce=_rating,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only a score you have read on the toolkit page.",
    )
    delivery_settings = forms.MultipleChoiceField(
        label="Where it is delivered",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select where it is delivered"},
    )
    age_groups = forms.MultipleChoiceField(
        label="Age groups",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only ages the source states. Leave all empty when not yet checked.",
    )
    themes = forms.MultipleChoiceField(
        label="Needs it addresses",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one need it addresses"},
    )
    place_based = forms.TypedChoiceField(
        label="Is it place-based?",
        choices=YES_NO,
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is place-based"},
    )
    date_read = PastDateField(
        label="Date the source was read",
        required=False,
        help_text="For example, 26 11 2026. Leave empty if nobody recorded it.",
    )

    impact_band = forms.ChoiceField(
        label="Impact on violence",
        widget=forms.RadioSelect,
        help_text="The band the toolkit gives. Choose 'Not yet checked' unless you have read it.",
        error_messages={"required": "Select the impact on violence"},
    )

    class Meta:
        model = Approach
        formfield_callback = https_by_default
        fields = [
            "name",
            "toolkit",
            "description",
            "impact_band",
            "impact_statement",
            "evidence_rating",
            "cost_rating",
            "delivery_settings",
            "age_groups",
            "themes",
            "place_based",
            "source_url",
            "source_title",
            "date_read",
            "verified",
        ]
        labels = {
            "impact_statement": "What the source says about its effect (optional)",
            "source_url": "Link to the source",
            "source_title": "Title of the source (optional)",
            "verified": "I have checked every field above against the source",
        }
        help_texts = {
            "description": "What it is, in plain English and our own words. Do not copy the toolkit's text.",
            "impact_statement": "Shortened, and say who said it, for example “YEF: …”.",
            "source_url": "The toolkit page, starting https://",
        }
        widgets = {
            "name": forms.TextInput(),
            "toolkit": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "impact_statement": forms.Textarea(attrs={"rows": 3}),
            "source_title": forms.TextInput(),
        }
        error_messages = {
            "name": {"required": "Enter the name of the approach"},
            "toolkit": {"required": "Enter the toolkit it comes from"},
            "description": {"required": "Enter a description"},
            "source_url": {"required": "Enter the link to the source", "invalid": "Enter a link like https://…"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        vocabularies = {
            "impact_band": TermKind.IMPACT_BAND,
            "delivery_settings": TermKind.SETTING,
            "age_groups": TermKind.AGE_GROUP,
            "themes": TermKind.THEME,
        }
        for name, kind in vocabularies.items():
            self.fields[name].choices = list(Term.names(kind).items())
        if self.instance.pk:
            self.initial["place_based"] = "true" if self.instance.place_based else "false"
            for name in ("evidence_rating", "cost_rating"):
                value = getattr(self.instance, name)
                self.initial[name] = "" if value is None else str(value)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("verified") and not data.get("date_read"):
            self.add_error("date_read", "Enter the date you read the source, to mark the entry as checked")
        return data


class GovukDateField(forms.DateField):
    """A date in the GOV.UK date input (any date, past or future)."""

    widget = GovukDateWidget

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        error_messages = {"invalid": "Enter a real date, for example 1 4 2027"}
        error_messages.update(kwargs.pop("error_messages", {}))
        super().__init__(error_messages=error_messages, **kwargs)


class ActionForm(forms.ModelForm):
    start_date = GovukDateField(label="Start date", error_messages={"required": "Enter the start date"})
    end_date = GovukDateField(label="End date", error_messages={"required": "Enter the end date"})
    success_measure = forms.ChoiceField(
        label="Success measure",
        widget=forms.RadioSelect,
        help_text="The monitoring measure that will show whether it worked. Choose one that can move: each "
        "measure's page says the smallest change it can show.",
        error_messages={
            "required": "Select the success measure",
            "invalid_choice": "Select the success measure from the list",
        },
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "approach",
            "owner",
            "partners",
            "budget",
            "start_date",
            "end_date",
            "success_measure",
            "status",
        ]
        labels = {
            "approach": "Approach from the evidence library",
            "owner": "Owner",
            "partners": "Partners (optional)",
            "budget": "Budget in pounds (optional)",
            "status": "Status",
        }
        help_texts = {
            "title": "What will be done, in a few words.",
            "owner": "The organisation or role that leads it, not a person's name.",
            "partners": "Other organisations involved, one a line.",
            "budget": "For example, 25000",
        }
        widgets = {
            "title": forms.TextInput(),
            "owner": forms.TextInput(),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "budget": forms.TextInput(attrs={"inputmode": "decimal"}),
            "status": forms.RadioSelect(),
        }
        error_messages = {
            "title": {"required": "Enter what will be done"},
            "owner": {"required": "Enter who owns the action"},
            "budget": {"invalid": "Enter the budget as a number of pounds, like 25000"},
        }

    def __init__(self, *args, measures=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].queryset = Approach.objects.live().exclude(impact_band=HARMFUL)
        self.fields["approach"].empty_label = "None: not from the evidence library"
        self.fields["success_measure"].choices = [
            (
                measure.key,
                f"{measure.name}: {measure.geography}"
                + ("" if measure.available else " (not loaded yet: it cannot be monitored until it is)"),
            )
            for measure in measures
        ]
        self.fields["status"].choices = [choice for choice in self.fields["status"].choices if choice[0]]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date")
        return data
