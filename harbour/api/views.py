"""API endpoints. Thin, like the screens: serializers check input, people services write,
selectors read and audit, and the access policy decides. Hidden records answer 404."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from harbour.access.policy import Action, can, get_or_404
from harbour.accounts.lockout import is_locked_out
from harbour.core.caller import Caller, client_ip
from harbour.people import selectors as people_selectors
from harbour.people import services as people_services
from harbour.people.models import Person, PersonName

from . import selectors, services
from .authentication import BearerTokenAuthentication
from .serializers import (
    SEARCH_DESCRIPTION,
    DetailSerializer,
    FieldErrorsSerializer,
    PersonInputSerializer,
    PersonSearchParamsSerializer,
    PersonSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)

LOCKED_MESSAGE = (
    "This account is locked after too many failed sign-in attempts. Try again in 15 minutes "
    "or contact your agency's administrator."
)
INVALID_LOGIN_MESSAGE = "Enter a correct username and password. Both are case-sensitive."

UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="No valid token or session.")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="Absent, or hidden from the caller: the same answer.")
BAD_INPUT = OpenApiResponse(FieldErrorsSerializer, description="The input was not valid; each field is named.")


def caller_for(request) -> Caller:
    return Caller(user=request.user, client_ip=client_ip(request))


class JsonApiMixin:
    """JSON in, JSON out: no browsable HTML, and no form posts (so no cross-site form can reach
    the CSRF-exempt token endpoint)."""

    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


# --- Auth ---------------------------------------------------------------------------------


class TokenView(JsonApiMixin, APIView):
    """Exchange a username and password for a bearer token. No session, so no CSRF token: the
    view is CSRF-exempt (as every DRF view without session auth is)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        return BearerTokenAuthentication().authenticate_header(request)

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get an API token",
        description=(
            "Checks the password as the sign-in screen does: failures count towards the account "
            "lockout, and a locked account is refused (403) whatever the password."
        ),
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: BAD_INPUT,
            401: OpenApiResponse(DetailSerializer, description="Wrong username or password, or inactive account."),
            403: OpenApiResponse(DetailSerializer, description="The account is locked."),
        },
        examples=[OpenApiExample("Request", value={"username": "jsmith", "password": "..."}, request_only=True)],
        tags=["auth"],
    )
    def post(self, request):
        params = TokenRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        username = params.validated_data["username"]
        # Through Django's authenticate, so the lockout backend refuses a locked account and a
        # failure fires user_login_failed (audited, counted towards lockout).
        user = authenticate(request, username=username, password=params.validated_data["password"])
        if user is None:
            if is_locked_out(username):
                return Response({"detail": LOCKED_MESSAGE}, status=status.HTTP_403_FORBIDDEN)
            return Response(
                {"detail": INVALID_LOGIN_MESSAGE},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": self.get_authenticate_header(request)},
            )
        token, raw = services.token_issue(caller=Caller(user=user, client_ip=client_ip(request)))
        return Response(TokenSerializer({"token": raw, "expires_at": token.expires_at}).data)


class TokenRevokeView(JsonApiMixin, APIView):
    """Revoke the token this request was made with. Only bearer auth: a session has no token."""

    authentication_classes = [BearerTokenAuthentication]

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Revoke the current token",
        request=None,
        responses={204: None, 401: UNAUTHENTICATED},
        tags=["auth"],
    )
    def post(self, request):
        services.token_revoke(caller=caller_for(request), token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- People -------------------------------------------------------------------------------


def _alias_key(kind: str, given_name: str, family_name: str) -> tuple[str, str, str]:
    return kind, given_name.strip().casefold(), family_name.strip().casefold()


def _add_aliases(*, caller: Caller, person: Person, aliases: list[dict]) -> None:
    """Add the names not already recorded, through the service; its errors name the alias."""
    recorded = {_alias_key(n.kind, n.given_name, n.family_name) for n in PersonName.objects.filter(person=person)}
    for index, alias in enumerate(aliases):
        key = _alias_key(alias["kind"], alias["given_name"], alias["family_name"])
        if key in recorded:
            continue
        try:
            people_services.person_add_name(caller=caller, person=person, **alias)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"kind": error.messages}
            raise ValidationError({f"aliases.{index}.{name}": msgs for name, msgs in messages.items()}) from None
        recorded.add(key)


def _visible_one(*, user, pk) -> Person:
    """Re-read a person after a write, for the response (not a new audited view)."""
    person = get_or_404(user, Person.objects.select_related("owning_agency"), pk=pk)
    selectors.with_visible_related(user=user, people=[person])
    return person


class PersonListView(JsonApiMixin, GenericAPIView):
    serializer_class = PersonSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="people_list",
        summary="List or search people",
        description=SEARCH_DESCRIPTION,
        parameters=[PersonSearchParamsSerializer],
        responses={200: PersonSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED},
        tags=["people"],
    )
    def get(self, request):
        params = PersonSearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        caller = caller_for(request)
        kind = params.validated_data.get("kind", "")
        if params.is_search:
            results = people_selectors.person_search(
                caller=caller,
                name=params.validated_data.get("name", ""),
                date_of_birth=params.validated_data.get("date_of_birth"),
                identifier=params.validated_data.get("identifier", ""),
                kind=kind,
            )
            page = self.paginate_queryset([r.person for r in results])
        else:
            page = self.paginate_queryset(selectors.person_list_queryset(user=request.user, kind=kind))
            selectors.person_list_audit(
                caller=caller,
                people=page,
                kind=kind,
                offset=self.paginator.offset,
                total=self.paginator.count,
            )
        selectors.with_visible_related(user=request.user, people=page)
        return self.get_paginated_response(PersonSerializer(page, many=True).data)

    @extend_schema(
        operation_id="people_create",
        summary="Record a person",
        description="The person is owned by the caller's agency. Only practitioners and supervisors may add people.",
        request=PersonInputSerializer,
        responses={201: PersonSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["people"],
    )
    def post(self, request):
        data = PersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        aliases = fields.pop("aliases", [])
        caller = caller_for(request)
        with transaction.atomic():
            person = people_services.person_create(caller=caller, **fields)
            _add_aliases(caller=caller, person=person, aliases=aliases)
        person = _visible_one(user=request.user, pk=person.pk)
        return Response(
            PersonSerializer(person).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:person-detail", args=[person.pk])},
        )


class PersonDetailView(JsonApiMixin, GenericAPIView):
    serializer_class = PersonSerializer

    @extend_schema(
        operation_id="people_retrieve",
        summary="Read a person",
        description="The read is audited. A person the caller may not see answers 404, exactly as an absent one.",
        responses={200: PersonSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["people"],
    )
    def get(self, request, pk: int):
        person = people_selectors.person_get(caller=caller_for(request), pk=pk)
        selectors.with_visible_related(user=request.user, people=[person])
        return Response(PersonSerializer(person).data)

    @extend_schema(
        operation_id="people_partial_update",
        summary="Change a person",
        description=(
            "Only the fields sent are changed; old and new values are audited. A person the caller "
            "may see but not change answers 404, as on the screens."
        ),
        request=PersonInputSerializer(partial=True),
        responses={200: PersonSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        tags=["people"],
    )
    def patch(self, request, pk: int):
        caller = caller_for(request)
        person = people_selectors.person_get(caller=caller, pk=pk, purpose="change")
        if not can(request.user, Action.CHANGE, person):
            raise Http404
        data = PersonInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        aliases = fields.pop("aliases", [])
        with transaction.atomic():
            if fields:
                person = people_services.person_update(caller=caller, person=person, **fields)
            _add_aliases(caller=caller, person=person, aliases=aliases)
        return Response(PersonSerializer(_visible_one(user=request.user, pk=person.pk)).data)
