from datetime import date, timedelta

from django import forms
from django.utils import timezone

from .figures import BREAKDOWNS
from .periods import MAX_MONTHS, Period


def default_period() -> Period:
    """The last full financial year would be usual for scrutiny; by default, the last 12 whole months."""
    first_of_month = timezone.localdate().replace(day=1)
    start = (first_of_month - timedelta(days=365)).replace(day=1)
    return Period(start, first_of_month)


BREAKDOWN_CHOICES = [("", "No breakdown"), *((b.key, b.label) for b in BREAKDOWNS.values())]


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (included)", widget=forms.DateInput(attrs={"type": "date"}))
    breakdown = forms.ChoiceField(
        label="Break the main figures down by",
        choices=BREAKDOWN_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a breakdown from the list."},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end date must be on or after the start date.")
            elif (end - start).days > MAX_MONTHS * 31:
                self.add_error("end", f"Choose a period of {MAX_MONTHS} months or less.")
            elif start < date(2000, 1, 1):
                self.add_error("start", "Choose a start date from 2000 onwards.")
        return data

    @property
    def period(self) -> Period:
        return Period.inclusive(self.cleaned_data["start"], self.cleaned_data["end"])

    @property
    def breakdown_key(self) -> str | None:
        return self.cleaned_data.get("breakdown") or None


class DashboardForm(PeriodForm):
    """The period only: a dashboard has its own breakdowns."""

    breakdown = None

    @property
    def breakdown_key(self) -> None:
        return None
