"""OpenAPI description of the bearer scheme (loaded by ApiConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "harbour.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token from POST /api/v1/auth/token/, sent as `Authorization: Bearer <token>`. "
                "Tokens expire after a fixed number of hours and can be revoked."
            ),
        }


class NamedChoiceFieldScheme(OpenApiSerializerFieldExtension):
    """Each choice set is one named enum component, so generated clients get `YesNoUnknown`
    once rather than `DisabilityEnum` and `LearningDisabilityEnum` for the same values."""

    target_class = "harbour.api.serializers.NamedChoiceField"

    def get_name(self):
        return self.target.enum_name()

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        if self.get_name():
            schema.pop("x-spec-enum-id", None)  # a component already; the enum post-processing skips it
        return schema
