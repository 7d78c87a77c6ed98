"""Giving and removing access to a record. Callers check that the giver may share first."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .models import AccessGrant, GrantKind


@transaction.atomic
def grant_create(
    *,
    caller: Caller,
    record: models.Model,
    kind: str,
    reason: str,
    grantee_user=None,
    grantee_team=None,
    grantee_agency=None,
    valid_until=None,
    audit_target: models.Model | None = None,
) -> AccessGrant:
    """Create one grant and its audit row. `audit_target` is the record the audit row is about
    (defaults to `record`)."""
    grant = AccessGrant(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=kind,
        grantee_user=grantee_user,
        grantee_team=grantee_team,
        grantee_agency=grantee_agency,
        reason=reason.strip(),
        valid_until=valid_until,
        granted_by=caller.user,
    )
    grant.full_clean()
    grant.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.BREAK_GLASS if kind == GrantKind.BREAK_GLASS else AuditAction.SHARE,
        target=audit_target or record,
        client_ip=caller.client_ip,
        reason=grant.reason,
        details={"grant_id": grant.pk, "kind": kind, "grantee": str(grant.grantee), "valid_until": valid_until},
        is_alert=kind == GrantKind.BREAK_GLASS,
    )
    return grant


def live_agency_share_exists(*, record: models.Model, agency_id: int) -> bool:
    return (
        AccessGrant.objects.live().for_record(record).filter(kind=GrantKind.SHARE, grantee_agency_id=agency_id).exists()
    )
