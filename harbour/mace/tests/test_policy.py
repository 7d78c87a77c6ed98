"""A partner agency sees only the agenda items, decisions and actions the policy allows: on the
meeting screen, in the exported minutes and over the API. Every export is audited."""

from datetime import timedelta

import pytest
from django.test import Client

from harbour.api.services import token_issue
from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.disruption.tests.world import overdue_interview, share
from harbour.mace import services
from harbour.mace.models import ItemKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world, make_meeting):
    share(world.child, with_agency=world.police, by=world.north_sw)
    overdue_interview(world, world.child)
    meeting = make_meeting()
    services.agenda_build(caller=world.caller(world.police_chair), meeting=meeting)
    services.item_add(
        caller=world.caller(world.police_chair), meeting=meeting, title="Themes: taxi firms", summary="Two firms named"
    )
    item = meeting.items.get(kind=ItemKind.OVERDUE_RHI)
    services.decision_record(
        caller=world.caller(world.police_chair), item=item, text="Provider to see Ellery this week"
    )
    services.action_create(
        caller=world.caller(world.police_chair),
        meeting=meeting,
        item=item,
        description="Chase Ellery's interview",
        owner=world.north_sw,
        due_on=meeting.held_on + timedelta(days=3),
    )
    services.action_create(
        caller=world.caller(world.police_chair),
        meeting=meeting,
        item=item,
        description="Offer a health appointment",
        owner=world.health_worker,
        due_on=meeting.held_on + timedelta(days=3),
    )
    return meeting


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    _, raw = token_issue(caller=Caller(user=user))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_the_council_reads_the_item_decision_and_actions(world, meeting):
    body = client_for(world.north_sw).get(f"/mace/{meeting.pk}/").content.decode()
    assert "Return home interview overdue: Ellery Vantongeren" in body
    assert "Provider to see Ellery this week" in body
    assert "Chase Ellery&#x27;s interview" in body and "Offer a health appointment" in body


def test_health_reads_a_restricted_item_and_only_its_own_action(world, meeting):
    body = client_for(world.health_worker).get(f"/mace/{meeting.pk}/").content.decode()
    assert "Restricted item" in body
    assert "Ellery" not in body and "Vantongeren" not in body
    assert "Provider to see" not in body
    assert "Offer a health appointment" in body  # their own action
    assert "Themes: taxi firms" in body and "Two firms named" in body
    event = AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="mace.meeting", actor=world.health_worker, details__purpose="agenda"
    ).get()
    assert event.details["items_restricted"] == [meeting.items.get(kind=ItemKind.OVERDUE_RHI).pk]


def test_minutes_for_each_reader_and_every_export_audited(world, meeting):
    police = client_for(world.police_chair).get(f"/mace/{meeting.pk}/minutes/")
    assert police.status_code == 200
    text = police.content.decode()
    assert "Return home interview overdue: Ellery Vantongeren" in text and "Provider to see Ellery this week" in text
    assert 'rel="stylesheet" href="/static/mace/minutes.css"' in text
    assert "<style" not in text and "<script" not in text

    health = client_for(world.health_worker).get(f"/mace/{meeting.pk}/minutes/").content.decode()
    assert "Restricted item" in health and "Ellery" not in health and "Vantongeren" not in health
    assert "Offer a health appointment" in health

    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="mace.meeting").order_by("id")
    assert [e.actor for e in exports] == [world.police_chair, world.health_worker]
    assert exports[1].details["items_restricted"] and exports[1].details["purpose"] == "minutes (html)"
    assert client_for(world.south_sw).get(f"/mace/{meeting.pk}/minutes/").status_code == 404


def test_api_actions_as_each_partner_may_see_them(world, meeting):
    health = api_for(world.health_worker).get("/api/v1/mace/actions/").json()
    assert [a["description"] for a in health["results"]] == ["Offer a health appointment"]
    assert health["results"][0]["item"] == "Restricted item"
    council = api_for(world.north_sw).get("/api/v1/mace/actions/").json()
    assert {a["description"] for a in council["results"]} == {"Chase Ellery's interview", "Offer a health appointment"}
    assert council["results"][0]["item"] == "Return home interview overdue: Ellery Vantongeren"
    chase = next(a for a in council["results"] if a["description"].startswith("Chase"))
    assert api_for(world.health_worker).get(f"/api/v1/mace/actions/{chase['id']}/").status_code == 404
    assert (
        api_for(world.north_sw).get(f"/api/v1/mace/actions/{chase['id']}/").json()["owner_agency"]
        == "Northshire Council"
    )
    mine = api_for(world.north_sw).get("/api/v1/mace/actions/?mine=1").json()
    assert [a["description"] for a in mine["results"]] == ["Chase Ellery's interview"]
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="mace.action").count() == 1


def test_outsiders_and_non_chairs(world, meeting):
    assert client_for(world.south_sw).get(f"/mace/{meeting.pk}/").status_code == 404
    assert client_for(world.health_worker).post(f"/mace/{meeting.pk}/build/").status_code == 404
    item = meeting.items.first()
    assert (
        client_for(world.north_sw).post(f"/mace/{meeting.pk}/items/{item.pk}/move/", {"direction": "down"}).status_code
        == 404
    )
    assert client_for(world.north_sw).get(f"/mace/{meeting.pk}/actions/new/").status_code == 404
