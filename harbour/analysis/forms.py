from datetime import timedelta

from django import forms
from django.utils import timezone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def default_period():
    today = timezone.localdate()
    return today - timedelta(days=365), today


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DateInput)
    end = forms.DateField(label="To", widget=DateInput)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not (data.get("start") or data.get("end")):
            data = None
        super().__init__(data, *args, **kwargs)
        if data is None:
            start, end = default_period()
            self.initial.update({"start": start, "end": end})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start.")
        return cleaned

    def period(self):
        """The chosen period, or the last 12 months when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_period()


class NetworkForm(PeriodForm):
    LINK_TYPE_CHOICES = [
        ("found_with", "Found with"),
        ("with_while_missing", "With while missing"),
        ("associate", "Associate of"),
        ("family", "Family of"),
        ("found_at", "Found at"),
        ("visited", "Visited"),
        ("lives_at", "Lives at"),
        ("uses_phone", "Uses phone"),
        ("owns_account", "Owns account"),
        ("drives", "Drives"),
        ("contacted", "Contacted"),
        ("victim_of", "Potential victim of"),
        ("suspected_of", "Suspected of harming"),
        ("names_place", "Named this place in messages"),
    ]
    link_types = forms.MultipleChoiceField(
        label="Kinds of link",
        choices=LINK_TYPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to use every kind of link.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these records the same person?",
        choices=[("confirm", "Yes, the same person"), ("reject", "No, different people")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="What you checked: identifiers, dates, addresses, who you asked.",
    )


class UndoForm(forms.Form):
    reason = forms.CharField(
        label="Why was the confirmation wrong?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AlertReviewForm(forms.Form):
    note = forms.CharField(label="What was done", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SimilarPeopleForm(forms.Form):
    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)
    date_of_birth = forms.DateField(required=False)
