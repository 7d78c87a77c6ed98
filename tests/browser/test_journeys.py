"""End-to-end journeys in a real browser: search and read a record, the audit trail of that read,
hidden records staying hidden, and account lockout."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo.factories import make_agency, make_person, make_user

from .actions import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def harbourtown(transactional_db):
    """Two local authorities: Harbourtown holds Katie Smith's record; Eastmere holds its own Katie Smith."""
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Harbourtown Council", short_name="HTC")
    worker = make_user(agency=council, username="sam.worker", first_name="Sam", last_name="Worker")
    auditor = make_user(agency=council, role=Role.AUDITOR, username="ada.auditor", first_name="Ada")
    katie = make_person(
        owning_agency=council,
        created_by=worker,
        given_name="Katie",
        family_name="Smith",
        date_of_birth=date(2011, 5, 4),
        aliases=[("Kate", "Smithe")],
    )
    other = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Eastmere Council", short_name="EMC")
    outsider = make_user(agency=other, username="olu.outsider", first_name="Olu")
    their_katie = make_person(
        owning_agency=other,
        created_by=outsider,
        given_name="Katie",
        family_name="Smith",
        date_of_birth=date(2012, 9, 30),
    )
    return {"worker": worker, "auditor": auditor, "katie": katie, "outsider": outsider, "their_katie": their_katie}


def test_search_by_near_spelling_open_record_and_auditor_sees_the_read(page, harbourtown):
    katie = harbourtown["katie"]
    sign_in(page, "sam.worker")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    page.get_by_label("Name or alias").fill("Caty Smyth")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    page.get_by_role("link", name="Katie Smith").click()

    expect(page).to_have_url(re.compile(rf"/people/{katie.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Katie Smith")
    main = page.get_by_role("main")
    expect(main).to_contain_text("4 May 2011")
    expect(main).to_contain_text("Harbourtown Council")
    expect(main).to_contain_text("Kate Smithe (alias)")

    sign_out(page)
    sign_in(page, "ada.auditor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    page.get_by_label("Person record number").fill(str(katie.pk))
    page.get_by_role("button", name="Filter").click()
    viewed = page.get_by_role("row").filter(has_text="sam.worker").filter(has_text="Viewed")
    expect(viewed).to_have_count(1)
    expect(viewed).to_contain_text(f"(person {katie.pk})")
    # Only this person's events are listed.
    for row in page.get_by_role("row").filter(has_text="(person ").all_inner_texts():
        assert f"(person {katie.pk})" in row


def test_another_local_authority_cannot_open_or_find_the_record(page, harbourtown):
    katie, their_katie = harbourtown["katie"], harbourtown["their_katie"]
    sign_in(page, "olu.outsider")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    response = page.goto(f"/people/{katie.pk}/")
    assert response.status == 404
    body = page.locator("body").inner_text()
    assert "Katie" not in body and "Smith" not in body and "4 May 2011" not in body

    page.goto("/people/")
    page.get_by_label("Name or alias").fill("Katie Smith")
    page.get_by_role("button", name="Search").click()
    # Their own Katie Smith is found; Harbourtown's is not, not even as a hint.
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.locator(f'a[href="/people/{their_katie.pk}/"]')).to_have_count(1)
    expect(page.locator(f'a[href="/people/{katie.pk}/"]')).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text("4 May 2011")
    expect(page.get_by_role("main")).not_to_contain_text("Kate Smithe")


def test_five_wrong_passwords_lock_the_account(page, transactional_db):
    make_user(agency=make_agency(), username="lee.locked")
    for _ in range(5):
        sign_in(page, "lee.locked", password="not-the-password")
        expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")

    sign_in(page, "lee.locked")
    expect(page.get_by_role("alert")).to_contain_text("This account is locked")
    expect(page.get_by_role("heading", name="Sign in to Harbour")).to_be_visible()
    expect(page.get_by_role("heading", name="My work")).to_have_count(0)
