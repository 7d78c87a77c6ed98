"""Dashboards and the scrutiny report in a real browser: charts and their tables visible, figures reachable by
keyboard-free reading of the tables, and not one Content Security Policy violation (no inline script or style)."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo.factories import make_agency, make_person, make_user
from harbour.missing.models import MissingEpisode, ReturnHomeInterview

from .actions import sign_in, sign_out
from .test_content_security_policy import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUERY = "?start=2026-04-01&end=2026-06-30"


def _episodes(council, worker):
    """Twelve children, each missing once a month for three months; half the interviews held in time."""
    for n in range(12):
        child = make_person(owning_agency=council, created_by=worker, sex="female" if n % 2 else "male")
        for month in (4, 5, 6):
            at = datetime(2026, month, 3 + n, 12, tzinfo=UTC)
            episode = MissingEpisode.objects.create(
                child=child,
                owning_agency=council,
                reported_by_kind="care_home",
                reported_at=at,
                recorded_by=worker,
                last_seen_at=at - timedelta(hours=2),
                last_seen_place="Town centre",
                category="absent" if n % 3 == 0 else "missing",
            )
            ReturnHomeInterview.objects.create(
                episode=episode,
                child=child,
                returned_at=at + timedelta(hours=6),
                due_at=at + timedelta(hours=78),
                held_at=at + timedelta(hours=30) if n % 2 else None,
            )


def test_dashboards_show_charts_with_tables_and_no_csp_violations(page, browser_log, transactional_db):
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Northborough Council")
    worker = make_user(agency=council, role=Role.SUPERVISOR, username="sue.supervisor")
    make_user(agency=council, role=Role.MANAGER, username="max.manager")
    make_user(agency=council, role=Role.ANALYST, username="ana.analyst")
    _episodes(council, worker)

    sign_in(page, "max.manager")
    visit(page, browser_log, "/reports/" + QUERY)
    expect(page.get_by_role("heading", name="Manager's dashboard")).to_be_visible()
    chart = page.locator("#chart-missing_month")
    expect(chart.locator("svg")).to_be_visible()
    table = chart.get_by_role("table", name="Missing episodes by month")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="April 2026 12")).to_be_visible()
    compliance = page.locator("#chart-rhi_compliance")
    expect(compliance.get_by_role("table").get_by_role("row", name="April 2026 50%")).to_be_visible()
    expect(compliance.locator("svg text", has_text="Target 100%")).to_have_count(1)
    assert page.locator("a[href*='/figure/']").count() == 0  # a manager never drills into records
    if os.environ.get("HARBOUR_SCREENSHOTS"):
        page.screenshot(path=os.environ["HARBOUR_SCREENSHOTS"] + "/manager-dashboard.png", full_page=True)
    visit(page, browser_log, "/reports/scrutiny/" + QUERY + "&breakdown=care_home")
    expect(page.get_by_role("table", name="By care home the child lived in on the day")).to_be_visible()
    if os.environ.get("HARBOUR_SCREENSHOTS"):
        page.screenshot(path=os.environ["HARBOUR_SCREENSHOTS"] + "/manager-scrutiny.png", full_page=True)

    sign_out(page)
    sign_in(page, "sue.supervisor")
    visit(page, browser_log, "/reports/" + QUERY)
    expect(page.get_by_role("heading", name="Supervisor's dashboard")).to_be_visible()
    expect(page.locator("svg.harbour-chart").first).to_be_visible()
    visit(page, browser_log, "/reports/scrutiny/" + QUERY)
    link = page.locator("#table-missing_headline a").first
    expect(link).to_have_text("36: see the records")
    link.click()
    expect(page.get_by_role("heading", name="Missing episodes and children")).to_be_visible()
    expect(page.get_by_text("36 records you may see")).to_be_visible()
    assert not browser_log.csp_violations(page)

    sign_out(page)
    sign_in(page, "ana.analyst")
    visit(page, browser_log, "/reports/" + QUERY)
    expect(page.get_by_role("heading", name="Analyst's dashboard")).to_be_visible()
    expect(page.locator("#chart-vp_headline").get_by_role("table")).to_be_visible()
    visit(page, browser_log, "/reports/scrutiny/print/" + QUERY)
    expect(page.get_by_role("heading", name="Scrutiny report: 1 April 2026 to 30 June 2026")).to_be_visible()
