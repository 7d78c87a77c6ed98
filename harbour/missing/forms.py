"""Forms for the missing-children screens. They check shape only; the services hold the rules."""

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from harbour.access.policy import scope
from harbour.accounts.models import Agency, AgencyKind
from harbour.people.models import Person, PersonKind

from .models import (
    ActionKind,
    Category,
    OfferMethod,
    Place,
    ProfileItemKind,
    ProtectionOutcome,
    ReportedByKind,
    RiskGrade,
)

PICK_LIMIT = 200  # a longer list is no use to pick from; new people can be added by name
NEW_PEOPLE = 2  # people who can be added by name on one form


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
    police_force = forms.ModelChoiceField(
        label="Police force leading the search",
        queryset=Agency.objects.filter(kind=AgencyKind.POLICE),
        required=False,
        help_text="Police grade the risk and lead the search. Care homes: leave blank for the home's liaison force.",
    )
    category = forms.ChoiceField(label="Category", choices=Category.choices, widget=forms.RadioSelect)
    reported_by_kind = forms.ChoiceField(label="Reported by", choices=ReportedByKind.choices, widget=forms.RadioSelect)
    reported_by_name = text("Name of the person reporting", long=False)
    reported_at = when("When was the child reported missing?", help_text="London time")
    last_seen_at = when("When was the child last seen?")
    last_seen_place = text("Where was the child last seen?", required=True, long=False)
    last_seen_with = text("Who were they last seen with?", help_text="Names, descriptions, or 'Not known'")
    clothing = text("What were they wearing?")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        police = self.fields["police_force"].queryset
        if user.agency.kind == AgencyKind.POLICE:
            del self.fields["police_force"]  # police report for their own force
        elif police.count() == 1 and user.role != "care_home_staff":
            self.fields["police_force"].initial = police.first().pk


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


def people_to_pick(user, *, exclude):
    """People the user may see, adults of concern first, for 'with whom' lists (at most PICK_LIMIT)."""
    visible = scope(user, Person.objects.exclude(pk=exclude.pk))
    order = Case(When(kind=PersonKind.ADULT_OF_CONCERN, then=Value(0)), default=Value(1), output_field=IntegerField())
    pks = list(visible.order_by(order, "family_name", "given_name", "id").values_list("pk", flat=True)[:PICK_LIMIT])
    return Person.objects.filter(pk__in=pks).order_by(order, "family_name", "given_name", "id")


def places_to_pick(user):
    from .selectors import places_known_to

    return places_known_to(user=user).order_by("name", "id")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        age = person.age_on(timezone.localdate())
        return f"{person} ({person.get_kind_display().lower()}{f', {age}' if age is not None else ''})"


class NewPeopleMixin:
    """Fields to name people not yet on record: name, kind and approximate age (the service records
    them as the user's agency, with everything else 'not known')."""

    new_people_prefix = "new_person"

    def add_new_people_fields(self):
        for n in range(1, NEW_PEOPLE + 1):
            p = f"{self.new_people_prefix}_{n}"
            self.fields[f"{p}_given_name"] = forms.CharField(
                label=f"New person {n}: first name or the name they go by", required=False, max_length=100
            )
            self.fields[f"{p}_family_name"] = forms.CharField(
                label=f"New person {n}: family name (if known)", required=False, max_length=100
            )
            self.fields[f"{p}_kind"] = forms.ChoiceField(
                label=f"New person {n}: who they are",
                choices=[("", "Choose")] + list(PersonKind.choices),
                required=False,
                widget=forms.Select,
            )
            self.fields[f"{p}_age"] = forms.IntegerField(
                label=f"New person {n}: approximate age", required=False, min_value=0, max_value=120
            )

    def new_people(self) -> list[dict]:
        people = []
        for n in range(1, NEW_PEOPLE + 1):
            p = f"{self.new_people_prefix}_{n}"
            data = {k: self.cleaned_data.get(f"{p}_{k}") for k in ("given_name", "family_name", "kind", "age")}
            if not any(v not in (None, "") for v in data.values()):
                continue
            people.append(
                {
                    "given_name": data["given_name"] or "",
                    "family_name": data["family_name"] or "",
                    "kind": data["kind"] or "",
                    "estimated_age_years": data["age"],
                }
            )
        return people


class CloseForm(NewPeopleMixin, forms.Form):
    found_at = when("When was the child found or returned?")
    found_place = forms.ModelChoiceField(
        label="Where was the child found? A place already on record",
        queryset=Place.objects.none(),
        required=False,
        help_text="Or enter a new place below",
    )
    place_name = text("New place: name or description", long=False)
    place_address = text("New place: address", long=False)
    place_postcode = forms.CharField(label="New place: postcode", required=False, max_length=10)
    where_not_said = forms.BooleanField(label="The child would not say where they were", required=False)
    found_with = PersonChoiceField(
        label="Who was the child found with? People on record",
        queryset=Person.objects.none(),
        required=False,
        help_text="Or add people not yet on record below",
    )
    found_alone = forms.BooleanField(label="The child was alone", required=False)
    found_with_not_said = forms.BooleanField(label="The child would not say who they were with", required=False)
    brought_back_by = text("Who brought the child back?", long=False)
    travel_method = text("How did they travel?", long=False)
    condition = text("The child's condition on return")

    def __init__(self, *args, user, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_place"].queryset = places_to_pick(user)
        self.fields["found_with"].queryset = people_to_pick(user, exclude=child)
        self.add_new_people_fields()
        # Keep the closing questions last, after the new people.
        for name in ("found_alone", "found_with_not_said", "brought_back_by", "travel_method", "condition"):
            self.fields[name] = self.fields.pop(name)

    def clean(self):
        data = super().clean()
        if data.get("found_place") is not None and (data.get("place_name") or "").strip():
            self.add_error("found_place", "Choose a place on record or enter a new place, not both.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        place = data["found_place"]
        if data["place_name"].strip():
            place = {"name": data["place_name"], "address": data["place_address"], "postcode": data["place_postcode"]}
        return {
            "found_at": data["found_at"],
            "found_where": place,
            "where_not_said": data["where_not_said"],
            "found_with": list(data["found_with"]),
            "new_people": self.new_people(),
            "found_alone": data["found_alone"],
            "found_with_not_said": data["found_with_not_said"],
            "brought_back_by": data["brought_back_by"],
            "travel_method": data["travel_method"],
            "condition": data["condition"],
        }


class SafeAndWellForm(forms.Form):
    held_at = when("When was the safe and well check held?")
    location = text("Where was it held?", long=False)
    concerns_identified = forms.BooleanField(label="Concerns were identified", required=False)
    notes = text("What the child said and what was done")


class OfferForm(forms.Form):
    offered_at = when("When was the interview offered?")
    offered_how = forms.ChoiceField(label="How was it offered?", choices=OfferMethod.choices, widget=forms.RadioSelect)


class RefusalForm(forms.Form):
    refusal_reason = text("Why did the child refuse?", required=True)
    carers_account = text("The carers' account (optional)")


class HeldForm(NewPeopleMixin, forms.Form):
    held_at = when("When was the interview held?")
    independent_of_carers = forms.BooleanField(
        label="Held by someone independent of the child's carers", required=False
    )
    child_preferred_carer = forms.BooleanField(
        label="The child preferred to talk to one of their carers", required=False
    )
    harm_suffered = text("Harm suffered")
    why_went = text("Why they went")
    where_and_with_whom = text("Where they were and with whom, in the child's words")
    places = forms.ModelMultipleChoiceField(
        label="Places named: places already on record", queryset=Place.objects.none(), required=False
    )
    new_place_name = text("A new place named: name or description", long=False)
    new_place_postcode = forms.CharField(label="New place: postcode", required=False, max_length=10)
    people = PersonChoiceField(label="People named: people on record", queryset=Person.objects.none(), required=False)
    push_factors = text("Push factors (reasons to leave)")
    pull_factors = text("Pull factors (what drew them away)")
    disclosures = text("Disclosures")
    onward_referrals = text("Onward referrals")
    safety_advice = text("Safety advice given")

    def __init__(self, *args, user, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places_to_pick(user)
        self.fields["people"].queryset = people_to_pick(user, exclude=child)
        self.add_new_people_fields()
        for name in ("push_factors", "pull_factors", "disclosures", "onward_referrals", "safety_advice"):
            self.fields[name] = self.fields.pop(name)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        new_place = {"name": data.pop("new_place_name"), "postcode": data.pop("new_place_postcode")}
        for key in list(data):
            if key.startswith(self.new_people_prefix):
                data.pop(key)
        data["places"] = list(data["places"])
        data["people"] = list(data["people"])
        data["new_places"] = [new_place] if new_place["name"].strip() else []
        data["new_people"] = self.new_people()
        return data


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


class TaskDoneForm(forms.Form):
    note = text("What was done?", required=True, help_text="The strategy meeting held, the screening completed.")


class TriggerPlanForm(forms.Form):
    at_next_episode = text(
        "What to do at the next episode", required=True, help_text="One step to a line, in the order to take them."
    )
    likely_locations = text("Where the child is likely to go")
    contacts = text("Who to call", help_text="Names, roles and numbers")
    agreed_with = text("Agreed with", long=False, help_text="The child, the home, the social worker, police")
    review_by = forms.DateField(label="Review by", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ProfileForm(forms.Form):
    description = text("Description", help_text="Height, build, hair, distinguishing features")
    habits = text("Habits and routines", help_text="What they usually carry, how they usually travel")
    health_needs = text("Health needs", help_text="Medication or conditions police must know about")


class PhotoForm(forms.Form):
    photo = forms.FileField(label="Photo", help_text="A JPEG or PNG, smaller than 5 MB")
    taken_on = forms.DateField(
        label="When was the photo taken?", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ProfileItemForm(forms.Form):
    kind = forms.ChoiceField(label="What are you adding?", choices=ProfileItemKind.choices, widget=forms.RadioSelect)
    value = text("Name, place, number or account", long=False)
    detail = text("Details", long=False, help_text="How they know the child, when the place is used, which app")
    person = forms.ModelChoiceField(label="Or an associate on record", queryset=Person.objects.none(), required=False)
    place = forms.ModelChoiceField(label="Or a place on record", queryset=Place.objects.none(), required=False)

    def __init__(self, *args, user, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_to_pick(user, exclude=child)
        self.fields["place"].queryset = places_to_pick(user)
