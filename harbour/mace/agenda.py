"""The agenda, built from the data through a registry of sources.

Each source names the kind of item it makes, collects the records that belong on the agenda *as the
chair building it may see them*, and describes one record *for one reader*: what that reader may see
of it, through the access policy, and nothing else. So the same item reads "Return home interview
overdue: Ellery V., 31 hours overdue" to the social worker, and is a "Restricted item" to a partner
who may not see the child (the item rule in access_rules.py decides that first).

Sources are optional. Each may require an app (`requires_app`): the exploitation-risk source is used
only when harbour.risk is installed, the co-presence and hotspot sources only when harbour.analysis
offers them. A source that fails is reported to the chair, never silently skipped. Other apps may
add sources with `register_source` from their AppConfig.ready.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from harbour.access.policy import Action as PolicyAction
from harbour.access.policy import scope

from .models import Action, ActionStatus, ItemKind, Meeting, SuspectInterview

logger = logging.getLogger(__name__)

# A level raised this recently (or since the last meeting, if later) counts as newly raised.
NEWLY_RAISED_WINDOW = timedelta(days=28)
# A suspect interview not yet planned this long after it was first needed is on the agenda.
UNPLANNED_INTERVIEW_GRACE = timedelta(days=14)


@dataclass
class Shown:
    """What one reader sees of one item."""

    title: str
    lines: list[str] = field(default_factory=list)
    url: str = ""


@dataclass(frozen=True)
class AgendaSource:
    key: str
    kind: str  # ItemKind
    label: str
    minutes: int  # default time limit of its items
    collect: Callable[[object, Meeting], list[models.Model]]
    describe: Callable[[models.Model, object, dict], Shown]
    requires_app: str = ""


SOURCES: dict[str, AgendaSource] = {}


def register_source(source: AgendaSource) -> None:
    SOURCES[source.key] = source


def available_sources() -> list[AgendaSource]:
    return [s for s in SOURCES.values() if not s.requires_app or apps.is_installed(s.requires_app)]


def source_for_kind(kind: str) -> AgendaSource | None:
    for source in SOURCES.values():
        if source.kind == kind:
            return source
    return None


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _person_name(person, user, cache: dict) -> str:
    """The person's name if the reader may see them; otherwise a neutral phrase."""
    key = ("person_visible", person.pk)
    if key not in cache:
        from harbour.people.models import Person

        cache[key] = scope(user, Person.objects.filter(pk=person.pk), PolicyAction.VIEW).exists()
    return str(person) if cache[key] else "a person you cannot see"


def _optional(module_path: str, name: str):
    """A function another app may offer (guarded: the app may not be installed or finished)."""
    import importlib

    try:
        module = importlib.import_module(module_path)
    except ImportError:
        return None
    return getattr(module, name, None)


# --- Children at the highest levels, or newly raised (harbour.risk) ------------------------------


def _risk_models():
    return apps.get_model("risk", "Screening"), apps.get_model("risk", "Assessment")


def _collect_children_at_risk(user, meeting: Meeting) -> list[models.Model]:
    from harbour.risk import constants as risk_constants

    screening_model, assessment_model = _risk_models()
    highest = risk_constants.LEVELS[-1]
    raised_levels = risk_constants.LEVELS[-2:]
    since = timezone.now() - NEWLY_RAISED_WINDOW
    current = []
    for model, extra in ((screening_model, {}), (assessment_model, {"status": "signed_off"})):
        current += list(
            scope(user, model.objects.filter(superseded_at__isnull=True, **extra), PolicyAction.VIEW).select_related(
                "child"
            )
        )
    best: dict[int, models.Model] = {}
    for record in current:
        is_highest = record.level == highest
        newly = record.level in raised_levels and record.level_at >= since
        if not (is_highest or newly):
            continue
        held = best.get(record.child_id)
        if held is None or risk_constants.level_rank(record.level) > risk_constants.level_rank(held.level):
            best[record.child_id] = record
    return sorted(best.values(), key=lambda r: (-risk_constants.level_rank(r.level), r.child.family_name))


def _describe_risk(record, user, cache) -> Shown:
    from harbour.risk import constants as risk_constants

    child = _person_name(record.child, user, cache)
    lines = [f"Level: {risk_constants.LEVEL_LABELS.get(record.level, record.level)}, set {record.level_at:%-d %B %Y}."]
    if getattr(record, "is_judgement_raised", False):
        lines.append("Raised by professional judgement.")
    if record.review_due:
        lines.append(f"Review due {record.review_due:%-d %B %Y}.")
    return Shown(f"{risk_constants.LEVEL_LABELS.get(record.level, record.level)}: {child}", lines)


# --- Overdue return home interviews (harbour.missing) --------------------------------------------


def _collect_overdue_rhi(user, meeting) -> list[models.Model]:
    from harbour.missing.models import ReturnHomeInterview, RhiResponse

    return list(
        scope(user, ReturnHomeInterview.objects.all(), PolicyAction.VIEW)
        .filter(held_at__isnull=True, due_at__lt=timezone.now())
        .exclude(response=RhiResponse.REFUSED)
        .select_related("child", "provider")
        .order_by("due_at")
    )


def _describe_rhi(rhi, user, cache) -> Shown:
    child = _person_name(rhi.child, user, cache)
    clock = rhi.clock
    lines = [
        f"Due {timezone.localtime(rhi.due_at):%-d %B %Y, %H:%M}: {clock.remaining_text}.",
        f"Provider: {rhi.provider or 'none commissioned'}.",
    ]
    return Shown(f"Return home interview overdue: {child}", lines, _url("missing:rhi", rhi.pk))


# --- Overdue reviews (harbour.risk) --------------------------------------------------------------


def _collect_overdue_reviews(user, meeting) -> list[models.Model]:
    reader = _optional("harbour.risk.selectors", "overdue_reviews")
    if reader is None:
        return []
    return list(reader(user=user))


def _describe_review(record, user, cache) -> Shown:
    child = _person_name(record.child, user, cache)
    kind = "Screening" if record._meta.model_name == "screening" else "Assessment"
    lines = [f"Review was due {record.review_due:%-d %B %Y}."] if record.review_due else []
    return Shown(f"{kind} review overdue: {child}", lines)


# --- Repeat-missing triggers not acted on (harbour.missing) --------------------------------------


def _collect_triggers(user, meeting) -> list[models.Model]:
    from harbour.missing.models import TriggerTask

    return list(
        scope(user, TriggerTask.objects.filter(done_at__isnull=True), PolicyAction.VIEW)
        .select_related("child")
        .order_by("created_at")
    )


def _describe_trigger(task, user, cache) -> Shown:
    child = _person_name(task.child, user, cache)
    return Shown(f"{task.get_kind_display()} not yet held: {child}", [task.reason])


# --- Co-presence alerts and hotspots (harbour.analysis) ------------------------------------------

# Hotspots compare the last 28 days with the 28 before: a place is new, or rising if more children
# the reader can see are linked to it now than then.
HOTSPOT_WINDOW = timedelta(days=28)


def _collect_co_presence(user, meeting) -> list[models.Model]:
    """Open co-presence alerts the chair may see (the analysis app's rule: police analysts)."""
    reader = _optional("harbour.analysis.selectors", "alerts_visible")
    return list(reader(user=user)) if reader else []


def _describe_co_presence(alert, user, cache) -> Shown:
    adult = _person_name(alert.adult, user, cache)
    lines = []
    children_of = _optional("harbour.analysis.selectors", "alert_children")
    if children_of is not None:
        visible, hidden = children_of(user=user, alert=alert)
        names = ", ".join(str(c) for c in visible) or "none you can see"
        lines.append(f"Children: {names}" + (f" (and {hidden} you cannot see)." if hidden else "."))
    if getattr(alert, "last_seen", None):
        lines.append(f"Last seen together {alert.last_seen:%-d %B %Y}; {alert.occasions} occasions.")
    return Shown(f"{alert.get_kind_display()}: {adult}", lines, _url("analysis:alert", alert.pk))


def _hotspot_changes(user, cache: dict) -> dict[int, tuple[int, int]]:
    """{place id: (children now, children in the window before)} for places new or rising, as the
    user may see them. Hotspots named only in free text (no place record) cannot be linked: left out."""
    if "hotspots" in cache:
        return cache["hotspots"]
    from harbour.core.caller import Caller

    reader = _optional("harbour.analysis.selectors", "hotspots")
    changes: dict[int, tuple[int, int]] = {}
    if reader is not None:
        today = timezone.localdate()
        recent_start = today - HOTSPOT_WINDOW + timedelta(days=1)
        before_end = recent_start - timedelta(days=1)
        before_start = before_end - HOTSPOT_WINDOW + timedelta(days=1)
        caller = Caller(user=user)
        now_views = reader(caller=caller, start=recent_start, end=today)[0]
        before_views = reader(caller=caller, start=before_start, end=before_end)[0]
        before = {v.spot.place: len(v.spot.children) for v in before_views}
        for view in now_views:
            place = view.spot.place
            if not place.startswith("place:"):
                continue
            now_count, then_count = len(view.spot.children), before.get(place, 0)
            if now_count > then_count:
                changes[int(place.split(":", 1)[1])] = (now_count, then_count)
    cache["hotspots"] = changes
    return changes


def _collect_hotspots(user, meeting) -> list[models.Model]:
    from harbour.missing.models import Place

    changes = _hotspot_changes(user, {})
    return list(Place.objects.filter(pk__in=changes).order_by("name"))


def _describe_hotspot(place, user, cache) -> Shown:
    now_count, then_count = _hotspot_changes(user, cache).get(place.pk, (0, 0))
    if not now_count:
        return Shown(f"Hotspot: {place}", ["No longer new or rising in what you can see."])
    trend = "new" if not then_count else f"rising from {then_count}"
    return Shown(
        f"Hotspot: {place}",
        [f"{now_count} children you can see linked here in the last 28 days ({trend})."],
        _url("analysis:hotspots"),
    )


# --- Persons of concern without disruption (harbour.disruption) ----------------------------------


def _collect_no_disruption(user, meeting) -> list[models.Model]:
    from harbour.disruption.selectors import order_prompts

    return [prompt.person for prompt in order_prompts(user=user)]


def _describe_no_disruption(person, user, cache) -> Shown:
    from harbour.disruption.selectors import order_prompts

    if "prompts" not in cache:
        cache["prompts"] = {p.person.pk: p for p in order_prompts(user=user)}
    prompt = cache["prompts"].get(person.pk)
    name = _person_name(person, user, cache)
    if prompt is None:
        return Shown(f"Person of concern: {name}", ["An order is now in place or being considered."])
    tools = ", ".join(tool.label for tool, _ in prompt.tools)
    lines = [
        f"Linked to {prompt.child_count} children you can see; no order in place or being considered.",
        f"Tools that fit: {tools}.",
    ]
    return Shown(f"No disruption in place: {name}", lines, _url("people:detail", person.pk))


# --- Orders ending soon or breached (harbour.disruption) -----------------------------------------


def _collect_orders(user, meeting) -> list[models.Model]:
    from harbour.disruption import law
    from harbour.disruption.models import DisruptionOrder

    visible = scope(user, DisruptionOrder.objects.all(), PolicyAction.VIEW)
    since = timezone.now() - law.BREACH_ALERT_WINDOW
    breached = DisruptionOrder.objects.filter(breaches__recorded_at__gte=since).values("pk")
    ending = DisruptionOrder.objects.expiring().values("pk")
    return list(visible.filter(Q(pk__in=breached) | Q(pk__in=ending)).order_by("expires_at", "pk"))


def _describe_order(order, user, cache) -> Shown:
    from harbour.disruption import law
    from harbour.disruption.selectors import subject_visible

    subject = order.subject_label if subject_visible(user=user, order=order) else "a person you cannot see"
    lines = []
    if order.expires_at:
        lines.append(f"Ends {timezone.localtime(order.expires_at):%-d %B %Y}.")
    breaches = scope(user, order.breaches.all(), PolicyAction.VIEW)
    recent = breaches.filter(recorded_at__gte=timezone.now() - law.BREACH_ALERT_WINDOW)
    for breach in recent:
        lines.append(f"Breached on {breach.occurred_on:%-d %B %Y}.")
    return Shown(f"{order.tool_label} against {subject}", lines, _url("disruption:order", order.pk))


# --- Suspect interviews delayed (this app) -------------------------------------------------------


def _collect_suspect_interviews(user, meeting) -> list[models.Model]:
    today = timezone.localdate()
    interviews = scope(user, SuspectInterview.objects.filter(held_on__isnull=True), PolicyAction.VIEW)
    late = interviews.filter(planned_on__lt=today)
    unplanned = interviews.filter(planned_on__isnull=True, needed_since__lte=today - UNPLANNED_INTERVIEW_GRACE)
    return list((late | unplanned).select_related("suspect").order_by("needed_since"))


def _describe_suspect_interview(interview, user, cache) -> Shown:
    suspect = _person_name(interview.suspect, user, cache)
    lines = [f"Needed since {interview.needed_since:%-d %B %Y}: {interview.waiting} days waiting."]
    if interview.planned_on:
        lines.append(f"Planned for {interview.planned_on:%-d %B %Y}: {interview.delay} days late.")
    else:
        lines.append("Not yet planned.")
    return Shown(f"Suspect interview delayed: {suspect}", lines, _url("mace:suspect_interviews"))


# --- Actions carried forward (this app) ----------------------------------------------------------


def _collect_actions(user, meeting) -> list[models.Model]:
    return list(carried_forward(user=user, meeting=meeting))


def carried_forward(*, user, meeting: Meeting):
    """Open actions from earlier meetings that the user may see, overdue first."""
    actions = scope(user, Action.objects.filter(status=ActionStatus.OPEN, meeting__held_at__lt=meeting.held_at))
    return actions.select_related("owner", "owner_agency", "meeting").order_by("due_on", "pk")


def _describe_action(action, user, cache) -> Shown:
    on = action.due_on.strftime("%-d %B %Y")
    when = f"was due {on} ({action.days_overdue} days overdue)" if action.overdue else f"due {on}"
    lines = [f"Owner: {action.owner} ({action.owner_agency}); {when}.", f"From {action.meeting}."]
    escalations = list(action.escalations.select_related("escalated_to"))
    for escalation in escalations:
        to = escalation.escalated_to or "no supervisor found"
        lines.append(f"Escalated to {to} on {timezone.localtime(escalation.escalated_at):%-d %B %Y}.")
    title = "Overdue action" if action.overdue else "Open action"
    return Shown(f"{title}: {action.description}", lines)


def _action_kind(action) -> str:
    return ItemKind.OVERDUE_ACTION if action.overdue else ItemKind.OPEN_ACTION


register_source(
    AgendaSource(
        "children_at_risk",
        ItemKind.CHILD_AT_RISK,
        "Children at the highest risk level or newly raised",
        10,
        _collect_children_at_risk,
        _describe_risk,
        requires_app="harbour.risk",
    )
)
register_source(
    AgendaSource(
        "overdue_rhi", ItemKind.OVERDUE_RHI, "Overdue return home interviews", 5, _collect_overdue_rhi, _describe_rhi
    )
)
register_source(
    AgendaSource(
        "overdue_reviews",
        ItemKind.OVERDUE_REVIEW,
        "Overdue risk reviews",
        5,
        _collect_overdue_reviews,
        _describe_review,
        requires_app="harbour.risk",
    )
)
register_source(
    AgendaSource(
        "triggers", ItemKind.TRIGGER, "Repeat-missing triggers not acted on", 5, _collect_triggers, _describe_trigger
    )
)
register_source(
    AgendaSource(
        "co_presence",
        ItemKind.CO_PRESENCE,
        "Co-presence alerts",
        5,
        _collect_co_presence,
        _describe_co_presence,
        requires_app="harbour.analysis",
    )
)
register_source(
    AgendaSource(
        "hotspots",
        ItemKind.HOTSPOT,
        "New or rising hotspots",
        5,
        _collect_hotspots,
        _describe_hotspot,
        requires_app="harbour.analysis",
    )
)
register_source(
    AgendaSource(
        "no_disruption",
        ItemKind.NO_DISRUPTION,
        "Persons of concern without disruption",
        5,
        _collect_no_disruption,
        _describe_no_disruption,
        requires_app="harbour.disruption",
    )
)
register_source(
    AgendaSource(
        "orders",
        ItemKind.ORDER,
        "Orders ending soon or breached",
        3,
        _collect_orders,
        _describe_order,
        requires_app="harbour.disruption",
    )
)
register_source(
    AgendaSource(
        "suspect_interviews",
        ItemKind.SUSPECT_INTERVIEW,
        "Suspect interviews delayed",
        3,
        _collect_suspect_interviews,
        _describe_suspect_interview,
    )
)
register_source(
    AgendaSource("actions", ItemKind.OVERDUE_ACTION, "Open and overdue actions", 3, _collect_actions, _describe_action)
)

# Open actions are made by the actions source too (its kind depends on the action).
KIND_DESCRIBERS: dict[str, Callable] = {ItemKind.OPEN_ACTION: _describe_action}


def describe(item, user, cache: dict) -> Shown:
    """What `user` sees of an item they may see (callers check the item rule first)."""
    record = None
    if item.content_type_id:
        record = item.content_type.get_object_for_this_type(pk=item.object_id) if _exists(item) else None
        if record is None:
            return Shown("Record no longer available", [])
    if item.kind == ItemKind.CHAIR:
        lines = [item.summary] if item.summary else []
        if record is not None:
            lines.append(f"About {_person_name(record, user, cache)}." if record._meta.label == "people.Person" else "")
        return Shown(item.title, [line for line in lines if line])
    source = source_for_kind(item.kind)
    describer = source.describe if source else KIND_DESCRIBERS.get(item.kind)
    if describer is None or record is None:
        return Shown(item.get_kind_display(), [item.summary] if item.summary else [])
    return describer(record, user, cache)


def _exists(item) -> bool:
    model = item.content_type.model_class()
    return model is not None and model._default_manager.filter(pk=item.object_id).exists()


def item_kind_for(source: AgendaSource, record) -> str:
    if source.key == "actions":
        return _action_kind(record)
    return source.kind
