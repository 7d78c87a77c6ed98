"""Every form renders as GOV.UK components through includes/form.html, with nothing a strict content
security policy would block, a label for every input, and errors tied to their fields."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from harbour.access.forms import BreakGlassForm
from harbour.accounts.forms import NewUserForm, SignInForm, UserForm
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.forms import AuditFilterForm
from harbour.demo import factories as f
from harbour.people import forms as people_forms

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    """The form controls in a page, and the ids that labels point at."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.ids = [], set(), set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs)


def _forms(agency, auditor):
    return [
        SignInForm(),
        UserForm(agency=agency),
        NewUserForm(agency=agency),
        AuditFilterForm(auditor=auditor),
        BreakGlassForm(),
        people_forms.PersonSearchForm(),
        people_forms.PersonForm(),
        people_forms.AliasForm(),
        people_forms.IdentifierForm(),
        people_forms.AddressForm(),
        people_forms.PlacementForm(),
        people_forms.NoteForm(),
        people_forms.ShareForm(),
        people_forms.RestrictForm(agency=agency),
    ]


def _render(form, **context) -> str:
    return render_to_string("includes/form.html", {"form": form, **context})


def test_every_form_renders_govuk_controls_each_with_a_label():
    agency = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    f.make_user(agency=agency)
    auditor = f.make_user(agency=agency, role=Role.AUDITOR)
    for form in _forms(agency, auditor):
        html = _render(form)
        parser = Inputs()
        parser.feed(html)
        name = type(form).__name__
        assert parser.controls, name
        for control in parser.controls:
            assert control["id"] in parser.labelled, f"{name}: no label for {control}"
            assert re.search(r"govuk-(input|select|textarea|radios__input|checkboxes__input)", control["class"]), name
        assert " style=" not in html and "<script" not in html and "<style" not in html, name


def test_short_choices_are_radios_long_ones_selects_dates_are_date_inputs():
    html = _render(people_forms.PersonForm())
    assert 'class="govuk-radios__input" id="id_sex" name="sex" type="radio"' in html  # four choices
    assert '<select class="govuk-select" id="id_ethnicity" name="ethnicity"' in html  # twenty-odd
    assert 'name="date_of_birth" type="date"' in html
    # A required select with no answer yet offers a blank first, so nothing is chosen silently.
    assert re.search(r'id="id_ethnicity"[^>]*>\s*<option value="" selected>Choose</option>', html)


def test_dates_keep_the_single_iso_value_django_parses():
    form = people_forms.AddressForm(
        {"line_1": "1 Quay Street", "town": "Harbourtown", "postcode": "HB1 1AA", "from_date": "2026-05-04"}
    )
    assert form.is_valid(), form.errors
    assert 'value="2026-05-04"' in _render(form)


def test_errors_are_summarised_linked_and_described():
    form = people_forms.AddressForm({"line_1": "", "town": "Harbourtown", "postcode": "HB1 1AA", "from_date": "x"})
    assert not form.is_valid()
    html = _render(form)
    assert 'class="govuk-error-summary"' in html and 'role="alert"' in html
    assert '<a href="#id_line_1">Enter address line 1</a>' in html
    assert '<a href="#id_from_date">From date must be a real date</a>' in html
    line_1 = re.search(r'<input class="govuk-input govuk-input--error" id="id_line_1"[^>]*>', html).group()
    assert 'aria-describedby="id_line_1-error"' in line_1
    assert 'id="id_line_1-error"' in html


def test_page_title_says_error_when_the_form_has_errors(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert "<title>Error: Sign in – Harbour</title>" in response.content.decode()
    assert "<title>Sign in – Harbour</title>" in client.get(reverse("accounts:login")).content.decode()


def test_pages_have_one_h1_and_no_inline_script_or_style(client):
    agency = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    worker = f.make_user(agency=agency, role=Role.SUPERVISOR)
    person = f.make_person(owning_agency=agency, created_by=worker)
    client.force_login(worker)
    for url in (
        reverse("core:home"),
        reverse("people:search") + "?name=Given",
        reverse("people:detail", args=[person.pk]),
        reverse("people:edit", args=[person.pk]),
        reverse("people:share", args=[person.pk]),
        reverse("access:break_glass"),
    ):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert " style=" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert 'aria-current="' in html, url  # the service navigation marks where the user is


def test_a_field_kind_the_forms_do_not_use_yet_still_renders():
    class Odd(forms.Form):
        answer = forms.NullBooleanField(label="Answered?")
        when = forms.SplitDateTimeField(label="When")
        upload = forms.FileField(label="File")

    html = _render(Odd())
    assert 'type="radio"' in html and 'type="file"' in html and 'name="when_0"' in html


def test_checkbox_select_multiple_draws_checkboxes_not_radios():
    from django import forms

    from harbour.core.templatetags.harbour_forms import _kind

    field = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    assert _kind(field, [("a", "A"), ("b", "B")], "") == "checkboxes"
