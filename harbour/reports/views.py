"""The scrutiny report: on screen, printable, as CSV; and the records behind a figure."""

import csv
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from harbour.core.caller import Caller

from . import charts, selectors
from .access import may_drill_down, may_see_reports
from .figures import ALL, SPECS
from .forms import PeriodForm, default_period
from .periods import Period
from .suppression import RULE_TEXT


def _period(request):
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
        return form, (form.period if form.is_valid() else None)
    period = default_period()
    return PeriodForm(initial={"start": period.start, "end": period.last_day}), period


def _guard(request):
    if not may_see_reports(request.user):
        raise PermissionDenied


def _context(request, form, period, report):
    query = urlencode({"start": period.start.isoformat(), "end": period.last_day.isoformat()}) if period else ""
    drill_query = urlencode(period.as_details()) if period else ""
    context = {
        "form": form,
        "period": period,
        "report": report,
        "rule": RULE_TEXT,
        "query": query,
        "drill_query": drill_query,
        "all": ALL,
    }
    if report is not None:
        context["chart"] = charts.compliance_bars(report.table("rhi_compliance"))
        context["can_drill"] = may_drill_down(request.user)
    return context


def scrutiny(request):
    _guard(request)
    form, period = _period(request)
    report = selectors.scrutiny_report(caller=Caller.from_request(request), period=period) if period else None
    return render(request, "reports/scrutiny.html", _context(request, form, period, report))


def scrutiny_print(request):
    _guard(request)
    form, period = _period(request)
    if period is None:
        raise Http404("Choose a period")
    report = selectors.scrutiny_report(caller=Caller.from_request(request), period=period, fmt="print")
    return render(request, "reports/print.html", _context(request, form, period, report))


def scrutiny_csv(request):
    _guard(request)
    form, period = _period(request)
    if period is None:
        raise Http404("Choose a period")
    report = selectors.scrutiny_report(caller=Caller.from_request(request), period=period, fmt="csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scrutiny-{period.start}-{period.last_day}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Harbour scrutiny report", str(period), "Aggregate figures only"])
    writer.writerow(["Suppression rule", RULE_TEXT])
    writer.writerow(["Section", "Table", "Row", "Column", "Value", "Hidden"])
    for section in report.sections:
        for table in section.tables:
            for _, row_label, cells, row_total in table.lines():
                for (_, cell), (_, col_label) in zip(cells, table.cols, strict=True):
                    writer.writerow(
                        [section.title, table.spec.title, row_label, col_label, cell.display, cell.suppressed]
                    )
                if row_total is not None:
                    writer.writerow(
                        [
                            section.title,
                            table.spec.title,
                            row_label,
                            table.spec.total_label,
                            row_total.display,
                            row_total.suppressed,
                        ]
                    )
            totals = table.totals()
            if totals:
                col_cells, grand = totals
                for (_, cell), (_, col_label) in zip(col_cells, table.cols, strict=True):
                    writer.writerow(
                        [
                            section.title,
                            table.spec.title,
                            table.spec.total_label,
                            col_label,
                            cell.display,
                            cell.suppressed,
                        ]
                    )
                if grand is not None:
                    writer.writerow(
                        [
                            section.title,
                            table.spec.title,
                            table.spec.total_label,
                            "Total",
                            grand.display,
                            grand.suppressed,
                        ]
                    )
    return response


RECORD_LINKS = {
    "missing.missingepisode": "missing:episode",
    "missing.returnhomeinterview": "missing:rhi",
    "missing.policeprotection": "missing:protection",
    "people.person": "people:detail",
}


def figure(request, table_key: str, row_key: str, col_key: str):
    """The records behind one figure: only for roles that work cases, through the access policy."""
    _guard(request)
    if not may_drill_down(request.user):
        raise PermissionDenied
    if table_key not in SPECS:
        raise Http404("No such figure")
    try:
        period = Period(date.fromisoformat(request.GET["start"]), date.fromisoformat(request.GET["end_exclusive"]))
        records, total = selectors.figure_records(
            caller=Caller.from_request(request), period=period, table_key=table_key, row_key=row_key, col_key=col_key
        )
    except (KeyError, ValueError, StopIteration):
        raise Http404("No such figure") from None
    label = records[0]._meta.label_lower if records else None
    rows = [(r, reverse(RECORD_LINKS[label], args=[r.pk])) for r in records] if label in RECORD_LINKS else []
    back = reverse("reports:scrutiny") + "?" + urlencode({"start": period.start, "end": period.last_day})
    context = {
        "spec": SPECS[table_key],
        "period": period,
        "rows": rows,
        "total": total,
        "row_key": row_key,
        "col_key": col_key,
        "all": ALL,
        "back": back,
    }
    return render(request, "reports/figure.html", context)
