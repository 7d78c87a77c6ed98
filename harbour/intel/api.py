"""Intelligence over the API (/api/v1/intel/): the same policy, services and audit as the screens.

Originals reach police only, by handling code; source details never leave through the API; a
partner agency sees only the approved sanitised versions disclosed to it (/api/v1/intel/sanitised/).
"""

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from harbour.api.serializers import DetailSerializer, FieldErrorsSerializer, StrictInputMixin
from harbour.api.views import JsonApiMixin, Pagination, caller_for

from . import selectors, services
from .grading import (
    GradingSystem,
    HandlingCode,
    IntelligenceAssessment,
    LegacyHandlingCode,
    LegacyIntelligenceEvaluation,
    LegacySourceEvaluation,
    SourceEvaluation,
)
from .models import IntelligenceReport, SanitisedVersion

UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="No valid token or session.")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="Absent, or hidden by its handling: the same answer.")
BAD_INPUT = OpenApiResponse(FieldErrorsSerializer, description="The input was not valid; each field is named.")


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class IntelReportSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    grading = serializers.CharField(read_only=True)
    owning_agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = IntelligenceReport
        fields = [
            "id",
            "reference",
            "title",
            "text",
            "information_date",
            "grading_system",
            "grading",
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
            "handling_conditions",
            "legacy_source_evaluation",
            "legacy_intelligence_evaluation",
            "legacy_handling_code",
            "conditions_apply",
            "owning_agency",
            "created_at",
        ]
        read_only_fields = fields


class SanitisedSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    owning_agency = AgencyRefSerializer(source="report.owning_agency", read_only=True)

    class Meta:
        model = SanitisedVersion
        fields = ["id", "reference", "text", "sharing_conditions", "grading", "status", "approved_at", "owning_agency"]
        read_only_fields = fields


class SourceDetailInputSerializer(StrictInputMixin, serializers.Serializer):
    source_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    source_description = serializers.CharField()
    how_obtained = serializers.CharField(required=False, allow_blank=True)


def _choice(choices):
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class IntelInputSerializer(StrictInputMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    information_date = serializers.DateField(required=False, allow_null=True)
    grading_system = serializers.ChoiceField(choices=GradingSystem.choices, default=GradingSystem.THREE_FIVE_TWO)
    source_evaluation = _choice(SourceEvaluation.choices)
    intelligence_assessment = _choice(IntelligenceAssessment.choices)
    handling_code = _choice(HandlingCode.choices)
    handling_conditions = serializers.CharField(required=False, allow_blank=True)
    legacy_source_evaluation = _choice(LegacySourceEvaluation.choices)
    legacy_intelligence_evaluation = _choice(LegacyIntelligenceEvaluation.choices)
    legacy_handling_code = _choice(LegacyHandlingCode.choices)
    source_detail = SourceDetailInputSerializer(required=False, help_text="Kept apart; never returned by the API.")


class IntelListView(JsonApiMixin, GenericAPIView):
    serializer_class = IntelReportSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="intel_list",
        summary="List the intelligence reports the caller may see",
        description="Police only, by handling code. Partners receive an empty list: see /intel/sanitised/.",
        responses={200: IntelReportSerializer(many=True), 401: UNAUTHENTICATED},
        tags=["intelligence"],
    )
    def get(self, request):
        caller = caller_for(request)
        reports = selectors.report_visible(user=request.user)
        page = self.paginate_queryset(reports)
        selectors._audit_list(caller, "intel.intelligencereport", [r.pk for r in page], offset=self.paginator.offset)
        return self.get_paginated_response(IntelReportSerializer(page, many=True).data)

    @extend_schema(
        operation_id="intel_create",
        summary="Record an intelligence report",
        description="Police officers and analysts. 3x5x2 by default; 5x5x5 only to bring legacy items across.",
        request=IntelInputSerializer,
        responses={201: IntelReportSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["intelligence"],
    )
    def post(self, request):
        data = IntelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        source_detail = fields.pop("source_detail", None)
        report = services.report_create(caller=caller_for(request), source_detail=source_detail, **fields)
        return Response(
            IntelReportSerializer(report).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:intel-detail", args=[report.pk])},
        )


class IntelDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = IntelReportSerializer

    @extend_schema(
        operation_id="intel_retrieve",
        summary="Read an intelligence report",
        description="The read is audited. A report hidden by its handling answers 404, as an absent one.",
        responses={200: IntelReportSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["intelligence"],
    )
    def get(self, request, pk: int):
        report = selectors.report_get(caller=caller_for(request), pk=pk)
        return Response(IntelReportSerializer(report).data)


class SanitisedListView(JsonApiMixin, GenericAPIView):
    serializer_class = SanitisedSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="intel_sanitised_list",
        summary="List sanitised intelligence shared with the caller",
        responses={200: SanitisedSerializer(many=True), 401: UNAUTHENTICATED},
        tags=["intelligence"],
    )
    def get(self, request):
        caller = caller_for(request)
        page = self.paginate_queryset(selectors.shared_with_me(user=request.user))
        selectors._audit_list(caller, "intel.sanitisedversion", [v.pk for v in page], offset=self.paginator.offset)
        return self.get_paginated_response(SanitisedSerializer(page, many=True).data)


class SanitisedDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = SanitisedSerializer

    @extend_schema(
        operation_id="intel_sanitised_retrieve",
        summary="Read a sanitised version",
        responses={200: SanitisedSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["intelligence"],
    )
    def get(self, request, pk: int):
        version = selectors.sanitised_get(caller=caller_for(request), pk=pk)
        return Response(SanitisedSerializer(version).data)


urlpatterns = [
    path("", IntelListView.as_view(), name="intel-list"),
    path("<int:pk>/", IntelDetailView.as_view(), name="intel-detail"),
    path("sanitised/", SanitisedListView.as_view(), name="intel-sanitised-list"),
    path("sanitised/<int:pk>/", SanitisedDetailView.as_view(), name="intel-sanitised-detail"),
]
