"""The public feedback form and the staff form for a message's status and notes.

Error messages follow the GOV.UK Design System: say what went wrong and how to fix it.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

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
    website = forms.CharField(required=False)

    # The order of the fields on the page, which the error summary follows.
    field_order = ["topic", "message", "name", "email"]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Enter your message")
        return message

    @property
    def may_contact(self) -> bool:
        """The email box is labelled "only if you would like a reply": an address given is a request for a
        reply, so no separate tick is asked for (and none can be missing)."""
        return bool(self.cleaned_data.get("email"))

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
    mine = forms.BooleanField(required=False)


def feedback_handlers():
    """Active accounts that may handle feedback (change a message), by username: whom a message can be
    assigned to."""
    permission = Permission.objects.filter(content_type__app_label="feedback", codename="change_feedbackmessage")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Nobody",
        label="Assigned to",
        error_messages={"invalid_choice": "Select a member of staff who handles feedback"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = feedback_handlers()
        self.fields["assigned_to"].label_from_instance = lambda user: user.get_username()


REPLY_MAX_LENGTH = 5000


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter your reply",
            "max_length": f"Your reply must be {REPLY_MAX_LENGTH:,} characters or fewer",
        },
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter your reply")
        return text
