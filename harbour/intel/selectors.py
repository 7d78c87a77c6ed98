"""Reads of intelligence, scoped by the access policy (so by handling code) and audited."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, can, scope
from harbour.access.reads import get_audited
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.graph import selectors as graph_selectors

from .models import IntelligenceReport, SanitisedStatus, SanitisedVersion, SourceDetail


def report_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    return scope(user, IntelligenceReport.objects.select_related("owning_agency", "created_by"), action)


def sanitised_visible(*, user) -> QuerySet:
    return scope(user, SanitisedVersion.objects.select_related("report", "report__owning_agency"), Action.VIEW)


def shared_with_me(*, user) -> QuerySet:
    """Approved sanitised versions disclosed to the user, their team or agency (what a partner sees)."""
    return (
        sanitised_visible(user=user)
        .filter(status=SanitisedStatus.APPROVED)
        .exclude(report__in=report_visible(user=user))
    )


def _audit_list(caller: Caller, object_type: str, ids: list[int], **details) -> None:
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.EXPORT if details.pop("export", False) else AuditAction.SEARCH,
            object_type=object_type,
            client_ip=caller.client_ip,
            details={"list": True, "result_count": len(ids), "result_ids": ids, **details},
        )


def report_list(*, caller: Caller, query: str = "", export: bool = False, limit: int = 200) -> list:
    reports = report_visible(user=caller.user)
    if query.strip():
        reports = reports.filter(title__icontains=query.strip())
    reports = list(reports[:limit])
    _audit_list(caller, "intel.intelligencereport", [r.pk for r in reports], query=query, export=export)
    return reports


def shared_list(*, caller: Caller, export: bool = False, limit: int = 200) -> list:
    versions = list(shared_with_me(user=caller.user)[:limit])
    _audit_list(caller, "intel.sanitisedversion", [v.pk for v in versions], export=export)
    return versions


def report_get(*, caller: Caller, pk, purpose: str = "view") -> IntelligenceReport:
    queryset = IntelligenceReport.objects.select_related("owning_agency", "owning_team", "created_by")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


def sanitised_get(*, caller: Caller, pk, purpose: str = "view") -> SanitisedVersion:
    queryset = SanitisedVersion.objects.select_related("report", "report__owning_agency", "approved_by", "drafted_by")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


def source_detail_for(*, caller: Caller, report: IntelligenceReport) -> SourceDetail | None:
    """The source details, if the caller may read them (police of the owning force); the read is audited."""
    detail = scope(caller.user, SourceDetail.objects.filter(report=report), Action.VIEW).first()
    if detail is not None:
        with transaction.atomic():
            audit_record(actor=caller.user, action=AuditAction.VIEW, target=detail, client_ip=caller.client_ip)
    return detail


def report_subjects(*, user, report: IntelligenceReport) -> list[dict]:
    """What the report links, as the user may see it: each link with its two ends."""
    links = list(
        graph_selectors.links_visible(user=user).from_record(report).select_related("source_type", "target_type")
    )
    resolved = graph_selectors.resolve(links)
    rows = []
    for link in links:
        source = resolved.get((link.source_type_id, link.source_id))
        target = resolved.get((link.target_type_id, link.target_id))
        if source is None or target is None:
            continue
        rows.append(
            {
                "link": link,
                "source": source,
                "source_url": graph_selectors.record_url(source),
                "target": target,
                "target_url": graph_selectors.record_url(target),
                "named_only": target == report,
            }
        )
    return rows


def report_versions(*, user, report: IntelligenceReport) -> QuerySet:
    return scope(user, report.sanitised_versions.select_related("drafted_by", "approved_by"), Action.VIEW)


def disclosures(*, user, report: IntelligenceReport) -> QuerySet:
    """Every share of the report and of its sanitised versions, with recipient and reason, for
    those who may share it."""
    if not can(user, Action.SHARE, report):
        return AccessGrant.objects.none()
    versions = SanitisedVersion.objects.filter(report=report).values("pk")
    report_ct = ContentType.objects.get_for_model(IntelligenceReport)
    version_ct = ContentType.objects.get_for_model(SanitisedVersion)
    from django.db.models import Q

    return (
        AccessGrant.objects.filter(kind=GrantKind.SHARE)
        .filter(Q(content_type=report_ct, object_id=report.pk) | Q(content_type=version_ct, object_id__in=versions))
        .select_related("grantee_user", "grantee_team", "grantee_agency", "granted_by", "content_type")
        .order_by("-granted_at")
    )
