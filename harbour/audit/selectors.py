"""Reading the audit log: auditors only, and only events that touch their own agency."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from harbour.accounts.roles import Role

from .models import AuditEvent


def audit_events_visible(*, user) -> QuerySet:
    """Events an auditor may read: done by their agency's users, or about their agency's records."""
    if not (user.is_authenticated and user.is_active and user.role == Role.AUDITOR and user.agency_id):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(Q(actor_agency_id=user.agency_id) | Q(record_agency_id=user.agency_id))


def _local_day_bounds(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Dates picked by a user are days in Europe/London; the log is in UTC."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(since, time.min), tz) if since else None
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min), tz) if until else None
    return start, end


def audit_event_list(
    *,
    user,
    person_id: int | None = None,
    actor_id: int | None = None,
    action: str = "",
    since: date | None = None,
    until: date | None = None,
    alerts_only: bool = False,
) -> QuerySet:
    events = audit_events_visible(user=user)
    if person_id is not None:
        events = events.filter(person_id=person_id)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    if alerts_only:
        events = events.filter(is_alert=True)
    start, end = _local_day_bounds(since, until)
    if start:
        events = events.filter(occurred_at__gte=start)
    if end:
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-occurred_at", "-id")
