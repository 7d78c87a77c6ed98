"""A partner agency sees only the orders, and the fields of an order, the policy lets it see: on the
screens and over the API alike. Hidden orders answer 404."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from harbour.api.services import token_issue
from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.disruption import law, services
from harbour.disruption.models import OrderStatus

from .world import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def cawn(world):
    for child in world.children[:2]:
        share(child, with_agency=world.police, by=world.north_sw)
    return services.order_create(
        caller=world.caller(world.officer),
        tool=law.CAWN.code,
        subject_kind=law.PERSON,
        subject_person=world.adult,
        status=OrderStatus.SERVED,
        granted_on=timezone.localdate(),
        served_at=timezone.now() - timedelta(minutes=5),
        protected_children=world.children[:2],
        conditions="Not to contact the children named",
    )


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


def test_the_police_see_the_order_and_both_children(world, cawn):
    page = client_for(world.officer).get(f"/disruption/orders/{cawn.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Dax Marlow" in body and "Ellery Vantongeren" in body and "Sorrel Ambage" in body
    data = api_for(world.officer).get(f"/api/v1/disruption/orders/{cawn.pk}/").json()
    assert data["subject_person"]["name"] == "Dax Marlow"
    assert {c["name"] for c in data["protected_children"]} == {"Ellery Vantongeren", "Sorrel Ambage"}
    assert data["protected_children_hidden"] == 0


def test_a_partner_who_sees_the_adult_but_one_child_sees_only_that_child(world, cawn):
    # Health is shared the adult and one child: it sees the order (it follows the adult), one child
    # by name, and that another child is protected, never who.
    share(world.adult, with_agency=world.health, by=world.officer)
    share(world.child, with_agency=world.health, by=world.north_sw)
    body = client_for(world.health_worker).get(f"/disruption/orders/{cawn.pk}/").content.decode()
    assert "Dax Marlow" in body and "Ellery Vantongeren" in body
    assert "Sorrel" not in body and "Ambage" not in body
    assert "1 other child you cannot see" in body
    data = api_for(world.health_worker).get(f"/api/v1/disruption/orders/{cawn.pk}/").json()
    assert [c["name"] for c in data["protected_children"]] == ["Ellery Vantongeren"]
    assert data["protected_children_hidden"] == 1
    assert "Sorrel" not in str(data)


def test_an_agency_without_the_adult_gets_404_everywhere(world, cawn):
    response = client_for(world.south_sw).get(f"/disruption/orders/{cawn.pk}/")
    assert response.status_code == 404
    assert "Marlow" not in response.content.decode()
    assert "Marlow" not in client_for(world.south_sw).get("/disruption/").content.decode()
    api = api_for(world.south_sw)
    assert api.get(f"/api/v1/disruption/orders/{cawn.pk}/").status_code == 404
    listed = api.get("/api/v1/disruption/orders/").json()
    assert listed["count"] == 0
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="disruption.disruptionorder").count() == 2


def test_the_council_sees_the_order_through_its_children_only_if_it_sees_the_adult(world, cawn):
    # The council holds the children, not the adult: the order follows its subject, so the council
    # does not see it until the police share the adult.
    assert client_for(world.north_sw).get(f"/disruption/orders/{cawn.pk}/").status_code == 404
    share(world.adult, with_agency=world.north, by=world.officer)
    assert client_for(world.north_sw).get(f"/disruption/orders/{cawn.pk}/").status_code == 200


def test_place_orders_stay_with_the_agency_that_holds_them(world):
    order = services.order_create(
        caller=world.caller(world.officer),
        tool=law.CLOSURE_ORDER.code,
        subject_kind=law.PLACE,
        new_place={"name": "Flat 3, Mill Lane", "postcode": "hb3 1zz"},
        status=OrderStatus.APPLIED,
        applied_on=timezone.localdate(),
    )
    assert order.subject_place.postcode == "HB3 1ZZ"
    assert client_for(world.officer).get(f"/disruption/orders/{order.pk}/").status_code == 200
    assert client_for(world.north_sw).get(f"/disruption/orders/{order.pk}/").status_code == 404
    share(order, with_agency=world.north, by=world.officer)
    assert client_for(world.north_sw).get(f"/disruption/orders/{order.pk}/").status_code == 200
    # A reader cannot change it.
    assert client_for(world.north_sw).get(f"/disruption/orders/{order.pk}/change/").status_code == 404


def test_api_list_is_audited_with_the_ids_shown(world, cawn):
    api_for(world.officer).get("/api/v1/disruption/orders/")
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="disruption.disruptionorder").get()
    assert event.details["result_ids"] == [cawn.pk]


def test_screens_refuse_roles_that_do_no_casework(world, cawn):
    from harbour.accounts.roles import Role
    from harbour.demo import factories as f

    auditor = f.make_user(agency=world.police, role=Role.AUDITOR)
    assert client_for(auditor).get("/disruption/").status_code == 404
    assert client_for(auditor).get(f"/disruption/orders/{cawn.pk}/").status_code == 404
