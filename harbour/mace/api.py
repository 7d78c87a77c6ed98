"""MACE actions over the API (/api/v1/mace/actions/): the same policy and audit as the screens. The
agenda item an action belongs to is named as the caller may see it ("Restricted item" otherwise)."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from harbour.api.views import NOT_FOUND, UNAUTHENTICATED, JsonApiMixin, Pagination, caller_for
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record

from . import selectors
from .models import Action, ActionStatus


class MeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_at = serializers.DateTimeField()


class EscalationSerializer(serializers.Serializer):
    escalated_to = serializers.CharField(allow_null=True)
    escalated_at = serializers.DateTimeField()
    reason = serializers.CharField()


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    owner = serializers.StringRelatedField()
    owner_agency = serializers.CharField(source="owner_agency.name")
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    overdue = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)
    meeting = MeetingRefSerializer()
    item = serializers.SerializerMethodField(
        help_text='The agenda item as the caller may see it, or "Restricted item".'
    )
    escalations = serializers.SerializerMethodField()

    def get_item(self, action) -> str | None:
        if action.item_id is None:
            return None
        return selectors.item_title_for(user=self.context["request"].user, action=action, cache=self.context["cache"])

    @extend_schema_field(EscalationSerializer(many=True))
    def get_escalations(self, action):
        return [
            {
                "escalated_to": str(e.escalated_to) if e.escalated_to else None,
                "escalated_at": e.escalated_at,
                "reason": e.reason,
            }
            for e in action.escalations.all()
        ]


def _context(request) -> dict:
    return {"request": request, "cache": {}}


class ActionListView(JsonApiMixin, GenericAPIView):
    serializer_class = ActionSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="mace_actions_list",
        summary="List MACE actions",
        description=(
            "The actions the caller may see: their own, those escalated to them, and those of meetings they attend "
            "whose agenda item they may see. `?mine=1` lists only the caller's own. The page read is audited."
        ),
        parameters=[OpenApiParameter("mine", bool, description="Only the caller's own actions.")],
        responses={200: ActionSerializer(many=True), 401: UNAUTHENTICATED},
        tags=["mace"],
    )
    def get(self, request):
        actions = selectors.action_visible(user=request.user)
        if request.query_params.get("mine") in ("1", "true"):
            actions = actions.filter(owner=request.user)
        actions = actions.select_related("meeting", "owner", "owner_agency", "item", "item__content_type")
        actions = actions.prefetch_related("escalations__escalated_to").order_by("due_on", "pk")
        page = self.paginate_queryset(actions)
        caller = caller_for(request)
        with transaction.atomic():
            audit_record(
                actor=caller.user,
                action=AuditAction.SEARCH,
                object_type=Action._meta.label_lower,
                client_ip=caller.client_ip,
                details={"list": True, "offset": self.paginator.offset, "result_ids": [a.pk for a in page]},
            )
        return self.get_paginated_response(ActionSerializer(page, many=True, context=_context(request)).data)


class ActionDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = ActionSerializer

    @extend_schema(
        operation_id="mace_actions_retrieve",
        summary="Read a MACE action",
        description="The read is audited. An action the caller may not see answers 404, exactly as an absent one.",
        responses={200: ActionSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["mace"],
    )
    def get(self, request, pk: int):
        action = selectors.action_get(caller=caller_for(request), pk=pk, purpose="api")
        return Response(ActionSerializer(action, context=_context(request)).data)
