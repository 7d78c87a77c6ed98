"""Disruption orders over the API (/api/v1/disruption/orders/): the same policy and audit as the
screens. Fields about people are filled per caller: a subject person or a protected child the
caller may not see is left out (never named)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from harbour.api.views import NOT_FOUND, UNAUTHENTICATED, JsonApiMixin, Pagination, caller_for
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record

from . import selectors
from .models import DisruptionOrder, OrderStatus


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BreachSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    description = serializers.CharField()
    action_taken = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tool = serializers.CharField()
    tool_label = serializers.CharField()
    legal_basis = serializers.CharField(source="law_tool.basis")
    status = serializers.ChoiceField(choices=OrderStatus.choices, source="effective_status")
    subject_kind = serializers.CharField()
    subject_person = serializers.SerializerMethodField()
    subject_place = serializers.SerializerMethodField()
    subject_business = serializers.CharField()
    protected_children = serializers.SerializerMethodField()
    protected_children_hidden = serializers.SerializerMethodField(
        help_text="How many protected children the caller may not see (their names are never given)."
    )
    applicant = serializers.CharField()
    court_or_authority = serializers.CharField()
    applied_on = serializers.DateField(allow_null=True)
    granted_on = serializers.DateField(allow_null=True)
    served_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    until_further_order = serializers.BooleanField()
    conditions = serializers.CharField()
    owning_agency = serializers.CharField(source="owning_agency.name")
    breaches = serializers.SerializerMethodField()

    @property
    def _user(self):
        return self.context["request"].user

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_subject_person(self, order):
        if order.subject_person_id is None or not selectors.subject_visible(user=self._user, order=order):
            return None
        return {"id": order.subject_person_id, "name": str(order.subject_person)}

    def get_subject_place(self, order) -> str | None:
        return str(order.subject_place) if order.subject_place_id else None

    @extend_schema_field(PersonRefSerializer(many=True))
    def get_protected_children(self, order):
        return [
            {"id": c.pk, "name": str(c)} for c in selectors.visible_protected_children(user=self._user, order=order)
        ]

    def get_protected_children_hidden(self, order) -> int:
        return selectors.hidden_protected_children_count(user=self._user, order=order)

    @extend_schema_field(BreachSerializer(many=True))
    def get_breaches(self, order):
        return BreachSerializer(selectors.breaches_for(user=self._user, order=order), many=True).data


class OrderListView(JsonApiMixin, GenericAPIView):
    serializer_class = OrderSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="disruption_orders_list",
        summary="List disruption orders and notices",
        description="The orders the caller may see, newest first. The page read is audited with the ids shown.",
        responses={200: OrderSerializer(many=True), 401: UNAUTHENTICATED},
        tags=["disruption"],
    )
    def get(self, request):
        orders = selectors.order_visible(user=request.user).select_related(*selectors.ORDER_RELATED)
        page = self.paginate_queryset(orders)
        caller = caller_for(request)
        with transaction.atomic():
            audit_record(
                actor=caller.user,
                action=AuditAction.SEARCH,
                object_type=DisruptionOrder._meta.label_lower,
                client_ip=caller.client_ip,
                details={"list": True, "offset": self.paginator.offset, "result_ids": [o.pk for o in page]},
            )
        return self.get_paginated_response(OrderSerializer(page, many=True, context={"request": request}).data)


class OrderDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = OrderSerializer

    @extend_schema(
        operation_id="disruption_orders_retrieve",
        summary="Read a disruption order or notice",
        description="The read is audited. An order the caller may not see answers 404, exactly as an absent one.",
        responses={200: OrderSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["disruption"],
    )
    def get(self, request, pk: int):
        order = selectors.order_get(caller=caller_for(request), pk=pk, purpose="api")
        return Response(OrderSerializer(order, context={"request": request}).data)
