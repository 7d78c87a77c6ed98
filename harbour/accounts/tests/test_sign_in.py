import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from harbour.accounts.models import AgencyKind, LoginFailure
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db
SIGN_IN = "/accounts/sign-in/"


@pytest.fixture
def user():
    return f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE), username="officer.one")


def _sign_in(client, password):
    return client.post(SIGN_IN, {"username": "officer.one", "password": password})


def test_sign_in_works_and_is_audited(client, user):
    response = _sign_in(client, f.DEMO_PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).exists()


def test_wrong_password_is_refused_and_audited(client, user):
    response = _sign_in(client, "wrong")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, details__username="officer.one").exists()


def test_lockout_after_repeated_failures_even_with_the_right_password(client, user):
    for _ in range(settings.HARBOUR_LOCKOUT_FAILURES):
        _sign_in(client, "wrong")
    response = _sign_in(client, f.DEMO_PASSWORD)
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, is_alert=True).exists()


def test_lockout_lifts_after_the_window(client, user):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(settings.HARBOUR_LOCKOUT_FAILURES):
        _sign_in(client, "wrong")
    LoginFailure.objects.update(
        occurred_at=timezone.now() - timedelta(minutes=settings.HARBOUR_LOCKOUT_WINDOW_MINUTES + 1)
    )
    assert _sign_in(client, f.DEMO_PASSWORD).status_code == 302
    assert not LoginFailure.objects.exists()  # a good sign-in clears the count


def test_sign_out_needs_post_and_is_audited(client, user):
    client.force_login(user)
    assert client.get("/accounts/sign-out/").status_code == 405
    assert client.post("/accounts/sign-out/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2():
    u = f.make_user(agency=None, password="a long synthetic passphrase")
    assert identify_hasher(u.password).algorithm == "argon2"


def test_idle_session_timeout_is_thirty_minutes_and_refreshed_on_each_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_csrf_is_enforced_on_sign_in(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGN_IN, {"username": "officer.one", "password": f.DEMO_PASSWORD})
    assert response.status_code == 403


def test_home_requires_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
