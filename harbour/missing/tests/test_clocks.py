"""The 72-hour clocks count elapsed hours; British Summer Time changes do not move them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from harbour.missing import clocks, rules

LONDON = ZoneInfo("Europe/London")


def test_return_interview_due_72_hours_after_return():
    returned = datetime(2026, 6, 1, 9, 30, tzinfo=LONDON)
    assert clocks.return_interview_due_at(returned) - returned == timedelta(hours=72)
    assert timedelta(hours=72) == rules.RETURN_INTERVIEW_DUE


def test_clocks_going_back_do_not_shift_the_deadline():
    # BST ends at 02:00 on Sunday 25 October 2026: 72 elapsed hours from 12:00 BST on the 24th
    # is 11:00 GMT on the 27th, not 12:00 (which would be 73 hours).
    returned = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
    due = clocks.return_interview_due_at(returned)
    assert due.astimezone(LONDON) == datetime(2026, 10, 27, 11, 0, tzinfo=LONDON)
    assert due.astimezone(LONDON).hour == 11
    assert (due - returned).total_seconds() == 72 * 3600
    assert due.tzinfo == UTC


def test_clocks_going_forward_do_not_shift_the_deadline():
    # BST starts at 01:00 GMT on Sunday 29 March 2026: 12:00 GMT on the 28th + 72h is 13:00 BST on the 31st.
    returned = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    assert clocks.return_interview_due_at(returned).astimezone(LONDON) == datetime(2026, 3, 31, 13, 0, tzinfo=LONDON)


def test_police_protection_ends_72_elapsed_hours_after_it_starts():
    taken = datetime(2026, 10, 24, 23, 0, tzinfo=LONDON)
    ends = clocks.police_protection_ends_at(taken)
    assert (ends - taken) == timedelta(hours=72)
    assert ends.astimezone(LONDON) == datetime(2026, 10, 27, 22, 0, tzinfo=LONDON)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        clocks.return_interview_due_at(datetime(2026, 1, 1, 12, 0))


@pytest.mark.parametrize(
    ("left", "status"),
    [
        (timedelta(hours=30), clocks.ClockStatus.ON_TIME),
        (timedelta(hours=24), clocks.ClockStatus.DUE_SOON),
        (timedelta(minutes=1), clocks.ClockStatus.DUE_SOON),
        (timedelta(minutes=-1), clocks.ClockStatus.OVERDUE),
    ],
)
def test_clock_colours_as_it_runs_down(left, status):
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    clock = clocks.clock(now + left, now=now)
    assert clock.status == status
    assert clock.tag_class.startswith("govuk-tag--")


def test_clock_text_counts_hours():
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert clocks.clock(now + timedelta(hours=31, minutes=5), now=now).remaining_text == "31 hours 5 minutes left"
    assert clocks.clock(now - timedelta(hours=2, minutes=1), now=now).remaining_text == "2 hours 1 minute overdue"


def test_clock_stops_when_done():
    due = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert clocks.clock(due, done_at=due - timedelta(hours=1)).status == clocks.ClockStatus.DONE
    assert clocks.clock(due, done_at=due + timedelta(hours=1)).status == clocks.ClockStatus.LATE
