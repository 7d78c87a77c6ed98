"""The screens people use away from a desk, on a phone-sized screen (390 x 844): a care home reports a
resident missing; an officer records the child found with where and with whom; the police protection
board; "my actions". None may scroll sideways, and the controls each needs are on screen and work."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.core.caller import Caller
from harbour.demo.factories import grant, make_agency, make_care_home, make_person, make_user, place
from harbour.missing import services as missing_services
from harbour.missing.models import MissingEpisode

from .actions import sign_in
from .conftest import RECORD_CSP_VIOLATIONS, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def phone(browser, live_server, browser_log):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: browser_log.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    yield page
    context.close()


def fits_the_screen(page) -> None:
    """No sideways scrolling: the document is no wider than the window. (A mobile browser widens its
    layout viewport to fit wide content, so the window is also checked against the phone's width.)"""
    page.wait_for_load_state("load")
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px in {inner}px)"


def on_screen(locator) -> None:
    """Visible, and inside the window's width (not pushed off to the side)."""
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box


def clean(page, browser_log) -> None:
    assert not browser_log.csp_violations(page), browser_log.csp_violations(page)
    assert not browser_log.page_errors, browser_log.page_errors


@pytest.fixture
def area(transactional_db):
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Harbourtown Council", short_name="HTC")
    police = make_agency(kind=AgencyKind.POLICE, name="Harbourshire Police", short_name="HBP")
    homes = make_agency(kind=AgencyKind.CARE_PROVIDER, name="Brightwater Care", short_name="BWC")
    officer = make_user(agency=police, username="pc.liaison", first_name="Pat", last_name="Liaison")
    home = make_care_home(provider=homes, host_authority=council, name="Willow House", liaison=officer)
    worker = make_user(agency=council, username="sam.worker", first_name="Sam", last_name="Worker")
    make_user(agency=homes, role="care_home_staff", care_home=home, username="cara.care", last_name="Care")
    child = make_person(
        owning_agency=council,
        created_by=worker,
        given_name="Maximiliana-Josephine",
        family_name="Vantongeren-Oyelaran",
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
    return {"child": child, "officer": officer, "police": police, "worker": worker}


def test_report_missing_and_record_found_on_a_phone(phone, browser_log, area):
    page, child = phone, area["child"]
    now = timezone.now()

    # The care home reports its resident missing, from the child's page.
    sign_in(page, "cara.care")
    page.goto(f"/people/{child.pk}/")
    fits_the_screen(page)
    report = page.get_by_role("link", name=re.compile("^Report missing"))
    on_screen(report)
    report.click()
    fits_the_screen(page)
    page.get_by_label("Missing (whereabouts unknown)").check()
    page.get_by_label("Care home", exact=True).check()
    page.get_by_label("When was the child reported missing?").fill(local(now - timedelta(hours=3)))
    page.get_by_label("When was the child last seen?").fill(local(now - timedelta(hours=4)))
    page.get_by_label("Where was the child last seen?").fill("Front gate of the home")
    page.get_by_label("What were they wearing?").fill("Black coat, white trainers")
    save = page.get_by_role("button", name="Save")
    on_screen(save)
    save.tap()
    expect(page.get_by_role("alert")).to_contain_text("reported missing")
    fits_the_screen(page)
    clean(page, browser_log)
    page.context.clear_cookies()  # signed out (the sign-out button is behind the menu on a phone)

    # The liaison officer opens the episode and records the child found: where and with whom.
    episode = MissingEpisode.objects.get()
    sign_in(page, "pc.liaison")
    page.goto(f"/missing/episodes/{episode.pk}/")
    fits_the_screen(page)
    found = page.get_by_role("link", name="Found or returned")
    on_screen(found)
    found.click()
    fits_the_screen(page)
    page.get_by_label("When was the child found or returned?").fill(local(now - timedelta(hours=1)))
    page.get_by_role("button", name="Save").tap()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter where the child was found")
    fits_the_screen(page)
    page.get_by_label("New place: name or description").fill("Harbour bus station, stand 14 (by the kiosk)")
    rook = page.get_by_label(re.compile(r"^Rook Tallis"))
    on_screen(rook)
    rook.check()
    page.get_by_label("New person 1: first name or the name they go by").fill("Kez")
    page.get_by_role("group", name="New person 1: who they are").get_by_label("Adult of concern").check()
    page.get_by_label("New person 1: approximate age").fill("19")
    save = page.get_by_role("button", name="Save")
    on_screen(save)
    save.tap()
    expect(page.get_by_role("alert")).to_contain_text("return home interview is due in 72 hours")
    expect(page.get_by_role("main")).to_contain_text("Harbour bus station")
    fits_the_screen(page)
    clean(page, browser_log)

    episode.refresh_from_db()
    assert not episode.is_open and episode.found_with.count() == 2 and episode.found_where is not None


def test_police_protection_board_on_a_phone(phone, browser_log, area):
    page, child = phone, area["child"]
    grant(child, by=area["worker"], agency=area["police"], reason="Police protection")
    protection = missing_services.police_protection_start(
        caller=Caller(area["officer"]),
        child=child,
        taken_at=timezone.now() - timedelta(hours=70),
        grounds="Found in a flat with adults of concern at 2am; at risk of significant harm.",
        place_of_safety="Harbourtown police station custody suite (no foster placement available overnight)",
        place_is_police_station=True,
    )
    sign_in(page, "pc.liaison")
    page.goto("/missing/police-protection/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Children in police protection")
    fits_the_screen(page)
    link = page.get_by_role("link", name=str(child))
    on_screen(link)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Local authority not informed")
    expect(main).to_contain_text("Due soon")
    link.tap()
    expect(page).to_have_url(re.compile(rf"/missing/police-protection/{protection.pk}/$"))
    fits_the_screen(page)
    on_screen(page.get_by_role("button", name="Save"))
    clean(page, browser_log)


def test_my_actions_on_a_phone(phone, browser_log, transactional_db):
    from harbour.disruption.tests.world import build_world
    from harbour.mace import services as mace_services

    world = build_world()
    meeting = mace_services.meeting_create(
        caller=world.caller(world.police_chair),
        title="MACE Harbourtown and the northern estates, quarterly review",
        held_at=timezone.now() - timedelta(days=10),
        chairs=[world.north_chair],
        agencies=[world.health],
    )
    for days, text in (
        (-3, "Visit the seafront hotels with licensing and ask about under-18s booked by adults"),
        (14, "Share the disruption plan with https://example.org/a-very-long-unbroken-reference-0123456789"),
    ):
        mace_services.action_create(
            caller=world.caller(world.police_chair),
            meeting=meeting,
            item=None,
            description=text,
            owner=world.north_sw,
            due_on=timezone.localdate() + timedelta(days=days),
        )
    page = phone
    sign_in(page, "north.sw")
    page.goto("/mace/actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    fits_the_screen(page)
    done = page.get_by_role("link", name=re.compile(r"^Mark as done\s*: Visit the seafront"))
    on_screen(done)
    done.tap()
    page.wait_for_url(re.compile(r"/mace/actions/\d+/done/$"))
    fits_the_screen(page)
    page.get_by_label(re.compile("What was done|Note|Outcome", re.I)).first.fill("Visited with licensing.")
    page.get_by_role("button", name=re.compile("Save|Mark")).first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.get_by_role("main")).to_contain_text("Done recently")
    fits_the_screen(page)
    clean(page, browser_log)
