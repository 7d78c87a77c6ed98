"""Links over the API (/api/v1/graph/links/?kind=person&id=12): the same policy-scoped, audited
answer as the link chart. A hidden person is never in it, not even as an id."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from harbour.api.serializers import DetailSerializer, FieldErrorsSerializer, StrictInputMixin
from harbour.api.views import JsonApiMixin, caller_for

from . import registry, selectors
from .models import LinkType


class LinkParamsSerializer(StrictInputMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=[], help_text="person, place, phone, email, vehicle, account, organisation")
    id = serializers.IntegerField(min_value=1)
    types = serializers.ListField(child=serializers.ChoiceField(choices=LinkType.choices), required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(registry.NODE_KINDS)

    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            plain = {k: v for k, v in data.items() if k != "types"}
            if "types" in data:
                plain["types"] = data.getlist("types")
            data = plain
        return super().to_internal_value(data)


class NodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text='"kind:id", e.g. "person:12"')
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()


class EdgeSerializer(serializers.Serializer):
    id = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()
    link_type = serializers.ChoiceField(choices=LinkType.choices)
    label = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    provenance = serializers.CharField()
    provenance_url = serializers.CharField()
    grading = serializers.CharField()
    grading_system = serializers.CharField()
    automatic = serializers.BooleanField()


class GraphSerializer(serializers.Serializer):
    root = serializers.CharField()
    nodes = NodeSerializer(many=True)
    edges = EdgeSerializer(many=True)
    truncated = serializers.BooleanField()


class LinkListView(JsonApiMixin, GenericAPIView):
    serializer_class = GraphSerializer

    @extend_schema(
        operation_id="graph_links_list",
        summary="The links of one person, place or entity that the caller may see",
        parameters=[LinkParamsSerializer],
        responses={
            200: GraphSerializer,
            400: OpenApiResponse(FieldErrorsSerializer),
            404: OpenApiResponse(DetailSerializer, description="Absent or hidden: the same answer."),
        },
        tags=["graph"],
    )
    def get(self, request):
        params = LinkParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        graph = selectors.expand(
            caller=caller_for(request),
            kind=data["kind"],
            pk=data["id"],
            link_types=data.get("types"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        return Response(graph)


urlpatterns = [path("links/", LinkListView.as_view(), name="graph-links")]
