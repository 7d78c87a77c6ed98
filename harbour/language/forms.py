from django import forms

from .checker import ABOUT_CHILD_RULES
from .models import Category

PATTERN_HELP = (
    "One pattern per line. Words separated by spaces; a|b for either word; a? for an optional word; "
    "{class} for a word list such as {self} (herself, himself...) or every form of a verb such as {put}; "
    "~3 for up to three other words; aux={aux}* at the start to take in 'is', 'has been'... "
    "Example: aux={aux}* v={put_like} self={self} ~3 {danger}"
)
ALTERNATIVE_HELP = (
    "One per line. Slots keep the sentence's grammar: {be} (is, was, has been...), {beprog} (is being, was...), "
    "{obj} (her, him, them), {subj}, {poss}, {text:name} and {rest:name} for what a capture matched."
)


class LexiconEntryForm(forms.Form):
    term_id = forms.SlugField(
        label="Term id", max_length=60, help_text="Lower-case letters, digits and hyphens. Reports count by it."
    )
    term = forms.CharField(label="Term shown to users", max_length=200)
    category = forms.ChoiceField(choices=Category.choices, widget=forms.RadioSelect)
    patterns = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}), help_text=PATTERN_HELP)
    alternatives = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text=ALTERNATIVE_HELP)
    explanation = forms.CharField(
        label="Why it matters", widget=forms.Textarea(attrs={"rows": 3}), help_text="Shown to the person writing."
    )
    about_child = forms.MultipleChoiceField(
        label="Only flag when it is about the child",
        choices=list(ABOUT_CHILD_RULES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    not_after = forms.CharField(
        label="Not when followed by (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="Words, one per line, that mean the phrase is not about abuse (e.g. 'medical' after 'consented').",
    )
    is_active = forms.BooleanField(label="In use (untick to switch the term off)", required=False, initial=True)

    def __init__(self, *args, editing: bool = False, default=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["term_id"].disabled = True
        if default is not None:  # a default term: patterns here are extra ones, added to the default's
            for name, label in (("patterns", "Extra patterns (optional)"), ("alternatives", "Their alternatives")):
                self.fields[name].required = False
                self.fields[name].label = label


class ReportForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Period",
        choices=[(3, "Last 3 months"), (6, "Last 6 months"), (12, "Last 12 months"), (24, "Last 24 months")],
        coerce=int,
        initial=12,
        required=False,
    )
