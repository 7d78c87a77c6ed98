from django import forms

from harbour.accounts.models import User

from .models import AuditAction


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    person_id = forms.IntegerField(label="Person record number", required=False, min_value=1)
    actor = forms.ModelChoiceField(label="User", queryset=User.objects.none(), required=False)
    action = forms.ChoiceField(label="Action", choices=[("", "Any")] + list(AuditAction.choices), required=False)
    since = forms.DateField(label="From", required=False, widget=DateInput)
    until = forms.DateField(label="To", required=False, widget=DateInput)
    alerts_only = forms.BooleanField(label="Alerts only (break-glass, lockouts)", required=False)

    def __init__(self, *args, auditor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(agency=auditor.agency) if auditor else User.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date must be the same as or after the start date.")
        return data
