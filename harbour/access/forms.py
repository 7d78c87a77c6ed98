from django import forms

from harbour.people.identifiers import SCHEMES


class BreakGlassForm(forms.Form):
    scheme = forms.ChoiceField(label="Identifier type", choices=[(c, s.label) for c, s in SCHEMES.items()])
    value = forms.CharField(label="Exact identifier", max_length=40)
    reason = forms.CharField(
        label="Why do you need this record now?",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        help_text="Your reason, your name and the time are recorded and shown to auditors as an alert.",
    )
