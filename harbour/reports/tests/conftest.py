import pytest
from rest_framework.test import APIClient

from harbour.api.services import token_issue
from harbour.core.caller import Caller


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` authenticates it with a real bearer token."""
    client = APIClient()

    def as_user(user):
        _, raw = token_issue(caller=Caller(user=user))
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    client.as_user = as_user
    return client
