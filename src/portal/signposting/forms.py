"""The flow's questions (one per page) and the staff form for local contacts."""

from __future__ import annotations

from django import forms

from portal.resources.forms import URL_MESSAGE, PastDateField, https_by_default
from portal.signposting.content import (
    AGE_CHOICES,
    ASKER_CHOICES,
    CONCERN_CHOICES,
    DANGER_CHOICES,
    KIND_CHOICES,
    ROLE_CHOICES,
    WHO_CHOICES,
)
from portal.signposting.models import LocalContact


def _choices(choices) -> list[tuple[str, str]]:
    return [(choice.value, choice.label) for choice in choices]


class DangerForm(forms.Form):
    danger = forms.ChoiceField(
        label="Is anyone in immediate danger?",
        help_text="For example, a crime is happening now or someone is about to be hurt.",
        choices=_choices(DANGER_CHOICES),
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if anyone is in immediate danger"},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Which best describes you?",
        help_text="So we can show the help that fits you first.",
        choices=_choices(ROLE_CHOICES),
        widget=forms.RadioSelect,
        error_messages={"required": "Select which best describes you"},
    )


class WhoForm(forms.Form):
    who = forms.ChoiceField(
        label="Who are you worried about?",
        choices=_choices(WHO_CHOICES),
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are worried about"},
    )


class ConcernsForm(forms.Form):
    concern = forms.MultipleChoiceField(
        label="What are you worried about?",
        help_text="Select all that apply.",
        choices=_choices(CONCERN_CHOICES),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you are worried about, or select ‘Something else’"},
    )


class LocalContactForm(forms.ModelForm):
    for_whom = forms.MultipleChoiceField(
        label="Ages it is for",
        help_text="The age of the person at risk. Leave all unticked to show it whatever their age.",
        choices=_choices(AGE_CHOICES),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    concerns = forms.MultipleChoiceField(
        label="Worries it helps with",
        help_text="Leave all unticked to show it for every worry.",
        choices=_choices(CONCERN_CHOICES),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    last_checked = PastDateField(
        label="Last checked",
        help_text="When someone last checked these details on the page above. For example, 26 11 2026",
        required=False,
    )
    published = forms.BooleanField(label="Show this contact on the public pages", required=False)

    class Meta:
        model = LocalContact
        formfield_callback = https_by_default
        fields = [
            "name",
            "organisation",
            "purpose",
            "phone",
            "email",
            "url",
            "hours",
            "area",
            "kind",
            "for_whom",
            "asker",
            "concerns",
            "source_url",
            "last_checked",
            "notes",
            "to_be_confirmed",
            "published",
        ]
        widgets = {
            "name": forms.TextInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "area": forms.RadioSelect(),
            "kind": forms.RadioSelect(),
            "asker": forms.RadioSelect(),
        }
        help_texts = {
            "phone": "Only a number shown on a published page. Separate two numbers with a semicolon (;).",
            "source_url": "The published page you checked the details on, for example the organisation's own.",
        }
        error_messages = {
            "name": {"required": "Enter the name of the contact"},
            "purpose": {"required": "Enter when to use it"},
            "email": {"invalid": "Enter an email address in the right format, like name@example.org"},
            "url": {"invalid": URL_MESSAGE},
            "source_url": {"invalid": URL_MESSAGE},
            "area": {"required": "Select the area it covers"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [choice for choice in self.fields["area"].choices if choice[0]]
        self.fields["kind"].choices = _choices(KIND_CHOICES)
        self.fields["asker"].choices = [("", "Both"), *_choices(ASKER_CHOICES)]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("published") and not cleaned.get("to_be_confirmed"):
            # A published contact must say how to get in touch and where that was checked: never a guess.
            if not (cleaned.get("phone") or cleaned.get("url") or cleaned.get("email")) and not any(
                name in self.errors for name in ("phone", "url", "email")
            ):
                self.add_error("phone", "To publish, enter a phone number, email address or website")
            if not cleaned.get("source_url") and "source_url" not in self.errors:
                self.add_error("source_url", "To publish, enter the page you checked the details on")
            if not cleaned.get("last_checked") and "last_checked" not in self.errors:
                self.add_error("last_checked", "To publish, enter the date you checked the details")
        return cleaned
