"""The scrutiny figures over the API (/api/v1/reports/...): the same report, suppression and audit as
the screens and exports, and the drill-down through the same access policy.

- `GET reports/scrutiny/?start=&end=[&breakdown=][&figures=a,b]`: every figure (or those named), as
  shown: a hidden number has `value: null` and its `display` ("fewer than 5"). The read is audited.
- `GET reports/scrutiny/figures/<table>/<row>/<column>/?start=&end_exclusive=`: the records behind one
  figure that the caller may see (supervisors and analysts only); audited with their ids.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from harbour.api.views import NOT_FOUND, UNAUTHENTICATED, JsonApiMixin, caller_for

from . import selectors
from .access import may_drill_down, may_see_reports
from .figures import SPECS, Report, spec_for
from .forms import PeriodForm
from .periods import Period
from .suppression import RULE_TEXT

FORBIDDEN = {"description": "The caller's role may not read reports (or drill into records)."}


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A count (an integer) or a rate (a decimal), as published: 36, not 36.0."""

    def to_representation(self, value):
        return value


class ScrutinyCellSerializer(serializers.Serializer):
    column = serializers.CharField()
    column_label = serializers.CharField()
    value = NumberField(allow_null=True, help_text="The number as published; null when hidden.")
    display = serializers.CharField(help_text='As shown on screen: "fewer than 5", "[hidden]" or the number.')
    hidden = serializers.BooleanField()


class ScrutinyLineSerializer(serializers.Serializer):
    row = serializers.CharField()
    label = serializers.CharField()
    cells = ScrutinyCellSerializer(many=True)


class ScrutinyTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    about = serializers.CharField()
    lines = ScrutinyLineSerializer(
        many=True, help_text="Each row, then the totals row (row `*`) when the table has one."
    )


class ScrutinySectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    note = serializers.CharField()
    tables = ScrutinyTableSerializer(many=True)


class ScrutinyReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="The last day of the period (included).")
    breakdown = serializers.CharField(allow_null=True)
    rule = serializers.CharField(help_text="The small-number suppression rule, as stated on the report.")
    sentence = serializers.CharField(help_text='"N potential victims linked to M alleged perpetrators ...".')
    sections = ScrutinySectionSerializer(many=True)


class FigureRecordSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()


class FigureRecordsSerializer(serializers.Serializer):
    figure = serializers.CharField()
    row = serializers.CharField()
    column = serializers.CharField()
    count = serializers.IntegerField(help_text="How many records the caller may see behind the figure.")
    records = FigureRecordSerializer(many=True, help_text=f"The first {selectors.DRILL_LIMIT}, in id order.")


def _cells(table, cells, total, header):
    out = [
        {
            "column": key,
            "column_label": header.get(key, "Number"),
            "value": cell.public,
            "display": cell.display,
            "hidden": cell.suppressed,
        }
        for key, cell, _ in cells
    ]
    if total is not None:
        out.append(
            {
                "column": "*",
                "column_label": table.spec.total_label,
                "value": total.public,
                "display": total.display,
                "hidden": total.suppressed,
            }
        )
    return out


def report_data(report: Report) -> dict:
    """The report as published: the same cells, displays and hidden flags as the screen and exports."""
    sections = []
    for section in report.sections:
        tables = []
        for table in section.tables:
            header = dict(table.header_cols)
            lines = [
                {"row": rk, "label": rl, "cells": _cells(table, cells, total, header)}
                for rk, rl, cells, total in table.lines()
            ]
            totals = table.totals()
            if totals:
                lines.append(
                    {"row": "*", "label": table.spec.total_label, "cells": _cells(table, totals[0], totals[1], header)}
                )
            tables.append({"key": table.key, "title": table.spec.title, "about": table.spec.about, "lines": lines})
        sections.append({"title": section.title, "note": section.note, "tables": tables})
    return {
        "start": report.period.start,
        "end": report.period.last_day,
        "breakdown": report.breakdown,
        "rule": RULE_TEXT,
        "sentence": report.sentence,
        "sections": sections,
    }


PERIOD_PARAMETERS = [
    OpenApiParameter("start", date, required=True, description="First day of the period (London)."),
    OpenApiParameter("end", date, required=True, description="Last day of the period (included)."),
    OpenApiParameter("breakdown", str, enum=["agency", "team", "area", "care_home"], description="A breakdown."),
    OpenApiParameter("figures", str, description="Comma-separated table keys; all when absent."),
]


class ScrutinyReportView(JsonApiMixin, GenericAPIView):
    serializer_class = ScrutinyReportSerializer

    @extend_schema(
        operation_id="reports_scrutiny_retrieve",
        summary="The scrutiny report for a period",
        description=(
            "Aggregate figures over the records the caller may count (a manager: their agency's, never a restricted "
            "record), with small-number and secondary suppression applied exactly as on the report. The read is "
            "audited with the period and figures."
        ),
        parameters=PERIOD_PARAMETERS,
        responses={200: ScrutinyReportSerializer, 400: None, 401: UNAUTHENTICATED, 403: FORBIDDEN},
        tags=["reports"],
    )
    def get(self, request):
        if not may_see_reports(request.user):
            raise PermissionDenied
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        keys = None
        if request.query_params.get("figures"):
            keys = [k.strip() for k in request.query_params["figures"].split(",") if k.strip()]
            unknown = [k for k in keys if k not in SPECS]
            if unknown:
                raise ValidationError({"figures": [f"No such figure: {', '.join(unknown)}."]})
        report = selectors.scrutiny_report(
            caller=caller_for(request), period=form.period, fmt="api", breakdown=form.breakdown_key, keys=keys
        )
        return Response(ScrutinyReportSerializer(report_data(report)).data)


class FigureRecordsView(JsonApiMixin, GenericAPIView):
    serializer_class = FigureRecordsSerializer

    @extend_schema(
        operation_id="reports_figure_records",
        summary="The records behind one figure",
        description=(
            "The records counted in one cell (`*` for a total) that the caller may see, through the access policy; "
            "supervisors and analysts only. Audited with the ids listed. An unknown figure answers 404."
        ),
        parameters=[
            OpenApiParameter("start", date, required=True, description="First day of the period."),
            OpenApiParameter("end_exclusive", date, required=True, description="The day after the period."),
        ],
        responses={200: FigureRecordsSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["reports"],
    )
    def get(self, request, table_key: str, row_key: str, col_key: str):
        if not may_drill_down(request.user):
            raise PermissionDenied
        try:
            spec_for(table_key)
            period = Period(
                date.fromisoformat(request.query_params["start"]),
                date.fromisoformat(request.query_params["end_exclusive"]),
            )
            records, total = selectors.figure_records(
                caller=caller_for(request), period=period, table_key=table_key, row_key=row_key, col_key=col_key
            )
        except (KeyError, ValueError, StopIteration):
            raise Http404 from None
        data = {
            "figure": table_key,
            "row": row_key,
            "column": col_key,
            "count": total,
            "records": [{"type": r._meta.label_lower, "id": r.pk, "label": str(r)} for r in records],
        }
        return Response(FigureRecordsSerializer(data).data)


urlpatterns = [
    path("scrutiny/", ScrutinyReportView.as_view(), name="reports-scrutiny"),
    path(
        "scrutiny/figures/<slug:table_key>/<str:row_key>/<str:col_key>/",
        FigureRecordsView.as_view(),
        name="reports-figure-records",
    ),
]
