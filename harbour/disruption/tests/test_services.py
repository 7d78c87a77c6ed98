"""Recording orders, breaches and operations through the services: the policy, the CAWN's
children, the audit, the alerts (ending soon, breach) and the "consider an order" prompt."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.disruption import law, selectors, services
from harbour.disruption.models import OrderStatus
from harbour.people.models import PersonKind

from .world import found_with, share, years_ago

pytestmark = pytest.mark.django_db


def sro(world, **fields):
    values = {
        "tool": law.SEXUAL_RISK_ORDER.code,
        "subject_kind": law.PERSON,
        "subject_person": world.adult,
        "status": OrderStatus.GRANTED,
        "granted_on": timezone.localdate() - timedelta(days=30),
        "expires_at": timezone.now() + timedelta(days=800),
        "applicant": "DC Lee, Harbour Police",
        "court_or_authority": "Harbourtown Magistrates' Court",
    }
    values.update(fields)
    return services.order_create(caller=world.caller(world.officer), **values)


def test_police_record_an_order_audited(world):
    order = sro(world, conditions="Not to approach Harbourtown bus station")
    assert order.owning_agency == world.police
    event = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="disruption.disruptionorder").get()
    assert event.person_id == world.adult.pk
    assert event.changes["tool"] == [None, "sro"]


def test_other_agencies_cannot_record_orders(world):
    with pytest.raises(Http404):
        services.order_create(
            caller=world.caller(world.health_worker),
            tool=law.SEXUAL_RISK_ORDER.code,
            subject_kind=law.PERSON,
            subject_person=world.adult,
        )


def test_cawn_names_children_the_caller_can_see_of_the_right_age(world):
    share(world.child, with_agency=world.police, by=world.north_sw)
    cawn = {
        "tool": law.CAWN.code,
        "subject_kind": law.PERSON,
        "subject_person": world.adult,
        "status": OrderStatus.SERVED,
        "granted_on": timezone.localdate(),
        "served_at": timezone.now() - timedelta(minutes=10),
    }
    with pytest.raises(ValidationError) as caught:
        services.order_create(caller=world.caller(world.officer), **cawn)
    assert caught.value.message_dict["protected_children"] == [
        "Choose the children the Child Abduction Warning Notice protects."
    ]
    with pytest.raises(ValidationError) as caught:  # the second child is not shared with the police
        services.order_create(caller=world.caller(world.officer), protected_children=world.children[:2], **cawn)
    assert caught.value.message_dict["protected_children"] == ["Choose children from records you can see."]
    order = services.order_create(caller=world.caller(world.officer), protected_children=[world.child], **cawn)
    assert list(order.protected_children.all()) == [world.child]
    with pytest.raises(ValidationError) as caught:
        services.order_create(
            caller=world.caller(world.officer),
            protected_children=[world.child],
            **{**cawn, "tool": law.SEXUAL_RISK_ORDER.code, "status": OrderStatus.CONSIDERED},
        )
    assert "Only a Child Abduction Warning Notice" in caught.value.message_dict["protected_children"][0]


def test_update_keeps_children_the_editor_cannot_see(world):
    share(world.child, with_agency=world.police, by=world.north_sw)
    share(world.children[1], with_agency=world.police, by=world.north_sw)
    order = services.order_create(
        caller=world.caller(world.officer),
        tool=law.CAWN.code,
        subject_kind=law.PERSON,
        subject_person=world.adult,
        status=OrderStatus.CONSIDERED,
        protected_children=world.children[:2],
    )
    colleague = f.make_user(agency=world.police, username="pc.two")
    # The colleague sees the adult (their agency's) and only the first child (its share is revoked below).
    from harbour.access.models import AccessGrant

    AccessGrant.objects.filter(object_id=world.children[1].pk).update(revoked_at=timezone.now())
    services.order_update(
        caller=world.caller(colleague), order=order, status_note="Reviewed", protected_children=[world.child]
    )
    assert set(order.protected_children.all()) == set(world.children[:2])


def test_breach_marks_the_order_breached_and_alerts(world):
    order = sro(world)
    considered = sro(world, status=OrderStatus.CONSIDERED, granted_on=None, expires_at=None)
    with pytest.raises(ValidationError) as caught:
        services.breach_record(
            caller=world.caller(world.officer), order=considered, occurred_on=timezone.localdate(), description="Seen"
        )
    assert "granted or issued" in caught.value.message_dict["occurred_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.breach_record(
            caller=world.caller(world.officer),
            order=order,
            occurred_on=order.granted_on - timedelta(days=1),
            description="Seen",
        )
    assert "before the order" in caught.value.message_dict["occurred_on"][0]
    services.breach_record(
        caller=world.caller(world.officer),
        order=order,
        occurred_on=timezone.localdate(),
        description="Seen at the bus station with a child",
        action_taken="Arrested; charged with breach",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.BREACHED and order.is_in_force
    alerts = selectors.alerts(caller=world.caller(world.officer))
    assert [b.order for b in alerts.breaches] == [order]
    assert not selectors.alerts(caller=world.caller(world.health_worker)).breaches


def test_orders_ending_within_28_days_are_alerts(world):
    granted = law.add_months(timezone.localdate(), -24)
    soon = sro(world, granted_on=granted, expires_at=timezone.now() + timedelta(days=10))
    sro(world, granted_on=granted, expires_at=timezone.now() + timedelta(days=40))
    lapsed = sro(world, granted_on=granted - timedelta(days=30), expires_at=timezone.now() + timedelta(days=1))
    type(lapsed).objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(days=1))
    alerts = selectors.alerts(caller=world.caller(world.officer))
    assert alerts.expiring == [soon]
    assert [o.pk for o in alerts.lapsed] == [lapsed.pk]
    assert AuditEvent.objects.filter(details__list="disruption_alerts").exists()


def test_prompt_for_an_adult_found_with_three_children_with_no_order(world):
    for child in world.children:
        share(child, with_agency=world.police, by=world.north_sw)
    found_with(world, world.children[0], world.adult)
    found_with(world, world.children[1], world.adult)
    assert selectors.order_prompts(user=world.officer) == []  # two children: below the threshold
    found_with(world, world.children[2], world.adult)
    found_with(world, world.children[2], world.adult)  # the same child again counts once
    prompts = selectors.order_prompts(user=world.officer)
    assert [p.person for p in prompts] == [world.adult]
    assert prompts[0].child_count == 3
    tools = [tool for tool, _ in prompts[0].tools]
    assert tools[:3] == [law.CAWN, law.SEXUAL_RISK_ORDER, law.SLAVERY_TRAFFICKING_RISK_ORDER]
    assert "found with a child" in prompts[0].how_linked[0]

    considered = sro(world, status=OrderStatus.CONSIDERED, granted_on=None, expires_at=None)
    assert selectors.order_prompts(user=world.officer) == []
    services.order_update(
        caller=world.caller(world.officer),
        order=considered,
        status=OrderStatus.REFUSED,
        applied_on=timezone.localdate(),
        status_note="Not enough evidence",
    )
    assert [p.person for p in selectors.order_prompts(user=world.officer)] == [world.adult]


def test_prompt_counts_only_children_the_user_can_see(world):
    for child in world.children:
        found_with(world, child, world.adult)
    share(world.children[0], with_agency=world.police, by=world.north_sw)
    share(world.children[1], with_agency=world.police, by=world.north_sw)
    assert selectors.order_prompts(user=world.officer) == []  # sees only two of the three
    # The council sees its three children but not the police's adult: no prompt names them.
    assert selectors.order_prompts(user=world.north_sw) == []


def test_older_children_do_not_make_a_cawn_fit(world):
    teen = [
        f.make_person(owning_agency=world.police, created_by=world.officer, date_of_birth=years_ago(17))
        for _ in range(3)
    ]
    for child in teen:
        found_with(world, child, world.adult)
    prompt = selectors.order_prompts(user=world.officer)[0]
    assert law.CAWN not in [tool for tool, _ in prompt.tools]
    other_adult = f.make_person(
        owning_agency=world.police, created_by=world.officer, kind=PersonKind.OTHER, date_of_birth=years_ago(15)
    )
    for child in teen:
        found_with(world, child, other_adult)
    assert [p.person for p in selectors.order_prompts(user=world.officer)] == [world.adult]  # a 15-year-old is no adult


def test_operation_with_activities_from_agencies_taking_part(world):
    operation = services.operation_create(
        caller=world.caller(world.officer),
        name="Operation Lantern",
        aim="Disrupt exploitation around the seafront hotels",
        start_date=timezone.localdate() - timedelta(days=2),
        new_place={"name": "Seafront park", "postcode": "HB9 9ZZ"},
        agencies=[world.north, world.health],
    )
    assert [str(p.name) for p in operation.places.all()] == ["Seafront park"]
    activity = services.activity_record(
        caller=world.caller(world.north_sw),
        operation=operation,
        kind="hotel",
        on=timezone.localdate(),
        business_name="The Quayside Hotel",
        description="Briefed staff on signs of exploitation; hotel notice explained",
        outcome="Staff agreed to report concerns",
    )
    assert activity.agency == world.north
    with pytest.raises(Http404):
        services.activity_record(
            caller=world.caller(world.south_sw),
            operation=operation,
            kind="visit",
            on=timezone.localdate(),
            description="x",
        )
    assert selectors.operation_visible(user=world.health_worker).count() == 1
    assert selectors.operation_visible(user=world.south_sw).count() == 0
    with pytest.raises(ValidationError) as caught:
        services.activity_record(
            caller=world.caller(world.officer),
            operation=operation,
            kind="visit",
            on=operation.start_date - timedelta(days=1),
            description="Patrol",
        )
    assert "before the operation started" in caught.value.message_dict["on"][0]


@pytest.mark.skipif(not apps.is_installed("harbour.notifications"), reason="harbour.notifications not installed")
def test_a_breach_is_notified_to_the_holding_agency(world):
    from harbour.notifications.models import Notification

    supervisor = f.make_user(agency=world.police, role="supervisor", username="police.sup")
    order = sro(world)
    colleague = f.make_user(agency=world.police, username="pc.colleague")
    services.breach_record(
        caller=world.caller(colleague),
        order=order,
        occurred_on=timezone.localdate(),
        description="Seen near the school",
    )
    told = Notification.objects.filter(kind="order_breach")
    assert {n.recipient for n in told} == {world.officer, supervisor}
    assert "Marlow" not in told.first().title
