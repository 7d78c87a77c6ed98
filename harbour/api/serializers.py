"""Shapes of API input and output. Output serializers only read; input serializers only check
types and choices. Writes go through the people services, never serializer.save()."""

from collections.abc import Mapping

from rest_framework import serializers

from harbour.people.models import (
    Ethnicity,
    Gender,
    Identifier,
    LookedAfterStatus,
    NameKind,
    Person,
    PersonKind,
    RecordedStatus,
    Sex,
    SpecialEducationalNeeds,
    YesNoUnknown,
)
from harbour.people.selectors import SEARCH_LIMIT
from harbour.people.services import PERSON_FIELDS


class StrictInputMixin:
    """Refuse input fields the serializer does not take, naming them, so a typo or an attempt to
    set a read-only field (`is_restricted`, `owning_agency`) is an error rather than silently dropped."""

    read_only_names: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            extra = sorted(set(data) - set(self.fields))
            if extra:
                raise serializers.ValidationError(
                    {
                        name: ["This field is read-only." if name in self.read_only_names else "Unknown field."]
                        for name in extra
                    }
                )
        return super().to_internal_value(data)


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set has a name in the OpenAPI schema (see schema.py): the
    enum is called after the choices class (`YesNoUnknown`), not after whichever field used it."""

    def enum_name(self) -> str | None:
        if self.allow_blank or self.allow_null:
            return None
        return ENUM_NAMES.get(frozenset(self.choices))


# --- Auth ---------------------------------------------------------------------------------


class TokenRequestSerializer(StrictInputMixin, serializers.Serializer):
    """A username and password, as on the sign-in screen."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`. Shown once; not stored.")
    expires_at = serializers.DateTimeField()


# --- Errors (for the schema) ----------------------------------------------------------------


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name; nested input as `aliases.0.kind`; whole-input errors as `non_field_errors`.",
    )


# --- People -------------------------------------------------------------------------------

ALIAS_KINDS = [(value, label) for value, label in NameKind.choices if value != NameKind.PRIMARY]
ENUM_NAMES = {
    frozenset(choices.values): choices.__name__
    for choices in (
        PersonKind,
        Sex,
        Gender,
        Ethnicity,
        YesNoUnknown,
        SpecialEducationalNeeds,
        RecordedStatus,
        LookedAfterStatus,
    )
} | {frozenset(value for value, _ in ALIAS_KINDS): "AliasKind"}


class AliasSerializer(StrictInputMixin, serializers.Serializer):
    """Another name the person is known by. Give a given name, a family name or both."""

    kind = NamedChoiceField(choices=ALIAS_KINDS)
    given_name = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    family_name = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")

    def validate(self, attrs):
        # In a PATCH, DRF relaxes "required" and skips defaults for nested input too; an alias
        # is only ever added whole, so apply both here.
        if "kind" not in attrs:
            raise serializers.ValidationError({"kind": [self.fields["kind"].error_messages["required"]]})
        return {"given_name": "", "family_name": "", **attrs}


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["scheme", "value"]
        read_only_fields = fields


class AgencySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


PERSON_OUTPUT_FIELDS = [
    "id",
    *PERSON_FIELDS[:3],
    "aliases",
    *PERSON_FIELDS[3:],
    "owning_agency",
    "is_restricted",
    "identifiers",
    "created_at",
    "updated_at",
]


class PersonSerializer(serializers.ModelSerializer):
    """A person as the caller may see them. Aliases and identifiers are the ones the access policy
    lets the caller see, prefetched by `harbour.api.selectors.with_visible_related`."""

    aliases = AliasSerializer(many=True, read_only=True, source="api_visible_aliases")
    identifiers = IdentifierSerializer(many=True, read_only=True, source="api_visible_identifiers")
    owning_agency = AgencySummarySerializer(read_only=True)
    serializer_choice_field = NamedChoiceField

    class Meta:
        model = Person
        fields = PERSON_OUTPUT_FIELDS
        read_only_fields = fields


class PersonInputSerializer(StrictInputMixin, serializers.ModelSerializer):
    """What a client may set on a person: the fields the people services take, plus aliases."""

    read_only_names = frozenset(PERSON_OUTPUT_FIELDS) - set(PERSON_FIELDS) - {"aliases"}
    serializer_choice_field = NamedChoiceField

    aliases = AliasSerializer(
        many=True,
        required=False,
        help_text=(
            "Other names to record. Names given are added if not already recorded; names are never "
            "removed through the API (they are part of the record's history)."
        ),
    )

    class Meta:
        model = Person
        fields = [*PERSON_FIELDS, "aliases"]
        # The column's range (a small integer), so an absurd value is a 400, not a database error.
        extra_kwargs = {"estimated_age_years": {"max_value": 32767}}


class PersonSearchParamsSerializer(StrictInputMixin, serializers.Serializer):
    """Query parameters of the people list. `limit` and `offset` page the results."""

    name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Any name, alias or near spelling."
    )
    date_of_birth = serializers.DateField(required=False, input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD")
    identifier = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="Any identifier, any scheme."
    )
    kind = serializers.ChoiceField(required=False, allow_blank=True, choices=PersonKind.choices)

    def to_internal_value(self, data):
        # Paging and format parameters belong to the paginator and renderer, not the search.
        data = {k: v for k, v in data.items() if k not in ("limit", "offset", "format")}
        return super().to_internal_value(data)

    @property
    def is_search(self) -> bool:
        d = self.validated_data
        return bool(d.get("name", "").strip() or d.get("date_of_birth") or d.get("identifier", "").strip())


SEARCH_DESCRIPTION = (
    "With `name`, `date_of_birth` or `identifier`: a search (names match aliases and near spellings), "
    f"best match first, at most {SEARCH_LIMIT} results. Without them: every person the caller may see, "
    "optionally of one `kind`. Either way the read is audited and hidden people never appear."
)
