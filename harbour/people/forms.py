from django import forms

from harbour.accounts.models import Agency, AgencyKind

from .identifiers import SCHEMES
from .models import Address, NameKind, Person, PersonKind, Placement
from .services import PERSON_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class PersonSearchForm(forms.Form):
    name = forms.CharField(label="Name or alias", required=False, max_length=200)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DateInput)
    identifier = forms.CharField(
        label="Identifier",
        required=False,
        max_length=40,
        help_text="Police reference, council case number, NHS number, UPN or YOS reference",
    )
    kind = forms.ChoiceField(label="Kind of person", required=False, choices=[("", "Any")] + list(PersonKind.choices))

    def clean(self):
        data = super().clean()
        if not (data.get("name", "").strip() or data.get("date_of_birth") or data.get("identifier", "").strip()):
            raise forms.ValidationError("Enter a name, a date of birth or an identifier to search.")
        return data


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"date_of_birth": DateInput}
        labels = {
            "date_of_birth_is_estimated": "The date of birth is estimated",
            "estimated_age_years": "Estimated age in years (if the date of birth is not known)",
            "learning_disability": "Learning disability or difficulty",
            "special_educational_needs": "Special educational needs",
            "first_language_status": "Is the first language recorded?",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        authorities = Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
        self.fields["responsible_authority"].queryset = authorities
        self.fields["host_authority"].queryset = authorities
        # Radios and selects have no blank choice: "not known" and "not asked" are explicit answers.
        for name in (
            "sex",
            "gender",
            "ethnicity",
            "disability",
            "learning_disability",
            "special_educational_needs",
            "first_language_status",
            "looked_after_status",
            "kind",
        ):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
            self.fields[name].required = True


class AliasForm(forms.Form):
    kind = forms.ChoiceField(choices=[c for c in NameKind.choices if c[0] != NameKind.PRIMARY])
    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)


class IdentifierForm(forms.Form):
    scheme = forms.ChoiceField(label="Type", choices=[(code, s.label) for code, s in SCHEMES.items()])
    value = forms.CharField(label="Value", max_length=40)


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ["line_1", "line_2", "town", "postcode", "from_date", "to_date"]
        widgets = {"from_date": DateInput, "to_date": DateInput}
        labels = {"line_1": "Address line 1", "line_2": "Address line 2 (optional)", "to_date": "Left on (optional)"}


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["care_home", "description", "placing_authority", "start_date", "end_date"]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placing_authority"].queryset = Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)


class ShareForm(forms.Form):
    kind = forms.ChoiceField(
        label="Access",
        choices=[("share", "Share (read only)"), ("allocation", "Allocate (to work on the case)")],
        widget=forms.RadioSelect,
    )
    grantee_agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.all(), required=False)
    grantee_team = forms.ModelChoiceField(label="Team", queryset=None, required=False)
    grantee_user = forms.ModelChoiceField(label="User", queryset=None, required=False)
    reason = forms.CharField(label="Why do they need to know?", widget=forms.Textarea(attrs={"rows": 3}))
    valid_until = forms.DateTimeField(
        label="Until (optional)", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, **kwargs):
        from harbour.accounts.models import Team, User

        super().__init__(*args, **kwargs)
        self.fields["grantee_team"].queryset = Team.objects.select_related("agency")
        self.fields["grantee_user"].queryset = User.objects.filter(is_active=True).select_related("agency")

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("grantee_agency", "grantee_team", "grantee_user") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError("Choose exactly one agency, team or user.")
        return data


class RestrictForm(forms.Form):
    restricted = forms.BooleanField(label="Restrict this record to named users", required=False)
    named_users = forms.ModelMultipleChoiceField(label="Named users", queryset=None, required=False)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agency=None, **kwargs):
        from harbour.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["named_users"].queryset = User.objects.filter(is_active=True, agency=agency)
