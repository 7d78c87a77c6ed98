"""The MACE screens for chairs and owners: plan, build, decide, assign, mark done."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from harbour.disruption.tests.world import overdue_interview
from harbour.mace.models import Action, ActionStatus, Decision, ItemKind, Meeting

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_chair_plans_builds_decides_and_assigns_and_the_owner_marks_done(world):
    overdue_interview(world, world.child)
    chair = client_for(world.north_chair)
    held = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = chair.post(
        "/mace/new/",
        {"title": "MACE June", "held_at": held, "chairs": [world.police_chair.pk], "agencies": [world.health.pk]},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/mace/{meeting.pk}/"
    chair.post(f"/mace/{meeting.pk}/build/")
    item = meeting.items.get(kind=ItemKind.OVERDUE_RHI)
    chair.post(f"/mace/{meeting.pk}/items/{item.pk}/decisions/new/", {"text": "Provider to visit"})
    assert Decision.objects.get().item == item
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = chair.post(
        f"/mace/{meeting.pk}/actions/new/?item={item.pk}",
        {"description": "Chase the interview", "owner": world.north_sw.pk, "due_on": due},
    )
    assert response.status_code == 302
    created = Action.objects.get()
    owner = client_for(world.north_sw)
    assert "Chase the interview" in owner.get("/mace/actions/").content.decode()
    owner.post(f"/mace/actions/{created.pk}/done/", {"note": "Interview held"})
    created.refresh_from_db()
    assert created.status == ActionStatus.DONE
    assert client_for(world.health_worker).get(f"/mace/actions/{created.pk}/done/").status_code == 404


def test_action_form_errors_name_the_field(world, make_meeting):
    meeting = make_meeting()
    response = client_for(world.police_chair).post(
        f"/mace/{meeting.pk}/actions/new/",
        {"description": "x", "owner": world.north_sw.pk, "due_on": (meeting.held_on - timedelta(days=2)).isoformat()},
    )
    assert "The due date cannot be before the meeting." in response.content.decode()


def test_time_limit_and_chair_item_with_a_person_hidden_from_the_chair(world, make_meeting):
    meeting = make_meeting()
    chair = client_for(world.police_chair)
    response = chair.post(
        f"/mace/{meeting.pk}/items/new/",
        {"title": "About a child", "time_limit_minutes": "10", "person_number": str(world.child.pk)},
    )
    assert "There is no person with that record number that you can see." in response.content.decode()
    chair.post(f"/mace/{meeting.pk}/items/new/", {"title": "Hotspots", "time_limit_minutes": "10"})
    item = meeting.items.get()
    response = chair.post(f"/mace/{meeting.pk}/items/{item.pk}/time/", {"time_limit_minutes": "90"})
    assert response.status_code == 200  # over the limit: the form says so
    chair.post(f"/mace/{meeting.pk}/items/{item.pk}/time/", {"time_limit_minutes": "15"})
    item.refresh_from_db()
    assert item.time_limit_minutes == 15


def test_suspect_interview_screens(world):
    officer = client_for(world.officer)
    needed = (timezone.localdate() - timedelta(days=200)).isoformat()
    planned = (timezone.localdate() - timedelta(days=170)).isoformat()
    response = officer.post(
        "/mace/suspect-interviews/new/",
        {"suspect_number": world.adult.pk, "needed_since": needed, "planned_on": planned},
    )
    assert response.status_code == 302
    page = officer.get("/mace/suspect-interviews/").content.decode()
    assert "170 days late" in page and "200 days waiting" in page
    assert client_for(world.health_worker).get("/mace/suspect-interviews/new/").status_code == 404
