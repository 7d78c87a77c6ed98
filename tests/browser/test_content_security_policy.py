"""The main pages load without a single Content Security Policy violation (no inline script or style, nothing
from another origin) and without a script error. A violation would mean a page broken wherever the policy is
enforced, which is everywhere."""

from datetime import date

import pytest
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo.factories import make_agency, make_person, make_user

from .actions import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, browser_log, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), f"{path} has no CSP"
    page.wait_for_load_state("load")
    violations = browser_log.csp_violations(page)
    assert not violations, f"CSP violations on {path}:\n" + "\n".join(violations)
    assert not browser_log.page_errors, f"Script errors on {path}:\n" + "\n".join(browser_log.page_errors)


def test_main_pages_have_no_csp_violations(page, browser_log, transactional_db):
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    worker = make_user(agency=council, role=Role.SUPERVISOR, username="sue.supervisor")
    make_user(agency=council, role=Role.AUDITOR, username="ann.auditor")
    person = make_person(
        owning_agency=council,
        created_by=worker,
        given_name="Jordan",
        family_name="Reyes",
        date_of_birth=date(2010, 2, 3),
    )

    visit(page, browser_log, "/accounts/sign-in/")
    sign_in(page, "sue.supervisor")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    for path in (
        "/",
        "/people/",
        "/people/?name=Jordan+Reyes",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/change/",
        f"/people/{person.pk}/share/",
        f"/people/{person.pk}/restrict/",
        "/people/new/",
        "/access/break-glass/",
    ):
        visit(page, browser_log, path)
    visit(page, browser_log, "/people/999999/", status=404)
    # A form shown again with errors (error summary and messages) is a page too.
    page.goto("/people/")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert not browser_log.csp_violations(page)

    sign_out(page)
    sign_in(page, "ann.auditor")
    visit(page, browser_log, "/audit/")
    visit(page, browser_log, f"/audit/?person_id={person.pk}")
    assert not browser_log.csp_violations(page)


def test_the_check_sees_a_violation(page, browser_log, transactional_db):
    """The detector itself works: an inline style added to a page is reported."""
    visit(page, browser_log, "/accounts/sign-in/")
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>body { margin: 1px }</style>')")
    page.wait_for_function("window.__cspViolations.length > 0", timeout=5_000)
    assert any("style-src" in v for v in browser_log.csp_violations(page))
