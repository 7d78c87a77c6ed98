"""`POST /api/v1/language/check/`: the checker over the API, for other systems and scripts.

Token (or session) authenticated like every endpoint; nothing is stored or audited, as no record is read
or written: the caller's own text goes in and the findings come out.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from harbour.api.serializers import StrictInputMixin
from harbour.api.views import BAD_INPUT, UNAUTHENTICATED, JsonApiMixin

from .selectors import current_lexicon

MAX_TEXT_CHARS = 100_000


class CheckRequestSerializer(StrictInputMixin, serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT_CHARS, allow_blank=True, trim_whitespace=False)


class FindingSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Offset of the phrase in the text (characters, from 0).")
    end = serializers.IntegerField(help_text="Offset just after the phrase.")
    line = serializers.IntegerField(help_text="Line of the phrase (from 1).")
    column = serializers.IntegerField(help_text="Column of the phrase (characters, from 1).")
    text = serializers.CharField(help_text="The phrase as written.")
    term_id = serializers.CharField(help_text="Stable id of the lexicon term, e.g. putting-self-at-risk.")
    term = serializers.CharField()
    category = serializers.ChoiceField(choices=["victim_blaming", "adultifying", "implied_consent", "criminalising"])
    alternatives = serializers.ListField(
        child=serializers.CharField(), help_text="Wording to use instead, fitted to the sentence."
    )
    explanation = serializers.CharField(help_text="Why the wording matters.")


class CheckResponseSerializer(serializers.Serializer):
    findings = FindingSerializer(many=True)


class LanguageCheckView(JsonApiMixin, APIView):
    @extend_schema(
        operation_id="language_check",
        summary="Check text for victim-blaming and adultifying language",
        description=(
            "Returns each phrase to reconsider with alternatives and the reason, using the lexicon in force "
            "(the default terms and those the administrators added). Quoted words are not flagged. Nothing is "
            "stored."
        ),
        request=CheckRequestSerializer,
        responses={200: CheckResponseSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED},
        examples=[
            OpenApiExample("Request", value={"text": "She is putting herself at risk."}, request_only=True),
        ],
        tags=["language"],
    )
    def post(self, request):
        params = CheckRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        findings = current_lexicon().check(params.validated_data["text"])
        return Response({"findings": [f.to_dict() for f in findings]})
