"""Actions: one owner and a due date, marked done by the owner, escalated to the owner's supervisor
when overdue (once), and carried to the next meeting automatically. Suspect interview delays."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.demo import factories as f
from harbour.mace import selectors, services
from harbour.mace.models import Action, ActionStatus, Escalation, ItemKind, SuspectInterview

pytestmark = pytest.mark.django_db


def action(world, meeting, *, owner=None, due_in_days=7, item=None, text="Visit the seafront hotels with licensing"):
    return services.action_create(
        caller=world.caller(world.police_chair),
        meeting=meeting,
        item=item,
        description=text,
        owner=owner or world.north_sw,
        due_on=meeting.held_on + timedelta(days=due_in_days),
    )


def test_an_action_has_one_owner_from_an_attending_agency_and_a_due_date(world, make_meeting):
    meeting = make_meeting()
    created = action(world, meeting)
    assert created.owner_agency == world.north and created.status == ActionStatus.OPEN
    with pytest.raises(ValidationError) as caught:
        action(world, meeting, owner=world.south_sw)
    assert caught.value.message_dict["owner"] == ["Choose an owner from the agencies attending."]
    with pytest.raises(ValidationError) as caught:
        action(world, meeting, due_in_days=-1)
    assert caught.value.message_dict["due_on"] == ["The due date cannot be before the meeting."]
    with pytest.raises(Http404):
        services.action_create(
            caller=world.caller(world.north_sw),
            meeting=meeting,
            description="x",
            owner=world.north_sw,
            due_on=timezone.localdate(),
        )


def test_the_owner_marks_it_done_others_cannot(world, make_meeting):
    created = action(world, make_meeting())
    with pytest.raises(Http404):
        services.action_mark_done(caller=world.caller(world.health_worker), action=created)
    services.action_mark_done(caller=world.caller(world.north_sw), action=created, note="Done with licensing")
    created.refresh_from_db()
    assert created.status == ActionStatus.DONE and created.done_by == world.north_sw and created.done_at
    with pytest.raises(ValidationError):
        services.action_mark_done(caller=world.caller(world.north_sw), action=created)


def test_overdue_actions_are_escalated_once_to_the_owners_supervisor(world, make_meeting):
    meeting = make_meeting(days_from_now=-30)
    late = action(world, meeting, due_in_days=10)
    on_time = action(world, meeting, due_in_days=40)
    done = action(world, meeting, due_in_days=5)
    services.action_mark_done(caller=world.caller(world.north_sw), action=done)
    orphan = action(world, meeting, owner=world.health_worker, due_in_days=3)

    escalations = services.actions_escalate()
    assert {(e.action_id, e.escalated_to_id) for e in escalations} == {(late.pk, world.north_sup.pk), (orphan.pk, None)}
    assert "Overdue by 20 days" in Escalation.objects.get(action=late).reason
    assert "No supervisor found" in Escalation.objects.get(action=orphan).reason
    assert services.actions_escalate() == []  # once
    assert not Escalation.objects.filter(action__in=[on_time, done]).exists()
    event = AuditEvent.objects.filter(object_type="mace.action", actor_username="harbour escalate-actions").first()
    assert event is not None and event.details["escalated_to"] in (world.north_sup.pk, None)

    # The supervisor sees it escalated to them, and may read the action.
    mine = selectors.my_actions(caller=world.caller(world.north_sup))
    assert [e.action for e in mine.escalated_to_me] == [late]
    assert selectors.action_visible(user=world.north_sup).filter(pk=late.pk).exists()


def test_escalate_actions_command(world, make_meeting):
    action(world, make_meeting(days_from_now=-20), due_in_days=1)
    out = StringIO()
    call_command("escalate_actions", stdout=out)
    assert "Escalated 1 overdue action (1 to supervisors, 0 with no supervisor found)." in out.getvalue()


def test_supervisor_of_the_team_before_the_agency(world):
    other_sup = f.make_user(agency=world.north, role="supervisor", username="other.sup")
    assert services.supervisors_of(world.north_sw) == [world.north_sup]
    loner = f.make_user(agency=world.north, username="no.team")
    assert set(services.supervisors_of(loner)) == {world.north_sup, other_sup}


def test_overdue_actions_are_listed_at_the_next_meeting(world, make_meeting):
    first = make_meeting(days_from_now=-30, title="MACE April")
    late = action(world, first, due_in_days=10, text="Refer the hotel to licensing")
    done = action(world, first, due_in_days=5, text="Speak to the taxi firm")
    services.action_mark_done(caller=world.caller(world.north_sw), action=done)
    services.actions_escalate()
    second = make_meeting(title="MACE May")
    assert selectors.carried_forward(user=world.police_chair, meeting=second) == [late]
    services.agenda_build(caller=world.caller(world.north_chair), meeting=second)
    item = second.items.get(kind=ItemKind.OVERDUE_ACTION)
    assert item.linked == late
    shown = {e.item.pk: e for e in selectors.agenda_for(user=world.health_worker, meeting=second).items}
    assert shown[item.pk].title == "Overdue action: Refer the hotel to licensing"
    assert any("Escalated to Sue Pervisor" in line for line in shown[item.pk].shown.lines)
    # An earlier meeting does not carry forward a later meeting's actions.
    assert selectors.carried_forward(user=world.police_chair, meeting=first) == []


def test_actions_on_restricted_items_reach_only_those_who_may_see_the_item_and_the_owner(world, make_meeting):
    from harbour.disruption.tests.world import overdue_interview, share

    share(world.child, with_agency=world.police, by=world.north_sw)
    overdue_interview(world, world.child)
    meeting = make_meeting()
    services.agenda_build(caller=world.caller(world.police_chair), meeting=meeting)
    item = meeting.items.get(kind=ItemKind.OVERDUE_RHI)
    for_council = action(world, meeting, item=item, text="Chase the interview")
    for_health = action(world, meeting, item=item, owner=world.health_worker, text="Offer a sexual health appointment")
    general = action(world, meeting, owner=world.health_worker, text="Circulate the hotels leaflet")
    visible = set(selectors.action_visible(user=world.health_worker))
    assert visible == {for_health, general}  # their own, and the one not tied to an item
    assert selectors.item_title_for(user=world.health_worker, action=for_health) == "Restricted item"
    assert set(selectors.action_visible(user=world.north_sw)) == {for_council, for_health, general}


def test_suspect_interview_delays_show(world):
    share_needed = timezone.localdate() - timedelta(days=210)
    interview = services.suspect_interview_create(
        caller=world.caller(world.officer),
        suspect=world.adult,
        needed_since=share_needed,
        planned_on=share_needed + timedelta(days=30),
    )
    assert interview.delay == 180 and interview.waiting == 210 and interview.is_delayed
    services.suspect_interview_update(
        caller=world.caller(world.officer), interview=interview, held_on=timezone.localdate()
    )
    interview.refresh_from_db()
    assert interview.delay == 180 and interview.is_held
    with pytest.raises(ValidationError) as caught:
        services.suspect_interview_update(
            caller=world.caller(world.officer), interview=interview, held_on=share_needed - timedelta(days=1)
        )
    assert "before it was needed" in caught.value.message_dict["held_on"][0]
    with pytest.raises(Http404):
        services.suspect_interview_create(
            caller=world.caller(world.north_sw), suspect=world.child, needed_since=share_needed
        )
    # The council cannot see the police's adult: it cannot see the interview either.
    assert not selectors.suspect_interviews(caller=world.caller(world.north_sw))
    assert SuspectInterview.objects.count() == 1
    assert Action.objects.count() == 0


@pytest.mark.skipif(not apps.is_installed("harbour.notifications"), reason="harbour.notifications not installed")
def test_owner_and_supervisor_are_notified_without_names(world, make_meeting):
    from harbour.notifications.models import Notification

    created = action(world, make_meeting(days_from_now=-30), due_in_days=2)
    told = Notification.objects.get(recipient=world.north_sw)
    assert told.title == f"MACE action {created.pk} for you, due {created.due_on:%-d %B %Y}"
    services.actions_escalate()
    services.actions_escalate()
    escalated = Notification.objects.filter(recipient=world.north_sup)
    assert [n.title for n in escalated] == [f"Overdue MACE action {created.pk} escalated to you"]


def test_escalation_task_runs_the_same_service(world, make_meeting):
    from harbour.mace.tasks import escalate_overdue_actions

    action(world, make_meeting(days_from_now=-20), due_in_days=1)
    assert escalate_overdue_actions.call() == 1
    assert escalate_overdue_actions.call() == 0
