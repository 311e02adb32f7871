"""The staff sign-in form (GOV.UK error messages that never say whether a username exists), the public form
to ask for a partner account, and the form an administrator approves one with."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator

from portal.accounts.models import Organisation

REASON_MAX_LENGTH = 2000

SIGN_IN_FAILED = "Enter a correct username and password"


class SignInForm(AuthenticationForm):
    error_messages = {
        # The same words for an unknown username, a wrong password and an inactive account.
        "invalid_login": SIGN_IN_FAILED,
        "inactive": SIGN_IN_FAILED,
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class AccountRequestForm(forms.Form):
    """The public form to ask for a partner account. Errors follow the GOV.UK Design System."""

    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter your full name", "max_length": "Your name must be 200 characters or fewer"},
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="We send the link to set your password here, so use your own work address, not a shared one.",
        max_length=254,
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )
    organisation_name = forms.CharField(
        label="Organisation",
        help_text="For example, a school, a charity, a council service or the police.",
        max_length=200,
        error_messages={
            "required": "Enter the name of your organisation",
            "max_length": "The name of your organisation must be 200 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        error_messages={
            "required": "Enter your job title",
            "max_length": "Your job title must be 200 characters or fewer",
        },
    )
    reason = forms.CharField(
        label="What will you use the account for?",
        help_text="For example, keeping your organisation’s services up to date, or reading the needs assessment.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter what you will use the account for",
            "max_length": f"What you will use the account for must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )
    website = forms.CharField(required=False)  # the honeypot, as on the feedback form

    field_order = ["name", "email", "organisation_name", "job_title", "reason"]

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter what you will use the account for")
        return reason

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class ApproveAccountForm(forms.Form):
    """What an administrator decides when approving: the username, and which organisation the account joins
    (one that exists, or a new one named as the person typed it, or corrected)."""

    username = forms.CharField(
        label="Username",
        help_text="What they sign in with. Letters, numbers and @ . + - _ only.",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        error_messages={"required": "Enter a username for the account"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        help_text="The organisation the account works for. Its partners see each other’s names.",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="A new organisation (name below)",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    new_organisation_name = forms.CharField(
        label="Name of the new organisation",
        help_text="Only when it is not in the list above.",
        max_length=200,
        required=False,
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"An account with the username “{username}” already exists: choose another")
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        new_name = (cleaned.get("new_organisation_name") or "").strip()
        cleaned["new_organisation_name"] = new_name
        if not cleaned.get("organisation") and "organisation" not in self.errors:
            if not new_name:
                self.add_error("new_organisation_name", "Enter the name of the new organisation, or select one")
            elif Organisation.objects.filter(name__iexact=new_name).exists():
                self.add_error("new_organisation_name", f"“{new_name}” already exists: select it from the list")
        return cleaned
