"""Forms for the MACE screens. They check shape only; the services hold the rules."""

from django import forms

from harbour.accounts.models import Agency, User

from .models import MAX_ITEM_MINUTES, MIN_ITEM_MINUTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def text(label: str, *, required: bool = False, long: bool = True, help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if long else None
    return forms.CharField(
        label=label, required=required, widget=widget, help_text=help_text, max_length=None if long else 200
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.agency.short_name if user.agency else 'no agency'})"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.agency.short_name if user.agency else 'no agency'})"


class MeetingForm(forms.Form):
    title = text("Title", required=True, long=False, help_text="For example: MACE, Harbourtown, May 2026")
    held_at = forms.DateTimeField(label="Date and time", widget=DateTimeInput, help_text="London time")
    location = text("Where", long=False)
    chairs = UserMultipleChoiceField(
        label="Co-chairs",
        queryset=User.objects.none(),
        required=False,
        help_text="You chair the meeting; add the co-chair.",
    )
    agencies = forms.ModelMultipleChoiceField(label="Agencies attending", queryset=Agency.objects.all(), required=False)

    def __init__(self, *args, chair_candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if chair_candidates is not None:
            self.fields["chairs"].queryset = chair_candidates


class ItemForm(forms.Form):
    title = text("Title", required=True, long=False)
    summary = text("Summary")
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)", min_value=MIN_ITEM_MINUTES, max_value=MAX_ITEM_MINUTES, initial=5
    )
    person_number = forms.IntegerField(
        label="About a person: record number",
        required=False,
        min_value=1,
        help_text="Optional. Attendees who may not see this person see a restricted item.",
    )


class TimeLimitForm(forms.Form):
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)", min_value=MIN_ITEM_MINUTES, max_value=MAX_ITEM_MINUTES
    )


class DecisionForm(forms.Form):
    text = text("Decision", required=True)


class ActionForm(forms.Form):
    description = text("Action", required=True)
    owner = UserChoiceField(label="Owner", queryset=User.objects.none())
    due_on = forms.DateField(label="Due on", widget=DateInput)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners


class DoneForm(forms.Form):
    note = text("What was done (optional)")


class SuspectInterviewForm(forms.Form):
    suspect_number = forms.IntegerField(label="Suspect: record number", min_value=1)
    needed_since = forms.DateField(
        label="Interview needed since", widget=DateInput, help_text="When the suspect was identified."
    )
    planned_on = forms.DateField(label="Planned for", widget=DateInput, required=False)
    notes = text("Notes")


class SuspectInterviewUpdateForm(forms.Form):
    planned_on = forms.DateField(label="Planned for", widget=DateInput, required=False)
    held_on = forms.DateField(label="Held on", widget=DateInput, required=False)
    notes = text("Notes")
