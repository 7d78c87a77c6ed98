"""Referrals over the API (/api/v1/referrals/): the same policy, services and audit as the screens.

A referral the caller may not see answers 404, exactly as an absent one. Listing is audited (which
referrals were listed), and so is opening one.
"""

from django.db import transaction
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from harbour.accounts.models import Agency, Team
from harbour.api.serializers import DetailSerializer, FieldErrorsSerializer, NamedChoiceField, StrictInputMixin
from harbour.api.views import JsonApiMixin, Pagination, caller_for
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record

from . import selectors, services
from .models import Referral, ReferralKind, ReferralStatus, SharingBasis, Urgency

UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="No valid token or session.")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="Absent, or hidden from the caller: the same answer.")
BAD_INPUT = OpenApiResponse(FieldErrorsSerializer, description="The input was not valid; each field is named.")
TAG = "referrals"


class EnumField(NamedChoiceField):
    """A choice field named after its choices class in the schema (`ReferralStatus`), not the field."""

    def __init__(self, choices_class, **kwargs):
        self.choices_class_name = choices_class.__name__
        super().__init__(choices=choices_class.choices, **kwargs)

    def enum_name(self) -> str | None:
        return None if self.allow_blank or self.allow_null else self.choices_class_name


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, source="__str__")


class RecordRefSerializer(serializers.Serializer):
    type = serializers.CharField(read_only=True, help_text='The record type, e.g. "people.person".')
    id = serializers.IntegerField(read_only=True)


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    kind = EnumField(ReferralKind, read_only=True)
    status = EnumField(ReferralStatus, read_only=True)
    urgency = EnumField(Urgency, read_only=True)
    record = serializers.SerializerMethodField()
    person = serializers.IntegerField(read_only=True, source="person_id", allow_null=True)
    from_agency = RefSerializer(read_only=True)
    from_team = RefSerializer(read_only=True, allow_null=True)
    referred_by = serializers.CharField(read_only=True)
    to_agency = RefSerializer(read_only=True)
    to_team = RefSerializer(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    keep_previous_access = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    decided_by = serializers.CharField(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_reason = serializers.CharField(read_only=True)

    def get_record(self, referral) -> RecordRefSerializer:
        return {"type": f"{referral.content_type.app_label}.{referral.content_type.model}", "id": referral.object_id}


class ReferralCreateSerializer(StrictInputMixin, serializers.Serializer):
    record_type = serializers.CharField(help_text='The record type, e.g. "people.person".')
    record_id = serializers.IntegerField()
    kind = EnumField(ReferralKind, default=ReferralKind.REFERRAL)
    to_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    to_team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    urgency = EnumField(Urgency, default=Urgency.ROUTINE)
    reason = serializers.CharField()
    summary = serializers.CharField()
    keep_previous_access = serializers.BooleanField(default=False)
    to_protect_child = serializers.BooleanField(default=True)
    basis = EnumField(SharingBasis)
    basis_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ListParamsSerializer(serializers.Serializer):
    box = serializers.ChoiceField(choices=["all", "incoming", "outgoing"], default="all")
    status = EnumField(ReferralStatus, required=False)


class ReferralListView(JsonApiMixin, GenericAPIView):
    serializer_class = ReferralSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="referrals_list",
        summary="List referrals and transfers",
        description=(
            "`incoming`: those the caller may decide (sent to their team or agency); `outgoing`: those "
            "their agency sent that they may see; `all` (default): both. The listing is audited."
        ),
        parameters=[
            OpenApiParameter("box", str, enum=["all", "incoming", "outgoing"]),
            OpenApiParameter("status", str, enum=ReferralStatus.values),
        ],
        responses={200: ReferralSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED},
        tags=[TAG],
    )
    def get(self, request):
        params = ListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        box = params.validated_data["box"]
        user = request.user
        if box == "incoming":
            referrals = selectors.referrals_incoming(user=user)
        elif box == "outgoing":
            referrals = selectors.referrals_outgoing(user=user)
        else:
            referrals = selectors.referral_visible(user=user).order_by("-created_at", "-id")
        if params.validated_data.get("status"):
            referrals = referrals.filter(status=params.validated_data["status"])
        page = self.paginate_queryset(referrals)
        caller = caller_for(request)
        with transaction.atomic():
            audit_record(
                actor=user,
                action=AuditAction.SEARCH,
                object_type="sharing.referral",
                client_ip=caller.client_ip,
                details={"box": box, "status": params.validated_data.get("status", ""), "ids": [r.pk for r in page]},
            )
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(
        operation_id="referrals_create",
        summary="Refer or offer to transfer a record",
        description=(
            "The record must be visible to the caller and of a type with an access rule. A transfer "
            "can be offered only by the agency holding the record. The decision to share is recorded "
            "with its basis; the receivers are notified."
        ),
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request):
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        record = services.record_from_label(fields.pop("record_type"), fields.pop("record_id"))
        referral = services.referral_create(caller=caller_for(request), record=record, **fields)
        referral = Referral.objects.select_related(*selectors.RELATED).get(pk=referral.pk)
        return Response(
            ReferralSerializer(referral).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:referral-detail", args=[referral.pk])},
        )


class ReferralDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = ReferralSerializer

    @extend_schema(
        operation_id="referrals_retrieve",
        summary="Read a referral",
        responses={200: ReferralSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        return Response(ReferralSerializer(selectors.referral_get(caller=caller_for(request), pk=pk)).data)


class _DecideView(JsonApiMixin, GenericAPIView):
    serializer_class = ReferralSerializer
    service = None

    def post(self, request, pk: int):
        caller = caller_for(request)
        referral = selectors.referral_get(caller=caller, pk=pk, purpose="decide")
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = type(self).service(caller=caller, referral=referral, reason=data.validated_data["reason"])
        referral = Referral.objects.select_related(*selectors.RELATED).get(pk=referral.pk)
        return Response(ReferralSerializer(referral).data)


class ReferralAcceptView(_DecideView):
    service = staticmethod(services.referral_accept)

    @extend_schema(
        operation_id="referrals_accept",
        summary="Accept a referral or transfer",
        description="Only the receiver may. A referral shares the record with them; a transfer makes them its owner.",
        request=DecisionSerializer,
        responses={200: ReferralSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class ReferralDeclineView(_DecideView):
    service = staticmethod(services.referral_decline)

    @extend_schema(
        operation_id="referrals_decline",
        summary="Decline a referral or transfer",
        description="Only the receiver may, giving a reason.",
        request=DecisionSerializer,
        responses={200: ReferralSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


# Included by harbour/api/urls.py under /api/v1/referrals/ (names in the "api" namespace).
urlpatterns = [
    path("", ReferralListView.as_view(), name="referral-list"),
    path("<int:pk>/", ReferralDetailView.as_view(), name="referral-detail"),
    path("<int:pk>/accept/", ReferralAcceptView.as_view(), name="referral-accept"),
    path("<int:pk>/decline/", ReferralDeclineView.as_view(), name="referral-decline"),
]
