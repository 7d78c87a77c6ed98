"""Reporting periods: half-open ranges of local (Europe/London) dates, as aware datetimes.

A period [start, end) runs from midnight London time on `start` to midnight London time on `end`.
So an episode at 23:30 UTC on 31 March 2026 (00:30 BST on 1 April) falls in April, and a period
boundary is never an hour out across a clock change.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
MAX_MONTHS = 60


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: date  # first day in the period
    end: date  # first day after the period

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError("A period must end after it starts.")

    @classmethod
    def inclusive(cls, first: date, last: date) -> "Period":
        """From the user's 'from' and 'to' dates, both included."""
        from datetime import timedelta

        return cls(first, last + timedelta(days=1))

    @property
    def since(self) -> datetime:
        return london_midnight(self.start)

    @property
    def until(self) -> datetime:
        return london_midnight(self.end)

    @property
    def last_day(self) -> date:
        from datetime import timedelta

        return self.end - timedelta(days=1)

    def months(self) -> list[tuple[str, str, datetime, datetime]]:
        """(key, label, since, until) for each calendar month the period touches, clipped to it."""
        out = []
        month = self.start.replace(day=1)
        while month < self.end:
            lo, hi = max(month, self.start), min(next_month(month), self.end)
            out.append((month.strftime("%Y-%m"), month.strftime("%B %Y"), london_midnight(lo), london_midnight(hi)))
            month = next_month(month)
        return out

    def as_details(self) -> dict:
        return {"start": self.start.isoformat(), "end_exclusive": self.end.isoformat()}

    def __str__(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.last_day:%-d %B %Y}"
