from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .lockout import is_locked_out


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Contact your agency's administrator.",
        "locked": (
            "This account is locked after too many failed sign-in attempts. Try again in 15 minutes "
            "or contact your agency's administrator."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if is_locked_out(username):
            # Still counts as a failure; the message does not say whether the password was right.
            from django.contrib.auth import authenticate

            authenticate(self.request, username=username, password=self.cleaned_data.get("password") or "")
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()
