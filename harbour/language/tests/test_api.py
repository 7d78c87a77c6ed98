"""POST /api/v1/language/check/: token auth, findings as JSON, in the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

from harbour.accounts.models import AgencyKind
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` authenticates it with a real bearer token."""
    from harbour.api.services import token_issue
    from harbour.core.caller import Caller

    client = APIClient()

    def as_user(user):
        _, raw = token_issue(caller=Caller(user=user))
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    client.as_user = as_user
    return client


URL = "/api/v1/language/check/"


@pytest.fixture
def user():
    return f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE))


def test_check_returns_findings(api, user):
    response = api.as_user(user).post(URL, {"text": "He put himself at risk."}, format="json")
    assert response.status_code == 200
    (finding,) = response.json()["findings"]
    assert finding["term_id"] == "putting-self-at-risk"
    assert finding["text"] == "put himself at risk"
    assert (finding["start"], finding["end"], finding["line"], finding["column"]) == (3, 22, 1, 4)
    assert finding["alternatives"][0] == "was at risk from others"
    assert finding["category"] == "victim_blaming" and finding["explanation"]


def test_no_findings_is_an_empty_list(api, user):
    assert api.as_user(user).post(URL, {"text": ""}, format="json").json() == {"findings": []}


def test_needs_a_token(user):
    response = APIClient().post(URL, {"text": "She is promiscuous."}, format="json")
    assert response.status_code == 401


def test_bad_input_names_the_field(api, user):
    client = api.as_user(user)
    assert client.post(URL, {}, format="json").json()["errors"]["text"]
    assert client.post(URL, {"text": "x", "lang": "en"}, format="json").json()["errors"]["lang"] == ["Unknown field."]
    assert client.post(URL, {"text": "x" * 100_001}, format="json").status_code == 400


def test_in_the_schema():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/language/check/"]["post"]
    assert operation["operationId"] == "language_check"
    assert {"bearerAuth": []} in operation["security"]
    assert "findings" in schema["components"]["schemas"]["CheckResponse"]["properties"]
