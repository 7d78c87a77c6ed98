"""Reads about missing children and police protection: scoped by the user who asks, and audited."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from harbour.access.policy import Action, get_or_404, scope
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.people.selectors import TimelineEntry, register_timeline_source

from .clocks import ClockStatus
from .models import (
    EpisodeAction,
    EpisodeStatus,
    MissingEpisode,
    PoliceProtection,
    ReturnHomeInterview,
    RhiResponse,
    TriggerTask,
)

LONDON = ZoneInfo("Europe/London")


def _audit_read(caller: Caller, *, action=AuditAction.VIEW, target=None, object_type="", details=None) -> None:
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=action,
            target=target,
            object_type=object_type,
            client_ip=caller.client_ip,
            details=details or {},
        )


def _get_audited(caller: Caller, queryset: QuerySet, pk, *, purpose: str):
    """One record the caller may see, its read audited; hidden or absent: 404, the refusal audited."""
    try:
        record = get_or_404(caller.user, queryset, pk=pk)
    except Http404:
        with transaction.atomic():
            audit_record(
                actor=caller.user,
                action=AuditAction.DENIED,
                object_type=queryset.model._meta.label_lower,
                object_id=str(pk)[:64],
                client_ip=caller.client_ip,
                details={"purpose": purpose},
            )
        raise
    _audit_read(caller, target=record, details={"purpose": purpose})
    return record


# --- Episodes ------------------------------------------------------------------------------------


def episode_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    return scope(user, MissingEpisode.objects.all(), action)


def episode_get(*, caller: Caller, pk, purpose: str = "view") -> MissingEpisode:
    queryset = MissingEpisode.objects.select_related("child", "child__owning_agency", "owning_agency", "found_where")
    return _get_audited(caller, queryset, pk, purpose=purpose)


def episodes_for_child(*, user, child) -> QuerySet:
    return episode_visible(user=user).filter(child=child)


def desk_only_episodes(*, caller: Caller, open_only: bool = True) -> list[MissingEpisode]:
    """Episodes nobody has worked in the field: every action (if any) desk-based. For supervisors."""
    field_actions = EpisodeAction.objects.filter(episode=OuterRef("pk"), field_based=True)
    episodes = episode_visible(user=caller.user).filter(~Exists(field_actions))
    if open_only:
        episodes = episodes.filter(status=EpisodeStatus.OPEN)
    episodes = list(episodes.select_related("child", "owning_agency").order_by("reported_at"))
    _audit_read(
        caller,
        object_type="missing.missingepisode",
        details={"list": "desk_only_episodes", "ids": [e.pk for e in episodes]},
    )
    return episodes


# --- Return home interviews ----------------------------------------------------------------------


def rhi_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    return scope(user, ReturnHomeInterview.objects.all(), action)


def rhi_get(*, caller: Caller, pk, purpose: str = "view") -> ReturnHomeInterview:
    queryset = ReturnHomeInterview.objects.select_related("child", "episode", "provider", "held_by")
    return _get_audited(caller, queryset, pk, purpose=purpose)


def _outstanding(user) -> QuerySet:
    return (
        rhi_visible(user=user)
        .filter(held_at__isnull=True)
        .exclude(response=RhiResponse.REFUSED)
        .select_related("child", "provider", "episode")
        .order_by("due_at", "id")
    )


def rhi_queue(*, caller: Caller) -> list[ReturnHomeInterview]:
    """Interviews still to hold, soonest due first; each carries its clock (on time, due soon, overdue)."""
    interviews = list(_outstanding(caller.user))
    _audit_read(
        caller,
        object_type="missing.returnhomeinterview",
        details={"list": "rhi_queue", "ids": [r.pk for r in interviews]},
    )
    return interviews


def rhi_overdue(*, caller: Caller) -> list[ReturnHomeInterview]:
    """Interviews past their 72 hours and not held or refused: for escalation."""
    interviews = [r for r in _outstanding(caller.user).filter(due_at__lt=timezone.now())]
    _audit_read(
        caller,
        object_type="missing.returnhomeinterview",
        details={"list": "rhi_overdue", "ids": [r.pk for r in interviews]},
    )
    return interviews


@dataclass
class RhiFigures:
    period: date  # first day of the month, London time
    provider: str
    returns: int = 0
    offered: int = 0
    held_in_time: int = 0
    held_late: int = 0
    refused: int = 0

    def _share(self, count: int) -> int | None:
        return round(100 * count / self.returns) if self.returns else None

    @property
    def offered_share(self):
        return self._share(self.offered)

    @property
    def held_in_time_share(self):
        return self._share(self.held_in_time)

    @property
    def refused_share(self):
        return self._share(self.refused)


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def rhi_figures(*, caller: Caller, start: date, end: date) -> list[RhiFigures]:
    """Share of returns whose interview was offered, held within 72 hours, or refused, by month of
    return and provider. Months start at midnight London time (a return at 00:30 BST on 1 April is an
    April return, though it is 31 March in UTC). `end` is inclusive."""
    since, until = _london_midnight(start), _london_midnight(end + timedelta(days=1))
    interviews = rhi_visible(user=caller.user).filter(returned_at__gte=since, returned_at__lt=until)
    rows: dict[tuple[date, str], RhiFigures] = {}
    for rhi in interviews.select_related("provider"):
        local = rhi.returned_at.astimezone(LONDON)
        period = date(local.year, local.month, 1)
        provider = rhi.provider.name if rhi.provider else "No provider commissioned"
        row = rows.setdefault((period, provider), RhiFigures(period, provider))
        row.returns += 1
        row.offered += rhi.offered_at is not None
        row.held_in_time += rhi.held_in_time
        row.held_late += rhi.is_held and not rhi.held_in_time
        row.refused += rhi.is_refused
    figures = sorted(rows.values(), key=lambda r: (r.period, r.provider))
    _audit_read(
        caller,
        action=AuditAction.SEARCH,
        object_type="missing.returnhomeinterview",
        details={"figures": "rhi", "start": start, "end": end, "rows": len(figures)},
    )
    return figures


# --- Police protection ---------------------------------------------------------------------------


def protection_get(*, caller: Caller, pk, purpose: str = "view") -> PoliceProtection:
    queryset = PoliceProtection.objects.select_related("child", "owning_agency", "designated_officer", "taken_by")
    return _get_audited(caller, queryset, pk, purpose=purpose)


def police_protection_board(*, caller: Caller) -> list[PoliceProtection]:
    """Children in police protection now, the nearest to the 72-hour limit first."""
    protections = list(
        scope(caller.user, PoliceProtection.objects.all())
        .filter(outcome="", ends_at__gt=timezone.now())
        .select_related("child", "designated_officer", "owning_agency")
        .order_by("ends_at")
    )
    _audit_read(
        caller,
        object_type="missing.policeprotection",
        details={"list": "police_protection_board", "ids": [p.pk for p in protections]},
    )
    return protections


# --- Tasks ---------------------------------------------------------------------------------------


def trigger_tasks_open(*, user, child=None) -> QuerySet:
    tasks = scope(user, TriggerTask.objects.filter(done_at__isnull=True)).select_related("child")
    return tasks.filter(child=child) if child is not None else tasks


# --- The child's timeline ------------------------------------------------------------------------


def _missing_timeline(person, user) -> list[TimelineEntry]:
    entries = []
    for episode in scope(user, MissingEpisode.objects.filter(child=person)).select_related("found_where"):
        entries.append(
            TimelineEntry(
                episode.reported_at,
                "missing",
                f"Reported {episode.get_category_display().split(' (')[0].lower()}",
                f"Last seen {episode.last_seen_place}",
            )
        )
        if episode.found_at:
            entries.append(TimelineEntry(episode.found_at, "missing", "Found or returned"))
    for rhi in scope(user, ReturnHomeInterview.objects.filter(child=person)).select_related("provider"):
        clock = rhi.clock
        if rhi.held_at:
            title, at = "Return home interview held", rhi.held_at
        elif rhi.is_refused:
            title, at = "Return home interview refused", rhi.offered_at
        else:
            title, at = "Return home interview due", rhi.due_at
        detail = clock.label if clock.status != ClockStatus.DONE else ""
        entries.append(TimelineEntry(at, "return_interview", title, detail, str(rhi.provider or "")))
    for protection in scope(user, PoliceProtection.objects.filter(child=person)):
        entries.append(TimelineEntry(protection.taken_at, "police_protection", "Taken into police protection"))
    return entries


def register_timeline() -> None:
    register_timeline_source(_missing_timeline)
