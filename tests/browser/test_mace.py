"""A MACE meeting in a real browser: the chair builds the agenda from the data, records a decision and
two actions; the owner marks one done; the other, overdue and escalated, appears at the next meeting.
No page on the way breaks the Content Security Policy."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harbour.disruption.tests.world import build_world, overdue_interview
from harbour.mace import services

from .actions import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def area(transactional_db):
    world = build_world()
    overdue_interview(world, world.child)
    april = services.meeting_create(
        caller=world.caller(world.police_chair),
        title="MACE April",
        held_at=timezone.now() - timedelta(days=30),
        chairs=[world.north_chair],
        agencies=[world.health],
    )
    return world, april


def no_csp_violations(page, browser_log) -> None:
    violations = browser_log.csp_violations(page)
    assert not violations, "\n".join(violations)
    assert not browser_log.page_errors, "\n".join(browser_log.page_errors)


def test_chair_builds_agenda_records_decision_and_actions_owner_marks_done_overdue_carried(page, browser_log, area):
    world, april = area
    menu = page.get_by_role("navigation", name="Menu")

    # The council co-chair builds April's agenda from the data.
    sign_in(page, "north.chair")
    menu.get_by_role("link", name="MACE").click()
    page.get_by_role("link", name="MACE April").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MACE April")
    page.get_by_role("button", name="Build agenda from the data").click()
    expect(page.get_by_role("alert")).to_contain_text("added from the data")
    item_heading = page.get_by_role("heading", name=re.compile(r"Return home interview overdue: Ellery Vantongeren"))
    expect(item_heading).to_be_visible()
    no_csp_violations(page, browser_log)
    number = item_heading.inner_text().split(".")[0]

    # A decision on the item.
    page.get_by_role("link", name=f"Record a decision on item {number}").click()
    page.get_by_label("Decision").fill("The provider sees Ellery this week; police to attend.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("main")).to_contain_text("The provider sees Ellery this week; police to attend.")

    # Two actions for the council social worker, both now past their due date.
    for text, days in (("Chase the return home interview", 5), ("Refer the hotel to licensing", 10)):
        page.get_by_role("link", name=f"Add an action on item {number}").click()
        page.get_by_label("Action", exact=True).fill(text)
        page.get_by_label("Owner").select_option(label="Nia Worker (NC)")
        page.get_by_label("Due on").fill((april.held_on + timedelta(days=days)).isoformat())
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_contain_text("Action recorded.")
    expect(page.get_by_role("main")).to_contain_text("Refer the hotel to licensing")
    no_csp_violations(page, browser_log)
    sign_out(page)

    # The owner marks the first done from "My actions".
    sign_in(page, "north.sw")
    menu.get_by_role("link", name="MACE").click()
    page.get_by_role("link", name="My actions").click()
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Mark as done\W*Chase the return home interview")).click()
    page.get_by_label("What was done (optional)").fill("Interview held on Tuesday.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("alert")).to_contain_text("Action marked as done.")
    open_actions = page.get_by_role("table").filter(has_text="Your open actions")
    expect(open_actions).to_contain_text("Refer the hotel to licensing")
    expect(open_actions).not_to_contain_text("Chase the return home interview")
    no_csp_violations(page, browser_log)
    sign_out(page)

    # Overnight, the overdue action is escalated to the owner's supervisor.
    escalations = services.actions_escalate()
    assert [e.escalated_to for e in escalations] == [world.north_sup]

    # The chair plans May's meeting: the overdue action is there before and after the build.
    sign_in(page, "north.chair")
    menu.get_by_role("link", name="MACE").click()
    page.get_by_role("link", name="Plan a meeting").click()
    page.get_by_label("Title").fill("MACE May")
    page.get_by_label("Date and time").fill((timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MACE May")
    carried = page.get_by_role("list", name="Actions carried forward")
    expect(carried).to_contain_text("Refer the hotel to licensing")
    expect(carried).to_contain_text("Overdue")
    expect(carried).to_contain_text("Escalated to Sue Pervisor")
    expect(carried).not_to_contain_text("Chase the return home interview")
    page.get_by_role("button", name="Build agenda from the data").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Overdue action: Refer the hotel to licensing"))
    ).to_be_visible()
    no_csp_violations(page, browser_log)

    # The minutes print from their own page, also within the policy.
    page.get_by_role("link", name="Minutes (HTML, for printing)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minutes: MACE May")
    no_csp_violations(page, browser_log)


def test_police_record_an_order_the_law_refuses_a_short_one(page, browser_log, area):
    world, _ = area
    sign_in(page, "pc.officer")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Disruption").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disruption")
    page.get_by_role("link", name="Record an order or notice").click()
    page.get_by_label("Tool", exact=True).select_option(label="Sexual Risk Order")
    page.get_by_label("Status", exact=True).select_option(label="Granted or issued")
    page.get_by_label("A person", exact=True).check()
    page.get_by_label("Person: record number").fill(str(world.adult.pk))
    granted = timezone.localdate() - timedelta(days=3)
    page.get_by_label("Granted or issued on").fill(granted.isoformat())
    page.get_by_label("Ends at").fill((timezone.localtime() + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("A Sexual Risk Order lasts at least 2 years")
    no_csp_violations(page, browser_log)
    page.get_by_label("Ends at").fill("")
    page.get_by_label("Runs until further order").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sexual Risk Order")
    expect(page.get_by_role("main")).to_contain_text("Until further order")
    page.get_by_role("link", name="Back to disruption").click()
    page.get_by_role("link", name="Operations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disruption operations")
    no_csp_violations(page, browser_log)
