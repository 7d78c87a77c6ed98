"""Forms for the disruption screens. They check shape only; the model and services hold the rules
(durations from law.py, who may be named)."""

import re

from django import forms

from harbour.access.policy import Action, scope
from harbour.accounts.models import Agency
from harbour.missing.models import Place
from harbour.people.models import Person

from . import law
from .models import ActivityKind, OrderStatus, SubjectKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def day(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput, help_text=help_text)


def when(label: str, *, required: bool = False, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput, help_text=help_text)


def text(label: str, *, required: bool = False, long: bool = True, help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if long else None
    return forms.CharField(
        label=label, required=required, widget=widget, help_text=help_text, max_length=None if long else 200
    )


def _record_numbers(value: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", value or "")]


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, place):
        return str(place)


class OrderForm(forms.Form):
    tool = forms.ChoiceField(label="Tool", choices=[("", "Choose a tool"), *law.TOOL_CHOICES])
    other_tool_name = text("If 'Other': name the tool", long=False)
    status = forms.ChoiceField(label="Status", choices=OrderStatus.choices, initial=OrderStatus.CONSIDERED)
    status_note = text("Why it was refused or discharged")
    subject_kind = forms.ChoiceField(label="Against", choices=SubjectKind.choices, widget=forms.RadioSelect)
    subject_person_number = forms.IntegerField(
        label="Person: record number",
        required=False,
        min_value=1,
        help_text="The number shown on the person's record (record 123).",
    )
    subject_place = PlaceChoiceField(label="Place: a place on record", queryset=Place.objects.none(), required=False)
    new_place_name = text("Or a new place: name or description", long=False)
    new_place_address = text("New place: address", long=False)
    new_place_postcode = forms.CharField(label="New place: postcode", required=False, max_length=10)
    subject_business = text("Business: name", long=False)
    protected_children_numbers = forms.CharField(
        label="Children it protects (Child Abduction Warning Notice): record numbers",
        required=False,
        help_text="Separate record numbers with commas.",
    )
    applicant = text("Applicant or issuer", long=False, help_text="The officer and agency.")
    court_or_authority = text("Court or authority", long=False)
    applied_on = day("Applied for on")
    granted_on = day("Granted or issued on")
    served_at = when("Served at", help_text="London time")
    expires_at = when("Ends at", help_text="London time. Leave blank if it runs until further order.")
    until_further_order = forms.BooleanField(label="Runs until further order", required=False)
    extended = forms.BooleanField(label="Extended as the law allows (closure notices and orders)", required=False)
    conditions = text("Conditions", help_text="Prohibitions, requirements or terms, one to a line.")

    def __init__(self, *args, user, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["subject_place"].queryset = places if places is not None else Place.objects.none()

    def _visible_person(self, number: int) -> Person | None:
        return scope(self.user, Person.objects.filter(pk=number), Action.VIEW).first()

    def clean(self):
        data = super().clean()
        number = data.get("subject_person_number")
        data["subject_person"] = None
        if data.get("subject_kind") == law.PERSON and number:
            data["subject_person"] = self._visible_person(number)
            if data["subject_person"] is None:
                self.add_error("subject_person_number", "There is no person with that record number that you can see.")
        children = []
        for n in _record_numbers(data.get("protected_children_numbers", "")):
            child = self._visible_person(n)
            if child is None:
                self.add_error(
                    "protected_children_numbers", f"There is no person with record number {n} that you can see."
                )
            else:
                children.append(child)
        data["protected_children"] = children
        if data.get("subject_place") is not None and (data.get("new_place_name") or "").strip():
            self.add_error("subject_place", "Choose a place on record or enter a new place, not both.")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = {
            name: d.get(name)
            for name in (
                "tool",
                "other_tool_name",
                "status",
                "status_note",
                "subject_kind",
                "subject_person",
                "subject_place",
                "subject_business",
                "applicant",
                "court_or_authority",
                "applied_on",
                "granted_on",
                "served_at",
                "expires_at",
                "until_further_order",
                "extended",
                "conditions",
            )
        }
        for name in ("other_tool_name", "status_note", "subject_business", "applicant", "court_or_authority"):
            kwargs[name] = (kwargs[name] or "").strip()
        kwargs["conditions"] = (kwargs["conditions"] or "").strip()
        kwargs["protected_children"] = d.get("protected_children", [])
        kwargs["new_place"] = {
            "name": d.get("new_place_name", ""),
            "address": d.get("new_place_address", ""),
            "postcode": d.get("new_place_postcode", ""),
        }
        return kwargs

    # The service names model fields; the form shows some of them under other names.
    SERVICE_FIELD_NAMES = {
        "subject_person": "subject_person_number",
        "protected_children": "protected_children_numbers",
    }


class BreachForm(forms.Form):
    occurred_on = day("When did the breach happen?", required=True)
    description = text("What happened?", required=True)
    action_taken = text("What action was taken?", help_text="Arrest, charge, warning, referral to court...")


class OperationForm(forms.Form):
    name = text("Name of the operation", required=True, long=False)
    aim = text("Aim")
    start_date = day("Starts on", required=True)
    end_date = day("Ends on")
    places = forms.ModelMultipleChoiceField(label="Places on record", queryset=Place.objects.none(), required=False)
    new_place_name = text("A new place: name or description", long=False)
    new_place_postcode = forms.CharField(label="New place: postcode", required=False, max_length=10)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies taking part", queryset=Agency.objects.all(), required=False
    )

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places if places is not None else Place.objects.none()

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["new_place"] = {"name": d.pop("new_place_name", ""), "postcode": d.pop("new_place_postcode", "")}
        return d


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="Activity", choices=ActivityKind.choices, widget=forms.RadioSelect)
    on = day("On", required=True)
    place = PlaceChoiceField(label="Place", queryset=Place.objects.none(), required=False)
    business_name = text("Business engaged (hotel, taxi firm, takeaway)", long=False)
    description = text("What was done", required=True)
    outcome = text("Outcome")

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places if places is not None else Place.objects.none()


class OutcomesForm(forms.Form):
    outcomes = text("Outcomes of the operation", required=True)
    end_date = day("Ended on")
