"""The disruption screens: recording an order with clear field errors, the alerts page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from harbour.disruption import law
from harbour.disruption.models import DisruptionOrder

from .world import found_with, share

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(world, **fields) -> dict:
    data = {
        "tool": law.SEXUAL_RISK_ORDER.code,
        "status": "granted",
        "subject_kind": law.PERSON,
        "subject_person_number": str(world.adult.pk),
        "granted_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "expires_at": (timezone.localtime() + timedelta(days=300)).strftime("%Y-%m-%dT%H:%M"),
        "applicant": "DC Lee",
        "court_or_authority": "Harbourtown Magistrates' Court",
    }
    data.update(fields)
    return data


def test_a_short_order_is_refused_with_the_law_named_on_the_field(world):
    response = client_for(world.officer).post("/disruption/orders/new/", form(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "A Sexual Risk Order lasts at least 2 years" in body
    assert 'href="#id_expires_at"' in body  # the error summary links to the field
    assert not DisruptionOrder.objects.exists()


def test_a_person_the_user_cannot_see_is_refused_on_the_field(world):
    response = client_for(world.officer).post(
        "/disruption/orders/new/",
        form(world, subject_person_number=str(world.child.pk), until_further_order="on", expires_at=""),
    )
    assert "There is no person with that record number that you can see." in response.content.decode()


def test_recording_an_order_and_a_breach(world):
    client = client_for(world.officer)
    response = client.post("/disruption/orders/new/", form(world, expires_at="", until_further_order="on"))
    order = DisruptionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disruption/orders/{order.pk}/"
    response = client.post(
        f"/disruption/orders/{order.pk}/breaches/new/",
        {
            "occurred_on": timezone.localdate().isoformat(),
            "description": "Seen with a child at the park",
            "action_taken": "Arrested",
        },
    )
    assert response.status_code == 302
    page = client.get("/disruption/").content.decode()
    assert "1 breach recorded in the last 28 days" in page


def test_dashboard_prompts_to_consider_an_order_with_the_tools_that_fit(world):
    for child in world.children:
        share(child, with_agency=world.police, by=world.north_sw)
        found_with(world, child, world.adult)
    page = client_for(world.officer).get("/disruption/").content.decode()
    assert "Consider an order" in page
    assert "Dax Marlow</a> is linked to 3 children you can see" in page
    assert "Child Abduction Warning Notice" in page
    assert f"/disruption/orders/new/?person={world.adult.pk}&amp;tool=cawn&amp;children=" in page


def test_nav_shows_disruption_and_mace_to_police_not_to_health_disruption(world):
    police_page = client_for(world.officer).get("/").content.decode()
    assert 'href="/disruption/"' in police_page and 'href="/mace/"' in police_page
    health_page = client_for(world.health_worker).get("/").content.decode()
    assert 'href="/disruption/"' not in health_page and 'href="/mace/"' in health_page
