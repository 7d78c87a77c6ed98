"""A missing episode end to end in a real browser: a care home reports a resident missing; police grade
the risk and close the episode with where and with whom; the return-interview provider records the
interview inside 72 hours; the council supervisor's dashboard figures change."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo.factories import make_agency, make_care_home, make_person, make_user, place
from harbour.missing.models import Commission, MissingEpisode, ReturnHomeInterview

from .actions import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def area(transactional_db):
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Harbourtown Council", short_name="HTC")
    police = make_agency(kind=AgencyKind.POLICE, name="Harbourshire Police", short_name="HBP")
    charity = make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, name="Safe Passage", short_name="SAFE")
    homes = make_agency(kind=AgencyKind.CARE_PROVIDER, name="Brightwater Care", short_name="BWC")
    officer = make_user(agency=police, username="pc.liaison", first_name="Pat", last_name="Liaison")
    home = make_care_home(provider=homes, host_authority=council, name="Willow House", liaison=officer)
    worker = make_user(agency=council, username="sam.worker", first_name="Sam", last_name="Worker")
    make_user(agency=council, role=Role.SUPERVISOR, username="sue.supervisor", first_name="Sue", last_name="Sup")
    make_user(agency=homes, role=Role.CARE_HOME_STAFF, care_home=home, username="cara.care", last_name="Care")
    make_user(agency=charity, username="rhi.worker", first_name="Zainab", last_name="Interviewer")
    child = make_person(
        owning_agency=council,
        created_by=worker,
        given_name="Ellery",
        family_name="Vantongeren",
        date_of_birth=date(2010, 3, 2),
        looked_after_status="looked_after",
        responsible_authority=council,
        host_authority=council,
    )
    place(child, care_home=home, placing_authority=council, start=timezone.localdate() - timedelta(days=90))
    make_person(
        owning_agency=police,
        created_by=officer,
        kind="adult_of_concern",
        given_name="Rook",
        family_name="Tallis",
        date_of_birth=date(1998, 1, 1),
    )
    Commission.objects.create(provider=charity, commissioning_authority=council)
    return {"child": child}


def figures_row(page):
    figures = page.get_by_role("table").filter(has_text="by month of return")
    return figures.get_by_role("row").filter(has_text="Safe Passage")


def test_report_grade_close_interview_and_the_dashboard_changes(page, area):
    child = area["child"]
    now = timezone.now()

    # The care home reports its resident missing from the child's page.
    sign_in(page, "cara.care")
    page.goto(f"/people/{child.pk}/")
    page.get_by_role("link", name=re.compile("^Report missing")).click()
    page.get_by_label("Missing (whereabouts unknown)").check()
    page.get_by_label("Care home", exact=True).check()
    page.get_by_label("When was the child reported missing?").fill(local(now - timedelta(hours=3)))
    page.get_by_label("When was the child last seen?").fill(local(now - timedelta(hours=4)))
    page.get_by_label("Where was the child last seen?").fill("Front gate of the home")
    page.get_by_label("What were they wearing?").fill("Black coat, white trainers")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("reported missing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Missing (whereabouts unknown)")
    sign_out(page)

    # Police grade the risk and close the episode with where and with whom.
    sign_in(page, "pc.liaison")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing children").click()
    page.get_by_role("link", name="Ellery Vantongeren").click()
    page.get_by_role("link", name="Grade the risk").click()
    page.get_by_label("High").check()
    page.get_by_label("Reason for this grade").fill("Seen getting into a car with older males")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("main")).to_contain_text("High risk")
    page.get_by_role("link", name="Found or returned").click()
    page.get_by_label("When was the child found or returned?").fill(local(now - timedelta(hours=1)))
    page.get_by_role("button", name="Save").click()  # without where and with whom: refused, naming both
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter where the child was found")
    expect(summary).to_contain_text("who the child was found with")
    page.get_by_label("New place: name or description").fill("Harbour bus station")
    page.get_by_label(re.compile(r"^Rook Tallis")).check()
    page.get_by_label("New person 1: first name or the name they go by").fill("Kez")
    page.get_by_role("group", name="New person 1: who they are").get_by_label("Adult of concern").check()
    page.get_by_label("New person 1: approximate age").fill("19")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("return home interview is due in 72 hours")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Harbour bus station")
    expect(main.get_by_role("link", name="Rook Tallis")).to_be_visible()
    expect(main.get_by_role("link", name="Kez Not known")).to_be_visible()
    sign_out(page)

    # The council supervisor sees the return: offered and held still at nought.
    sign_in(page, "sue.supervisor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing dashboard").click()
    row = figures_row(page)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(2)).to_have_text("1")
    expect(row.get_by_role("cell").nth(4)).to_have_text("0 (0%)")
    sign_out(page)

    # The provider records the interview inside 72 hours, naming the place from the episode.
    sign_in(page, "rhi.worker")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Return interviews").click()
    expect(page.get_by_role("row").filter(has_text="Ellery Vantongeren")).to_contain_text("On time")
    page.get_by_role("link", name="Ellery Vantongeren").click()
    page.get_by_role("link", name="Record the interview").click()
    page.get_by_label("Why they went").fill("Wanted to see friends from the old school")
    page.get_by_label("Where they were and with whom, in the child's words").fill("At the bus station with Kez")
    page.get_by_label("Harbour bus station").check()
    page.get_by_label("Safety advice given").fill("Talked about staying safe and who to call")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Interview recorded")
    expect(page.get_by_role("main")).to_contain_text("Done in time")
    sign_out(page)

    # The dashboard figures change: held within 72 hours, 1 of 1.
    sign_in(page, "sue.supervisor")
    page.goto("/missing/dashboard/")
    row = figures_row(page)
    expect(row.get_by_role("cell").nth(3)).to_have_text("1 (100%)")
    expect(row.get_by_role("cell").nth(4)).to_have_text("1 (100%)")

    episode = MissingEpisode.objects.get()
    assert not episode.is_open and episode.found_with.count() == 2
    rhi = ReturnHomeInterview.objects.get()
    assert rhi.held_in_time and [p.name for p in rhi.places.all()] == ["Harbour bus station"]
