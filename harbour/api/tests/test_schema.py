"""The OpenAPI schema: public, valid OpenAPI 3, describing the people endpoints and bearer auth."""

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from harbour.api.errors import field_errors

pytestmark = pytest.mark.django_db


def test_schema_is_public_valid_openapi_3_with_people_paths():
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/people/", "/api/v1/people/{id}/", "/api/v1/auth/token/"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/people/"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/people/{id}/"]) == {"get", "patch"}
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert {"bearerAuth": []} in schema["paths"]["/api/v1/people/"]["get"]["security"]
    assert "security" not in schema["paths"]["/api/v1/auth/token/"]["post"]
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert {"id", "aliases", "identifiers", "owning_agency", "is_restricted"} <= set(person)


def test_schema_served_as_yaml_by_default_and_ignores_a_bad_token():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    validate_schema(yaml.safe_load(response.content))


def test_field_errors_flatten_nested_input():
    from django.core.exceptions import ValidationError
    from rest_framework.exceptions import ValidationError as DrfValidationError

    assert field_errors(ValidationError({"__all__": ["Bad."], "sex": ["Choose."]})) == {
        "non_field_errors": ["Bad."],
        "sex": ["Choose."],
    }
    assert field_errors(ValidationError("Plain.")) == {"non_field_errors": ["Plain."]}
    assert field_errors(DrfValidationError({"aliases": [{}, {"kind": ["Choose."]}]})) == {"aliases.1.kind": ["Choose."]}
