from django import forms

from .models import LinkType
from .services import ENTITY_BY_SLUG


class EntityFindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you looking for?",
        choices=[(slug, model._meta.verbose_name.capitalize()) for slug, model in ENTITY_BY_SLUG.items()],
        widget=forms.RadioSelect,
    )
    value = forms.CharField(
        label="Value",
        max_length=200,
        help_text="As written anywhere: 07700 900123, ab12 cde, instagram:@name, hotel:The Harbour Inn.",
    )


class ChartFilterForm(forms.Form):
    """The link chart's filters. Drawn without JavaScript too; the script filters what is loaded."""

    types = forms.MultipleChoiceField(
        label="Kinds of link", choices=LinkType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SuspectedFakeForm(forms.Form):
    suspected_fake = forms.BooleanField(label="Suspected to be a fake or false-identity account", required=False)
    reason = forms.CharField(label="Why?", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawLinkForm(forms.Form):
    reason = forms.CharField(label="Why is this link wrong?", widget=forms.Textarea(attrs={"rows": 3}))
