"""The link chart in a real browser: a police analyst opens a child's chart, expands the adult the
child was found with, and sees the other children linked to that adult; a child held by a council
that has not shared it is never drawn. No CSP violations, no script errors.

The co-presence alert on the adult comes from the analysis app, through
harbour.graph.registry.register_node_annotator."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.analysis.services import copresence_scan
from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.demo.factories import grant, make_agency, make_person, make_user
from harbour.graph.services import link_create, link_ensure
from harbour.people.models import PersonKind

from .actions import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(transactional_db):
    police = make_agency(kind=AgencyKind.POLICE, name="Harbour Police")
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Northshire Council")
    other_council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Southshire Council")
    analyst = make_user(agency=police, role=Role.ANALYST, username="analyst")
    officer = make_user(agency=police, role=Role.PRACTITIONER, username="officer")
    social_worker = make_user(agency=council, username="sw")
    adult = make_person(
        owning_agency=police,
        created_by=officer,
        kind=PersonKind.ADULT_OF_CONCERN,
        given_name="Dorian",
        family_name="Blackmore",
        date_of_birth=date(1988, 2, 3),
    )
    names = [("Ellery", "Marwood"), ("Sorrel", "Ambage"), ("Tamsin", "Quarrington"), ("Oswin", "Brackley")]
    children = []
    for given, family in names:
        child = make_person(owning_agency=council, created_by=social_worker, given_name=given, family_name=family)
        grant(child, by=social_worker, agency=police, reason="Child exploitation team")
        link_create(caller=Caller(user=officer), source=child, target=adult, link_type="found_with")
        children.append(child)
    hidden = make_person(owning_agency=other_council, given_name="Quilla", family_name="Hesketh")
    # Linked by the force itself, but the child is held by a council that has not shared it: never drawn.
    link_ensure(actor=officer, owning_agency_id=police.pk, source=hidden, target=adult, link_type="associate")
    copresence_scan(adult_ids=[adult.pk])  # as after an episode closes, or the nightly scan
    return {"analyst": analyst, "adult": adult, "children": children, "hidden": hidden}


def test_analyst_expands_from_a_child_to_the_adult_and_the_other_children(page, browser_log, network):
    sign_in(page, "analyst")
    child = network["children"][0]
    page.goto(f"/graph/chart/person/{child.pk}/")
    nodes = page.locator("#linkchart-nodes")
    expect(page.locator("#linkchart-status")).to_have_text(re.compile(r"Drawn: 2 nodes and 1 links"))
    expect(nodes.get_by_role("link", name="Dorian Blackmore")).to_be_visible()
    nodes.get_by_role("button", name="Expand Dorian Blackmore").click()
    expect(page.locator("#linkchart-status")).to_have_text(re.compile(r"Drawn: 5 nodes and 4 links"))
    for other in network["children"][1:]:
        expect(nodes.get_by_role("link", name=other.full_name)).to_be_visible()
    # The adult seen with several children carries the co-presence alert for the analyst.
    adult_item = nodes.locator(f'li[data-node-id="person:{network["adult"].pk}"]')
    expect(adult_item.locator("strong", has_text="Co-presence alert")).to_be_visible()
    assert "Quilla" not in page.content()
    # A link's provenance is one click away: the same details as in the list, from the chart's data.
    nodes.get_by_role("button", name="Expand Sorrel Ambage").click()
    expect(nodes.get_by_role("button", name="Expand Sorrel Ambage")).to_be_disabled()
    # Export as an image: a PNG download, and the export is audited with what was drawn.
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as image (PNG)").click()
    assert download.value.suggested_filename == "harbour-link-chart.png"
    expect(page.locator("#linkchart-status")).to_have_text(re.compile(r"recorded in the audit log"))
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert f"person:{network['adult'].pk}" in event.details["node_ids"]
    assert f"person:{network['hidden'].pk}" not in event.details["node_ids"]
    assert browser_log.page_errors == []
    assert browser_log.csp_violations(page) == []
