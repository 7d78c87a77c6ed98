from django import forms


class RetainForm(forms.Form):
    reason = forms.CharField(
        label="Why keep it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: an open investigation, a live risk, a sibling's case. Do not name anyone.",
    )
    next_review_on = forms.DateField(label="Review again on", widget=forms.DateInput(attrs={"type": "date"}))


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have reviewed this record and it should be deleted now. This cannot be undone.",
        error_messages={"required": "Confirm that the record should be deleted."},
    )
