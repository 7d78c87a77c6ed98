"""Tokens: issued for a correct password only, stored hashed, expiring, revocable, audited;
failures count towards the same lockout as the sign-in screen."""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.accounts.models import LoginFailure
from harbour.api.models import ApiToken
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"
PEOPLE_URL = "/api/v1/people/"


@pytest.fixture
def user():
    return f.make_user(agency=f.make_agency(), username="api.user")


def get_token(client, username="api.user", password=f.DEMO_PASSWORD):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_token_issued_stored_only_as_hash_and_audited(user):
    before = timezone.now()
    response = get_token(APIClient())
    assert response.status_code == 200
    raw = response.json()["token"]
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    hours = settings.HARBOUR_API_TOKEN_HOURS
    assert before + timedelta(hours=hours) <= token.expires_at <= timezone.now() + timedelta(hours=hours)
    event = AuditEvent.objects.get(action=AuditAction.TOKEN)
    assert event.actor == user
    assert event.client_ip == "127.0.0.1"
    assert raw not in str(event.details) + event.object_repr


def test_token_authenticates_requests_and_records_last_use(user):
    client = APIClient()
    raw = get_token(client).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(PEOPLE_URL).status_code == 200
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_expired_token_is_refused(user):
    client = APIClient()
    raw = get_token(client).json()["token"]
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get(PEOPLE_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_refused_and_revocation_audited(user):
    client = APIClient()
    raw = get_token(client).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.post(REVOKE_URL).status_code == 204
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, actor=user).count() == 1
    assert client.get(PEOPLE_URL).status_code == 401
    assert client.post(REVOKE_URL).status_code == 401


def test_token_of_deactivated_user_is_refused(user):
    client = APIClient()
    raw = get_token(client).json()["token"]
    user.is_active = False
    user.save()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(PEOPLE_URL).status_code == 401


def test_inactive_user_gets_no_token(user):
    user.is_active = False
    user.save()
    response = get_token(APIClient())
    assert response.status_code == 401
    assert "token" not in response.json()


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer not-a-token", "Bearer a b", "bearer hbr_nonsense", "Bearer \u00e9t\u00e9"]
)
def test_bad_bearer_header_is_401(user, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get(PEOPLE_URL)
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_unauthenticated_is_401_not_a_redirect():
    response = APIClient().get(PEOPLE_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert APIClient().get(f"{PEOPLE_URL}1/").status_code == 401
    assert APIClient().post(PEOPLE_URL, {}, format="json").status_code == 401


def test_wrong_password_counts_towards_lockout_and_is_audited(user):
    response = get_token(APIClient(), password="wrong password")
    assert response.status_code == 401
    assert response.json() == {"detail": "Enter a correct username and password. Both are case-sensitive."}
    assert LoginFailure.objects.filter(username="api.user").count() == 1
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.details == {"username": "api.user"}
    assert event.client_ip == "127.0.0.1"
    assert not ApiToken.objects.exists()


def test_locked_account_gets_no_token_even_with_the_right_password(user):
    client = APIClient()
    for _ in range(settings.HARBOUR_LOCKOUT_FAILURES - 1):
        assert get_token(client, password="wrong password").status_code == 401
    # The failure that locks the account already says so.
    response = get_token(client, password="wrong password")
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]
    response = get_token(client)
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, is_alert=True).exists()


def test_a_token_clears_earlier_failures(user):
    client = APIClient()
    get_token(client, password="wrong password")
    assert get_token(client).status_code == 200
    assert not LoginFailure.objects.filter(username="api.user").exists()


def test_token_endpoint_needs_no_csrf_token_but_only_takes_json(user):
    client = APIClient(enforce_csrf_checks=True)
    assert get_token(client).status_code == 200
    form = client.post(TOKEN_URL, {"username": "api.user", "password": f.DEMO_PASSWORD})
    assert form.status_code == 415


def test_token_request_names_missing_and_unknown_fields(user):
    response = APIClient().post(TOKEN_URL, {"username": "api.user", "pasword": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"pasword"}
    response = APIClient().post(TOKEN_URL, {"username": "api.user"}, format="json")
    assert set(response.json()["errors"]) == {"password"}


def test_session_cannot_revoke_a_token(user):
    client = APIClient()
    client.force_login(user)
    assert client.get(PEOPLE_URL).status_code == 200  # a signed-in browser session may use the API
    assert client.post(REVOKE_URL).status_code == 401
