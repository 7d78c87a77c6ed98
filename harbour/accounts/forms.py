from django import forms
from django.contrib.auth.forms import AuthenticationForm

from harbour.people.models import CareHome

from .lockout import is_locked_out
from .models import Team
from .roles import Role


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


class UserForm(forms.Form):
    """An administrator's form for a user of their own agency."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="Email address")
    job_title = forms.CharField(max_length=200, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    care_home = forms.ModelChoiceField(
        queryset=CareHome.objects.none(), required=False, help_text="Only for care-home staff."
    )
    is_active = forms.BooleanField(label="Account is active", required=False, initial=True)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(agency=agency)
        self.fields["care_home"].queryset = CareHome.objects.filter(provider=agency)


class NewUserForm(UserForm):
    username = forms.CharField(max_length=150)
    password = forms.CharField(
        label="Initial password",
        widget=forms.PasswordInput,
        help_text="At least 12 characters. Tell the user securely.",
    )

    field_order = ["username", "password"]
