"""The screens: findings as the user types (htmx fragment), the note form wired for it, the report
(supervisors and analysts, own agency only) and the lexicon (administrators only, audited)."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.language.checker import Lexicon
from harbour.language.models import LanguageFinding, LexiconEntry
from harbour.people.models import Note

pytestmark = pytest.mark.django_db

CHECK_URL = "/language/check/"


@pytest.fixture
def council():
    return f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Harbourtown Council")


@pytest.fixture
def practitioner(council):
    return f.make_user(agency=council, team=f.make_team(agency=council, name="Exploitation team"))


# --- As the user types ------------------------------------------------------------------------------


def test_check_fragment_lists_findings_with_replace_buttons(client, practitioner):
    client.force_login(practitioner)
    text = "Visit done.\r\nShe is putting herself at risk."
    response = client.post(CHECK_URL, {"text": text, "language_label:text": "Note"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check the wording: 1 phrase to reconsider" in html
    assert "Use this wording" in html
    button = re.search(r"<button[^>]*data-language-replace[^>]*>", html).group()
    assert 'data-field="text"' in button
    assert 'data-original="is putting herself at risk"' in button
    assert 'data-replacement="is at risk from others"' in button
    # Offsets are counted as the browser's text area holds the text: "\n" line breaks.
    assert 'data-start="16"' in button and 'data-end="42"' in button
    assert "style=" not in html and "<script" not in html


def test_check_fragment_counts_utf16_offsets_and_escapes(client, practitioner):
    client.force_login(practitioner)
    text = "😀 <b>She is putting herself at risk</b>"
    html = client.post(CHECK_URL, {"text": text, "language_label:text": "Note"}).content.decode()
    assert 'data-start="10"' in html  # Python counts 9 characters before "is"; the emoji is two UTF-16 units
    assert "<b>" not in html


def test_check_fragment_is_empty_without_findings_and_names_fields_when_several(client, practitioner):
    client.force_login(practitioner)
    assert client.post(CHECK_URL, {"text": "Fine.", "language_label:text": "Note"}).content.decode().strip() == ""
    html = client.post(
        CHECK_URL,
        {
            "a": "She is streetwise.",
            "b": "He is a drug runner.",
            "language_label:a": "First",
            "language_label:b": "Second",
        },
    ).content.decode()
    assert "In ‘First’" in html and "In ‘Second’" in html


def test_check_needs_a_signed_in_user_and_a_post(client, practitioner):
    assert client.post(CHECK_URL, {"text": "x"}).status_code == 302
    client.force_login(practitioner)
    assert client.get(CHECK_URL).status_code == 405


def test_note_form_is_wired_for_checking_as_you_type(client, practitioner, council):
    child = f.make_person(owning_agency=council, created_by=practitioner)
    client.force_login(practitioner)
    html = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    region = re.search(r"<div[^>]*data-language-check[^>]*>", html).group()
    assert 'hx-post="/language/check/"' in region
    assert "keyup changed delay:500ms" in region
    assert 'hx-params="csrfmiddlewaretoken,text,language_label:text"' in region
    assert "data-language-findings" in html
    assert "language/language.js" in html
    assert "htmx.min.js" in html and "includeIndicatorStyles" in html


def test_people_forms_with_text_areas_are_wired_and_others_are_not(client, practitioner, council):
    child = f.make_person(owning_agency=council, created_by=practitioner)
    client.force_login(practitioner)
    edit = client.get(reverse("people:edit", args=[child.pk])).content.decode()
    assert "data-language-check" in edit and "language_label:disability_details" in edit
    alias = client.get(reverse("people:add_name", args=[child.pk])).content.decode()
    assert "data-language-check" not in alias


def test_saving_a_note_keeps_the_words_and_records_findings(client, practitioner, council):
    child = f.make_person(owning_agency=council, created_by=practitioner)
    client.force_login(practitioner)
    text = "She is promiscuous."
    response = client.post(reverse("people:add_note", args=[child.pk]), {"text": text})
    assert response.status_code == 302
    note = Note.objects.get(person=child)
    assert note.text == text
    assert LanguageFinding.objects.get(object_id=str(note.pk)).term_id == "promiscuous"


# --- Report -----------------------------------------------------------------------------------------


def _finding(*, agency, team, term_id="promiscuous", when=None):
    return LanguageFinding.objects.create(
        content_type=ContentType.objects.get_for_model(Note),
        object_id="1",
        term_id=term_id,
        category="victim_blaming",
        start=0,
        end=1,
        team=team,
        agency=agency,
        created_at=when or timezone.now(),
    )


def test_report_counts_by_team_term_and_month_for_own_agency_only(client, council):
    team = f.make_team(agency=council, name="Missing team")
    other = f.make_agency(kind=AgencyKind.POLICE, name="Eastmere Police")
    supervisor = f.make_user(agency=council, role=Role.SUPERVISOR)
    _finding(agency=council, team=team)
    _finding(agency=council, team=team)
    _finding(agency=council, team=None, term_id="streetwise")
    _finding(agency=council, team=team, when=timezone.now() - timedelta(days=800))  # outside the period
    _finding(agency=other, team=f.make_team(agency=other, name="Police team"), term_id="consent")
    client.force_login(supervisor)
    response = client.get(reverse("language:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 flagged phrases in the last 12 months" in html
    assert "Missing team" in html and "No team" in html and "promiscuous" in html
    assert "Police team" not in html and "consented" not in html
    assert timezone.localdate().strftime("%b %Y") in html


def test_report_period_can_be_chosen(client, council):
    analyst = f.make_user(agency=council, role=Role.ANALYST)
    _finding(agency=council, team=None, when=timezone.now() - timedelta(days=200))
    client.force_login(analyst)
    assert "No flagged phrases" in client.get(reverse("language:report"), {"months": 3}).content.decode()
    assert "1 flagged phrase in the last 12" in client.get(reverse("language:report"), {"months": 12}).content.decode()


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.AUDITOR, Role.ADMINISTRATOR, Role.CARE_HOME_STAFF])
def test_report_is_hidden_from_other_roles(client, council, role):
    client.force_login(f.make_user(agency=council, role=role))
    assert client.get(reverse("language:report")).status_code == 404


# --- Lexicon (administrators) ------------------------------------------------------------------------

NEW_TERM = {
    "term_id": "on-the-game",
    "term": "on the game",
    "category": "victim_blaming",
    "patterns": "aux={aux}* on the game",
    "alternatives": "{beprog} sexually exploited",
    "explanation": "Describes sexual exploitation as work.",
    "about_child": ["subject"],
    "not_after": "",
    "is_active": "on",
}


def test_administrator_adds_a_term_that_the_checker_then_uses(client, council, practitioner):
    admin = f.make_user(agency=council, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("language:lexicon")).status_code == 200
    response = client.post(reverse("language:lexicon_create"), NEW_TERM)
    assert response.status_code == 302
    entry = LexiconEntry.objects.get(term_id="on-the-game")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(entry.pk), actor=admin).exists()
    client.force_login(practitioner)
    html = client.post(CHECK_URL, {"text": "She is on the game.", "language_label:text": "Note"}).content.decode()
    assert 'data-replacement="is being sexually exploited"' in html


def test_bad_patterns_are_refused_on_the_field(client, council):
    client.force_login(f.make_user(agency=council, role=Role.ADMINISTRATOR))
    response = client.post(reverse("language:lexicon_create"), {**NEW_TERM, "patterns": "{nope} game"})
    assert response.status_code == 200
    assert "unknown word class {nope}" in response.content.decode()
    assert not LexiconEntry.objects.exists()


def test_administrator_switches_off_and_extends_a_default_term(client, council, practitioner):
    admin = f.make_user(agency=council, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    url = reverse("language:lexicon_edit", args=["streetwise"])
    page = client.get(url).content.decode()
    assert "Default patterns and alternatives" in page and "street-wise" in page
    form = {
        "term": "streetwise",
        "category": "adultifying",
        "explanation": "Adultifies.",
        "patterns": "",
        "alternatives": "",
        "about_child": ["subject"],
        "not_after": "",
    }
    assert client.post(url, form).status_code == 302  # not ticked: switched off
    entry = LexiconEntry.objects.get(term_id="streetwise")
    assert not entry.is_active
    client.force_login(practitioner)
    assert (
        "streetwise"
        not in client.post(CHECK_URL, {"t": "She is streetwise.", "language_label:t": "N"}).content.decode()
    )
    client.force_login(admin)
    form.update(is_active="on", patterns="savvy", alternatives="vulnerable")
    assert client.post(url, form).status_code == 302
    audited = AuditEvent.objects.filter(object_type="language.lexiconentry", object_id=str(entry.pk))
    assert [e.action for e in audited.order_by("id")] == [AuditAction.CREATE, AuditAction.UPDATE]
    client.force_login(practitioner)
    html = client.post(CHECK_URL, {"t": "She is streetwise and savvy.", "language_label:t": "N"}).content.decode()
    assert "2 phrases" in html


def test_lexicon_is_for_administrators_only(client, council):
    client.force_login(f.make_user(agency=council, role=Role.SUPERVISOR))
    for url in (
        reverse("language:lexicon"),
        reverse("language:lexicon_create"),
        reverse("language:lexicon_edit", args=["streetwise"]),
    ):
        assert client.get(url).status_code == 404
    client.force_login(f.make_user(agency=council, role=Role.ADMINISTRATOR))
    assert client.get(reverse("language:lexicon_edit", args=["no-such-term"])).status_code == 404


def test_lexicon_list_shows_every_default_term(client, council):
    client.force_login(f.make_user(agency=council, role=Role.ADMINISTRATOR))
    html = client.get(reverse("language:lexicon")).content.decode()
    for entry in Lexicon.default().entries:
        assert entry.id in html
