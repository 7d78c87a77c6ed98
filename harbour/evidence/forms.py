from django import forms

from .models import EvidenceFormat, ImportPolicy


class InvestigationForm(forms.Form):
    name = forms.CharField(max_length=200, label="Investigation name")
    reference = forms.CharField(max_length=60, label="Reference", help_text="The crime or operation reference.")
    is_restricted = forms.BooleanField(
        required=False, label="Restricted: only named users may see it, even in the owning team"
    )


class ImportForm(forms.Form):
    upload = forms.FileField(
        label="Chat export file", help_text="The original export. It is kept unchanged, read-only."
    )
    format = forms.ChoiceField(choices=EvidenceFormat.choices, label="Format")
    policy = forms.ChoiceField(
        choices=ImportPolicy.choices, initial=ImportPolicy.KEEP_VALID, label="If some lines are malformed"
    )
    description = forms.CharField(
        max_length=200, label="Exhibit description", help_text="For example: AB/1 chat export"
    )
    source_device = forms.CharField(max_length=200, required=False, label="Source device")
    source_platform = forms.CharField(max_length=100, required=False, label="Platform")
    export_description = forms.CharField(
        max_length=300, required=False, label="How it was exported", help_text="Tool, version and method."
    )
    seized_by = forms.CharField(max_length=200, label="Seized by")
    seized_at = forms.DateTimeField(label="Seized at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    conversation_name = forms.CharField(
        max_length=200,
        required=False,
        label="Conversation name (optional)",
        help_text="Names the chat for WhatsApp exports, which do not name it themselves.",
    )


class SearchForm(forms.Form):
    words = forms.CharField(
        max_length=300,
        required=False,
        label="Words or phrases",
        help_text='All words must appear. Put a phrase in quotes: "delete this chat".',
    )
    participant = forms.CharField(max_length=200, required=False, label="Sent by")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("words", "participant", "date_from", "date_to")):
            raise forms.ValidationError("Enter words, a participant or dates to search.")
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data


class NotesForm(forms.Form):
    examiner_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Examiner's notes (shown in the summary)"
    )
