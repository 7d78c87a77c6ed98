"""Reads about missing children and police protection: scoped by the user who asks, and audited."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from harbour.access.policy import Action, scope
from harbour.access.reads import get_audited
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.people.models import Person, PersonKind, Placement
from harbour.people.selectors import TimelineEntry, register_timeline_source

from .access_rules import (
    may_keep_profile,
    may_plan,
    may_read_profile,
    may_report_missing,
    may_see_care_home_report,
    may_start_police_protection,
)
from .clocks import ClockStatus
from .models import (
    EpisodeAction,
    EpisodeStatus,
    MissingEpisode,
    PhilomenaProfile,
    Place,
    PoliceProtection,
    ProfileItem,
    ReturnHomeInterview,
    RhiResponse,
    TriggerPlan,
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


def list_audit(*, caller: Caller, model, records, list_name: str, filters: dict | None = None) -> None:
    """Audit a list read (a page of the API, say), naming the records shown: listing is reading."""
    _audit_read(
        caller,
        action=AuditAction.SEARCH,
        object_type=model._meta.label_lower,
        details={"list": list_name, "filters": filters or {}, "ids": [r.pk for r in records]},
    )


# --- Episodes ------------------------------------------------------------------------------------


def episode_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    return scope(user, MissingEpisode.objects.all(), action)


def episode_get(*, caller: Caller, pk, purpose: str = "view") -> MissingEpisode:
    queryset = MissingEpisode.objects.select_related("child", "child__owning_agency", "owning_agency", "found_where")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


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
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


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
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


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


# --- Tasks and trigger plans ---------------------------------------------------------------------


def trigger_tasks_open(*, user, child=None) -> QuerySet:
    tasks = scope(user, TriggerTask.objects.filter(done_at__isnull=True)).select_related("child")
    return tasks.filter(child=child) if child is not None else tasks


def _mark_changeable(user, tasks: list[TriggerTask]) -> list[TriggerTask]:
    ids = [t.pk for t in tasks]
    changeable = set(scope(user, TriggerTask.objects.filter(pk__in=ids), Action.CHANGE).values_list("pk", flat=True))
    for task in tasks:
        task.can_mark_done = task.pk in changeable and task.done_at is None
    return tasks


def child_tasks_open(*, user, child) -> list[TriggerTask]:
    """The child's open repeat-missing tasks, each saying whether the user may mark it done."""
    return _mark_changeable(user, list(trigger_tasks_open(user=user, child=child)))


def trigger_tasks(*, caller: Caller, include_done: bool = False) -> list[TriggerTask]:
    """Repeat-missing tasks the caller can see, oldest first; each says whether the caller may mark it done."""
    tasks = scope(caller.user, TriggerTask.objects.all()).select_related("child", "done_by")
    if not include_done:
        tasks = tasks.filter(done_at__isnull=True)
    tasks = _mark_changeable(caller.user, list(tasks.order_by("done_at", "created_at", "id")))
    _audit_read(
        caller,
        object_type="missing.triggertask",
        details={"list": "trigger_tasks", "ids": [t.pk for t in tasks]},
    )
    return tasks


def trigger_task_get(*, caller: Caller, pk, purpose: str = "view") -> TriggerTask:
    return get_audited(caller=caller, queryset=TriggerTask.objects.select_related("child"), pk=pk, purpose=purpose)


def trigger_plan_get(*, caller: Caller, child) -> TriggerPlan | None:
    """The child's trigger plan if there is one the caller may see; the read is audited."""
    plan = scope(caller.user, TriggerPlan.objects.filter(child=child)).select_related("updated_by").first()
    if plan is not None:
        _audit_read(caller, target=plan, details={"purpose": "view"})
    return plan


# --- Philomena profiles --------------------------------------------------------------------------


def profile_get(*, caller: Caller, child, purpose: str = "view") -> PhilomenaProfile | None:
    """The child's Philomena profile if there is one the caller may read; the read is audited."""
    profile = (
        scope(caller.user, PhilomenaProfile.objects.filter(child=child))
        .select_related("care_home", "updated_by", "photo_uploaded_by")
        .first()
    )
    if profile is not None:
        _audit_read(caller, target=profile, details={"purpose": purpose})
    return profile


def profile_photo_get(*, caller: Caller, pk) -> PhilomenaProfile:
    """A profile with a photo, for serving the photo: a read of the photo, audited (refusals too)."""
    return get_audited(caller=caller, queryset=PhilomenaProfile.objects.exclude(photo_path=""), pk=pk, purpose="photo")


PROFILE_ITEM_HEADINGS = {
    "associate": "Associates",
    "place": "Places frequented",
    "phone": "Phone numbers",
    "social_media": "Social-media accounts",
}


def profile_items(*, user, profile: PhilomenaProfile) -> list[tuple[str, list[ProfileItem]]]:
    """The profile's items under each heading (associates, places, phones, accounts), every heading
    present even when empty; a linked person is a link only for those who may see them."""
    items = list(scope(user, profile.items.select_related("person", "place")))
    visible_people = set(
        scope(user, Person.objects.filter(pk__in=[i.person_id for i in items if i.person_id])).values_list(
            "pk", flat=True
        )
    )
    grouped: dict[str, list[ProfileItem]] = {kind: [] for kind in PROFILE_ITEM_HEADINGS}
    for item in items:
        item.person_visible = item.person_id in visible_people
        grouped[item.kind].append(item)
    return [(PROFILE_ITEM_HEADINGS[kind], grouped[kind]) for kind in PROFILE_ITEM_HEADINGS]


def missing_history(*, user, child) -> list[MissingEpisode]:
    """The child's episodes, newest first: the profile's missing history is always the real one."""
    return list(
        episode_visible(user=user)
        .filter(child=child)
        .select_related("found_where")
        .prefetch_related("gradings")
        .order_by("-reported_at", "-id")
    )


# --- Places --------------------------------------------------------------------------------------


def places_known_to(*, user) -> QuerySet:
    """Places the user meets in records they can see: where children were found, places named in
    interviews, places on profiles. Places carry no rule of their own; they are reached through these."""
    episodes = episode_visible(user=user).filter(found_where__isnull=False).values("found_where")
    interviews = rhi_visible(user=user).values("places")
    profiles = scope(user, ProfileItem.objects.filter(place__isnull=False)).values("place")
    return Place.objects.filter(Q(pk__in=episodes) | Q(pk__in=interviews) | Q(pk__in=profiles))


# --- Lists ---------------------------------------------------------------------------------------


def open_episodes(*, caller: Caller) -> list[MissingEpisode]:
    """Children missing now, longest missing first, with their current grade."""
    episodes = list(
        episode_visible(user=caller.user)
        .filter(status=EpisodeStatus.OPEN)
        .select_related("child", "owning_agency")
        .prefetch_related("gradings")
        .order_by("last_seen_at", "id")
    )
    _audit_read(
        caller,
        object_type="missing.missingepisode",
        details={"list": "open_episodes", "ids": [e.pk for e in episodes]},
    )
    return episodes


# --- Per care home -------------------------------------------------------------------------------


@dataclass
class ResidentEpisodes:
    child: Person
    since: date  # the placement in this home started
    counts: list[int]  # one per month, oldest first
    total: int
    open_episode: MissingEpisode | None = None


def _months_back(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def care_home_episodes(
    *, caller: Caller, home, months: int = 12, today: date | None = None
) -> tuple[list[date], list[ResidentEpisodes]]:
    """Episodes per current resident, by month of report (London time), counting only episodes
    reported while the child lived in this home. For the home's staff and its police liaison officer;
    anyone else gets 404. Only episodes the caller may see are counted."""
    if not may_see_care_home_report(caller.user, home):
        with transaction.atomic():
            audit_record(
                actor=caller.user,
                action=AuditAction.DENIED,
                object_type="people.carehome",
                object_id=str(getattr(home, "pk", ""))[:64],
                client_ip=caller.client_ip,
                details={"purpose": "missing episodes per resident"},
            )
        raise Http404("Not found")
    today = today or timezone.localdate()
    month_starts = _months_back(today, months)
    placements = (
        Placement.objects.filter(care_home=home, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(person__in=scope(caller.user, Person.objects.filter(kind=PersonKind.CHILD)))
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "person_id")
    )
    rows = []
    for placement in placements:
        since = _london_midnight(placement.start_date)
        episodes = list(episode_visible(user=caller.user).filter(child=placement.person, reported_at__gte=since))
        counts = [0] * months
        for episode in episodes:
            local = episode.reported_at.astimezone(LONDON)
            month = date(local.year, local.month, 1)
            if month in month_starts:
                counts[month_starts.index(month)] += 1
        open_episode = next((e for e in episodes if e.is_open), None)
        rows.append(ResidentEpisodes(placement.person, placement.start_date, counts, sum(counts), open_episode))
    _audit_read(
        caller,
        action=AuditAction.SEARCH,
        object_type="missing.missingepisode",
        details={
            "report": "care_home_episodes",
            "care_home_id": home.pk,
            "child_ids": [r.child.pk for r in rows],
            "months": months,
        },
    )
    return month_starts, rows


def care_homes_reported_to(*, user) -> list:
    """The care homes whose per-resident figures the user may see."""
    from harbour.people.models import CareHome

    if getattr(user, "care_home_id", None):
        return list(CareHome.objects.filter(pk=user.care_home_id))
    return list(CareHome.objects.filter(police_liaison_officer=user).order_by("name")) if user.pk else []


# --- The child's panel on the person page --------------------------------------------------------


def person_panel(*, user, person) -> dict | None:
    """What the person page shows of missing and police protection for a child: the open episode,
    the return interview clock, police protection, open tasks, and the links the user may follow.
    Called for a person the user may see (the page's own audited read); every part is scoped again."""
    if person.kind != PersonKind.CHILD:
        return None
    episodes = episode_visible(user=user).filter(child=person)
    open_episode = episodes.filter(status=EpisodeStatus.OPEN).prefetch_related("gradings").first()
    interviews = list(_outstanding(user).filter(child=person))
    protection = (
        scope(user, PoliceProtection.objects.filter(child=person, outcome="", ends_at__gt=timezone.now()))
        .order_by("ends_at")
        .first()
    )
    since = timezone.now() - timedelta(days=90)
    context = {
        "child": person,
        "open_episode": open_episode,
        "interviews": interviews,
        "protection": protection,
        "tasks": child_tasks_open(user=user, child=person),
        "recent_count": episodes.filter(reported_at__gte=since).count(),
        "episode_count": episodes.count(),
        "last_episode": None if open_episode else episodes.order_by("-reported_at").first(),
        "has_plan": scope(user, TriggerPlan.objects.filter(child=person)).exists(),
        "can_plan": may_plan(user, person),
        "can_read_profile": may_read_profile(user, person) or may_keep_profile(user, person),
        "can_report": open_episode is None and may_report_missing(user, person),
        "can_protect": protection is None and may_start_police_protection(user, person),
    }
    shows_something = any(
        context[k] for k in ("open_episode", "interviews", "protection", "tasks", "episode_count", "has_plan")
    ) or any(context[k] for k in ("can_plan", "can_read_profile", "can_report", "can_protect"))
    return context if shows_something else None


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


def register_person_panel() -> None:
    from harbour.people.panels import register_person_panel as register

    register("missing/person_panel.html", _panel_context)


def _panel_context(person, user) -> dict | None:
    return person_panel(user=user, person=person)
