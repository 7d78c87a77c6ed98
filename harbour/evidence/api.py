"""Digital evidence over the API (/api/v1/evidence/): the same policy, forms, services, selectors,
custody events and audit as the screens.

Each endpoint mirrors a screen: what the screen logs as a custody event (opening an item or a
conversation, a search) is one here too, and what it only audits (the indicator and identifier
lists) is only audited. Input is checked by the screens' own forms (ImportForm, SearchForm), so
the API cannot accept what the screen refuses; the serializers beside them only describe the
input for the schema (a test keeps the two in step). Anything hidden answers 404, as absent.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.http import urlencode
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from harbour.access.policy import Action, can
from harbour.api.serializers import DetailSerializer, FieldErrorsSerializer, NamedChoiceField, StrictInputMixin
from harbour.api.views import JsonApiMixin, Pagination, caller_for

from . import selectors, services
from .forms import ImportForm, SearchForm
from .indicators import Indicators
from .models import CustodyAction, EvidenceFormat, ExtractedIdentifier, ImportPolicy, ItemStatus

UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="No valid token or session.")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="Absent, or hidden from the caller: the same answer.")
BAD_INPUT = OpenApiResponse(FieldErrorsSerializer, description="The input was not valid; each field is named.")
TAG = "evidence"


def form_errors(form) -> ValidationError:
    """A screen form's errors as the API's field errors (`__all__` becomes `non_field_errors`)."""
    return ValidationError({name: list(errors) for name, errors in form.errors.as_data().items()})


class Enum(NamedChoiceField):
    """A choice field whose choice set is one named component of the schema (`EvidenceItemStatus`),
    so evidence's `status` and `kind` never collide with other apps' fields of the same name."""

    def __init__(self, choices_class, *, name: str, **kwargs):
        self.schema_name = name
        super().__init__(choices=choices_class.choices, **kwargs)

    def enum_name(self) -> str | None:
        return None if self.allow_blank or self.allow_null else self.schema_name


class EnumScheme(OpenApiSerializerFieldExtension):
    target_class = "harbour.evidence.api.Enum"

    def get_name(self):
        return self.target.enum_name()

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)  # a named component already
        return schema


# --- Output shapes -------------------------------------------------------------------------------


class EvidenceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class InvestigationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    owning_agency = EvidenceRefSerializer(read_only=True)
    owning_team = EvidenceRefSerializer(read_only=True)
    is_restricted = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class InvestigationDetailSerializer(InvestigationSerializer):
    examiner_notes = serializers.CharField(read_only=True)
    can_import = serializers.BooleanField(read_only=True, help_text="Whether the caller may import evidence into it.")


class EvidenceErrorLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(read_only=True, help_text="1-based line of the original file.")
    position = serializers.IntegerField(read_only=True)
    error = serializers.CharField(read_only=True)


class EvidenceProgressSerializer(serializers.Serializer):
    """Counters only: reading them shows no evidence and is not a custody event."""

    id = serializers.IntegerField(read_only=True)
    status = Enum(ItemStatus, name="EvidenceItemStatus", read_only=True)
    status_label = serializers.CharField(read_only=True, source="get_status_display")
    percent = serializers.IntegerField(read_only=True, help_text="Share of the original read, 0-100.")
    size = serializers.IntegerField(read_only=True, help_text="Bytes in the original.")
    bytes_read = serializers.IntegerField(read_only=True)
    messages_done = serializers.IntegerField(read_only=True)
    skipped_lines = serializers.IntegerField(read_only=True, source="skipped", help_text="Malformed lines.")
    flags_found = serializers.IntegerField(read_only=True)
    error = serializers.CharField(read_only=True, help_text="Why a failed import stopped; it can be resumed.")
    error_report = EvidenceErrorLineSerializer(many=True, read_only=True, help_text="The first 1,000 malformed lines.")
    attempts = serializers.IntegerField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)


class EvidenceItemSerializer(EvidenceProgressSerializer):
    investigation = serializers.IntegerField(read_only=True, source="investigation_id")
    description = serializers.CharField(read_only=True)
    source_device = serializers.CharField(read_only=True)
    source_platform = serializers.CharField(read_only=True)
    export_description = serializers.CharField(read_only=True)
    seized_by = serializers.CharField(read_only=True)
    seized_at = serializers.DateTimeField(read_only=True)
    imported_by = serializers.CharField(read_only=True, source="imported_by.get_username")
    imported_at = serializers.DateTimeField(read_only=True)
    original_name = serializers.CharField(read_only=True)
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the original, kept read-only.")
    format = Enum(EvidenceFormat, name="EvidenceFormat", read_only=True)
    policy = Enum(ImportPolicy, name="EvidenceImportPolicy", read_only=True)
    conversation_name = serializers.CharField(read_only=True)
    timezone = serializers.CharField(read_only=True)


class EvidenceMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    item = serializers.IntegerField(read_only=True, source="item_id")
    conversation = serializers.CharField(read_only=True)
    sender = serializers.CharField(read_only=True)
    recipients = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField(read_only=True)
    text = serializers.CharField(read_only=True)
    line = serializers.IntegerField(read_only=True, source="line_no", help_text="Line in the original file.")
    url = serializers.SerializerMethodField(help_text="The message in its conversation, on the screens.")

    def get_recipients(self, message) -> list[str]:
        return [r for r in message.recipients.split(";") if r]

    def get_url(self, message) -> str:
        return reverse("evidence:message", args=[message.pk])


class EvidenceHitSerializer(serializers.Serializer):
    message = EvidenceMessageSerializer(read_only=True)
    before = EvidenceMessageSerializer(
        many=True, read_only=True, help_text="Earlier messages of the same conversation."
    )
    after = EvidenceMessageSerializer(many=True, read_only=True, help_text="Later messages of the same conversation.")
    families = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="Indicator families.")


class EvidenceRankedConversationSerializer(serializers.Serializer):
    item = serializers.IntegerField(read_only=True, source="item_id")
    item_description = serializers.CharField(read_only=True)
    conversation = serializers.CharField(read_only=True)
    score = serializers.IntegerField(read_only=True, help_text="Higher for more, and weightier, indicator families.")
    flags = serializers.IntegerField(read_only=True)
    families = serializers.ListField(child=serializers.CharField(), read_only=True)
    first = serializers.DateTimeField(read_only=True)
    last = serializers.DateTimeField(read_only=True)
    flags_url = serializers.SerializerMethodField(help_text="This conversation's flags, in time order.")

    def get_flags_url(self, ranked) -> str:
        query = urlencode({"conversation": ranked.conversation})
        return f"{reverse('api:evidence-item-flags', args=[ranked.item_id])}?{query}"


class EvidenceFamilySerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    flags = serializers.IntegerField(read_only=True)


class EvidenceFlagsSerializer(serializers.Serializer):
    families = EvidenceFamilySerializer(many=True, read_only=True, help_text="Every family, with its number of flags.")
    conversations = EvidenceRankedConversationSerializer(many=True, read_only=True, help_text="Ranked for review.")


class EvidenceFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    family = serializers.CharField(read_only=True)
    family_label = serializers.SerializerMethodField()
    matched = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="The words that matched.")
    sent_at = serializers.DateTimeField(read_only=True)
    message = EvidenceMessageSerializer(read_only=True)

    def get_family_label(self, flag) -> str:
        return Indicators.load().labels.get(flag.family, flag.family)


class EvidenceFirstSeenSerializer(serializers.Serializer):
    message = serializers.IntegerField(read_only=True, source="message_id")
    item = serializers.IntegerField(read_only=True, source="message.item_id")
    line = serializers.IntegerField(read_only=True, source="message.line_no")
    sender = serializers.CharField(read_only=True, source="message.sender")
    raw = serializers.CharField(read_only=True, help_text="As written in the message.")


class EvidenceIdentifierSerializer(serializers.Serializer):
    kind = Enum(ExtractedIdentifier.Kind, name="EvidenceIdentifierKind", read_only=True)
    value = serializers.CharField(read_only=True, help_text="Normalised (phones in E.164).")
    occurrences = serializers.IntegerField(read_only=True)
    first = EvidenceFirstSeenSerializer(read_only=True)
    selected = serializers.BooleanField(read_only=True, help_text="Chosen to carry forward to the entity graph.")


class EvidenceCustodyEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    action = Enum(CustodyAction, name="EvidenceCustodyAction", read_only=True)
    actor = serializers.CharField(read_only=True, source="actor_username")
    item = serializers.IntegerField(read_only=True, source="item_id", allow_null=True)
    details = serializers.DictField(read_only=True)


# --- Input shapes (for the schema; the screens' forms validate) ----------------------------------


class EvidenceImportInputSerializer(StrictInputMixin, serializers.Serializer):
    """multipart/form-data, as the screen's import form."""

    upload = serializers.FileField(help_text="The original export. It is kept unchanged, read-only.")
    format = Enum(EvidenceFormat, name="EvidenceFormat")
    policy = Enum(ImportPolicy, name="EvidenceImportPolicy", default=ImportPolicy.KEEP_VALID)
    description = serializers.CharField(max_length=200, help_text="Exhibit description, e.g. AB/1 chat export.")
    source_device = serializers.CharField(max_length=200, required=False, allow_blank=True)
    source_platform = serializers.CharField(max_length=100, required=False, allow_blank=True)
    export_description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    seized_by = serializers.CharField(max_length=200)
    seized_at = serializers.DateTimeField(help_text="Without an offset, read as Europe/London.")
    conversation_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EvidenceSearchParamsSerializer(serializers.Serializer):
    """As the search screen: give words, a participant or dates (or several)."""

    words = serializers.CharField(
        max_length=300, required=False, help_text='All words must appear; a phrase in quotes: "delete this chat".'
    )
    participant = serializers.CharField(max_length=200, required=False, help_text="Sent by.")
    date_from = serializers.DateField(required=False, help_text="From this day (Europe/London).")
    date_to = serializers.DateField(required=False, help_text="To this day, inclusive (Europe/London).")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=Pagination.max_limit)
    offset = serializers.IntegerField(required=False, min_value=0)


class EvidenceIdentifierParamsSerializer(StrictInputMixin, serializers.Serializer):
    kind = Enum(ExtractedIdentifier.Kind, name="EvidenceIdentifierKind", required=False)


# --- Helpers -------------------------------------------------------------------------------------


def _paged(view, request, total: int, data) -> Response:
    """A page in the shape of the other lists ({count, next, previous, results})."""
    paginator = view.paginator
    paginator.request, paginator.count = request, total
    return paginator.get_paginated_response(data)


def _page_window(view, request) -> tuple[int, int]:
    paginator = view.paginator
    return paginator.get_limit(request), paginator.get_offset(request)


def _refuse_unknown(data, serializer_class) -> None:
    """Name any input field the endpoint does not take (a typo is an error, not silently dropped)."""
    unknown = sorted(set(data) - set(serializer_class().fields))
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})


# --- Investigations ------------------------------------------------------------------------------


class InvestigationListView(JsonApiMixin, GenericAPIView):
    serializer_class = InvestigationSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="evidence_investigations_list",
        summary="List the investigations the caller may see",
        description="Seen by the owning team and those it is shared with. The read is audited.",
        responses={200: InvestigationSerializer(many=True), 401: UNAUTHENTICATED},
        tags=[TAG],
    )
    def get(self, request):
        investigations = selectors.investigation_list(user=request.user).order_by("-created_at", "-id")
        page = self.paginate_queryset(investigations)
        selectors.investigation_list_audit(
            caller=caller_for(request), investigations=page, offset=self.paginator.offset
        )
        return self.get_paginated_response(InvestigationSerializer(page, many=True).data)


class InvestigationDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = InvestigationDetailSerializer

    @extend_schema(
        operation_id="evidence_investigations_retrieve",
        summary="Read an investigation",
        description="The read is audited. One the caller may not see answers 404, exactly as an absent one.",
        responses={200: InvestigationDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        investigation = selectors.investigation_get(caller=caller_for(request), pk=pk)
        investigation.can_import = can(request.user, Action.CHANGE, investigation)
        return Response(InvestigationDetailSerializer(investigation).data)


# --- Items and imports ---------------------------------------------------------------------------


class ItemListView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceItemSerializer
    pagination_class = Pagination

    def get_parsers(self):
        # The upload is multipart (a file); reading is JSON as everywhere else. Session callers
        # still need the CSRF token (DRF's session authentication checks it).
        if self.request is not None and self.request.method == "POST":
            return [MultiPartParser()]
        return super().get_parsers()

    @extend_schema(
        operation_id="evidence_items_list",
        summary="The evidence items of an investigation, with their import status and progress",
        description="The read is audited as a read of the investigation.",
        responses={200: EvidenceItemSerializer(many=True), 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        investigation = selectors.investigation_get(caller=caller_for(request), pk=pk, purpose="evidence items")
        page = self.paginate_queryset(selectors.items_of(user=request.user, investigation=investigation))
        return self.get_paginated_response(EvidenceItemSerializer(page, many=True).data)

    @extend_schema(
        operation_id="evidence_items_create",
        summary="Import a chat export (upload)",
        description=(
            "The same checks and service as the screen: the original is stored read-only under its "
            "SHA-256, the receipt is a custody event, and the import runs as a background job; follow "
            "it at the item's progress URL. Only the owning team may import (others: 404). Refused "
            "while the investigation's search index is being rebuilt."
        ),
        request={"multipart/form-data": EvidenceImportInputSerializer},
        responses={201: EvidenceItemSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        caller = caller_for(request)
        investigation = selectors.investigation_get(caller=caller, pk=pk, audit=False, purpose="import")
        if not can(request.user, Action.CHANGE, investigation):
            raise Http404("Not found")
        _refuse_unknown(request.data, EvidenceImportInputSerializer)
        data = {name: value for name, value in request.data.items() if name not in request.FILES}
        data.setdefault("policy", ImportPolicy.KEEP_VALID)  # the screen's radio buttons start there
        form = ImportForm(data, request.FILES)
        if not form.is_valid():
            raise form_errors(form)
        item = services.item_import(caller=caller, investigation=investigation, **form.cleaned_data)
        return Response(
            EvidenceItemSerializer(item).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:evidence-item-detail", args=[item.pk])},
        )


class ItemDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceItemSerializer

    @extend_schema(
        operation_id="evidence_items_retrieve",
        summary="Read an evidence item: its original, source and import report",
        description="As opening the item on the screen, this is recorded in the item's chain of custody.",
        responses={200: EvidenceItemSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        item = selectors.item_get(caller=caller_for(request), pk=pk)
        return Response(EvidenceItemSerializer(item).data)


class ItemProgressView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceProgressSerializer

    @extend_schema(
        operation_id="evidence_items_progress",
        summary="An import's status and progress (poll this)",
        description="Counters only, as the screen's progress bar: not a custody event, as it shows no evidence.",
        responses={200: EvidenceProgressSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        item = selectors.item_get(caller=caller_for(request), pk=pk, custody=False)
        return Response(EvidenceProgressSerializer(item).data)


# --- Search, flags, identifiers, custody ---------------------------------------------------------


class SearchView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceHitSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="evidence_search",
        summary="Search an investigation's messages",
        description=(
            "Words (all must appear), phrases in quotes, a participant and a date range, as on the "
            "search screen; each hit with two messages of context either side, oldest first. Every "
            "search is recorded in the chain of custody with its terms, and audited."
        ),
        parameters=[EvidenceSearchParamsSerializer],
        responses={200: EvidenceHitSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        caller = caller_for(request)
        investigation = selectors.investigation_get(caller=caller, pk=pk, audit=False, purpose="search")
        criteria = {k: v for k, v in request.query_params.items() if k not in ("limit", "offset", "format")}
        _refuse_unknown(criteria, EvidenceSearchParamsSerializer)
        form = SearchForm(criteria)
        if not form.is_valid():
            raise form_errors(form)
        limit, offset = _page_window(self, request)
        results = selectors.search(
            caller=caller,
            investigation=investigation,
            words=form.cleaned_data["words"],
            participant=form.cleaned_data["participant"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            limit=limit,
            offset=offset,
        )
        self.paginator.limit, self.paginator.offset = limit, offset
        return _paged(self, request, results.total, EvidenceHitSerializer(results.hits, many=True).data)


class FlagsView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceFlagsSerializer

    @extend_schema(
        operation_id="evidence_flags",
        summary="Grooming indicator flags, by conversation",
        description=(
            "The conversations to review first (the more and weightier indicator families, the "
            "higher) and the number of flags per family, as the indicators screen. A flag is a reason "
            "to read the message in context, never a finding. The read is audited."
        ),
        responses={200: EvidenceFlagsSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        investigation = selectors.investigation_get(caller=caller_for(request), pk=pk, purpose="indicator flags")
        counts = selectors.family_counts(user=request.user, investigation=investigation)
        families = [
            {"key": key, "label": label, "flags": counts.get(key, 0)} for key, label in Indicators.load().labels.items()
        ]
        ranked = selectors.ranked_conversations(user=request.user, investigation=investigation)
        return Response(EvidenceFlagsSerializer({"families": families, "conversations": ranked}).data)


class ConversationFlagsView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceFlagSerializer

    @extend_schema(
        operation_id="evidence_conversation_flags",
        summary="One conversation's flags in time order, each with its message",
        description="Shows messages, so it is recorded in the item's chain of custody.",
        parameters=[OpenApiParameter("conversation", str, required=True, description="The conversation's name.")],
        responses={200: EvidenceFlagSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        conversation = request.query_params.get("conversation", "")
        item = selectors.item_get(caller=caller_for(request), pk=pk, custody=False)
        if not conversation.strip():
            raise ValidationError({"conversation": "Name the conversation."})
        flags = selectors.conversation_flags(caller=caller_for(request), item=item, conversation=conversation)
        return Response(EvidenceFlagSerializer(flags, many=True).data)


class IdentifierListView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceIdentifierSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="evidence_identifiers_list",
        summary="Identifiers found in the messages",
        description=(
            "Phones (UK numbers in E.164), emails, handles, web addresses, money, meeting times and places "
            "(UK postcodes), "
            "each once with how often it occurs and the message it first appears in (the first 1,000 "
            "values, as on the screen). Audited."
        ),
        parameters=[EvidenceIdentifierParamsSerializer],
        responses={200: EvidenceIdentifierSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        params = EvidenceIdentifierParamsSerializer(
            data={k: v for k, v in request.query_params.items() if k not in ("limit", "offset", "format")}
        )
        params.is_valid(raise_exception=True)
        investigation = selectors.investigation_get(caller=caller_for(request), pk=pk, purpose="identifiers")
        rows = selectors.identifiers(
            user=request.user, investigation=investigation, kind=params.validated_data.get("kind", "")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EvidenceIdentifierSerializer(page, many=True).data)


class CustodyLogView(JsonApiMixin, GenericAPIView):
    serializer_class = EvidenceCustodyEventSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="evidence_custody_list",
        summary="The chain of custody of an investigation, oldest first",
        description="Who received, viewed, searched and exported which evidence, and when. The read is audited.",
        parameters=[OpenApiParameter("item", int, required=False, description="Only this evidence item's events.")],
        responses={
            200: EvidenceCustodyEventSerializer(many=True),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
        tags=[TAG],
    )
    def get(self, request, pk: int):
        item_id = request.query_params.get("item")
        if item_id is not None and not item_id.isdigit():
            raise ValidationError({"item": "Give an evidence item's id."})
        investigation = selectors.investigation_get(caller=caller_for(request), pk=pk, purpose="custody log")
        item = None
        if item_id is not None:
            item = selectors.items_of(user=request.user, investigation=investigation).filter(pk=int(item_id)).first()
            if item is None:
                raise ValidationError({"item": "No evidence item of this investigation has that id."})
        events = selectors.custody_log(user=request.user, investigation=investigation, item=item)
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EvidenceCustodyEventSerializer(page, many=True).data)


urlpatterns = [
    path("investigations/", InvestigationListView.as_view(), name="evidence-investigation-list"),
    path("investigations/<int:pk>/", InvestigationDetailView.as_view(), name="evidence-investigation-detail"),
    path("investigations/<int:pk>/items/", ItemListView.as_view(), name="evidence-item-list"),
    path("investigations/<int:pk>/search/", SearchView.as_view(), name="evidence-search"),
    path("investigations/<int:pk>/flags/", FlagsView.as_view(), name="evidence-flags"),
    path("investigations/<int:pk>/identifiers/", IdentifierListView.as_view(), name="evidence-identifiers"),
    path("investigations/<int:pk>/custody/", CustodyLogView.as_view(), name="evidence-custody"),
    path("items/<int:pk>/", ItemDetailView.as_view(), name="evidence-item-detail"),
    path("items/<int:pk>/progress/", ItemProgressView.as_view(), name="evidence-item-progress"),
    path("items/<int:pk>/flags/", ConversationFlagsView.as_view(), name="evidence-item-flags"),
]
