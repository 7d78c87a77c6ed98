"""Handling codes through the API: police by handling code, partners only sanitised versions
shared with them, source details never, every read audited."""

import pytest

from harbour.api.tests.conftest import api  # noqa: F401  (fixture)
from harbour.audit.models import AuditAction, AuditEvent
from harbour.intel import services
from harbour.intel.models import IntelligenceReport

from .conftest import P_REPORT

pytestmark = pytest.mark.django_db


def test_police_list_and_read_by_handling_code(api, world, p_report, c_report):  # noqa: F811
    w = world
    data = api.as_user(w.supervisor).get("/api/v1/intel/").json()
    assert [r["id"] for r in data["results"]] == [p_report.pk]
    assert api.get(f"/api/v1/intel/{c_report.pk}/").status_code == 404
    body = api.get(f"/api/v1/intel/{p_report.pk}/").content.decode()
    assert "Quay Street" not in body and "SRC-0042" not in body
    assert api.get(f"/api/v1/intel/{p_report.pk}/").json()["grading"] == "2B P"
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="intel.intelligencereport").exists()


def test_partner_sees_no_original_and_only_shared_sanitised(api, world, p_report):  # noqa: F811
    w = world
    version = services.sanitised_draft(caller=w.caller(w.officer), report=p_report, text="Sanitised text here.")
    services.sanitised_approve(caller=w.caller(w.supervisor), version=version)
    services.sanitised_share(caller=w.caller(w.officer), version=version, grantee_agency=w.council, reason="MACE")
    client = api.as_user(w.social_worker)
    assert client.get("/api/v1/intel/").json()["results"] == []
    response = client.get(f"/api/v1/intel/{p_report.pk}/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    shared = client.get("/api/v1/intel/sanitised/").json()["results"]
    assert [v["id"] for v in shared] == [version.pk]
    assert p_report.text not in str(shared)
    assert client.get(f"/api/v1/intel/sanitised/{version.pk}/").status_code == 200
    nurse = api.as_user(w.nurse)
    assert nurse.get(f"/api/v1/intel/sanitised/{version.pk}/").status_code == 404
    assert nurse.get("/api/v1/intel/sanitised/").json()["results"] == []


def test_create_over_the_api_goes_through_the_service(api, world):  # noqa: F811
    w = world
    client = api.as_user(w.officer)
    response = client.post(
        "/api/v1/intel/",
        dict(P_REPORT, handling_code="C", source_detail={"source_description": "Shop worker"}),
        format="json",
    )
    assert response.status_code == 400
    assert "handling_conditions" in response.json()["errors"]
    response = client.post(
        "/api/v1/intel/", dict(P_REPORT, source_detail={"source_description": "Shop worker"}), format="json"
    )
    assert response.status_code == 201
    report = IntelligenceReport.objects.get()
    assert report.source_detail.source_description == "Shop worker"
    assert "Shop worker" not in response.content.decode()
    assert api.as_user(w.social_worker).post("/api/v1/intel/", P_REPORT, format="json").status_code == 404
    legacy = api.as_user(w.officer).post(
        "/api/v1/intel/",
        {"title": "Old", "text": "Old item", "grading_system": "5x5x5", "legacy_source_evaluation": "B",
         "legacy_intelligence_evaluation": "2", "legacy_handling_code": "3"},
        format="json",
    )  # fmt: skip
    assert legacy.status_code == 201 and legacy.json()["grading"] == "B2 3"
