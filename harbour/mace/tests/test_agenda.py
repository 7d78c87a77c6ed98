"""Building the agenda from the data, ordering it, and what each attendee reads of each item."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from harbour.audit.models import AuditAction, AuditEvent
from harbour.disruption.tests.world import found_with, overdue_interview, share
from harbour.mace import agenda, selectors, services
from harbour.mace.models import AgendaItem, ItemKind, SuspectInterview

pytestmark = pytest.mark.django_db


def kinds(meeting) -> list[str]:
    return list(meeting.items.order_by("position").values_list("kind", flat=True))


def test_meeting_chairs_are_police_and_council_and_their_agencies_attend(world, make_meeting):
    meeting = make_meeting()
    assert set(meeting.chairs.all()) == {world.police_chair, world.north_chair}
    assert set(meeting.agencies.all()) == {world.police, world.north, world.health}
    with pytest.raises(Exception) as caught:
        services.meeting_create(
            caller=world.caller(world.police_chair), title="x", held_at=timezone.now(), chairs=[world.health_worker]
        )
    assert "cannot chair" in str(caught.value)
    with pytest.raises(Http404):
        services.meeting_create(caller=world.caller(world.officer), title="x", held_at=timezone.now())


def test_agenda_built_from_overdue_interviews_triggers_prompts_and_suspect_interviews(world, make_meeting):
    for child in world.children:
        share(child, with_agency=world.north, by=world.north_sw)  # (already theirs; harmless)
        share(child, with_agency=world.police, by=world.north_sw)
        found_with(world, child, world.adult)
    rhi = overdue_interview(world, world.child)
    SuspectInterview.objects.create(
        suspect=world.adult,
        needed_since=timezone.localdate() - timedelta(days=200),
        planned_on=timezone.localdate() - timedelta(days=20),
        owning_agency=world.police,
        created_by=world.officer,
    )
    meeting = make_meeting()
    result = services.agenda_build(caller=world.caller(world.police_chair), meeting=meeting)
    assert result.failed == [] or all("risk" in f.lower() for f in result.failed)
    built = kinds(meeting)
    assert ItemKind.OVERDUE_RHI in built
    assert ItemKind.NO_DISRUPTION in built
    assert ItemKind.SUSPECT_INTERVIEW in built
    item = meeting.items.get(kind=ItemKind.OVERDUE_RHI)
    assert item.linked == rhi and item.time_limit_minutes == 5
    # Building again adds nothing new.
    again = services.agenda_build(caller=world.caller(world.police_chair), meeting=meeting)
    assert again.added == 0
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="mace.meeting").count() == 2


def test_only_chairs_build_or_order_the_agenda(world, make_meeting):
    meeting = make_meeting()
    with pytest.raises(Http404):
        services.agenda_build(caller=world.caller(world.health_worker), meeting=meeting)
    first = services.item_add(
        caller=world.caller(world.north_chair), meeting=meeting, title="Themes: taxis", time_limit_minutes=10
    )
    second = services.item_add(caller=world.caller(world.north_chair), meeting=meeting, title="Locations: the seafront")
    services.item_move(caller=world.caller(world.police_chair), item=second, direction="up")
    assert list(meeting.items.values_list("title", flat=True)) == ["Locations: the seafront", "Themes: taxis"]
    services.item_move(caller=world.caller(world.police_chair), item=second, direction="up")  # already first
    assert list(meeting.items.values_list("position", flat=True)) == [1, 2]
    with pytest.raises(Http404):
        services.item_move(caller=world.caller(world.health_worker), item=first, direction="up")


def test_each_reader_sees_only_what_they_may_of_each_item(world, make_meeting):
    share(world.child, with_agency=world.police, by=world.north_sw)
    overdue_interview(world, world.child)
    meeting = make_meeting()
    services.agenda_build(caller=world.caller(world.police_chair), meeting=meeting)
    services.item_add(caller=world.caller(world.police_chair), meeting=meeting, title="Themes: taxis")
    private = services.item_add(
        caller=world.caller(world.police_chair), meeting=meeting, title="Concern about Ellery", person=world.child
    )
    item = meeting.items.get(kind=ItemKind.OVERDUE_RHI)
    services.decision_record(
        caller=world.caller(world.north_chair), item=item, text="Escalate to the provider's manager"
    )

    council = selectors.agenda_for(user=world.north_sw, meeting=meeting)
    shown = {e.item.pk: e for e in council.items}
    assert shown[item.pk].title == "Return home interview overdue: Ellery Vantongeren"
    assert "hour" in shown[item.pk].shown.lines[0]
    assert [d.text for d in shown[item.pk].decisions] == ["Escalate to the provider's manager"]
    assert shown[private.pk].title == "Concern about Ellery"

    health = selectors.agenda_for(user=world.health_worker, meeting=meeting)
    seen = {e.item.pk: e for e in health.items}
    assert seen[item.pk].title == "Restricted item" and not seen[item.pk].decisions and not seen[item.pk].shown.lines
    assert seen[private.pk].title == "Restricted item"
    assert [e.title for e in health.items if e.visible] == ["Themes: taxis"]
    assert health.total_minutes == council.total_minutes  # the meeting runs to the same clock
    # Outsiders do not see the meeting at all.
    assert not selectors.meeting_visible(user=world.south_sw).exists()


def test_a_failing_source_is_reported_and_the_others_still_build(world, make_meeting, monkeypatch):
    def broken(user, meeting):
        raise LookupError("app not ready")

    monkeypatch.setitem(
        agenda.SOURCES,
        "broken",
        agenda.AgendaSource(
            "broken", ItemKind.HOTSPOT, "Broken source", 5, broken, lambda record, user, cache: agenda.Shown("x")
        ),
    )
    overdue_interview(world, world.child)
    meeting = make_meeting()
    result = services.agenda_build(caller=world.caller(world.north_chair), meeting=meeting)
    assert "Broken source" in result.failed
    assert meeting.items.filter(kind=ItemKind.OVERDUE_RHI).exists()


def test_sources_of_apps_not_installed_are_skipped(world, monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: False if name in ("harbour.risk", "harbour.analysis") else real(name)
    )
    keys = {s.key for s in agenda.available_sources()}
    assert "children_at_risk" not in keys and "co_presence" not in keys and "hotspots" not in keys
    assert {"overdue_rhi", "actions", "no_disruption", "suspect_interviews"} <= keys


def test_agenda_item_once_per_record(world, make_meeting):
    overdue_interview(world, world.child)
    meeting = make_meeting()
    services.agenda_build(caller=world.caller(world.north_chair), meeting=meeting)
    services.agenda_build(caller=world.caller(world.police_chair), meeting=meeting)
    assert AgendaItem.objects.filter(meeting=meeting, kind=ItemKind.OVERDUE_RHI).count() == 1
