"""Retention periods are counted in calendar months from a date on the record."""

import calendar
import datetime


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day if it has fewer days)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: datetime.date, months: int) -> datetime.date:
    return months_before(day, -months)
