"""Reads for the reports screen: the report and the records behind a figure, both audited.

The report's audit row names the period and the figures shown, never a person: the figures are
aggregates. A drill-down lists records, so its audit row names their ids, as any list read does.
"""

from django.db import transaction

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .figures import ALL, Report, build_report, records_behind
from .periods import Period


def scrutiny_report(*, caller: Caller, period: Period, fmt: str = "html") -> Report:
    report = build_report(caller.user, period)
    action = AuditAction.VIEW if fmt in ("html", "print") else AuditAction.EXPORT
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=action,
            object_type="reports.scrutiny",
            object_repr=f"Scrutiny report, {period}",
            client_ip=caller.client_ip,
            details={
                "report": "scrutiny",
                "format": fmt,
                **period.as_details(),
                "figures": [t.key for t in report.tables],
            },
        )
    return report


def figure_records(*, caller: Caller, period: Period, table_key: str, row_key: str, col_key: str = ALL) -> list:
    """The records behind one figure, as the user may see them (KeyError for an unknown figure)."""
    qs = records_behind(caller.user, period, table_key, row_key, col_key)
    records = list(qs.order_by("pk")[:500])
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
