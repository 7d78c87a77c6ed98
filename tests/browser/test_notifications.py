"""Notifications in a real browser: one user refers a child to another's team, and the other sees the
notification arrive without reloading (the header's badge is polled with htmx). On a phone-sized
screen, the receiver opens the notification and accepts the referral."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.demo.factories import make_agency, make_person, make_team, make_user
from harbour.sharing import services

from .actions import sign_in
from .conftest import RECORD_CSP_VIOLATIONS, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def area(transactional_db, settings):
    settings.HARBOUR_NOTIFICATION_POLL_SECONDS = 1  # the page polls every 10 s in use; 1 s keeps the test short
    police = make_agency(kind=AgencyKind.POLICE, name="Harbour Police", short_name="HPOL")
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Harbourtown Council", short_name="HTC")
    mash = make_team(agency=council, name="MASH")
    officer = make_user(agency=police, team=make_team(agency=police, name="CEU"), username="pat.officer")
    receiver = make_user(agency=council, team=mash, username="rae.receiver", first_name="Rae")
    child = make_person(
        owning_agency=police,
        created_by=officer,
        given_name="Katie",
        family_name="Smith",
        date_of_birth=date(2011, 5, 4),
    )
    return {
        "police": police,
        "council": council,
        "mash": mash,
        "officer": officer,
        "receiver": receiver,
        "child": child,
    }


def open_page(browser, live_server, browser_log, **options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: browser_log.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    return context, page


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} scrolls sideways on a phone ({width}px wide)"


def test_a_referral_notification_appears_without_reloading(page, browser, live_server, browser_log, area):
    sign_in(page, "rae.receiver")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    count = page.locator("#harbour-notification-count")
    expect(count).not_to_contain_text("unread")
    page.evaluate("window.__stillTheSamePage = true")

    # Another user, in another browser, refers the child to the receiver's team.
    context, officer = open_page(browser, live_server, browser_log)
    sign_in(officer, "pat.officer")
    officer.goto(f"/people/{area['child'].pk}/")
    officer.get_by_role("link", name="Refer or transfer").click()
    officer.get_by_label("Agency", exact=True).select_option(label="Harbourtown Council")
    officer.get_by_label("Team (optional)").select_option(label="MASH (HTC)")
    officer.get_by_label("Urgent (today)").check()
    officer.get_by_label("Reason for the referral").fill("Seen with older males at the bus station.")
    officer.get_by_label("What is shared").fill("Her record: details, addresses and notes.")
    officer.get_by_label("Shared without seeking consent").check()
    officer.get_by_label(re.compile("^Why consent was not sought")).fill("Seeking consent could alert those involved.")
    officer.get_by_role("button", name="Send").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Referral REF-\d+$"))
    context.close()

    # The receiver's page, never reloaded, shows the notification.
    expect(count).to_contain_text("1 unread")
    assert page.evaluate("window.__stillTheSamePage") is True
    assert not browser_log.csp_violations(page), browser_log.csp_violations(page)
    assert not browser_log.page_errors, browser_log.page_errors
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    link = page.get_by_role("link", name=re.compile(r"^Urgent referral REF-\d+ from HPOL$"))
    expect(link).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Katie")


def test_on_a_phone_the_receiver_opens_the_notification_and_accepts(browser, live_server, browser_log, area):
    referral = services.referral_create(
        caller=Caller(area["officer"]),
        record=area["child"],
        kind="referral",
        to_agency=area["council"],
        to_team=area["mash"],
        urgency="immediate",
        reason="Missing overnight, found in another town.",
        summary="Her record.",
        basis="consent_not_sought",
        basis_reason="Seeking consent would delay protecting her.",
    )
    context, page = open_page(browser, live_server, browser_log, viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, "rae.receiver")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    notifications = page.get_by_role("link", name=re.compile(r"^Notifications"))
    expect(notifications).to_be_visible()  # not hidden behind the menu button on a small screen
    expect(page.locator("#harbour-notification-count")).to_contain_text("1 unread")
    notifications.click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    fits_the_screen(page)

    page.get_by_role("link", name=f"Immediate referral {referral.reference} from HPOL").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referral {referral.reference}")
    expect(page.get_by_role("main")).to_contain_text("Katie Smith")
    fits_the_screen(page)
    page.get_by_label("Reason").fill("Strategy discussion booked for today.")
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(f"Referral {referral.reference} accepted")
    expect(page.locator("#harbour-notification-count")).not_to_contain_text("unread")
    fits_the_screen(page)

    page.get_by_role("link", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Katie Smith")
    assert not browser_log.csp_violations(page), browser_log.csp_violations(page)
    assert not browser_log.page_errors, browser_log.page_errors
    context.close()


def test_referral_notification_and_retention_pages_have_no_csp_violations(page, browser_log, area):
    make_user(agency=area["police"], role=Role.SUPERVISOR, username="sue.supervisor")
    child = area["child"]
    sign_in(page, "sue.supervisor")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    for path in (
        "/sharing/",
        "/sharing/outgoing/",
        f"/sharing/refer/people.person/{child.pk}/",
        f"/sharing/decisions/new/people.person/{child.pk}/",
        "/notifications/",
        "/notifications/preferences/",
        "/retention/",
        "/retention/rules/",
        "/retention/deletions/",
        f"/retention/subject-access/{child.pk}/",
    ):
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        page.wait_for_load_state("load")
        assert not browser_log.csp_violations(page), f"{path}: {browser_log.csp_violations(page)}"
        assert not browser_log.page_errors, f"{path}: {browser_log.page_errors}"
    # A form shown again with errors is a page too.
    page.goto(f"/sharing/refer/people.person/{child.pk}/")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert not browser_log.csp_violations(page)


def test_polling_does_not_outlive_the_idle_timeout(page, area):
    """An open page polls, but once the session has ended the window goes to sign-in, not stays on the record."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    sign_in(page, "pat.officer")
    page.goto(f"/people/{area['child'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Katie Smith")
    Session.objects.update(expire_date=timezone.now())
    page.wait_for_url(re.compile(r"/accounts/sign-in/\?next=%2Fpeople%2F\d+%2F$"))
    expect(page.get_by_role("heading", name="Sign in to Harbour")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Katie")
