"""Forms for the intelligence screens. They check shape only; the services hold the rules."""

from django import forms

from harbour.accounts.models import Agency, AgencyKind, Team, User
from harbour.graph.models import LinkType
from harbour.graph.services import NODE_INPUT_KINDS

from .grading import HandlingCode, IntelligenceAssessment, SourceEvaluation


class DateInput(forms.DateInput):
    input_type = "date"


def _text(label, *, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class ReportForm(forms.Form):
    title = forms.CharField(label="Summary", max_length=200, help_text="One line: what the intelligence is about.")
    text = _text("Intelligence", required=True, rows=8, help_text="What is known, without who the source is.")
    information_date = forms.DateField(label="Date the information relates to", required=False, widget=DateInput)
    source_evaluation = forms.ChoiceField(
        label="Source evaluation", choices=SourceEvaluation.choices, widget=forms.RadioSelect
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment", choices=IntelligenceAssessment.choices, widget=forms.RadioSelect
    )
    handling_code = forms.ChoiceField(label="Handling code", choices=HandlingCode.choices, widget=forms.RadioSelect)
    handling_conditions = _text(
        "Handling conditions",
        help_text="Required for C: who may receive it and on what terms. Name the recipients after saving.",
    )
    source_reference = forms.CharField(label="Source reference (optional)", max_length=100, required=False)
    source_description = _text("Who or what is the source?", help_text="Kept apart; only your force sees it.")
    how_obtained = _text("How was it obtained? (optional)")

    SOURCE_FIELDS = ("source_reference", "source_description", "how_obtained")

    def report_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.SOURCE_FIELDS}

    def source_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.SOURCE_FIELDS}


class HandlingForm(forms.Form):
    handling_code = forms.ChoiceField(label="Handling code", widget=forms.RadioSelect)
    handling_conditions = _text("Handling conditions", help_text="Required for C.")
    reason = _text(
        "Reason for the change",
        help_text="Required to relax the handling or change its conditions. Recorded in the audit log.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_code"].choices = choices


class _GranteeForm(forms.Form):
    grantee_agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), required=False)
    grantee_team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False)
    grantee_user = forms.ModelChoiceField(label="User", queryset=User.objects.none(), required=False)
    reason = _text("Why do they need to know?", required=True)

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("grantee_agency", "grantee_team", "grantee_user") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError("Choose exactly one agency, team or user.")
        return data


class ShareOriginalForm(_GranteeForm):
    """Police recipients only: partners receive sanitised versions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantee_agency"].label = "Police force"
        self.fields["grantee_agency"].queryset = Agency.objects.filter(kind=AgencyKind.POLICE)
        self.fields["grantee_team"].queryset = Team.objects.filter(agency__kind=AgencyKind.POLICE).select_related(
            "agency"
        )
        self.fields["grantee_user"].queryset = User.objects.filter(
            is_active=True, agency__kind=AgencyKind.POLICE
        ).select_related("agency")


class ShareSanitisedForm(_GranteeForm):
    valid_until = forms.DateTimeField(
        label="Until (optional)", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantee_agency"].queryset = Agency.objects.all()
        self.fields["grantee_team"].queryset = Team.objects.select_related("agency")
        self.fields["grantee_user"].queryset = User.objects.filter(is_active=True).select_related("agency")


class SanitiseForm(forms.Form):
    text = _text(
        "Sanitised text",
        required=True,
        rows=8,
        help_text="What partners may know. Leave out anything that could identify the source.",
    )
    sharing_conditions = _text("Conditions for the recipient (optional)")


class ApproveForm(forms.Form):
    note = _text("Approval note (optional)")


class WithdrawForm(forms.Form):
    reason = _text("Why is it being withdrawn?", required=True)


LINK_TYPE_CHOICES = [(value, label) for value, label in LinkType.choices if value != LinkType.NAMED_IN]


class SubjectLinkForm(forms.Form):
    source_kind = forms.ChoiceField(label="Who or what", choices=NODE_INPUT_KINDS)
    source_value = forms.CharField(label="Record number or value", max_length=200)
    link_type = forms.ChoiceField(
        label="Link",
        choices=[("", "Only named in this report")] + LINK_TYPE_CHOICES,
        required=False,
    )
    target_kind = forms.ChoiceField(
        label="To whom or what", choices=[("", "Not applicable")] + list(NODE_INPUT_KINDS), required=False
    )
    target_value = forms.CharField(label="Record number or value", max_length=200, required=False)
    start_date = forms.DateField(label="From (optional)", required=False, widget=DateInput)
    end_date = forms.DateField(label="To (optional)", required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("link_type") and not (data.get("target_kind") and data.get("target_value", "").strip()):
            self.add_error("target_value", "Name who or what the link is to, or choose 'Only named in this report'.")
        return data
