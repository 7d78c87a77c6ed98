"""Handling codes across agencies through the screens and the CSV export: police see originals by
handling code, partners see only approved sanitised versions shared with them, and source details
reach no one outside the owning force."""

import pytest

from harbour.audit.models import AuditAction, AuditEvent
from harbour.intel import services
from harbour.intel.models import IntelligenceReport, SanitisedVersion

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def shared_version(world, p_report):
    w = world
    version = services.sanitised_draft(
        caller=w.caller(w.analyst), report=p_report, text="A vehicle collects children near the seafront."
    )
    services.sanitised_approve(caller=w.caller(w.supervisor), version=version)
    services.sanitised_share(
        caller=w.caller(w.officer), version=version, grantee_agency=w.council, reason="Strategy meeting"
    )
    return version


def test_police_detail_shows_grading_and_source_to_the_owning_force(client, world, p_report):
    page = login(client, world.supervisor).get(f"/intel/{p_report.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "2: Untested" in body and "B: Known indirectly to the source but corroborated" in body
    assert "Neighbour at number 12 Quay Street" in body
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="intel.sourcedetail").exists()


def test_other_force_shared_the_report_does_not_see_the_source(client, world, p_report):
    w = world
    services.report_share(caller=w.caller(w.officer), report=p_report, grantee_agency=w.other_police, reason="Border")
    body = login(client, w.other_force_officer).get(f"/intel/{p_report.pk}/").content.decode()
    assert p_report.title in body
    assert "Quay Street" not in body and "SRC-0042" not in body


def test_partner_gets_404_for_the_original_and_sees_only_the_sanitised_version(client, world, p_report, shared_version):
    w = world
    client = login(client, w.social_worker)
    assert client.get(f"/intel/{p_report.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="intel.intelligencereport").exists()
    listing = client.get("/intel/").content.decode()
    assert shared_version.reference in listing and p_report.title not in listing
    page = client.get(f"/intel/sanitised/{shared_version.pk}/").content.decode()
    assert "A vehicle collects children near the seafront." in page
    for secret in ("Quay Street", "SRC-0042", p_report.text, p_report.title):
        assert secret not in page
    export = client.get("/intel/export.csv").content.decode()
    assert shared_version.reference in export
    for secret in ("Quay Street", "SRC-0042", p_report.text, p_report.title):
        assert secret not in export
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="intel.sanitisedversion").exists()


def test_partner_not_shared_with_sees_nothing(client, world, p_report, shared_version):
    client = login(client, world.nurse)
    assert client.get(f"/intel/sanitised/{shared_version.pk}/").status_code == 404
    assert client.get(f"/intel/{p_report.pk}/").status_code == 404
    export = client.get("/intel/export.csv").content.decode()
    assert export.strip().count("\n") == 0  # the header only


def test_c_report_is_hidden_from_the_rest_of_the_force_on_every_screen(client, world, c_report):
    w = world
    client = login(client, w.supervisor)
    assert client.get(f"/intel/{c_report.pk}/").status_code == 404
    assert c_report.title not in client.get("/intel/").content.decode()
    assert c_report.title not in client.get("/intel/export.csv").content.decode()
    assert client.get(f"/intel/{c_report.pk}/handling/").status_code == 404
    client = login(client, w.officer)
    assert c_report.title in client.get("/intel/export.csv").content.decode()


def test_record_intelligence_through_the_screen(client, world):
    client = login(client, world.officer)
    assert client.get("/intel/new/").status_code == 200
    response = client.post(
        "/intel/new/",
        {
            "title": "Taxi used to move children",
            "text": "A taxi firm's driver takes children to a flat.",
            "source_evaluation": "1",
            "intelligence_assessment": "A",
            "handling_code": "C",
            "handling_conditions": "",
            "source_description": "Driver at the firm",
        },
    )
    assert response.status_code == 200
    assert "State the conditions for handling code C" in response.content.decode()
    assert not IntelligenceReport.objects.exists()
    response = client.post(
        "/intel/new/",
        {
            "title": "Taxi used to move children",
            "text": "A taxi firm's driver takes children to a flat.",
            "source_evaluation": "1",
            "intelligence_assessment": "A",
            "handling_code": "C",
            "handling_conditions": "CE team only",
            "source_description": "Driver at the firm",
        },
    )
    report = IntelligenceReport.objects.get()
    assert response.status_code == 302 and response.url == f"/intel/{report.pk}/"
    assert report.grading == "1A C" and report.source_detail.source_description == "Driver at the firm"


def test_partners_cannot_record_intelligence(client, world):
    assert login(client, world.social_worker).get("/intel/new/").status_code == 404


def test_downgrade_screen_needs_a_reason(client, world, c_report):
    client = login(client, world.officer)
    response = client.post(f"/intel/{c_report.pk}/handling/", {"handling_code": "P", "reason": ""})
    assert response.status_code == 200 and "Explain why" in response.content.decode()
    c_report.refresh_from_db()
    assert c_report.handling_code == "C"
    response = client.post(
        f"/intel/{c_report.pk}/handling/", {"handling_code": "P", "reason": "Operation closed; no longer sensitive."}
    )
    assert response.status_code == 302
    c_report.refresh_from_db()
    assert c_report.handling_code == "P"


def test_sanitise_approve_and_share_through_the_screens(client, world, p_report):
    w = world
    client = login(client, w.officer)
    response = client.post(
        f"/intel/{p_report.pk}/sanitise/", {"text": "A car is seen near the arcade.", "sharing_conditions": ""}
    )
    version = SanitisedVersion.objects.get()
    assert response.url == f"/intel/sanitised/{version.pk}/"
    # The drafter is not offered approval; another officer is.
    assert "Approve for sharing" not in client.get(response.url).content.decode()
    client = login(client, w.supervisor)
    assert "Approve for sharing" in client.get(response.url).content.decode()
    client.post(f"/intel/sanitised/{version.pk}/approve/", {"note": "Fine"})
    version.refresh_from_db()
    assert version.is_approved
    response = client.post(
        f"/intel/sanitised/{version.pk}/share/", {"grantee_agency": w.health.pk, "reason": "Clinic safeguarding lead"}
    )
    assert response.status_code == 302
    assert login(client, w.nurse).get(f"/intel/sanitised/{version.pk}/").status_code == 200
    detail = login(client, w.officer).get(f"/intel/{p_report.pk}/").content.decode()
    assert "Clinic safeguarding lead" in detail and str(w.health) in detail


def test_add_a_link_from_the_report_screen(client, world, p_report):
    w = world
    client = login(client, w.officer)
    response = client.post(
        f"/intel/{p_report.pk}/links/new/",
        {"source_kind": "person", "source_value": str(w.adult.pk), "link_type": "drives", "target_kind": "vehicle",
         "target_value": "ab12 cde"},
    )  # fmt: skip
    assert response.status_code == 302
    detail = client.get(f"/intel/{p_report.pk}/").content.decode()
    assert "AB12CDE" in detail and "Dorian Blackmore" in detail
    # A person the officer cannot see is "not found", the same as one who does not exist.
    response = client.post(
        f"/intel/{p_report.pk}/links/new/",
        {"source_kind": "person", "source_value": str(w.hidden_child.pk), "link_type": ""},
    )
    assert response.status_code == 200 and "No person you can see" in response.content.decode()
