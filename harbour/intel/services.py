"""Writes about intelligence. One transaction each, audited inside; the access policy is checked
here as well as in the views.

The handling code is never lowered silently: report_change_handling is the one way to change it,
it demands a reason for anything but a tightening, and the audit row (an alert) keeps both codes.
Every disclosure of a sanitised version to a partner is a share grant with its recipient and reason.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from harbour.access.models import GrantKind
from harbour.access.policy import Action, can
from harbour.access.services import grant_create
from harbour.accounts.models import Agency, AgencyKind, Team, User
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record, diff
from harbour.core.caller import Caller
from harbour.graph import services as graph_services
from harbour.graph.models import LinkType

from .access_rules import INTEL_WRITING_ROLES, is_police, is_police_officer
from .grading import HANDLING_RESTRICTION, HandlingCode
from .models import IntelligenceReport, SanitisedStatus, SanitisedVersion, SourceDetail

REPORT_FIELDS = (
    "title",
    "text",
    "information_date",
    "grading_system",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
    "handling_conditions",
    "legacy_source_evaluation",
    "legacy_intelligence_evaluation",
    "legacy_handling_code",
)
# Changed only through report_change_handling.
HANDLING_FIELDS = ("handling_code", "handling_conditions", "legacy_handling_code")
SOURCE_FIELDS = ("source_reference", "source_description", "how_obtained")


def _require(caller: Caller, action: Action, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


def _snapshot(report: IntelligenceReport) -> dict:
    return {name: getattr(report, IntelligenceReport._meta.get_field(name).attname) for name in REPORT_FIELDS}


def _clean_text(fields: dict) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


@transaction.atomic
def report_create(*, caller: Caller, source_detail: dict | None = None, **fields) -> IntelligenceReport:
    """Record a report owned by the caller's force. Only police record intelligence."""
    user = caller.user
    if not is_police(user) or user.role not in INTEL_WRITING_ROLES:
        raise Http404("Not found")
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    fields = _clean_text(fields)
    if not fields.get("title"):
        raise ValidationError({"title": "Enter a short summary."})
    if not fields.get("text"):
        raise ValidationError({"text": "Enter the intelligence."})
    report = IntelligenceReport(owning_agency_id=user.agency_id, owning_team=user.team, created_by=user, **fields)
    report.full_clean(exclude=["owning_agency", "created_by"])
    report.save()
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=report,
        client_ip=caller.client_ip,
        details={"grading_system": report.grading_system, "grading": report.grading},
    )
    if source_detail and any((source_detail.get(k) or "").strip() for k in SOURCE_FIELDS):
        source_detail_set(caller=caller, report=report, **source_detail)
    return report


@transaction.atomic
def report_update(*, caller: Caller, report: IntelligenceReport, **fields) -> IntelligenceReport:
    """Change the text or the evaluation. Handling is not changed here (report_change_handling)."""
    _require(caller, Action.CHANGE, report)
    if set(fields) & set(HANDLING_FIELDS):
        raise ValidationError({"handling_code": "Change the handling code through the handling change, with a reason."})
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    if fields.get("grading_system", report.grading_system) != report.grading_system:
        raise ValidationError({"grading_system": "A report keeps the grading system it was graded in."})
    before = _snapshot(report)
    for name, value in _clean_text(fields).items():
        setattr(report, name, value)
    report.full_clean()
    changes = diff(before, _snapshot(report))
    if changes:
        report.save()
        sync_link_grading(report)
        audit_record(
            actor=caller.user, action=AuditAction.UPDATE, target=report, client_ip=caller.client_ip, changes=changes
        )
    return report


@transaction.atomic
def report_change_handling(
    *, caller: Caller, report: IntelligenceReport, handling_code: str, handling_conditions: str = "", reason: str = ""
) -> IntelligenceReport:
    """Change how the report may be handled. Tightening (P to C) needs conditions; anything else
    (C to P, new conditions, a legacy code lowered) is a downgrade or a change of terms and needs a
    reason. Either way the old and new handling are audited; a downgrade is raised as an alert."""
    _require(caller, Action.CHANGE, report)
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    reason = (reason or "").strip()
    handling_conditions = (handling_conditions or "").strip()
    field = "legacy_handling_code" if report.is_legacy else "handling_code"
    old_code, old_conditions = getattr(report, field), report.handling_conditions
    valid = IntelligenceReport._meta.get_field(field).choices
    if handling_code not in {value for value, _ in valid}:
        raise ValidationError({"handling_code": "Choose a handling code."})
    old_level = HANDLING_RESTRICTION.get((report.grading_system, old_code), 0)
    new_level = HANDLING_RESTRICTION.get((report.grading_system, handling_code), 0)
    downgrade = new_level < old_level
    terms_changed = old_level == new_level and handling_conditions != old_conditions
    if old_code == handling_code and not terms_changed:
        return report
    if (downgrade or terms_changed) and len(reason) < 10:
        raise ValidationError(
            {"reason": "Explain why the handling can be relaxed or its conditions changed (at least 10 characters)."}
        )
    if not report.is_legacy and handling_code == HandlingCode.CONDITIONS and not handling_conditions:
        raise ValidationError({"handling_conditions": "State the conditions for handling code C."})
    if not report.is_legacy and handling_code == HandlingCode.PERMITTED:
        handling_conditions = ""
    setattr(report, field, handling_code)
    report.handling_conditions = handling_conditions
    report._downgrade_reason = reason if downgrade else ""
    report.full_clean()
    report.save()
    sync_link_grading(report)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=report,
        client_ip=caller.client_ip,
        reason=reason,
        changes={field: [old_code, handling_code], "handling_conditions": [old_conditions, handling_conditions]},
        details={"handling_change": "downgrade" if downgrade else ("terms" if terms_changed else "tightened")},
        is_alert=downgrade,
    )
    return report


@transaction.atomic
def report_share(
    *,
    caller: Caller,
    report: IntelligenceReport,
    reason: str,
    grantee_user: User | None = None,
    grantee_team: Team | None = None,
    grantee_agency: Agency | None = None,
    valid_until=None,
):
    """Name a police recipient of the original (for a C-coded report, a recipient its conditions
    allow). Agencies outside the police never receive the original: share a sanitised version."""
    _require(caller, Action.SHARE, report)
    if sum(x is not None for x in (grantee_user, grantee_team, grantee_agency)) != 1:
        raise ValidationError({"grantee": "Choose one user, team or force."})
    agency = grantee_agency or (grantee_team.agency if grantee_team else grantee_user.agency)
    if agency is None or agency.kind != AgencyKind.POLICE:
        raise ValidationError(
            {"grantee": "Only police receive the original report. Share an approved sanitised version instead."}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for sharing, and the condition it meets."})
    return grant_create(
        caller=caller,
        record=report,
        kind=GrantKind.SHARE,
        reason=reason,
        grantee_user=grantee_user,
        grantee_team=grantee_team,
        grantee_agency=grantee_agency,
        valid_until=valid_until,
    )


@transaction.atomic
def source_detail_set(*, caller: Caller, report: IntelligenceReport, **fields) -> SourceDetail:
    """Record or change who the source is. Only the owning force's police who may change the report."""
    _require(caller, Action.CHANGE, report)
    if not is_police(caller.user) or report.owning_agency_id != caller.user.agency_id:
        raise Http404("Not found")
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown source fields: {sorted(unknown)}")
    fields = _clean_text(fields)
    if not fields.get("source_description"):
        raise ValidationError({"source_description": "Describe the source."})
    detail = SourceDetail.objects.filter(report=report).first()
    created = detail is None
    if created:
        detail = SourceDetail(report=report, created_by=caller.user)
    before = {k: getattr(detail, k, "") for k in SOURCE_FIELDS}
    for name, value in fields.items():
        setattr(detail, name, value)
    detail.full_clean(exclude=["report", "created_by"])
    detail.save()
    # Which fields changed, never their values: the audit log is read more widely than source details.
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=detail,
        client_ip=caller.client_ip,
        details={"fields_changed": sorted(k for k in SOURCE_FIELDS if before[k] != getattr(detail, k))},
    )
    return detail


def _source_leaks(report: IntelligenceReport, text: str) -> list[str]:
    """Source details that appear word for word in a sanitised text."""
    detail = SourceDetail.objects.filter(report=report).first()
    if detail is None:
        return []
    lowered = text.casefold()
    leaks = []
    for name in SOURCE_FIELDS:
        value = (getattr(detail, name) or "").strip()
        if len(value) >= 4 and value.casefold() in lowered:
            leaks.append(SourceDetail._meta.get_field(name).verbose_name)
    return leaks


@transaction.atomic
def sanitised_draft(
    *, caller: Caller, report: IntelligenceReport, text: str, sharing_conditions: str = ""
) -> SanitisedVersion:
    """Draft a version for partners, without what identifies the source. Refused if it repeats the
    source details word for word."""
    _require(caller, Action.CHANGE, report)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the sanitised text."})
    leaks = _source_leaks(report, text)
    if leaks:
        raise ValidationError({"text": f"The text repeats the source details ({', '.join(leaks)}): remove them."})
    version = SanitisedVersion.objects.create(
        report=report, text=text, sharing_conditions=(sharing_conditions or "").strip(), drafted_by=caller.user
    )
    audit_record(actor=caller.user, action=AuditAction.CREATE, target=version, client_ip=caller.client_ip)
    return version


@transaction.atomic
def sanitised_approve(*, caller: Caller, version: SanitisedVersion, note: str = "") -> SanitisedVersion:
    """An officer of the owning force, not the one who drafted it, approves the version for sharing.
    The grading it is approved with is copied onto it; the text cannot change after approval."""
    _require(caller, Action.CHANGE, version)
    user = caller.user
    if not is_police_officer(user) or version.report.owning_agency_id != user.agency_id:
        raise ValidationError({"__all__": "A police officer of the force that owns the report must approve it."})
    if version.drafted_by_id == user.pk:
        raise ValidationError({"__all__": "Someone other than the person who drafted it must approve it."})
    version = SanitisedVersion.objects.select_for_update().select_related("report").get(pk=version.pk)
    leaks = _source_leaks(version.report, version.text)
    if leaks:
        raise ValidationError({"__all__": f"The text repeats the source details ({', '.join(leaks)})."})
    version.status = SanitisedStatus.APPROVED
    version.approved_by, version.approved_at = user, timezone.now()
    version.approval_note = (note or "").strip()
    version.grading = version.report.grading
    version.save()
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        target=version,
        client_ip=caller.client_ip,
        reason=version.approval_note,
        changes={"status": [SanitisedStatus.DRAFT, SanitisedStatus.APPROVED]},
    )
    return version


@transaction.atomic
def sanitised_share(
    *,
    caller: Caller,
    version: SanitisedVersion,
    reason: str,
    grantee_user: User | None = None,
    grantee_team: Team | None = None,
    grantee_agency: Agency | None = None,
    valid_until=None,
):
    """Disclose an approved sanitised version to a user, team or agency: a share grant with the
    recipient and the reason, audited as a disclosure."""
    _require(caller, Action.SHARE, version)
    if sum(x is not None for x in (grantee_user, grantee_team, grantee_agency)) != 1:
        raise ValidationError({"grantee": "Choose one user, team or agency to share with."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for the disclosure: who needs to know, and why."})
    if valid_until is not None and valid_until <= timezone.now():
        raise ValidationError({"valid_until": "The end of the share must be in the future."})
    return grant_create(
        caller=caller,
        record=version,
        kind=GrantKind.SHARE,
        reason=reason,
        grantee_user=grantee_user,
        grantee_team=grantee_team,
        grantee_agency=grantee_agency,
        valid_until=valid_until,
    )


@transaction.atomic
def sanitised_withdraw(*, caller: Caller, version: SanitisedVersion, reason: str) -> SanitisedVersion:
    """Stop sharing a version (it was wrong, or the intelligence is now graded false)."""
    _require(caller, Action.SHARE, version)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for withdrawing it."})
    before = version.status
    version.status = SanitisedStatus.WITHDRAWN
    version.save(update_fields=["status"])
    audit_record(
        actor=caller.user,
        action=AuditAction.REVOKE,
        target=version,
        client_ip=caller.client_ip,
        reason=reason.strip(),
        changes={"status": [before, version.status]},
    )
    return version


@transaction.atomic
def report_add_link(
    *,
    caller: Caller,
    report: IntelligenceReport,
    source,
    link_type: str,
    target=None,
    start_date=None,
    end_date=None,
    note: str = "",
):
    """Record what the report says about who and what: "A <link type> B", sourced to the report and
    carrying its grading. With no target, A is simply named in the report."""
    _require(caller, Action.CHANGE, report)
    if target is None:
        target, link_type = report, LinkType.NAMED_IN
    return graph_services.link_create(
        caller=caller,
        source=source,
        target=target,
        link_type=link_type,
        provenance=report,
        provenance_label=f"Intelligence {report.reference}",
        start_date=start_date,
        end_date=end_date,
        grading=report.grading,
        grading_system=report.grading_system,
        note=note,
    )


def sync_link_grading(report: IntelligenceReport) -> None:
    """Links keep the grading of the report they came from (after a regrade or handling change)."""
    from harbour.graph.models import Link

    Link.objects.from_record(report).exclude(grading=report.grading).update(
        grading=report.grading, grading_system=report.grading_system
    )
