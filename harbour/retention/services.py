"""Retention decisions on records due: keep (with a reason and the next review date) or delete.

A deletion removes the record and everything that depends on it, and leaves a DeletionRecord and an
audit row that name the record by type and number only ("Person record 12"): nothing of what it said
outlives it. Records that others still depend on (say a missing episode) are not deleted: the
reviewer is told what depends on it, by type and count.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from . import selectors
from .models import DeletionRecord, RetentionReview
from .periods import months_after
from .registry import DELETION_HOOKS

MAX_RETAIN_YEARS = 10


def _person_id(record) -> int | None:
    if record._meta.label_lower == "people.person":
        return record.pk
    return getattr(record, "audit_person_id", None)


@transaction.atomic
def retention_retain(
    *, caller: Caller, rule_pk, object_id, reason: str, next_review_on: datetime.date
) -> RetentionReview:
    due = selectors.due_record(user=caller.user, rule_pk=rule_pk, object_id=object_id)
    today = timezone.localdate()
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for keeping the record."
    if next_review_on is None or next_review_on <= today:
        errors["next_review_on"] = "The next review date must be in the future."
    elif next_review_on > months_after(today, 12 * MAX_RETAIN_YEARS):
        errors["next_review_on"] = f"Review again within {MAX_RETAIN_YEARS} years."
    if errors:
        raise ValidationError(errors)
    review = RetentionReview.objects.create(
        rule=due.rule,
        content_type=due.content_type,
        object_id=due.record_id,
        agency_id=caller.user.agency_id,
        reason=reason.strip(),
        next_review_on=next_review_on,
        decided_by=caller.user,
    )
    record = due.content_type.model_class()._default_manager.get(pk=due.record_id)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        object_type=due.content_type.model_class()._meta.label_lower,
        object_id=due.record_id,
        object_repr=due.reference,
        person_id=_person_id(record),
        record_agency_id=caller.user.agency_id,
        client_ip=caller.client_ip,
        reason=review.reason,
        details={"retention": "retained", "rule": due.rule.pk, "next_review_on": next_review_on},
    )
    return review


def _protected_message(error) -> str:
    counts: dict[str, int] = {}
    for obj in error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects:
        name = obj._meta.verbose_name_plural
        counts[name] = counts.get(name, 0) + 1
    listed = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    return f"Other records still depend on this one ({listed}). Review or delete those first."


@transaction.atomic
def retention_delete(*, caller: Caller, rule_pk, object_id) -> DeletionRecord:
    """Delete a record due under its rule, leaving only the fact of its deletion."""
    due = selectors.due_record(user=caller.user, rule_pk=rule_pk, object_id=object_id)
    model = due.content_type.model_class()
    record = model._default_manager.select_for_update().get(pk=due.record_id)
    person_id = _person_id(record)
    removed: dict[str, int] = {}
    try:
        with transaction.atomic():
            for hook in DELETION_HOOKS:
                for label, count in (hook(record) or {}).items():
                    removed[label] = removed.get(label, 0) + count
            reviews, _ = RetentionReview.objects.filter(content_type=due.content_type, object_id=due.record_id).delete()
            removed["retention.retentionreview"] = reviews
            _, by_model = record.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError({"record": _protected_message(error)}) from None
    for label, count in by_model.items():
        removed[label.lower()] = removed.get(label.lower(), 0) + count
    removed = {label: count for label, count in sorted(removed.items()) if count}
    deletion = DeletionRecord.objects.create(
        content_type=due.content_type,
        record_id=due.record_id,
        owning_agency_id=caller.user.agency_id,
        rule=due.rule,
        deleted_by=caller.user,
        removed=removed,
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.DELETE,
        object_type=model._meta.label_lower,
        object_id=due.record_id,
        object_repr=due.reference,
        person_id=person_id,
        record_agency_id=caller.user.agency_id,
        client_ip=caller.client_ip,
        details={"rule": due.rule.pk, "deletion_record": deletion.pk, "removed": removed},
    )
    return deletion
