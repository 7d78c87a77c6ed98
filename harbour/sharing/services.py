"""Referring, transferring and recording sharing decisions. Each function is one transaction that
checks the policy itself and writes its audit rows; notifications go out with it.

Who may do what:
- refer: a case worker who may see the record (and the record has an access rule of its own);
- transfer: a writer of the agency that holds the record, who may change it;
- accept or decline: the receiver (see access_rules.ReferralRule, CHANGE);
- withdraw: the referrer, or a supervisor of the referring agency, while it waits.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, RecordRule, can, rule_for
from harbour.access.services import grant_create
from harbour.accounts.models import Agency, Team
from harbour.accounts.roles import CASEWORK_ROLES, Role
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .models import (
    InformationSharingDecision,
    Referral,
    ReferralKind,
    ReferralStatus,
    SharingChoice,
    Urgency,
)

# --- Records of any type ---------------------------------------------------------------------------


def model_from_label(label: str):
    """The model named "app_label.model" that has an access rule, or Http404."""
    try:
        app_label, model_name = label.lower().split(".", 1)
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        rule_for(model)
    except (ValueError, ContentType.DoesNotExist, LookupError):
        raise Http404("Not found") from None
    if model is None:
        raise Http404("Not found")
    return model


def record_from_label(label: str, object_id):
    """The record named "app_label.model" and id, or Http404 (absent, or not a type with a rule)."""
    model = model_from_label(label)
    try:
        return model._default_manager.get(pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def record_label(record) -> str:
    return record._meta.label_lower


def person_of(record):
    """The person a record is about: the record itself if a person, else its `audit_person_id`."""
    from harbour.people.models import Person

    if isinstance(record, Person):
        return record
    person_id = getattr(record, "audit_person_id", None)
    return Person.objects.filter(pk=person_id).first() if person_id else None


def _has_field(record, name: str) -> bool:
    try:
        record._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def require_visible(caller: Caller, record) -> None:
    user = caller.user
    if user.role not in CASEWORK_ROLES or not user.agency_id:
        raise Http404("Not found")
    try:
        rule_for(type(record))
    except LookupError:
        raise Http404("Not found") from None
    if not can(user, Action.VIEW, record):
        raise Http404("Not found")


# --- Information-sharing decisions -------------------------------------------------------------------


def _decision_build(*, caller: Caller, record, **fields) -> InformationSharingDecision:
    decision = InformationSharingDecision(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        person=person_of(record),
        decided_by=caller.user,
        decided_agency_id=caller.user.agency_id,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
    )
    decision.full_clean(exclude=["content_type", "person", "decided_by", "decided_agency"])
    return decision


@transaction.atomic
def sharing_decision_record(
    *,
    caller: Caller,
    record,
    decision: str,
    reason: str,
    basis: str = "",
    basis_reason: str = "",
    shared_with: str = "",
    what_shared: str = "",
    to_protect_child: bool = True,
) -> InformationSharingDecision:
    """Record a decision to share, or not to share, information about a record the caller can see."""
    require_visible(caller, record)
    made = _decision_build(
        caller=caller,
        record=record,
        decision=decision,
        reason=reason,
        basis=basis,
        basis_reason=basis_reason,
        shared_with=shared_with,
        what_shared=what_shared,
        to_protect_child=to_protect_child,
    )
    made.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=made,
        client_ip=caller.client_ip,
        reason=made.reason,
        details={
            "record": f"{record_label(record)}:{record.pk}",
            "decision": made.decision,
            "basis": made.basis,
            "shared_with": made.shared_with,
        },
    )
    return made


# --- Referrals ----------------------------------------------------------------------------------------


def referral_receivers(referral: Referral):
    """Who hears of a referral: the receiving team, or the receiving agency's case workers."""
    from harbour.notifications.recipients import agency_members, team_members

    if referral.to_team_id:
        return list(team_members(referral.to_team)) + list(agency_members(referral.to_agency, roles=[Role.SUPERVISOR]))
    return agency_members(referral.to_agency)


def _notify(*, recipients, kind: str, title: str, referral: Referral) -> None:
    if not apps.is_installed("harbour.notifications"):
        return
    from harbour.notifications.services import notify

    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        link=reverse("sharing:detail", args=[referral.pk]),
        record=referral,
    )


def _received_title(referral: Referral) -> str:
    """E.g. "Urgent referral REF-12 from HPOL": a reference, never the child."""
    words = [] if referral.urgency == Urgency.ROUTINE else [Urgency(referral.urgency).name.lower()]
    title = " ".join([*words, referral.kind_name, referral.reference, "from", referral.from_agency.short_name])
    return title[0].upper() + title[1:]


def _referral_errors(*, caller: Caller, record, kind, to_agency, to_team, reason, summary, urgency) -> dict:
    user = caller.user
    errors = {}
    if kind not in ReferralKind.values:
        errors["kind"] = "Choose referral or transfer."
    if urgency not in Urgency.values:
        errors["urgency"] = "Choose how urgent this is."
    if to_agency is None:
        errors["to_agency"] = "Choose the agency to refer to."
    if not reason.strip():
        errors["reason"] = "Give the reason for the referral: what the child needs from them."
    if not summary.strip():
        errors["summary"] = "Say what is shared with them, in brief."
    if to_team is not None and to_agency is not None and to_team.agency_id != to_agency.pk:
        errors["to_team"] = "Choose a team of the agency you are referring to."
    if getattr(record, "is_restricted", False):
        errors["kind"] = "A restricted record cannot be referred: its supervisor names who may see it."
    if errors:
        return errors
    rule = rule_for(type(record))
    if kind == ReferralKind.REFERRAL:
        if not isinstance(rule, RecordRule):
            errors["kind"] = "Records of this kind follow the child's record: refer the child's record instead."
        elif to_agency.pk == user.agency_id and to_team is None:
            errors["to_team"] = "Choose a team in your own agency, or refer to another agency."
    else:
        if not _has_field(record, "owning_agency"):
            errors["kind"] = "Records of this kind cannot be transferred."
        elif record.owning_agency_id != user.agency_id or not can(user, Action.CHANGE, record):
            errors["kind"] = "Only the agency that holds the record can transfer it."
        elif to_agency.pk == record.owning_agency_id and (
            to_team is None or to_team.pk == getattr(record, "owning_team_id", None)
        ):
            errors["to_team"] = "Your agency already holds the record: choose another team, or another agency."
    duplicate = Referral.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        to_agency=to_agency,
        to_team=to_team,
        kind=kind,
        status=ReferralStatus.PENDING,
    )
    if not errors and duplicate.exists():
        errors["to_agency"] = "A referral of this record to them is already waiting for a decision."
    return errors


@transaction.atomic
def referral_create(
    *,
    caller: Caller,
    record,
    kind: str,
    to_agency: Agency | None,
    reason: str,
    summary: str,
    basis: str,
    to_team: Team | None = None,
    urgency: str = Urgency.ROUTINE,
    keep_previous_access: bool = False,
    basis_reason: str = "",
    to_protect_child: bool = True,
) -> Referral:
    """Refer (or offer to transfer) a record to another agency or team. The decision to share is
    recorded with its basis, and the receivers are notified (a reference and a link only)."""
    require_visible(caller, record)
    errors = _referral_errors(
        caller=caller,
        record=record,
        kind=kind,
        to_agency=to_agency,
        to_team=to_team,
        reason=reason,
        summary=summary,
        urgency=urgency,
    )
    try:
        decision = _decision_build(
            caller=caller,
            record=record,
            decision=SharingChoice.SHARE,
            reason=reason,
            basis=basis,
            basis_reason=basis_reason,
            shared_with=str(to_team or to_agency or ""),
            what_shared=summary,
            to_protect_child=to_protect_child,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field in ("basis", "basis_reason"):
                errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    decision.save()
    user = caller.user
    referral = Referral.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        person=person_of(record),
        kind=kind,
        urgency=urgency,
        from_agency_id=user.agency_id,
        from_team_id=user.team_id,
        referred_by=user,
        to_agency=to_agency,
        to_team=to_team,
        reason=reason.strip(),
        summary=summary.strip(),
        keep_previous_access=bool(keep_previous_access) and kind == ReferralKind.TRANSFER,
        sharing_decision=decision,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=decision,
        client_ip=caller.client_ip,
        reason=decision.reason,
        details={
            "record": f"{record_label(record)}:{record.pk}",
            "decision": decision.decision,
            "basis": decision.basis,
        },
    )
    audit_record(
        actor=user,
        action=AuditAction.SHARE,
        target=referral,
        client_ip=caller.client_ip,
        reason=referral.reason,
        details={
            "kind": kind,
            "record": f"{record_label(record)}:{record.pk}",
            "to_agency": to_agency,
            "to_team": to_team,
            "urgency": urgency,
            "keep_previous_access": referral.keep_previous_access,
            "sharing_decision": decision.pk,
        },
    )
    from harbour.notifications.kinds import REFERRAL_RECEIVED

    _notify(
        recipients=referral_receivers(referral),
        kind=REFERRAL_RECEIVED,
        title=_received_title(referral),
        referral=referral,
    )
    return referral


def _locked_pending(caller: Caller, referral: Referral, action: Action) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if action is not None and not can(caller.user, action, referral):
        raise Http404("Not found")
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError({"status": f"This {referral.kind_name} has already been decided."})
    return referral


def _revoke_allocations_of(*, caller: Caller, record, agency_id: int, reason: str) -> list[int]:
    """End the previous agency's allocations of the record: after a transfer they no longer work on it."""
    grants = AccessGrant.objects.live().for_record(record).filter(kind=GrantKind.ALLOCATION)
    grants = grants.filter(
        Q(grantee_agency_id=agency_id) | Q(grantee_team__agency_id=agency_id) | Q(grantee_user__agency_id=agency_id)
    )
    ids = list(grants.values_list("pk", flat=True))
    if ids:
        AccessGrant.objects.filter(pk__in=ids).update(revoked_at=timezone.now(), revoked_by=caller.user)
        audit_record(
            actor=caller.user,
            action=AuditAction.REVOKE,
            target=record,
            client_ip=caller.client_ip,
            reason=reason,
            details={"grant_ids": ids, "why": "record transferred"},
        )
    return ids


def record_transfer(*, caller: Caller, referral: Referral, record):
    """Make the referral's receiver the owner of the record. Inside the accepting transaction.

    The previous agency's allocations end; it keeps read access through a share only if the
    referrer asked for that. A looked-after child's responsible and host authorities keep theirs."""
    model = type(record)
    record = model._default_manager.select_for_update().get(pk=record.pk)
    previous_agency = record.owning_agency
    has_team = _has_field(record, "owning_team")
    previous_team = record.owning_team if has_team else None
    record.owning_agency = referral.to_agency
    update_fields = ["owning_agency"]
    if has_team:
        record.owning_team = referral.to_team
        update_fields.append("owning_team")
    if _has_field(record, "updated_at"):
        update_fields.append("updated_at")
    record.save(update_fields=update_fields)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=record,
        client_ip=caller.client_ip,
        reason=referral.reason,
        changes={
            "owning_agency": [str(previous_agency), str(referral.to_agency)],
            "owning_team": [str(previous_team or ""), str(referral.to_team or "")],
        },
        details={"referral": referral.pk, "transfer": True},
    )
    if previous_agency.pk != referral.to_agency_id:
        _revoke_allocations_of(
            caller=caller, record=record, agency_id=previous_agency.pk, reason=f"Transferred ({referral.reference})."
        )
        if referral.keep_previous_access:
            referral.previous_owner_grant = grant_create(
                caller=caller,
                record=record,
                kind=GrantKind.SHARE,
                grantee_agency=previous_agency,
                reason=f"Held the record until it was transferred to {referral.receiver} ({referral.reference}).",
            )
    from harbour.people.models import Person

    if isinstance(record, Person):
        from harbour.people.services import _sync_looked_after_shares

        _sync_looked_after_shares(record, caller=caller)
    return record


@transaction.atomic
def referral_accept(*, caller: Caller, referral: Referral, reason: str = "") -> Referral:
    """Accept: a referral shares the record with the receiver; a transfer makes them its owner."""
    referral = _locked_pending(caller, referral, Action.CHANGE)
    record = referral.record()
    if record is None:
        raise ValidationError({"status": "The record no longer exists."})
    if referral.kind == ReferralKind.REFERRAL:
        referral.grant = grant_create(
            caller=caller,
            record=record,
            kind=GrantKind.SHARE,
            reason=f"{referral.reference}: {referral.reason}",
            grantee_team=referral.to_team,
            grantee_agency=None if referral.to_team_id else referral.to_agency,
        )
        reached = referral.to_team_id is None or referral.to_team_id == caller.user.team_id
        if reached and not can(caller.user, Action.VIEW, record):
            raise ValidationError({"status": "The record is restricted now: ask its supervisor to name you on it."})
    else:
        record_transfer(caller=caller, referral=referral, record=record)
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_by = caller.user
    referral.decided_at = timezone.now()
    referral.decision_reason = reason.strip()
    referral.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=referral,
        client_ip=caller.client_ip,
        reason=referral.decision_reason,
        changes={"status": [ReferralStatus.PENDING, ReferralStatus.ACCEPTED]},
        details={"grant": referral.grant_id, "previous_owner_grant": referral.previous_owner_grant_id},
    )
    from harbour.notifications.kinds import REFERRAL_DECIDED

    _notify(
        recipients=[referral.referred_by],
        kind=REFERRAL_DECIDED,
        title=f"Your {referral.kind_name} {referral.reference} was accepted",
        referral=referral,
    )
    return referral


@transaction.atomic
def referral_decline(*, caller: Caller, referral: Referral, reason: str) -> Referral:
    referral = _locked_pending(caller, referral, Action.CHANGE)
    if not (reason or "").strip():
        raise ValidationError({"reason": f"Give the reason for declining the {referral.kind_name}."})
    referral.status = ReferralStatus.DECLINED
    referral.decided_by = caller.user
    referral.decided_at = timezone.now()
    referral.decision_reason = reason.strip()
    referral.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=referral,
        client_ip=caller.client_ip,
        reason=referral.decision_reason,
        changes={"status": [ReferralStatus.PENDING, ReferralStatus.DECLINED]},
    )
    from harbour.notifications.kinds import REFERRAL_DECIDED

    _notify(
        recipients=[referral.referred_by],
        kind=REFERRAL_DECIDED,
        title=f"Your {referral.kind_name} {referral.reference} was declined",
        referral=referral,
    )
    return referral


def may_withdraw(user, referral: Referral) -> bool:
    if not referral.is_pending or not can(user, Action.VIEW, referral):
        return False
    return referral.referred_by_id == user.pk or (
        user.role == Role.SUPERVISOR and user.agency_id == referral.from_agency_id
    )


@transaction.atomic
def referral_withdraw(*, caller: Caller, referral: Referral, reason: str = "") -> Referral:
    referral = _locked_pending(caller, referral, None)
    if not may_withdraw(caller.user, referral):
        raise Http404("Not found")
    referral.status = ReferralStatus.WITHDRAWN
    referral.decided_by = caller.user
    referral.decided_at = timezone.now()
    referral.decision_reason = (reason or "").strip()
    referral.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=referral,
        client_ip=caller.client_ip,
        reason=referral.decision_reason,
        changes={"status": [ReferralStatus.PENDING, ReferralStatus.WITHDRAWN]},
    )
    return referral
