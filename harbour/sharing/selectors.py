"""Reading referrals and sharing decisions, always scoped by the user who asks; opening one is audited."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from harbour.access.policy import Action, can, rule_for, scope
from harbour.access.reads import get_audited
from harbour.core.caller import Caller
from harbour.people.selectors import TimelineEntry

from .models import InformationSharingDecision, Referral, ReferralKind, ReferralStatus, SharingChoice, Urgency

RELATED = (
    "content_type",
    "person",
    "from_agency",
    "from_team__agency",
    "to_agency",
    "to_team__agency",
    "referred_by",
    "decided_by",
    "sharing_decision",
)

# Pending first, the most urgent first among them.
_URGENCY_ORDER = Case(
    When(urgency=Urgency.IMMEDIATE, then=Value(0)),
    When(urgency=Urgency.URGENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_PENDING_FIRST = Case(When(status=ReferralStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())


def referral_visible(*, user) -> QuerySet:
    return scope(user, Referral.objects.all(), Action.VIEW).select_related(*RELATED)


def referrals_incoming(*, user) -> QuerySet:
    """Sent to the user's team or agency, that the user may decide."""
    return (
        scope(user, Referral.objects.all(), Action.CHANGE)
        .select_related(*RELATED)
        .order_by(_PENDING_FIRST, _URGENCY_ORDER, "-created_at", "-id")
    )


def referrals_outgoing(*, user) -> QuerySet:
    if not user.agency_id:
        return Referral.objects.none()
    return (
        referral_visible(user=user).filter(from_agency_id=user.agency_id).order_by(_PENDING_FIRST, "-created_at", "-id")
    )


def referral_get(*, caller: Caller, pk, purpose: str = "view") -> Referral:
    return get_audited(caller=caller, queryset=Referral.objects.select_related(*RELATED), pk=pk, purpose=purpose)


def _visible_record_filter(user, queryset) -> QuerySet:
    """Keep only entries whose record the user may see (a person's own record is already visible)."""
    visible = Q(content_type=ContentType.objects.get_by_natural_key("people", "person"))
    for type_id in queryset.order_by().values_list("content_type_id", flat=True).distinct():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or (model._meta.app_label, model._meta.model_name) == ("people", "person"):
            continue
        try:
            rule_for(model)
        except LookupError:
            continue
        visible |= Q(content_type_id=type_id, object_id__in=scope(user, model._default_manager.all()).values("pk"))
    return queryset.filter(visible)


def referrals_about(*, user, person) -> QuerySet:
    """Referrals of a person, or of records about them the user may see: for their timeline."""
    return _visible_record_filter(user, Referral.objects.filter(person=person)).select_related(*RELATED)


def decisions_about(*, user, person) -> QuerySet:
    return scope(user, InformationSharingDecision.objects.filter(person=person)).select_related(
        "content_type", "decided_by", "decided_agency"
    )


def sharing_timeline(person, user) -> list[TimelineEntry]:
    """Every step of every referral and transfer, and every sharing decision, on the child's timeline."""
    entries = []
    for r in referrals_about(user=user, person=person):
        what = "" if r.is_person_record else f" ({r.record_label})"
        verb = "Transfer" if r.kind == ReferralKind.TRANSFER else "Referral"
        entries.append(
            TimelineEntry(
                r.created_at,
                "referral",
                f"{verb} {r.reference} to {r.receiver}{what}",
                f"{r.get_urgency_display()}. Reason: {r.reason}\nShared: {r.summary}",
                f"{r.referred_by}, {r.from_agency}",
            )
        )
        if r.decided_at:
            detail = r.decision_reason
            if r.kind == ReferralKind.TRANSFER and r.status == ReferralStatus.ACCEPTED:
                detail = f"Record now held by {r.receiver}." + (f" {detail}" if detail else "")
                if r.keep_previous_access:
                    detail += f" {r.from_agency} may still see it."
            entries.append(
                TimelineEntry(
                    r.decided_at,
                    "referral",
                    f"{verb} {r.reference} {r.get_status_display().lower()}",
                    detail,
                    str(r.decided_by or ""),
                )
            )
    for d in decisions_about(user=user, person=person).filter(referral__isnull=True):
        title = (
            f"Decided to share with {d.shared_with}" if d.decision == SharingChoice.SHARE else "Decided not to share"
        )
        basis = f"{d.get_basis_display()}" + (f": {d.basis_reason}" if d.basis_reason else "") if d.basis else ""
        entries.append(
            TimelineEntry(
                d.decided_at,
                "sharing",
                title,
                "\n".join(part for part in (basis, f"Why: {d.reason}") if part),
                f"{d.decided_by}, {d.decided_agency}" if d.decided_agency else str(d.decided_by),
            )
        )
    return entries


def person_panel(person, user):
    """The person page's panel: refer, record a decision, and the referrals the user may see."""
    from harbour.accounts.roles import CASEWORK_ROLES

    if user.role not in CASEWORK_ROLES or not user.agency_id or not can(user, Action.VIEW, person):
        return None
    referrals = list(
        referral_visible(user=user).filter(person=person).order_by(_PENDING_FIRST, "-created_at", "-id")[:10]
    )
    return {
        "person": person,
        "referrals": referrals,
        "can_refer": not person.is_restricted,
        "record_type": "people.person",
    }
