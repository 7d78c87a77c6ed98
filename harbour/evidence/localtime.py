"""Local time at import speed (plain Python): wall-clock times to UTC, UTC instants to local days.

`datetime.astimezone` with a ZoneInfo zone costs about a microsecond, which adds up over
millions of messages. A zone's offset is constant for most of any hour, so it is looked up once
per hour and reused. Where the offset is not the same at both ends of an hour (a clock change
falls inside it), each time is converted on its own, exactly as `astimezone` would.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_CACHE_LIMIT = 100_000


class LocalClock:
    """Local wall-clock times in one zone to aware UTC."""

    def __init__(self, zone: ZoneInfo):
        self.zone = zone
        self.offsets: dict[tuple[int, int, int, int], timedelta | None] = {}

    def to_utc(self, year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
        key = (year, month, day, hour)
        offset = self.offsets.get(key, False)
        if offset is False:
            first = datetime(year, month, day, hour, 0, tzinfo=self.zone).utcoffset()
            last = datetime(year, month, day, hour, 59, 59, tzinfo=self.zone).utcoffset()
            offset = first if first == last else None
            if len(self.offsets) > _CACHE_LIMIT:
                self.offsets.clear()
            self.offsets[key] = offset
        if offset is None:
            return datetime(year, month, day, hour, minute, second, tzinfo=self.zone).astimezone(UTC)
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC) - offset


class LocalDays:
    """The local calendar day of aware instants, in one zone."""

    def __init__(self, zone):
        self.zone = zone
        self.offsets: dict[tuple[int, int, int, int], timedelta | None] = {}

    def day(self, instant: datetime) -> date:
        instant = instant.astimezone(UTC) if instant.tzinfo is not UTC else instant
        key = (instant.year, instant.month, instant.day, instant.hour)
        offset = self.offsets.get(key, False)
        if offset is False:
            top = instant.replace(minute=0, second=0, microsecond=0)
            first = top.astimezone(self.zone).utcoffset()
            last = (top + timedelta(minutes=59, seconds=59)).astimezone(self.zone).utcoffset()
            offset = first if first == last else None
            if len(self.offsets) > _CACHE_LIMIT:
                self.offsets.clear()
            self.offsets[key] = offset
        if offset is None:
            return instant.astimezone(self.zone).date()
        return (instant + offset).date()
