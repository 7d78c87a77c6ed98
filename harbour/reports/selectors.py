"""Reads for the reports screens, exports and API: the report and the records behind a figure, both audited.

The report's audit row names the period, the figures and the format, never a person: the figures are
aggregates. A drill-down lists records, so its audit row names their ids, as any list read does.
"""

from django.db import transaction

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .figures import ALL, Report, build_report, records_behind
from .periods import Period

SHOWN_FORMATS = frozenset({"html", "print", "dashboard", "api"})
EXPORT_FORMATS = frozenset({"csv", "xlsx", "pdf"})
DRILL_LIMIT = 500


def scrutiny_report(
    *,
    caller: Caller,
    period: Period,
    fmt: str = "html",
    breakdown: str | None = None,
    keys: list[str] | None = None,
    report_name: str = "scrutiny",
) -> Report:
    if fmt not in SHOWN_FORMATS | EXPORT_FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}")
    report = build_report(caller.user, period, keys=keys, breakdown=breakdown)
    action = AuditAction.EXPORT if fmt in EXPORT_FORMATS else AuditAction.VIEW
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=action,
            object_type="reports.scrutiny",
            object_repr=f"{report_name.capitalize()} report, {period}",
            client_ip=caller.client_ip,
            details={
                "report": report_name,
                "format": fmt,
                **period.as_details(),
                "breakdown": breakdown or "",
                "figures": [t.key for t in report.tables],
            },
        )
    return report


def figure_records(*, caller: Caller, period: Period, table_key: str, row_key: str, col_key: str = ALL) -> tuple:
    """The records behind one figure, as the user may see them (KeyError for an unknown figure)."""
    qs = records_behind(caller.user, period, table_key, row_key, col_key)
    records = list(qs.order_by("pk")[:DRILL_LIMIT])
    total = qs.count()
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.VIEW,
            object_type=qs.model._meta.label_lower,
            object_repr=f"Records behind a report figure, {period}",
            client_ip=caller.client_ip,
            details={
                "report": "scrutiny",
                "list": "figure_drill_down",
                **period.as_details(),
                "figure": table_key,
                "row": row_key,
                "column": col_key,
                "count": total,
                "ids": [r.pk for r in records],
            },
        )
    return records, total
