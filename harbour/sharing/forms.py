from django import forms

from harbour.accounts.models import Agency, Team

from .models import ReferralKind, SharingBasis, SharingChoice, Urgency

PROTECT_HINT = (
    "Protecting a child comes before privacy. Consent is usually not the basis for sharing to protect a "
    "child, and is not needed where a child is at risk. Share only what is relevant, with those who need it."
)


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, team):
        return f"{team.name} ({team.agency.short_name})"


class SharingBasisMixin(forms.Form):
    to_protect_child = forms.BooleanField(
        label="This is to protect a child from harm", required=False, initial=True, help_text=PROTECT_HINT
    )
    basis = forms.ChoiceField(
        label="Basis for sharing",
        choices=SharingBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the basis for sharing."},
    )
    basis_reason = forms.CharField(
        label="Why consent was not sought, or why it was overridden",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: seeking consent would put the child at greater risk.",
    )


class ReferralForm(SharingBasisMixin):
    kind = forms.ChoiceField(
        label="Refer or transfer",
        choices=ReferralKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose referral or transfer."},
    )
    to_agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        empty_label="",
        error_messages={"required": "Choose the agency to refer to."},
    )
    to_team = TeamChoiceField(
        label="Team (optional)",
        queryset=Team.objects.select_related("agency").order_by("agency__name", "name"),
        required=False,
        empty_label="Anyone in the agency",
        help_text="Choose a team of the agency above, or leave it for the agency to allocate.",
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how urgent this is."},
    )
    reason = forms.CharField(
        label="Reason for the referral",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for the referral: what the child needs from them."},
        help_text="What the child needs from them, and why now.",
    )
    summary = forms.CharField(
        label="What is shared",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what is shared with them, in brief."},
        help_text="In brief: what they will see. Share only what is relevant to them.",
    )
    keep_previous_access = forms.BooleanField(
        label="After a transfer, my agency may still see the record", required=False, initial=True
    )

    field_order = [
        "kind",
        "to_agency",
        "to_team",
        "urgency",
        "reason",
        "summary",
        "keep_previous_access",
        "to_protect_child",
        "basis",
        "basis_reason",
    ]


class SharingDecisionForm(SharingBasisMixin):
    decision = forms.ChoiceField(
        label="Decision",
        choices=SharingChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose share or do not share."},
    )
    shared_with = forms.CharField(label="Shared with (or who asked)", max_length=300, required=False)
    what_shared = forms.CharField(label="What was shared", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you decided to share, or not to share."},
    )

    field_order = ["decision", "to_protect_child", "basis", "basis_reason", "shared_with", "what_shared", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis"].required = False
        self.fields["basis"].help_text = "For a decision to share only."


class DecideForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to decline; optional to accept.",
    )
