"""Child-centred language at the moment of writing, in a real browser: a practitioner types a note with a
victim-blaming phrase, sees the suggestion appear (htmx, as they type), accepts it, saves, and the saved
note has the new wording. No CSP violation or script error on the way (htmx injects no inline style)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo.factories import make_agency, make_person, make_team, make_user
from harbour.language.models import LanguageFinding
from harbour.people.models import Note

from .actions import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db):
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Harbourtown Council", short_name="HTC")
    team = make_team(agency=council, name="Exploitation team")
    worker = make_user(agency=council, team=team, role=Role.PRACTITIONER, username="pat.practitioner")
    return make_person(
        owning_agency=council, created_by=worker, given_name="Jade", family_name="Reyes", date_of_birth=date(2011, 2, 3)
    )


def no_page_problems(page, browser_log):
    violations = browser_log.csp_violations(page)
    assert not violations, "CSP violations:\n" + "\n".join(violations)
    assert not browser_log.page_errors, "Script errors:\n" + "\n".join(browser_log.page_errors)


def test_practitioner_accepts_the_suggested_wording_and_saves(page, browser_log, child):
    sign_in(page, "pat.practitioner")
    page.goto(f"/people/{child.pk}/")
    note = page.get_by_label("Note")
    note.press_sequentially("Seen after school. She is putting herself at risk.")

    findings = page.locator("[data-language-findings]")
    expect(findings).to_contain_text("Check the wording: 1 phrase to reconsider")
    expect(findings).to_contain_text("“is putting herself at risk”")
    expect(findings).to_contain_text("Instead: “is at risk from others”")

    findings.get_by_role("button", name="Use this wording “is at risk from others”").click()
    expect(note).to_have_value("Seen after school. She is at risk from others.")
    expect(note).to_be_focused()
    # The new text is checked again and nothing is left to flag.
    expect(findings).not_to_contain_text("Check the wording")

    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Seen after school. She is at risk from others.")
    expect(page.get_by_role("main")).not_to_contain_text("putting herself at risk")
    no_page_problems(page, browser_log)

    saved = Note.objects.get(person=child)
    assert saved.text == "Seen after school. She is at risk from others."
    assert not LanguageFinding.objects.filter(object_id=str(saved.pk)).exists()


def test_a_note_saved_without_taking_the_suggestion_keeps_the_words_and_records_the_finding(page, browser_log, child):
    sign_in(page, "pat.practitioner")
    page.goto(f"/people/{child.pk}/")
    page.get_by_label("Note").press_sequentially("Her 24-year-old boyfriend collected her.")
    expect(page.locator("[data-language-findings]")).to_contain_text("“boyfriend”")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("main")).to_contain_text("Her 24-year-old boyfriend collected her.")
    no_page_problems(page, browser_log)
    saved = Note.objects.get(person=child)
    assert saved.text == "Her 24-year-old boyfriend collected her."
    assert [f.term_id for f in LanguageFinding.objects.filter(object_id=str(saved.pk))] == ["adult-partner"]
