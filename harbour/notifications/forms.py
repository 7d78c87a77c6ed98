from django import forms

from .kinds import KINDS, Frequency


class PreferencesForm(forms.Form):
    """One question per kind of notification: how often to email it."""

    def __init__(self, *args, initial_frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for code, kind in KINDS.items():
            self.fields[code] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                initial=initial_frequencies.get(code, kind.default_frequency),
                widget=forms.RadioSelect,
            )
