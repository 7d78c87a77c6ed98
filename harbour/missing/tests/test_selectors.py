"""Queues, boards and figures: what each shows, and where a month begins."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from harbour.missing import clocks, selectors, services
from harbour.missing.models import MissingEpisode, ReturnHomeInterview

from .helpers import close, report

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _rhi(world, returned_at, **fields):
    """An interview returned at a given time, made directly: the services refuse times in the future."""
    episode = MissingEpisode.objects.create(
        child=world.resident,
        owning_agency=world.police,
        reported_by_kind="care_home",
        reported_at=returned_at - timedelta(hours=5),
        recorded_by=world.officer,
        last_seen_at=returned_at - timedelta(hours=6),
        last_seen_place="Home",
        status="closed",
        found_at=returned_at,
        where_not_said=True,
        found_alone=True,
    )
    return ReturnHomeInterview.objects.create(
        episode=episode,
        child=world.resident,
        provider=world.provider,
        returned_at=returned_at,
        due_at=clocks.return_interview_due_at(returned_at),
        **fields,
    )


def test_figures_months_begin_at_london_midnight(world):
    # 00:30 BST on 1 April is 23:30 UTC on 31 March: an April return.
    _rhi(world, datetime(2026, 4, 1, 0, 30, tzinfo=LONDON))
    _rhi(world, datetime(2026, 3, 31, 23, 30, tzinfo=LONDON))
    rows = selectors.rhi_figures(
        caller=world.caller(world.north_sw), start=datetime(2026, 3, 1).date(), end=datetime(2026, 4, 30).date()
    )
    assert [(r.period.month, r.returns) for r in rows] == [(3, 1), (4, 1)]


def test_figures_count_offered_held_in_time_and_refused_by_provider(world):
    returned = datetime(2026, 2, 2, 10, 0, tzinfo=LONDON)
    _rhi(world, returned, offered_at=returned + timedelta(hours=1), held_at=returned + timedelta(hours=20))
    _rhi(world, returned, offered_at=returned + timedelta(hours=1), held_at=returned + timedelta(hours=80))
    _rhi(world, returned, offered_at=returned + timedelta(hours=2), response="refused", refusal_reason="No")
    _rhi(world, returned)
    (row,) = selectors.rhi_figures(
        caller=world.caller(world.north_sw), start=datetime(2026, 2, 1).date(), end=datetime(2026, 2, 28).date()
    )
    assert (row.provider, row.returns, row.offered, row.held_in_time, row.held_late, row.refused) == (
        "Safe Steps Charity",
        4,
        3,
        1,
        1,
        1,
    )
    assert (row.offered_share, row.held_in_time_share, row.refused_share) == (75, 25, 25)


def test_figures_only_count_what_the_user_may_see(world):
    _rhi(world, datetime(2026, 2, 2, 10, 0, tzinfo=LONDON))
    rows = selectors.rhi_figures(
        caller=world.caller(world.south_sw), start=datetime(2026, 1, 1).date(), end=datetime(2026, 12, 31).date()
    )
    assert rows == []


def test_queue_orders_by_due_and_lists_overdue(world):
    late = _rhi(world, timezone.now() - timedelta(hours=80))
    soon = _rhi(world, timezone.now() - timedelta(hours=60))
    fresh = _rhi(world, timezone.now() - timedelta(hours=1))
    _rhi(world, timezone.now() - timedelta(hours=2), held_at=timezone.now())
    caller = world.caller(world.north_sw)
    queue = selectors.rhi_queue(caller=caller)
    assert [r.pk for r in queue] == [late.pk, soon.pk, fresh.pk]
    assert [r.clock.status for r in queue] == ["overdue", "due_soon", "on_time"]
    assert [r.pk for r in selectors.rhi_overdue(caller=caller)] == [late.pk]


def test_supervisor_sees_episodes_worked_only_from_a_desk(world):
    desk = report(world)
    services.episode_add_action(
        caller=world.caller(world.officer),
        episode=desk,
        kind="enquiry",
        field_based=False,
        at=timezone.now() - timedelta(hours=1),
        note="Phoned the friend's family",
    )
    field = report(world, by=world.north_sw, child=world.other_child, reported_by_kind="parent")
    services.episode_add_action(
        caller=world.caller(world.north_sw),
        episode=field,
        kind="search",
        field_based=True,
        at=timezone.now() - timedelta(hours=1),
        note="Searched the park",
    )
    listed = selectors.desk_only_episodes(caller=world.caller(world.north_supervisor))
    assert [e.pk for e in listed] == [desk.pk]


def test_board_lists_active_protections_only(world):
    from harbour.demo import factories as f

    f.grant(world.resident, by=world.north_sw, agency=world.police)
    active = services.police_protection_start(
        caller=world.caller(world.officer),
        child=world.resident,
        taken_at=timezone.now() - timedelta(hours=70),
        grounds="Reasonable cause",
        place_of_safety="Foster home",
    )
    board = selectors.police_protection_board(caller=world.caller(world.officer))
    assert [p.pk for p in board] == [active.pk]
    assert board[0].clock.status == "due_soon"
    assert selectors.police_protection_board(caller=world.caller(world.south_sw)) == []


def test_closed_episode_leaves_the_desk_only_list(world):
    episode = report(world)
    close(world, episode)
    assert selectors.desk_only_episodes(caller=world.caller(world.north_supervisor)) == []
