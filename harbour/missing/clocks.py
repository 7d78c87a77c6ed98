"""Deadlines and how much time is left on them.

Deadlines are computed in UTC. Adding 72 hours to a Europe/London wall-clock time would move the
deadline by an hour across a British Summer Time change (Python adds to the wall clock); the law
counts elapsed hours, so we convert first.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from . import rules


def _utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("Deadlines need an aware date and time.")
    return moment.astimezone(UTC)


def return_interview_due_at(returned_at: datetime) -> datetime:
    return _utc(returned_at) + rules.RETURN_INTERVIEW_DUE


def police_protection_ends_at(taken_at: datetime) -> datetime:
    return _utc(taken_at) + rules.POLICE_PROTECTION_LIMIT


class ClockStatus:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE = "done"
    LATE = "late"


LABELS = {
    ClockStatus.ON_TIME: ("On time", "govuk-tag--green"),
    ClockStatus.DUE_SOON: ("Due soon", "govuk-tag--yellow"),
    ClockStatus.OVERDUE: ("Overdue", "govuk-tag--red"),
    ClockStatus.DONE: ("Done in time", "govuk-tag--grey"),
    ClockStatus.LATE: ("Done late", "govuk-tag--orange"),
}


@dataclass(frozen=True)
class Clock:
    due_at: datetime
    status: str
    remaining: timedelta  # negative once overdue

    @property
    def label(self) -> str:
        return LABELS[self.status][0]

    @property
    def tag_class(self) -> str:
        return LABELS[self.status][1]

    @property
    def remaining_text(self) -> str:
        """'31 hours 5 minutes left' or '2 hours 10 minutes overdue': hours, as the law counts them."""
        seconds = int(abs(self.remaining).total_seconds())
        hours, minutes = seconds // 3600, (seconds % 3600) // 60
        text = f"{hours} hour{'s' if hours != 1 else ''} {minutes} minute{'s' if minutes != 1 else ''}"
        return f"{text} overdue" if self.remaining < timedelta(0) else f"{text} left"


def clock(due_at: datetime, *, done_at: datetime | None = None, now: datetime | None = None, due_soon=None) -> Clock:
    """Where a deadline stands: on time (more than a day left), due soon, overdue, or done."""
    due_soon = rules.RETURN_INTERVIEW_DUE_SOON if due_soon is None else due_soon
    now = now or timezone.now()
    if done_at is not None:
        status = ClockStatus.DONE if done_at <= due_at else ClockStatus.LATE
        return Clock(due_at, status, due_at - done_at)
    remaining = due_at - now
    if remaining < timedelta(0):
        status = ClockStatus.OVERDUE
    elif remaining <= due_soon:
        status = ClockStatus.DUE_SOON
    else:
        status = ClockStatus.ON_TIME
    return Clock(due_at, status, remaining)
