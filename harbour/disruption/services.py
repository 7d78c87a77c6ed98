"""Writes about disruption orders, breaches and operations. Each is one transaction with its audit
rows; each checks the access policy itself, so no caller can skip it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.access.policy import Action, can
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record, diff
from harbour.core.caller import Caller
from harbour.missing.models import Place
from harbour.people.models import Person

from . import law
from .access_rules import may_add_activity, may_record_orders
from .models import Activity, Breach, DisruptionOrder, Operation, OrderStatus, cawn_child_error

# The fields of an order users edit, in the order the audit shows them.
ORDER_FIELDS = (
    "tool",
    "other_tool_name",
    "subject_kind",
    "subject_person",
    "subject_place",
    "subject_business",
    "applicant",
    "court_or_authority",
    "applied_on",
    "granted_on",
    "served_at",
    "expires_at",
    "until_further_order",
    "extended",
    "conditions",
    "status",
    "status_note",
)


def _require(caller: Caller, action: Action, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


def _snapshot(order: DisruptionOrder) -> dict:
    return {name: getattr(order, DisruptionOrder._meta.get_field(name).attname) for name in ORDER_FIELDS}


def _place(caller: Caller, *, place: Place | None, new_place: dict | None, field: str) -> Place | None:
    """An existing place, or a new one from its name, address and postcode (audited)."""
    if place is not None:
        return place
    if not new_place or not (new_place.get("name") or "").strip():
        return None
    created = Place(
        name=new_place["name"].strip(),
        address=(new_place.get("address") or "").strip(),
        postcode=(new_place.get("postcode") or "").strip().upper(),
    )
    try:
        created.full_clean()
    except ValidationError as error:
        raise ValidationError({field: "; ".join(error.messages)}) from None
    created.save()
    audit_record(actor=caller.user, action=AuditAction.CREATE, target=created, client_ip=caller.client_ip)
    return created


def _check_people(caller: Caller, order: DisruptionOrder, children: list[Person]) -> None:
    """The subject and the protected children must be people the caller can see; a CAWN's
    children must be of an age (and care status) a CAWN can protect."""
    errors = {}
    if order.subject_person_id and not can(caller.user, Action.VIEW, order.subject_person):
        errors["subject_person"] = "Choose a person from records you can see."
    if any(not can(caller.user, Action.VIEW, child) for child in children):
        errors["protected_children"] = "Choose children from records you can see."
    tool = law.BY_CODE.get(order.tool)
    if tool is not None and tool.protects_children and "protected_children" not in errors:
        if not children:
            errors["protected_children"] = f"Choose the children the {tool.label} protects."
        on = order.granted_on or timezone.localdate()
        problems = [problem for child in children if (problem := cawn_child_error(child, on=on))]
        if problems:
            errors["protected_children"] = " ".join(problems)
        if order.subject_person_id and order.subject_person_id in {c.pk for c in children}:
            errors["protected_children"] = "The person the notice is against cannot also be a child it protects."
    elif children and "protected_children" not in errors:
        errors["protected_children"] = "Only a Child Abduction Warning Notice names the children it protects."
    if errors:
        raise ValidationError(errors)


def _validate(order: DisruptionOrder, caller: Caller, children: list[Person]) -> None:
    """Model rules (durations, dates, subject) and the people checks, all errors together."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: order.full_clean(exclude=["owning_agency", "created_by"]),
        lambda: _check_people(caller, order, children),
    ):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def order_create(
    *,
    caller: Caller,
    protected_children=(),
    new_place: dict | None = None,
    **fields,
) -> DisruptionOrder:
    user = caller.user
    if not may_record_orders(user):
        raise Http404("Not found")
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown order fields: {sorted(unknown)}")
    fields["subject_place"] = _place(
        caller, place=fields.get("subject_place"), new_place=new_place, field="subject_place"
    )
    order = DisruptionOrder(owning_agency_id=user.agency_id, created_by=user, **fields)
    _clear_other_subjects(order)
    children = list(protected_children or [])
    _validate(order, caller, children)
    order.save()
    order.protected_children.set(children)
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=order,
        client_ip=caller.client_ip,
        changes=diff({}, _snapshot(order)),
        details={"protected_children": [c.pk for c in children]},
    )
    return order


def _clear_other_subjects(order: DisruptionOrder) -> None:
    """Only the subject of the chosen kind is kept (a form may send the others)."""
    if order.subject_kind != law.PERSON:
        order.subject_person = None
    if order.subject_kind != law.PLACE:
        order.subject_place = None
    if order.subject_kind != law.BUSINESS:
        order.subject_business = ""


@transaction.atomic
def order_update(
    *,
    caller: Caller,
    order: DisruptionOrder,
    protected_children=None,
    new_place: dict | None = None,
    **fields,
) -> DisruptionOrder:
    _require(caller, Action.CHANGE, order)
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown order fields: {sorted(unknown)}")
    order = DisruptionOrder.objects.select_for_update().get(pk=order.pk)
    before = _snapshot(order)
    if "subject_place" in fields or new_place:
        fields["subject_place"] = _place(
            caller, place=fields.get("subject_place"), new_place=new_place, field="subject_place"
        )
    for name, value in fields.items():
        setattr(order, name, value)
    _clear_other_subjects(order)
    if protected_children is None:
        # Children the caller cannot see stay as they are; they are not the caller's to judge.
        children = list(order.protected_children.all())
        visible = [c for c in children if can(caller.user, Action.VIEW, c)]
        hidden = [c for c in children if c not in visible]
        _validate(order, caller, visible)
        children = visible + hidden
    else:
        children = list(protected_children)
        hidden = [c for c in order.protected_children.all() if not can(caller.user, Action.VIEW, c)]
        _validate(order, caller, children)
        children += [c for c in hidden if c not in children]
    order.save()
    order.protected_children.set(children)
    changes = diff(before, _snapshot(order))
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=order,
        client_ip=caller.client_ip,
        changes=changes,
        details={"protected_children": [c.pk for c in children]},
    )
    return order


@transaction.atomic
def breach_record(
    *, caller: Caller, order: DisruptionOrder, occurred_on, description: str, action_taken: str = ""
) -> Breach:
    """Record a breach. An order in force is marked breached (still in force): the breach shows as
    an alert to everyone who may see the order."""
    _require(caller, Action.CHANGE, order)
    order = DisruptionOrder.objects.select_for_update().get(pk=order.pk)
    errors = {}
    if order.status not in (OrderStatus.GRANTED, OrderStatus.SERVED, OrderStatus.BREACHED, OrderStatus.EXPIRED):
        errors["occurred_on"] = "Only an order that has been granted or issued can be breached."
    elif order.granted_on and occurred_on and occurred_on < order.granted_on:
        errors["occurred_on"] = "The breach cannot be before the order was granted or issued."
    elif order.expires_at and occurred_on and occurred_on > law.local_date(order.expires_at):
        errors["occurred_on"] = "The breach cannot be after the order ended."
    if not (description or "").strip():
        errors["description"] = "Describe what happened."
    if errors:
        raise ValidationError(errors)
    breach = Breach(
        order=order,
        occurred_on=occurred_on,
        description=description.strip(),
        action_taken=(action_taken or "").strip(),
        recorded_by=caller.user,
    )
    breach.full_clean()
    breach.save()
    previous = order.status
    if order.status in (OrderStatus.GRANTED, OrderStatus.SERVED):
        order.status = OrderStatus.BREACHED
        order.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=breach,
        client_ip=caller.client_ip,
        details={"order_id": order.pk, "occurred_on": occurred_on, "status_before": previous},
    )
    _tell_breach(caller, order)
    return breach


def _tell_breach(caller: Caller, order: DisruptionOrder) -> None:
    """The holding agency hears of a breach: whoever recorded the order and its supervisors."""
    from harbour.accounts.models import User
    from harbour.accounts.roles import Role
    from harbour.mace.notify import tell

    supervisors = User.objects.filter(agency_id=order.owning_agency_id, role=Role.SUPERVISOR, is_active=True)
    recipients = [u for u in [order.created_by, *supervisors] if u.pk != caller.user.pk]
    tell(
        kind_name="ORDER_BREACH",
        recipients=recipients,
        title=f"Breach recorded of disruption order {order.pk}",
        link=reverse("disruption:order", args=[order.pk]),
        record=order,
    )


# --- Operations ----------------------------------------------------------------------------------


@transaction.atomic
def operation_create(
    *,
    caller: Caller,
    name: str,
    start_date,
    end_date=None,
    aim: str = "",
    places=(),
    new_place: dict | None = None,
    agencies=(),
) -> Operation:
    user = caller.user
    if not may_record_orders(user):
        raise Http404("Not found")
    operation = Operation(
        name=(name or "").strip(),
        aim=(aim or "").strip(),
        start_date=start_date,
        end_date=end_date,
        owning_agency_id=user.agency_id,
        created_by=user,
    )
    operation.full_clean(exclude=["owning_agency", "created_by"])
    operation.save()
    places = list(places or [])
    extra = _place(caller, place=None, new_place=new_place, field="places")
    if extra:
        places.append(extra)
    operation.places.set(places)
    operation.agencies.set(list(agencies or []))
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=operation,
        client_ip=caller.client_ip,
        details={
            "name": operation.name,
            "places": [p.pk for p in places],
            "agencies": [a.pk for a in operation.agencies.all()],
        },
    )
    return operation


@transaction.atomic
def operation_record_outcomes(*, caller: Caller, operation: Operation, outcomes: str, end_date=None) -> Operation:
    _require(caller, Action.CHANGE, operation)
    before = {"outcomes": operation.outcomes, "end_date": operation.end_date}
    operation.outcomes = (outcomes or "").strip()
    if end_date is not None:
        operation.end_date = end_date
    operation.full_clean(exclude=["owning_agency", "created_by"])
    operation.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=operation,
        client_ip=caller.client_ip,
        changes=diff(before, {"outcomes": operation.outcomes, "end_date": operation.end_date}),
    )
    return operation


@transaction.atomic
def activity_record(
    *,
    caller: Caller,
    operation: Operation,
    kind: str,
    on,
    description: str,
    outcome: str = "",
    place: Place | None = None,
    new_place: dict | None = None,
    business_name: str = "",
) -> Activity:
    if not may_add_activity(caller.user, operation):
        raise Http404("Not found")
    errors = {}
    if on and operation.start_date and on < operation.start_date:
        errors["on"] = "The activity cannot be before the operation started."
    elif on and operation.end_date and on > operation.end_date:
        errors["on"] = "The activity cannot be after the operation ended."
    if errors:
        raise ValidationError(errors)
    activity = Activity(
        operation=operation,
        kind=kind,
        on=on,
        place=_place(caller, place=place, new_place=new_place, field="place"),
        business_name=(business_name or "").strip(),
        agency_id=caller.user.agency_id,
        description=(description or "").strip(),
        outcome=(outcome or "").strip(),
        recorded_by=caller.user,
    )
    activity.full_clean()
    activity.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=activity,
        client_ip=caller.client_ip,
        details={"operation_id": operation.pk, "kind": kind, "on": on},
    )
    return activity
