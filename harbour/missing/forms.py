"""Forms for the missing-children screens. They check shape only; the services hold the rules."""

from django import forms

from harbour.access.policy import scope
from harbour.people.models import Person

from .models import ActionKind, Category, OfferMethod, ProtectionOutcome, ReportedByKind, RiskGrade


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput, help_text=help_text)


def text(label: str, *, required: bool = False, long: bool = True, help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if long else None
    return forms.CharField(
        label=label, required=required, widget=widget, help_text=help_text, max_length=None if long else 200
    )


class EpisodeReportForm(forms.Form):
    category = forms.ChoiceField(label="Category", choices=Category.choices, widget=forms.RadioSelect)
    reported_by_kind = forms.ChoiceField(label="Reported by", choices=ReportedByKind.choices, widget=forms.RadioSelect)
    reported_by_name = text("Name of the person reporting", long=False)
    reported_at = when("When was the child reported missing?", help_text="London time")
    last_seen_at = when("When was the child last seen?")
    last_seen_place = text("Where was the child last seen?", required=True, long=False)
    last_seen_with = text("Who were they last seen with?", help_text="Names, descriptions, or 'Not known'")
    clothing = text("What were they wearing?")


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label="Risk grade", choices=RiskGrade.choices, widget=forms.RadioSelect)
    reason = text("Reason for this grade", required=True)
    review_at = when("Review the grade by", required=False)


class RiskInformationForm(forms.Form):
    information = text("Risk information", required=True)
    supplied_by = text("Who supplied it?", required=True, long=False)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="Action", choices=ActionKind.choices, widget=forms.RadioSelect)
    where_done = forms.ChoiceField(
        label="Where was it done?",
        choices=[("field", "In the field"), ("desk", "At a desk (calls, systems checks)")],
        widget=forms.RadioSelect,
    )
    at = when("When?")
    note = text("What was done and what it found", required=True)


class CloseForm(forms.Form):
    found_at = when("When was the child found or returned?")
    place_name = text("Where was the child found?", long=False, help_text="Name or description of the place")
    place_address = text("Address of the place", long=False)
    place_postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    where_not_said = forms.BooleanField(label="The child would not say where they were", required=False)
    found_with = forms.ModelMultipleChoiceField(
        label="Who was the child found with?", queryset=Person.objects.none(), required=False
    )
    found_alone = forms.BooleanField(label="The child was alone", required=False)
    found_with_not_said = forms.BooleanField(label="The child would not say who they were with", required=False)
    brought_back_by = text("Who brought the child back?", long=False)
    travel_method = text("How did they travel?", long=False)
    condition = text("The child's condition on return")

    def __init__(self, *args, user, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_with"].queryset = scope(user, Person.objects.exclude(pk=child.pk))[:200]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        place = None
        if data["place_name"].strip():
            place = {"name": data["place_name"], "address": data["place_address"], "postcode": data["place_postcode"]}
        return {
            "found_at": data["found_at"],
            "found_where": place,
            "where_not_said": data["where_not_said"],
            "found_with": list(data["found_with"]),
            "found_alone": data["found_alone"],
            "found_with_not_said": data["found_with_not_said"],
            "brought_back_by": data["brought_back_by"],
            "travel_method": data["travel_method"],
            "condition": data["condition"],
        }


class OfferForm(forms.Form):
    offered_at = when("When was the interview offered?")
    offered_how = forms.ChoiceField(label="How was it offered?", choices=OfferMethod.choices, widget=forms.RadioSelect)


class RefusalForm(forms.Form):
    refusal_reason = text("Why did the child refuse?", required=True)
    carers_account = text("The carers' account (optional)")


class HeldForm(forms.Form):
    held_at = when("When was the interview held?")
    independent_of_carers = forms.BooleanField(
        label="Held by someone independent of the child's carers", required=False
    )
    child_preferred_carer = forms.BooleanField(
        label="The child preferred to talk to one of their carers", required=False
    )
    harm_suffered = text("Harm suffered")
    why_went = text("Why they went")
    where_and_with_whom = text("Where they were and with whom")
    push_factors = text("Push factors (reasons to leave)")
    pull_factors = text("Pull factors (what drew them away)")
    disclosures = text("Disclosures")
    onward_referrals = text("Onward referrals")
    safety_advice = text("Safety advice given")


class ProtectionStartForm(forms.Form):
    taken_at = when("When was the child taken into police protection?")
    grounds = text("Grounds: the reasonable cause to believe significant harm", required=True)
    place_of_safety = text("Place of safety", required=True, long=False)
    place_is_police_station = forms.BooleanField(
        label="The place of safety is a police station (last resort only)", required=False
    )


class ProtectionRecordForm(forms.Form):
    la_informed_at = when("Local authority informed at", required=False)
    child_informed_and_wishes = text("Child informed; their wishes")
    parents_informed_at = when("Parents / those with parental responsibility informed at", required=False)
    parents_not_informed_reason = text("Why parents were not informed")
    inquiry = text("Designated officer's inquiry")
    contact_decisions = text("Contact decisions")
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "Not yet")] + list(ProtectionOutcome.choices), required=False
    )
    handed_over_at = when("Released or handed over at", required=False)
    designate_me = forms.BooleanField(label="I am the designated officer", required=False)

    def service_kwargs(self, user, protection) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "designate_me" and v not in (None, "")}
        if self.cleaned_data.get("designate_me") and protection.designated_officer_id != user.pk:
            data["designated_officer"] = user
        return data


class FiguresForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
