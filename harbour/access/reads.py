"""Reading one record through the policy, with the read audited: the one way pages and API
endpoints open a record. A refused read answers 404 and is audited as "denied", without saying
whose record it was."""

from django.db import models, transaction
from django.http import Http404

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .policy import Action, get_or_404


def get_audited(
    *,
    caller: Caller,
    queryset: models.QuerySet,
    pk,
    purpose: str = "view",
    reason: str = "",
    action: Action | str = Action.VIEW,
):
    try:
        record = get_or_404(caller.user, queryset, action, pk=pk)
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
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.VIEW,
            target=record,
            client_ip=caller.client_ip,
            reason=reason,
            details={"purpose": purpose},
        )
    return record
