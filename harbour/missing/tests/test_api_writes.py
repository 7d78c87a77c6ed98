"""Police protection, safe-and-well checks, trigger plans and Philomena profiles over the API: the same
services, policy and audit as the screens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.missing import rules, services
from harbour.missing.models import PoliceProtection, SafeAndWellCheck, TriggerPlan

from .helpers import close, report
from .test_api import BASE, iso
from .test_api import api as api  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_police_start_protection_and_record_its_steps(api, world):
    f.grant(world.resident, by=world.north_sw, agency=world.police)
    client = api(world.officer)
    taken = timezone.now() - timedelta(hours=2)
    response = client.post(
        f"{BASE}police-protection/new/",
        {
            "child": world.resident.pk,
            "taken_at": iso(taken),
            "grounds": "Found with adults of concern at night",
            "place_of_safety": "Foster placement",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ends_at"].startswith(iso(taken + timedelta(hours=72))[:16])
    assert response["Location"] == f"/api/v1/missing/police-protection/{body['id']}/"
    response = client.post(
        f"{BASE}police-protection/{body['id']}/record/",
        {"la_informed_at": iso(timezone.now() - timedelta(hours=1)), "designated_officer": world.officer.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert "Local authority not informed" not in response.json()["missing_notifications"]
    protection = PoliceProtection.objects.get()
    assert protection.designated_officer == world.officer
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(protection.pk)).exists()
    # Not police: hidden. Not an officer of the force: refused by field.
    assert (
        api(world.south_sw).post(f"{BASE}police-protection/{protection.pk}/record/", {}, format="json").status_code
        == 404
    )
    response = client.post(
        f"{BASE}police-protection/{protection.pk}/record/", {"designated_officer": world.north_sw.pk}, format="json"
    )
    assert response.status_code == 400 and "designated_officer" in response.json()["errors"]


def test_protection_refused_after_72_hours_with_the_clear_error(api, world):
    f.grant(world.resident, by=world.north_sw, agency=world.police)
    client = api(world.officer)
    response = client.post(
        f"{BASE}police-protection/new/",
        {
            "child": world.resident.pk,
            "taken_at": iso(timezone.now() - timedelta(hours=73)),
            "grounds": "Grounds",
            "place_of_safety": "Foster placement",
        },
        format="json",
    )
    assert response.status_code == 400
    assert rules.POLICE_PROTECTION_CANNOT_BE_EXTENDED in str(response.json())
    protection = services.police_protection_start(
        caller=world.caller(world.officer),
        child=world.resident,
        taken_at=timezone.now() - timedelta(hours=71),
        grounds="Grounds",
        place_of_safety="Foster placement",
    )
    PoliceProtection.objects.filter(pk=protection.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    response = client.post(f"{BASE}police-protection/{protection.pk}/record/", {"inquiry": "Too late"}, format="json")
    assert response.status_code == 400
    assert rules.POLICE_PROTECTION_CANNOT_BE_EXTENDED in str(response.json())
    assert PoliceProtection.objects.get().inquiry == ""


def test_safe_and_well_check_by_police_only(api, world):
    episode = report(world)
    close(world, episode)
    payload = {"held_at": iso(timezone.now() - timedelta(minutes=30)), "location": "The home", "notes": "Well"}
    assert (
        api(world.home_staff).post(f"{BASE}episodes/{episode.pk}/safe-and-well/", payload, format="json").status_code
        == 404
    )
    response = api(world.officer).post(f"{BASE}episodes/{episode.pk}/safe-and-well/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["episode"] == episode.pk and SafeAndWellCheck.objects.count() == 1


def test_trigger_plan_read_and_write(api, world):
    f.grant(world.resident, by=world.north_sw, agency=world.police)
    url = f"{BASE}children/{world.resident.pk}/trigger-plan/"
    staff = api(world.home_staff)
    assert staff.get(url).status_code == 404  # no plan yet
    response = staff.put(url, {"at_next_episode": "Call the liaison officer\nCheck the bus station"}, format="json")
    assert response.status_code == 200, response.json()
    response = api(world.officer).put(url, {"contacts": "Liaison 0100 000 000"}, format="json")
    assert response.status_code == 200, response.json()
    plan = TriggerPlan.objects.get()
    assert plan.steps == ["Call the liaison officer", "Check the bus station"] and plan.contacts.startswith("Liaison")
    assert api(world.north_sw).get(url).json()["contacts"] == "Liaison 0100 000 000"
    assert api(world.south_sw).get(url).status_code == 404
    assert api(world.south_sw).put(url, {"contacts": "x"}, format="json").status_code == 404
    assert staff.put(url, {"at_next_episode": "x", "bogus": 1}, format="json").status_code == 400


def test_profile_read_without_photo_bytes(api, world):
    services.profile_update(caller=world.caller(world.home_staff), child=world.resident, description="Tall, red coat")
    services.profile_add_item(
        caller=world.caller(world.home_staff), child=world.resident, kind="phone", value="07700 900000"
    )
    episode = report(world)
    url = f"{BASE}children/{world.resident.pk}/profile/"
    before = AuditEvent.objects.count()
    body = api(world.officer).get(url).json()
    assert body["description"] == "Tall, red coat" and body["photo_url"] is None
    assert body["items"][0]["value"] == "07700 900000" and body["missing_history"] == [episode.pk]
    assert AuditEvent.objects.filter(pk__gt=before, action=AuditAction.VIEW, actor=world.officer).exists()
    assert api(world.rhi_worker).get(url).status_code == 404  # providers do not read profiles
    assert api(world.south_sw).get(url).status_code == 404
