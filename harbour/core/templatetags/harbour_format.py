"""Dates, times and pagination shown the same way on every page.

Times are stored in UTC and shown in Europe/London (settings.TIME_ZONE), as "4 May 2026, 14:05";
dates without a time as "4 May 2026".
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def when(value, short: str = ""):
    """A date as "4 May 2026"; a date and time as "4 May 2026, 14:05" in London time. Empty for None."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        return date_format(value, SHORT_DATETIME_FORMAT if short else DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return date_format(value, SHORT_DATE_FORMAT if short else DATE_FORMAT)
    return str(value)


@register.filter
def when_iso(value):
    """The machine-readable form for <time datetime="...">."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@register.simple_tag
def time_tag(value, short: str = ""):
    """<time datetime="2026-05-04T14:05+01:00">4 May 2026, 14:05</time>"""
    if value in (None, ""):
        return ""
    return format_html('<time datetime="{}">{}</time>', when_iso(value), when(value, short))


@register.inclusion_tag("includes/pagination.html")
def govuk_pagination(page, query: str = ""):
    """GOV.UK pagination for a Django Page; `query` is the rest of the query string (without page=)."""
    if page is None or page.paginator.num_pages <= 1:
        return {"show": False}
    prefix = f"?{query}&" if query else "?"
    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": f"{prefix}page={number}", "current": number == page.number})
    return {
        "show": True,
        "items": items,
        "previous": f"{prefix}page={page.previous_page_number()}" if page.has_previous() else "",
        "next": f"{prefix}page={page.next_page_number()}" if page.has_next() else "",
    }
