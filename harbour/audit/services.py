"""Writing to the audit log. Call inside the transaction of the change being audited."""

import datetime
import decimal
import ipaddress
import uuid

from django.db import models, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditAction, AuditChainHead, AuditEvent


def jsonable(value):
    """A value as it is stored in the audit log's JSON: dates and the like as ISO text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date | datetime.time | decimal.Decimal | uuid.UUID):
        return str(value) if not isinstance(value, datetime.date) else value.isoformat()
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def _normalise_ip(client_ip: str | None) -> str | None:
    if not client_ip:
        return None
    try:
        return str(ipaddress.ip_address(client_ip))
    except ValueError:
        return None


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int | None = "",
    object_repr: str = "",
    person_id: int | None = None,
    record_agency_id: int | None = None,
    changes: dict | None = None,
    details: dict | None = None,
    reason: str = "",
    client_ip: str | None = None,
    is_alert: bool = False,
) -> AuditEvent:
    """Append one event to the hash chain, in the caller's transaction.

    `target`, when given, fills the object fields; a target may define `audit_person_id` and
    `audit_record_agency_id` so that events about it reach the person's and agency's audit views.
    """
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
        object_repr = object_repr or str(target)
        if person_id is None:
            person_id = getattr(target, "audit_person_id", None)
        if record_agency_id is None:
            record_agency_id = getattr(target, "audit_record_agency_id", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    agency = getattr(user, "agency", None) if user else None
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH, "length": 0}
        )
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=user,
            actor_username=(user.get_username() if user else str(actor or ""))[:150],
            actor_agency_id=agency.pk if agency else None,
            actor_agency_name=agency.name if agency else "",
            action=str(action),
            object_type=object_type,
            object_id="" if object_id in (None, "") else str(object_id),
            object_repr=(object_repr or "")[:300],
            person_id=person_id,
            record_agency_id=record_agency_id,
            changes=jsonable(changes or {}),
            details=jsonable(details or {}),
            reason=reason or "",
            client_ip=_normalise_ip(client_ip),
            is_alert=is_alert,
            prev_hash=head.last_hash,
        )
        event.row_hash = event.compute_hash()
        event.save()
        head.last_hash = event.row_hash
        head.length += 1
        head.save(update_fields=["last_hash", "length"])
    return event


def diff(before: dict, after: dict) -> dict:
    """Old and new values of the fields that changed: {"field": [old, new]}."""
    return {
        key: [jsonable(before.get(key)), jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if jsonable(before.get(key)) != jsonable(after.get(key))
    }
