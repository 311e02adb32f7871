"""The staff sign-in form, with GOV.UK error messages that never say whether a username exists."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm

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
