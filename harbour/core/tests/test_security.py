import os
import subprocess
import sys

import pytest

from harbour.accounts.models import AgencyKind
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db


def test_pages_carry_security_headers_and_a_strict_csp(client):
    client.force_login(f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE)))
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "Permissions-Policy" in response


def test_no_inline_scripts_on_pages(client):
    client.force_login(f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE)))
    for url in ("/", "/people/", "/accounts/sign-in/"):
        body = client.get(url).content.decode()
        for chunk in body.split("<script")[1:]:
            assert "src=" in chunk.split(">")[0], f"inline script on {url}"


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="harbour.settings.production",
        HARBOUR_SECRET_KEY="x" * 20 + "production-like-secret-key-for-the-check-only-0123456789",
        HARBOUR_VAR_DIR=str(tmp_path),
        HARBOUR_ALLOWED_HOSTS="harbour.example.invalid",
    )
    result = subprocess.run(
        [sys.executable, "-m", "harbour.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_missing_secret_key(tmp_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="harbour.settings.production", HARBOUR_SECRET_KEY="")
    result = subprocess.run(
        [sys.executable, "-m", "harbour.cli", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "HARBOUR_SECRET_KEY" in result.stderr
