"""Missing children and police protection over the API (/api/v1/missing/...).

The same policy, services and audit as the screens: selectors read (and audit every read, lists
included), services write (and check the policy themselves), and anything hidden answers 404 exactly
as something absent. Serializers here only shape output and check input types; they never save.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from harbour.access.policy import scope
from harbour.accounts.models import Agency, AgencyKind, User
from harbour.api.serializers import DetailSerializer, FieldErrorsSerializer, NamedChoiceField, StrictInputMixin
from harbour.api.views import JsonApiMixin, Pagination, caller_for
from harbour.people import selectors as people_selectors
from harbour.people.models import Person, PersonKind

from . import selectors, services
from .models import (
    Category,
    EpisodeStatus,
    MissingEpisode,
    OfferMethod,
    ProfileItemKind,
    ProtectionOutcome,
    ReportedByKind,
    ReturnHomeInterview,
    RiskGrade,
    TriggerPlan,
)

UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="No valid token or session.")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="Absent, or hidden from the caller: the same answer.")
BAD_INPUT = OpenApiResponse(FieldErrorsSerializer, description="The input was not valid; each field is named.")
TAG = "missing"
HIDDEN_PEOPLE = "Choose people from records you can see."
HIDDEN_PLACE = "Choose a place from records you can see, or give a new place."


# --- Named choice sets ---------------------------------------------------------------------------


class Choice(serializers.ChoiceField):
    """A choice field whose choice set is one named component in the schema (`RiskGrade`), so fields
    called `status` or `category` elsewhere never collide with these."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class ChoiceScheme(OpenApiSerializerFieldExtension):
    target_class = "harbour.missing.api.Choice"

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema


CLOCK_STATUSES = ["on_time", "due_soon", "overdue", "done", "late"]


# --- Output shapes -------------------------------------------------------------------------------


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, source="__str__")


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    postcode = serializers.CharField(read_only=True)


class ClockSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField(read_only=True)
    status = Choice(enum_name="ClockStatus", read_only=True, choices=CLOCK_STATUSES, help_text="How the clock stands.")
    label = serializers.CharField(read_only=True)
    remaining_seconds = serializers.SerializerMethodField(help_text="Negative once overdue; at completion if done.")

    def get_remaining_seconds(self, clock) -> int:
        return int(clock.remaining.total_seconds())


class GradingSerializer(serializers.Serializer):
    grade = Choice(enum_name="RiskGrade", read_only=True, choices=RiskGrade.choices)
    reason = serializers.CharField(read_only=True)
    review_at = serializers.DateTimeField(read_only=True, allow_null=True)
    graded_at = serializers.DateTimeField(read_only=True)
    graded_by = serializers.CharField(read_only=True)


class EpisodeActionSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    field_based = serializers.BooleanField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    officer = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)


class EpisodeSerializer(serializers.Serializer):
    """A missing episode as the caller may see it. `found_with` lists only people the caller may see;
    `found_with_hidden` counts the rest."""

    id = serializers.IntegerField(read_only=True)
    child = NamedRefSerializer(read_only=True)
    category = Choice(enum_name="MissingCategory", read_only=True, choices=Category.choices)
    status = Choice(enum_name="EpisodeStatus", read_only=True, choices=EpisodeStatus.choices)
    reported_by_kind = Choice(enum_name="ReportedByKind", read_only=True, choices=ReportedByKind.choices)
    reported_by_name = serializers.CharField(read_only=True)
    reported_at = serializers.DateTimeField(read_only=True)
    last_seen_at = serializers.DateTimeField(read_only=True)
    last_seen_place = serializers.CharField(read_only=True)
    last_seen_with = serializers.CharField(read_only=True)
    clothing = serializers.CharField(read_only=True)
    owning_agency = NamedRefSerializer(read_only=True)
    current_grade = GradingSerializer(read_only=True, allow_null=True)
    found_at = serializers.DateTimeField(read_only=True, allow_null=True)
    found_where = PlaceSerializer(read_only=True, allow_null=True)
    where_not_said = serializers.BooleanField(read_only=True)
    found_with = NamedRefSerializer(many=True, read_only=True, source="api_found_with")
    found_with_hidden = serializers.IntegerField(read_only=True, source="api_found_with_hidden")
    found_alone = serializers.BooleanField(read_only=True)
    found_with_not_said = serializers.BooleanField(read_only=True)
    brought_back_by = serializers.CharField(read_only=True)
    travel_method = serializers.CharField(read_only=True)
    condition = serializers.CharField(read_only=True)
    return_interview = serializers.IntegerField(read_only=True, allow_null=True, source="api_return_interview_id")


class EpisodeDetailSerializer(EpisodeSerializer):
    gradings = GradingSerializer(many=True, read_only=True, source="api_gradings")
    actions = EpisodeActionSerializer(many=True, read_only=True, source="api_actions")


class ReturnInterviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    episode = serializers.IntegerField(read_only=True, source="episode_id")
    child = NamedRefSerializer(read_only=True)
    provider = NamedRefSerializer(read_only=True, allow_null=True)
    returned_at = serializers.DateTimeField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)
    clock = ClockSerializer(read_only=True)
    offered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    offered_how = serializers.CharField(read_only=True)
    response = serializers.CharField(read_only=True)
    held_at = serializers.DateTimeField(read_only=True, allow_null=True)
    held_in_time = serializers.BooleanField(read_only=True)


class ReturnInterviewDetailSerializer(ReturnInterviewSerializer):
    refusal_reason = serializers.CharField(read_only=True)
    carers_account = serializers.CharField(read_only=True)
    held_by = serializers.CharField(read_only=True, allow_null=True)
    independent_of_carers = serializers.BooleanField(read_only=True, allow_null=True)
    child_preferred_carer = serializers.BooleanField(read_only=True)
    harm_suffered = serializers.CharField(read_only=True)
    why_went = serializers.CharField(read_only=True)
    where_and_with_whom = serializers.CharField(read_only=True)
    push_factors = serializers.CharField(read_only=True)
    pull_factors = serializers.CharField(read_only=True)
    disclosures = serializers.CharField(read_only=True)
    onward_referrals = serializers.CharField(read_only=True)
    safety_advice = serializers.CharField(read_only=True)
    places = PlaceSerializer(many=True, read_only=True, source="api_places")
    people = NamedRefSerializer(many=True, read_only=True, source="api_people")


class ProtectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    child = NamedRefSerializer(read_only=True)
    owning_agency = NamedRefSerializer(read_only=True)
    taken_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True, help_text="72 hours after taken_at; it cannot move.")
    clock = ClockSerializer(read_only=True)
    place_of_safety = serializers.CharField(read_only=True)
    place_is_police_station = serializers.BooleanField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    missing_notifications = serializers.ListField(child=serializers.CharField(), read_only=True)


class ProtectionDetailSerializer(ProtectionSerializer):
    grounds = serializers.CharField(read_only=True)
    la_informed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    child_informed_and_wishes = serializers.CharField(read_only=True)
    parents_informed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    parents_not_informed_reason = serializers.CharField(read_only=True)
    designated_officer = serializers.CharField(read_only=True, allow_null=True)
    inquiry = serializers.CharField(read_only=True)
    contact_decisions = serializers.CharField(read_only=True)
    handed_over_at = serializers.DateTimeField(read_only=True, allow_null=True)


# --- Input shapes --------------------------------------------------------------------------------


class EpisodeReportInputSerializer(StrictInputMixin, serializers.Serializer):
    child = serializers.IntegerField(help_text="The id of the child reported missing.")
    category = Choice(enum_name="MissingCategory", choices=Category.choices, default=Category.MISSING)
    reported_by_kind = Choice(enum_name="ReportedByKind", choices=ReportedByKind.choices)
    reported_by_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reported_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    last_seen_place = serializers.CharField(max_length=300)
    last_seen_with = serializers.CharField(required=False, allow_blank=True, default="")
    clothing = serializers.CharField(required=False, allow_blank=True, default="")
    police_force = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The police force leading the search (agency id)."
    )


class GradeInputSerializer(StrictInputMixin, serializers.Serializer):
    grade = Choice(enum_name="RiskGrade", choices=RiskGrade.choices)
    reason = serializers.CharField()
    review_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class NewPlaceSerializer(StrictInputMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")


class NewPersonSerializer(StrictInputMixin, serializers.Serializer):
    """Someone not yet on record: recorded by the caller's agency, everything else 'not known'."""

    given_name = serializers.CharField(max_length=100, help_text="First name, or the name they go by.")
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    kind = NamedChoiceField(choices=PersonKind.choices)
    estimated_age_years = serializers.IntegerField(min_value=0, max_value=120)


class EpisodeCloseInputSerializer(StrictInputMixin, serializers.Serializer):
    found_at = serializers.DateTimeField()
    found_place = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A place on record (id)."
    )
    new_place = NewPlaceSerializer(required=False, allow_null=True, default=None)
    where_not_said = serializers.BooleanField(required=False, default=False)
    found_with = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="People on record (ids)."
    )
    new_people = NewPersonSerializer(many=True, required=False, default=list)
    found_alone = serializers.BooleanField(required=False, default=False)
    found_with_not_said = serializers.BooleanField(required=False, default=False)
    brought_back_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    travel_method = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    condition = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs.get("found_place") is not None and attrs.get("new_place"):
            raise serializers.ValidationError({"found_place": ["Give a place on record or a new place, not both."]})
        return attrs


class RhiHeldInputSerializer(StrictInputMixin, serializers.Serializer):
    held_at = serializers.DateTimeField()
    independent_of_carers = serializers.BooleanField()
    child_preferred_carer = serializers.BooleanField(required=False, default=False)
    harm_suffered = serializers.CharField(required=False, allow_blank=True, default="")
    why_went = serializers.CharField(required=False, allow_blank=True, default="")
    where_and_with_whom = serializers.CharField(required=False, allow_blank=True, default="")
    push_factors = serializers.CharField(required=False, allow_blank=True, default="")
    pull_factors = serializers.CharField(required=False, allow_blank=True, default="")
    disclosures = serializers.CharField(required=False, allow_blank=True, default="")
    onward_referrals = serializers.CharField(required=False, allow_blank=True, default="")
    safety_advice = serializers.CharField(required=False, allow_blank=True, default="")
    places = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    new_places = NewPlaceSerializer(many=True, required=False, default=list)
    people = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    new_people = NewPersonSerializer(many=True, required=False, default=list)


class RhiOfferInputSerializer(StrictInputMixin, serializers.Serializer):
    offered_at = serializers.DateTimeField()
    offered_how = Choice(enum_name="OfferMethod", choices=OfferMethod.choices)


class RhiRefusalInputSerializer(StrictInputMixin, serializers.Serializer):
    refusal_reason = serializers.CharField()
    carers_account = serializers.CharField(required=False, allow_blank=True, default="")


class EpisodeListParamsSerializer(StrictInputMixin, serializers.Serializer):
    status = Choice(enum_name="EpisodeStatus", choices=EpisodeStatus.choices, required=False)
    child = serializers.IntegerField(required=False, help_text="Only this child's episodes.")

    def to_internal_value(self, data):
        data = {k: v for k, v in data.items() if k not in ("limit", "offset", "format")}
        return super().to_internal_value(data)


# --- Helpers -------------------------------------------------------------------------------------


def _people(user, ids: list[int], field: str) -> list[Person]:
    """The people with these ids, if every one is a record the caller may see. Absent and hidden ids
    get the same answer, so the API cannot be used to learn which ids exist."""
    ids = list(dict.fromkeys(ids))
    people = list(scope(user, Person.objects.filter(pk__in=ids)))
    if len(people) != len(ids):
        raise ValidationError({field: HIDDEN_PEOPLE})
    return people


def _place(user, pk, field: str):
    place = selectors.places_known_to(user=user).filter(pk=pk).first()
    if place is None:
        raise ValidationError({field: HIDDEN_PLACE})
    return place


def _with_episode_extras(user, episodes, *, detail: bool = False):
    for episode in episodes:
        everyone = list(episode.found_with.all())
        visible = set(scope(user, Person.objects.filter(pk__in=[p.pk for p in everyone])).values_list("pk", flat=True))
        episode.api_found_with = [p for p in everyone if p.pk in visible]
        episode.api_found_with_hidden = len(everyone) - len(episode.api_found_with)
        rhi = scope(user, ReturnHomeInterview.objects.filter(episode=episode)).values_list("pk", flat=True).first()
        episode.api_return_interview_id = rhi
        if detail:
            episode.api_gradings = list(scope(user, episode.gradings.select_related("graded_by")))
            episode.api_actions = list(scope(user, episode.actions.select_related("officer")))
    return episodes


def _with_rhi_extras(user, rhi):
    rhi.api_places = list(rhi.places.all())
    rhi.api_people = list(scope(user, rhi.people.all()))
    return rhi


# --- Episodes ------------------------------------------------------------------------------------


class EpisodeListView(JsonApiMixin, GenericAPIView):
    serializer_class = EpisodeSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="missing_episodes_list",
        summary="List missing episodes",
        description="Episodes of children the caller may see, newest report first. The read is audited.",
        parameters=[EpisodeListParamsSerializer],
        responses={200: EpisodeSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED},
        tags=[TAG],
    )
    def get(self, request):
        params = EpisodeListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        episodes = selectors.episode_visible(user=request.user).select_related("child", "owning_agency", "found_where")
        if params.validated_data.get("status"):
            episodes = episodes.filter(status=params.validated_data["status"])
        if params.validated_data.get("child"):
            episodes = episodes.filter(child_id=params.validated_data["child"])
        page = self.paginate_queryset(episodes.order_by("-reported_at", "-id"))
        selectors.list_audit(
            caller=caller_for(request),
            model=MissingEpisode,
            records=page,
            list_name="api_episodes",
            filters=dict(params.validated_data),
        )
        return self.get_paginated_response(EpisodeSerializer(_with_episode_extras(request.user, page), many=True).data)

    @extend_schema(
        operation_id="missing_episodes_create",
        summary="Report a child missing",
        description=(
            "Opens an episode. Care-home staff may report their own residents; police and council case "
            "workers any child they can see. A child the caller may not report answers 404."
        ),
        request=EpisodeReportInputSerializer,
        responses={201: EpisodeDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request):
        data = EpisodeReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        caller = caller_for(request)
        child = people_selectors.person_get(caller=caller, pk=fields.pop("child"), purpose="report missing")
        force_id = fields.pop("police_force")
        if force_id is not None:
            force = Agency.objects.filter(pk=force_id, kind=AgencyKind.POLICE).first()
            if force is None:
                raise ValidationError({"police_force": "Choose a police force."})
            fields["police_force"] = force
        episode = services.episode_report(caller=caller, child=child, **fields)
        episode = MissingEpisode.objects.select_related("child", "owning_agency").get(pk=episode.pk)
        return Response(
            EpisodeDetailSerializer(_with_episode_extras(request.user, [episode], detail=True)[0]).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:missing-episode-detail", args=[episode.pk])},
        )


class EpisodeDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = EpisodeDetailSerializer

    @extend_schema(
        operation_id="missing_episodes_retrieve",
        summary="Read a missing episode",
        description="The read is audited. An episode the caller may not see answers 404, exactly as an absent one.",
        responses={200: EpisodeDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        episode = selectors.episode_get(caller=caller_for(request), pk=pk)
        return Response(EpisodeDetailSerializer(_with_episode_extras(request.user, [episode], detail=True)[0]).data)


class EpisodeGradeView(JsonApiMixin, GenericAPIView):
    serializer_class = GradeInputSerializer

    @extend_schema(
        operation_id="missing_episodes_grade",
        summary="Grade or regrade the risk",
        description="A police decision: every grade is kept with its reason, time and officer.",
        request=GradeInputSerializer,
        responses={200: EpisodeDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        caller = caller_for(request)
        episode = selectors.episode_get(caller=caller, pk=pk, purpose="grade")
        data = GradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.episode_grade(caller=caller, episode=episode, **data.validated_data)
        episode = MissingEpisode.objects.select_related("child", "owning_agency", "found_where").get(pk=pk)
        return Response(EpisodeDetailSerializer(_with_episode_extras(request.user, [episode], detail=True)[0]).data)


class EpisodeCloseView(JsonApiMixin, GenericAPIView):
    serializer_class = EpisodeCloseInputSerializer

    @extend_schema(
        operation_id="missing_episodes_close",
        summary="Record the child found or returned",
        description=(
            "Closes the episode and creates the return home interview, due 72 hours after `found_at`. "
            "Where (`found_place`, `new_place` or `where_not_said`) and with whom (`found_with` and/or "
            "`new_people`, `found_alone` or `found_with_not_said`) are required."
        ),
        request=EpisodeCloseInputSerializer,
        responses={200: EpisodeDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        caller = caller_for(request)
        episode = selectors.episode_get(caller=caller, pk=pk, purpose="close")
        data = EpisodeCloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        place_id, new_place = fields.pop("found_place"), fields.pop("new_place")
        with transaction.atomic():
            fields["found_where"] = _place(request.user, place_id, "found_place") if place_id else new_place
            fields["found_with"] = _people(request.user, fields["found_with"], "found_with")
            services.episode_close(caller=caller, episode=episode, **fields)
        episode = MissingEpisode.objects.select_related("child", "owning_agency", "found_where").get(pk=pk)
        return Response(EpisodeDetailSerializer(_with_episode_extras(request.user, [episode], detail=True)[0]).data)


# --- Return home interviews ----------------------------------------------------------------------


class ReturnInterviewListView(JsonApiMixin, GenericAPIView):
    serializer_class = ReturnInterviewSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="missing_return_interviews_list",
        summary="The return home interview queue",
        description="Interviews still to hold (not held, not refused), soonest due first, each with its "
        "72-hour clock. The read is audited.",
        responses={200: ReturnInterviewSerializer(many=True), 401: UNAUTHENTICATED},
        tags=[TAG],
    )
    def get(self, request):
        interviews = selectors.rhi_queue(caller=caller_for(request))
        page = self.paginate_queryset(interviews)
        return self.get_paginated_response(ReturnInterviewSerializer(page, many=True).data)


class ReturnInterviewDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = ReturnInterviewDetailSerializer

    @extend_schema(
        operation_id="missing_return_interviews_retrieve",
        summary="Read a return home interview",
        responses={200: ReturnInterviewDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        rhi = selectors.rhi_get(caller=caller_for(request), pk=pk)
        return Response(ReturnInterviewDetailSerializer(_with_rhi_extras(request.user, rhi)).data)


def _rhi_write(request, pk, input_class, write):
    caller = caller_for(request)
    rhi = selectors.rhi_get(caller=caller, pk=pk, purpose="change")
    data = input_class(data=request.data)
    data.is_valid(raise_exception=True)
    with transaction.atomic():
        write(caller, rhi, dict(data.validated_data))
    rhi = ReturnHomeInterview.objects.select_related("child", "episode", "provider", "held_by").get(pk=pk)
    return Response(ReturnInterviewDetailSerializer(_with_rhi_extras(request.user, rhi)).data)


class ReturnInterviewHeldView(JsonApiMixin, GenericAPIView):
    serializer_class = RhiHeldInputSerializer

    @extend_schema(
        operation_id="missing_return_interviews_held",
        summary="Record the interview held",
        description=(
            "Held by someone independent of the child's carers unless the child prefers a carer. Places and "
            "people named are the same records the episode uses: ids on record, or new ones to record."
        ),
        request=RhiHeldInputSerializer,
        responses={200: ReturnInterviewDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        def write(caller, rhi, fields):
            fields["places"] = [_place(request.user, p, "places") for p in fields["places"]]
            fields["people"] = _people(request.user, fields["people"], "people")
            services.rhi_record_held(caller=caller, rhi=rhi, **fields)

        return _rhi_write(request, pk, RhiHeldInputSerializer, write)


class ReturnInterviewOfferView(JsonApiMixin, GenericAPIView):
    serializer_class = RhiOfferInputSerializer

    @extend_schema(
        operation_id="missing_return_interviews_offer",
        summary="Record the offer of an interview",
        request=RhiOfferInputSerializer,
        responses={200: ReturnInterviewDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        return _rhi_write(
            request, pk, RhiOfferInputSerializer, lambda c, r, f: services.rhi_record_offer(caller=c, rhi=r, **f)
        )


class ReturnInterviewRefusalView(JsonApiMixin, GenericAPIView):
    serializer_class = RhiRefusalInputSerializer

    @extend_schema(
        operation_id="missing_return_interviews_refusal",
        summary="Record that the child refused the interview",
        request=RhiRefusalInputSerializer,
        responses={200: ReturnInterviewDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        return _rhi_write(
            request, pk, RhiRefusalInputSerializer, lambda c, r, f: services.rhi_record_refusal(caller=c, rhi=r, **f)
        )


# --- Police protection ---------------------------------------------------------------------------


class ProtectionListView(JsonApiMixin, GenericAPIView):
    serializer_class = ProtectionSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="missing_police_protection_list",
        summary="Children in police protection now",
        description="The live board: nearest the 72-hour limit first, with what is still to be recorded.",
        responses={200: ProtectionSerializer(many=True), 401: UNAUTHENTICATED},
        tags=[TAG],
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.police_protection_board(caller=caller_for(request)))
        return self.get_paginated_response(ProtectionSerializer(page, many=True).data)


class ProtectionDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = ProtectionDetailSerializer

    @extend_schema(
        operation_id="missing_police_protection_retrieve",
        summary="Read a police protection record",
        responses={200: ProtectionDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, pk: int):
        protection = selectors.protection_get(caller=caller_for(request), pk=pk)
        return Response(ProtectionDetailSerializer(protection).data)


class ProtectionStartInputSerializer(StrictInputMixin, serializers.Serializer):
    child = serializers.IntegerField(help_text="The id of the child taken into police protection.")
    taken_at = serializers.DateTimeField(help_text="Starts the 72-hour clock, which cannot be extended.")
    grounds = serializers.CharField()
    place_of_safety = serializers.CharField(max_length=300)
    place_is_police_station = serializers.BooleanField(required=False, default=False)


class ProtectionRecordInputSerializer(StrictInputMixin, serializers.Serializer):
    """Any of the steps; only those given change. Nothing is recorded after the 72 hours end."""

    la_informed_at = serializers.DateTimeField(required=False)
    child_informed_and_wishes = serializers.CharField(required=False, allow_blank=True)
    parents_informed_at = serializers.DateTimeField(required=False)
    parents_not_informed_reason = serializers.CharField(required=False, allow_blank=True)
    designated_officer = serializers.IntegerField(required=False, help_text="A user of the owning force (id).")
    inquiry = serializers.CharField(required=False, allow_blank=True)
    contact_decisions = serializers.CharField(required=False, allow_blank=True)
    outcome = Choice(enum_name="ProtectionOutcome", choices=ProtectionOutcome.choices, required=False)
    handed_over_at = serializers.DateTimeField(required=False)


class ProtectionStartView(JsonApiMixin, GenericAPIView):
    serializer_class = ProtectionStartInputSerializer

    @extend_schema(
        operation_id="missing_police_protection_create",
        summary="Take a child into police protection",
        description="A police officer's record. A time more than 72 hours ago is refused: the clock cannot run again.",
        request=ProtectionStartInputSerializer,
        responses={201: ProtectionDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request):
        data = ProtectionStartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        caller = caller_for(request)
        child = people_selectors.person_get(caller=caller, pk=fields.pop("child"), purpose="police protection")
        protection = services.police_protection_start(caller=caller, child=child, **fields)
        return Response(
            ProtectionDetailSerializer(protection).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:missing-protection-detail", args=[protection.pk])},
        )


class ProtectionRecordView(JsonApiMixin, GenericAPIView):
    serializer_class = ProtectionRecordInputSerializer

    @extend_schema(
        operation_id="missing_police_protection_record",
        summary="Record the steps taken during police protection",
        description=(
            "Local authority and parents informed, the child's wishes, the designated officer and inquiry, contact "
            "decisions, outcome and handover. Refused after the 72 hours end, with the reason."
        ),
        request=ProtectionRecordInputSerializer,
        responses={200: ProtectionDetailSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        caller = caller_for(request)
        protection = selectors.protection_get(caller=caller, pk=pk, purpose="change")
        data = ProtectionRecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "designated_officer" in fields:
            officer = User.objects.filter(
                pk=fields["designated_officer"], agency_id=protection.owning_agency_id, is_active=True
            ).first()
            if officer is None:
                raise ValidationError({"designated_officer": "Choose an officer of the force that holds the child."})
            fields["designated_officer"] = officer
        services.police_protection_record(caller=caller, protection=protection, **fields)
        protection = selectors.protection_get(caller=caller, pk=pk, purpose="view after change")
        return Response(ProtectionDetailSerializer(protection).data)


# --- Safe and well checks ------------------------------------------------------------------------


class SafeAndWellInputSerializer(StrictInputMixin, serializers.Serializer):
    held_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    concerns_identified = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class SafeAndWellSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    episode = serializers.IntegerField(read_only=True, source="episode_id")
    held_at = serializers.DateTimeField(read_only=True)
    officer = serializers.CharField(read_only=True)
    location = serializers.CharField(read_only=True)
    concerns_identified = serializers.BooleanField(read_only=True)
    notes = serializers.CharField(read_only=True)


class SafeAndWellView(JsonApiMixin, GenericAPIView):
    serializer_class = SafeAndWellInputSerializer

    @extend_schema(
        operation_id="missing_episodes_safe_and_well",
        summary="Record the police safe-and-well check",
        description="After the child is found; a police officer's record.",
        request=SafeAndWellInputSerializer,
        responses={201: SafeAndWellSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def post(self, request, pk: int):
        caller = caller_for(request)
        episode = selectors.episode_get(caller=caller, pk=pk, purpose="safe and well check")
        data = SafeAndWellInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = services.safe_and_well_record(caller=caller, episode=episode, **data.validated_data)
        return Response(SafeAndWellSerializer(check).data, status=status.HTTP_201_CREATED)


# --- Trigger plans and Philomena profiles --------------------------------------------------------


class TriggerPlanSerializer(serializers.Serializer):
    child = serializers.IntegerField(read_only=True, source="child_id")
    at_next_episode = serializers.CharField(help_text="The steps to take, one to a line, in order.")
    likely_locations = serializers.CharField(required=False, allow_blank=True)
    contacts = serializers.CharField(required=False, allow_blank=True)
    agreed_with = serializers.CharField(max_length=300, required=False, allow_blank=True)
    review_by = serializers.DateField(required=False, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    updated_by = serializers.CharField(read_only=True)


class TriggerPlanInputSerializer(StrictInputMixin, TriggerPlanSerializer):
    pass


def _child_for(request, person_id: int, purpose: str) -> Person:
    child = people_selectors.person_get(caller=caller_for(request), pk=person_id, purpose=purpose)
    if not child.is_child:
        raise Http404("Not found")
    return child


class TriggerPlanView(JsonApiMixin, GenericAPIView):
    serializer_class = TriggerPlanSerializer

    @extend_schema(
        operation_id="missing_trigger_plan_retrieve",
        summary="Read a child's trigger plan",
        description="What to do at the child's next episode. No plan yet, or a child hidden from the caller: 404.",
        responses={200: TriggerPlanSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, person_id: int):
        child = _child_for(request, person_id, "trigger plan")
        plan = selectors.trigger_plan_get(caller=caller_for(request), child=child)
        if plan is None:
            raise Http404("Not found")
        return Response(TriggerPlanSerializer(plan).data)

    @extend_schema(
        operation_id="missing_trigger_plan_update",
        summary="Write a child's trigger plan",
        description="Creates the plan or changes the fields given. Kept by the care home, the council and police.",
        request=TriggerPlanInputSerializer,
        responses={200: TriggerPlanSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def put(self, request, person_id: int):
        caller = caller_for(request)
        child = _child_for(request, person_id, "change trigger plan")
        data = TriggerPlanInputSerializer(data=request.data, partial=TriggerPlan.objects.filter(child=child).exists())
        data.is_valid(raise_exception=True)
        plan = services.trigger_plan_save(caller=caller, child=child, **data.validated_data)
        return Response(TriggerPlanSerializer(plan).data)


class ProfileItemSerializer(serializers.Serializer):
    kind = Choice(enum_name="ProfileItemKind", read_only=True, choices=ProfileItemKind.choices)
    value = serializers.CharField(read_only=True)
    detail = serializers.CharField(read_only=True)
    person = serializers.IntegerField(read_only=True, allow_null=True, source="api_person_id")
    place = PlaceSerializer(read_only=True, allow_null=True)


class ProfileSerializer(serializers.Serializer):
    """The Philomena profile. The photo is never in the answer: `photo_url` is the screen's policy-checked,
    audited address for it."""

    child = serializers.IntegerField(read_only=True, source="child_id")
    care_home = serializers.CharField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)
    habits = serializers.CharField(read_only=True)
    health_needs = serializers.CharField(read_only=True)
    photo_url = serializers.SerializerMethodField()
    photo_taken_on = serializers.DateField(read_only=True, allow_null=True)
    items = ProfileItemSerializer(many=True, read_only=True, source="api_items")
    missing_history = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, source="api_history", help_text="Episode ids, newest first."
    )
    updated_at = serializers.DateTimeField(read_only=True)

    def get_photo_url(self, profile) -> str | None:
        return reverse("missing:profile_photo", args=[profile.pk]) if profile.has_photo else None


class ProfileView(JsonApiMixin, GenericAPIView):
    serializer_class = ProfileSerializer

    @extend_schema(
        operation_id="missing_profile_retrieve",
        summary="Read a child's Philomena profile",
        description=(
            "Read by police, the council and the care home who may see the child; the read is audited. No "
            "profile, or one hidden from the caller: 404."
        ),
        responses={200: ProfileSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=[TAG],
    )
    def get(self, request, person_id: int):
        child = _child_for(request, person_id, "Philomena profile")
        profile = selectors.profile_get(caller=caller_for(request), child=child)
        if profile is None:
            raise Http404("Not found")
        items = [item for _, group in selectors.profile_items(user=request.user, profile=profile) for item in group]
        for item in items:
            item.api_person_id = item.person_id if item.person_visible else None
        profile.api_items = items
        profile.api_history = [e.pk for e in selectors.missing_history(user=request.user, child=child)]
        return Response(ProfileSerializer(profile).data)
