"""The scrutiny report and dashboards: on screen, printable, as CSV, XLSX and PDF; and the records behind a figure."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from harbour.core.caller import Caller

from . import charts, dashboards, exports, selectors
from .access import may_drill_down, may_see_reports
from .figures import ALL, cell_labels, spec_for
from .forms import DashboardForm, PeriodForm, default_period
from .periods import Period
from .suppression import RULE_TEXT

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _period(request, form_class=PeriodForm):
    """The form, the period and the breakdown asked for (the last 12 whole months by default)."""
    if "start" in request.GET or "end" in request.GET:
        form = form_class(request.GET)
        if form.is_valid():
            return form, form.period, form.breakdown_key
        return form, None, None
    period = default_period()
    return form_class(initial={"start": period.start, "end": period.last_day}), period, None


def _guard(request):
    if not may_see_reports(request.user):
        raise PermissionDenied


def _query(period, breakdown) -> str:
    params = {"start": period.start.isoformat(), "end": period.last_day.isoformat()}
    if breakdown:
        params["breakdown"] = breakdown
    return urlencode(params)


def _context(request, form, period, report, breakdown=None):
    context = {
        "form": form,
        "period": period,
        "report": report,
        "rule": RULE_TEXT,
        "query": _query(period, breakdown) if period else "",
        "drill_query": urlencode(period.as_details()) if period else "",
        "all": ALL,
        "prepared_for": _prepared_for(request.user),
    }
    if report is not None:
        context["chart"] = charts.compliance_bars(report.table("rhi_compliance"))
        context["can_drill"] = may_drill_down(request.user)
    return context


def _prepared_for(user) -> str:
    return f"{user}, {user.agency}" if getattr(user, "agency", None) else str(user)


def scrutiny(request):
    _guard(request)
    form, period, breakdown = _period(request)
    report = None
    if period:
        report = selectors.scrutiny_report(caller=Caller.from_request(request), period=period, breakdown=breakdown)
    return render(request, "reports/scrutiny.html", _context(request, form, period, report, breakdown))


def scrutiny_print(request):
    _guard(request)
    form, period, breakdown = _period(request)
    if period is None:
        raise Http404("Choose a period")
    report = selectors.scrutiny_report(
        caller=Caller.from_request(request), period=period, fmt="print", breakdown=breakdown
    )
    return render(request, "reports/print.html", _context(request, form, period, report, breakdown))


def scrutiny_export(request, fmt: str):
    """The report as a file: aggregate only, the rule stated in it, the export audited."""
    _guard(request)
    if fmt not in EXPORT_TYPES:
        raise Http404("No such format")
    form, period, breakdown = _period(request)
    if period is None:
        raise Http404("Choose a period")
    if fmt == "pdf":
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError):
            raise Http404("PDF export is not installed; print the HTML report instead.") from None
    caller = Caller.from_request(request)
    report = selectors.scrutiny_report(caller=caller, period=period, fmt=fmt, breakdown=breakdown)
    if fmt == "csv":
        body = exports.csv_bytes(report)
    elif fmt == "xlsx":
        body = exports.xlsx_bytes(report, prepared_for=_prepared_for(request.user))
    else:
        body = exports.pdf_bytes(report, context=_context(request, form, period, report, breakdown))
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="scrutiny-{period.start}-{period.last_day}.{fmt}"'
    return response


RECORD_LINKS = {
    "missing.missingepisode": ("missing:episode", "pk"),
    "missing.returnhomeinterview": ("missing:rhi", "pk"),
    "missing.policeprotection": ("missing:protection", "pk"),
    "people.person": ("people:detail", "pk"),
    "people.note": ("people:detail", "person_id"),
    "risk.screening": ("risk:screening", "pk"),
    "risk.assessment": ("risk:assessment", "pk"),
    "disruption.disruptionorder": ("disruption:order", "pk"),
    "disruption.breach": ("disruption:order", "order_id"),
    "mace.action": ("mace:meeting", "meeting_id"),
}


def _link(record) -> str | None:
    """Where a record behind a figure opens (its own page, or the page it is shown on)."""
    name, attr = RECORD_LINKS.get(record._meta.label_lower, (None, None))
    return reverse(name, args=[getattr(record, attr)]) if name else None


def figure(request, table_key: str, row_key: str, col_key: str):
    """The records behind one figure: only for roles that work cases, through the access policy."""
    _guard(request)
    if not may_drill_down(request.user):
        raise PermissionDenied
    try:
        spec = spec_for(table_key)
    except KeyError:
        raise Http404("No such figure") from None
    try:
        period = Period(date.fromisoformat(request.GET["start"]), date.fromisoformat(request.GET["end_exclusive"]))
        records, total = selectors.figure_records(
            caller=Caller.from_request(request), period=period, table_key=table_key, row_key=row_key, col_key=col_key
        )
    except (KeyError, ValueError, StopIteration):
        raise Http404("No such figure") from None
    rows = [(r, _link(r)) for r in records]
    back = reverse("reports:scrutiny") + "?" + urlencode({"start": period.start, "end": period.last_day})
    row_label, col_label = cell_labels(table_key, period, row_key, col_key, user=request.user)
    context = {
        "spec": spec,
        "period": period,
        "rows": rows,
        "total": total,
        "row_label": row_label,
        "col_label": col_label,
        "back": back,
    }
    return render(request, "reports/figure.html", context)


def dashboard(request):
    """The dashboard for the user's role, for a period (the last 12 whole months by default)."""
    _guard(request)
    board = dashboards.for_user(request.user)
    if board is None:
        raise PermissionDenied
    form, period, _ = _period(request, DashboardForm)
    panels = []
    if period:
        report = selectors.scrutiny_report(
            caller=Caller.from_request(request),
            period=period,
            fmt="dashboard",
            keys=board.tables,
            report_name=f"{board.key} dashboard",
        )
        panels = [panel.draw(report) for panel in board.panels]
    context = {
        "form": form,
        "period": period,
        "board": board,
        "charts": panels,
        "rule": RULE_TEXT,
        "query": _query(period, None) if period else "",
    }
    return render(request, "reports/dashboard.html", context)
