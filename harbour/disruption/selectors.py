"""Reads about disruption: scoped by the user who asks; reads of records and lists are audited."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from harbour.access.policy import Action, scope
from harbour.access.reads import get_audited
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.missing.models import Place
from harbour.people.models import LookedAfterStatus, Person

from . import law
from .links import linked_children
from .models import ACTIVE, IN_FORCE, Breach, DisruptionOrder, Operation

ORDER_RELATED = ("subject_person", "subject_place", "owning_agency", "created_by")


def _audit_list(caller: Caller, *, object_type: str, name: str, ids: list[int], action=AuditAction.VIEW) -> None:
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=action,
            object_type=object_type,
            client_ip=caller.client_ip,
            details={"list": name, "ids": ids},
        )


# --- Orders --------------------------------------------------------------------------------------


def order_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    return scope(user, DisruptionOrder.objects.all(), action)


def order_get(*, caller: Caller, pk, purpose: str = "view") -> DisruptionOrder:
    queryset = DisruptionOrder.objects.select_related(*ORDER_RELATED)
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


def order_list(*, caller: Caller, status: str = "", tool: str = "", audit: bool = True) -> list[DisruptionOrder]:
    orders = order_visible(user=caller.user).select_related(*ORDER_RELATED)
    if status:
        orders = orders.filter(status=status)
    if tool:
        orders = orders.filter(tool=tool)
    orders = list(orders)
    if audit:
        _audit_list(caller, object_type="disruption.disruptionorder", name="orders", ids=[o.pk for o in orders])
    return orders


def orders_for_person(*, user, person: Person) -> QuerySet:
    return order_visible(user=user).filter(subject_person=person).select_related(*ORDER_RELATED)


def visible_protected_children(*, user, order: DisruptionOrder) -> QuerySet:
    """The children a CAWN protects, as far as the user may see them."""
    return scope(user, order.protected_children.all(), Action.VIEW)


def hidden_protected_children_count(*, user, order: DisruptionOrder) -> int:
    return order.protected_children.count() - visible_protected_children(user=user, order=order).count()


def subject_visible(*, user, order: DisruptionOrder) -> bool:
    """Whether the user may see who the order is against (always, except a person hidden from them)."""
    if order.subject_person_id is None:
        return True
    return scope(user, Person.objects.filter(pk=order.subject_person_id), Action.VIEW).exists()


def breaches_for(*, user, order: DisruptionOrder) -> QuerySet:
    return scope(user, order.breaches.select_related("recorded_by"), Action.VIEW)


def places_known_to(*, user) -> QuerySet:
    """Places the user meets in records they can see: those the missing app knows for them, and
    the places of orders and operations they can see. Places have no rule of their own."""
    from harbour.missing import selectors as missing_selectors

    known = Q(pk__in=order_visible(user=user).filter(subject_place__isnull=False).values("subject_place"))
    known |= Q(pk__in=scope(user, Operation.objects.all(), Action.VIEW).values("places"))
    missing_known = getattr(missing_selectors, "places_known_to", None)
    if missing_known is not None:
        known |= Q(pk__in=missing_known(user=user).values("pk"))
    return Place.objects.filter(known).distinct()


# --- Alerts --------------------------------------------------------------------------------------


@dataclass
class Prompt:
    """Consider an order: an adult linked to several children, with no order in place or considered."""

    person: Person
    children: list[Person]
    how_linked: list[str]
    tools: list[tuple[law.Tool, str]] = field(default_factory=list)  # (tool, why it fits)

    @property
    def child_count(self) -> int:
        return len(self.children)


def tools_that_fit(*, person: Person, children: list[Person]) -> list[tuple[law.Tool, str]]:
    """The tools worth considering against an adult linked to these children, and why each fits."""
    today = timezone.localdate()
    fits = []
    cawn_children = []
    for child in children:
        age = child.age_on(today)
        in_care = child.looked_after_status == LookedAfterStatus.LOOKED_AFTER
        if age is not None and (age < law.CAWN_AGE_LIMIT or (in_care and age < law.CAWN_AGE_LIMIT_IN_CARE)):
            cawn_children.append(child)
    if cawn_children:
        fits.append(
            (
                law.CAWN,
                f"{len(cawn_children)} of the children are under {law.CAWN_AGE_LIMIT}, or under 18 and in care.",
            )
        )
    fits.append((law.SEXUAL_RISK_ORDER, "No conviction is needed; for a risk of sexual harm to children."))
    fits.append(
        (law.SLAVERY_TRAFFICKING_RISK_ORDER, "No conviction is needed; for a risk of exploitation or trafficking.")
    )
    fits.append((law.CCE_PREVENTION_ORDER, "For a risk of criminal exploitation (commencement: verify)."))
    return fits


def order_prompts(*, user) -> list[Prompt]:
    """Adults linked to at least PROMPT_CHILDREN_THRESHOLD children the user can see, with no order
    against them in place or being considered. Whether such an order exists is checked across all
    orders (a prompt must not invite a duplicate of an order held by another agency); only the
    absence of a prompt can reflect an order the user cannot see, never its details."""
    links = linked_children(user)
    candidates = {
        adult: children for adult, children in links.items() if len(children) >= law.PROMPT_CHILDREN_THRESHOLD
    }
    if not candidates:
        return []
    against = DisruptionOrder.objects.filter(subject_person_id__in=candidates)
    pending = against.filter(status__in=ACTIVE - IN_FORCE)
    with_orders = set(pending.values_list("subject_person_id", flat=True))
    with_orders |= set(against.in_force().values_list("subject_person_id", flat=True))
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=[*candidates, *{c for cs in candidates.values() for c in cs}])
    }
    prompts = []
    for adult_id, children in candidates.items():
        if adult_id in with_orders:
            continue
        adult = people[adult_id]
        child_people = sorted((people[c] for c in children), key=lambda p: (p.family_name, p.given_name, p.pk))
        how = sorted({label for labels in children.values() for label in labels})
        prompt = Prompt(person=adult, children=child_people, how_linked=how)
        prompt.tools = tools_that_fit(person=adult, children=child_people)
        prompts.append(prompt)
    return sorted(prompts, key=lambda p: (-p.child_count, p.person.family_name, p.person.pk))


@dataclass
class Alerts:
    expiring: list[DisruptionOrder]
    lapsed: list[DisruptionOrder]
    breaches: list[Breach]
    prompts: list[Prompt]

    @property
    def count(self) -> int:
        return len(self.expiring) + len(self.lapsed) + len(self.breaches) + len(self.prompts)


def alerts(*, caller: Caller, audit: bool = True) -> Alerts:
    """Orders nearing their end (28 days), orders past their end still marked in force, breaches
    recorded in the last 28 days, and prompts to consider an order. All of them the user may see."""
    user = caller.user
    now = timezone.now()
    visible = order_visible(user=user).select_related(*ORDER_RELATED)
    expiring = list(visible.expiring(at=now).order_by("expires_at"))
    lapsed = list(visible.lapsed(at=now).order_by("expires_at"))
    breaches = list(
        scope(user, Breach.objects.all(), Action.VIEW)
        .filter(recorded_at__gte=now - law.BREACH_ALERT_WINDOW)
        .select_related("order", "order__subject_person", "order__subject_place", "recorded_by")
        .order_by("-occurred_on", "-id")
    )
    prompts = order_prompts(user=user)
    result = Alerts(expiring=expiring, lapsed=lapsed, breaches=breaches, prompts=prompts)
    if audit:
        with transaction.atomic():
            audit_record(
                actor=user,
                action=AuditAction.VIEW,
                object_type="disruption.disruptionorder",
                client_ip=caller.client_ip,
                details={
                    "list": "disruption_alerts",
                    "expiring": [o.pk for o in expiring],
                    "lapsed": [o.pk for o in lapsed],
                    "breaches": [b.pk for b in breaches],
                    "prompts": [p.person.pk for p in prompts],
                },
            )
    return result


# --- Operations ----------------------------------------------------------------------------------


def operation_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    return scope(user, Operation.objects.all(), action)


def operation_get(*, caller: Caller, pk, purpose: str = "view") -> Operation:
    queryset = Operation.objects.select_related("owning_agency", "created_by")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


# --- The person's timeline -----------------------------------------------------------------------


def _disruption_timeline(person: Person, user) -> list:
    from harbour.people.selectors import TimelineEntry

    entries = []
    for order in orders_for_person(user=user, person=person):
        at = order.granted_on or order.applied_on or order.created_at
        entries.append(
            TimelineEntry(at, "disruption", f"{order.tool_label}: {order.get_status_display().lower()}", "", "")
        )
    protecting = order_visible(user=user).filter(protected_children=person).select_related("owning_agency")
    for order in protecting:
        at = order.granted_on or order.created_at
        entries.append(
            TimelineEntry(at, "disruption", f"Protected by a {order.tool_label}", "", str(order.owning_agency))
        )
    return entries


def register_timeline() -> None:
    from harbour.people.selectors import register_timeline_source

    register_timeline_source(_disruption_timeline)
