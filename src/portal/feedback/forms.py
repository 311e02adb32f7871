"""The public feedback form and the staff form for a message's status and notes.

Error messages follow the GOV.UK Design System: say what went wrong and how to fix it.
"""

from __future__ import annotations

from django import forms

from portal.feedback.models import FeedbackMessage

MESSAGE_MAX_LENGTH = 5000
# The honeypot: a field people never see (visually hidden, out of the tab order, hidden from screen
# readers) that form-filling bots do. A submission with it filled in is thrown away without a word.
HONEYPOT_FIELD = "website"


class FeedbackForm(forms.Form):
    topic = forms.ChoiceField(
        choices=FeedbackMessage.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what your message is about", "invalid_choice": "Select an option"},
    )
    message = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter your message",
            "max_length": f"Your message must be {MESSAGE_MAX_LENGTH:,} characters or fewer",
        },
    )
    name = forms.CharField(
        required=False, max_length=200, error_messages={"max_length": "Your name must be 200 characters or fewer"}
    )
    email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )
    may_contact = forms.BooleanField(required=False)
    website = forms.CharField(required=False)

    # The order of the fields on the page, which the error summary follows.
    field_order = ["topic", "message", "name", "email", "may_contact"]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Enter your message")
        return message

    def clean(self) -> dict:
        cleaned = super().clean()
        email = cleaned.get("email")
        may_contact = cleaned.get("may_contact")
        if "email" not in self.errors:
            if may_contact and not email:
                self.add_error("email", "Enter your email address if you would like us to contact you")
            elif email and not may_contact:
                self.add_error(
                    "may_contact", "Tick the box if we may email you about your message, or remove your email address"
                )
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary, in the order of the fields on the page."""
        # The page gives each field (the first radio, for the topic) an id equal to the field's name.
        return [(name, message) for name in self.field_order for message in self.errors.get(name, [])]


class FeedbackStatusForm(forms.ModelForm):
    class Meta:
        model = FeedbackMessage
        fields = ["status", "staff_notes"]
        widgets = {"status": forms.RadioSelect}
        error_messages = {"status": {"required": "Select a status", "invalid_choice": "Select a status"}}


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "All messages"), *FeedbackMessage.Status.choices])
