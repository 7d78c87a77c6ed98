import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import AgencyKind, LoginFailure, User
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    return {
        "north": north,
        "north_team": f.make_team(agency=north),
        "south_team": f.make_team(agency=south),
        "admin": f.make_user(agency=north, role=Role.ADMINISTRATOR),
        "north_sw": f.make_user(agency=north),
        "south_sw": f.make_user(agency=south),
        "practitioner": f.make_user(agency=north, role=Role.PRACTITIONER),
    }


def test_administrator_lists_only_own_agency_users(client, setup):
    client.force_login(setup["admin"])
    response = client.get(reverse("accounts:user_list"))
    usernames = {u.username for u in response.context["users"]}
    assert setup["north_sw"].username in usernames
    assert setup["south_sw"].username not in usernames


def test_administrator_cannot_reach_another_agencys_user(client, setup):
    client.force_login(setup["admin"])
    assert client.get(reverse("accounts:user_edit", args=[setup["south_sw"].pk])).status_code == 404
    assert client.post(reverse("accounts:user_unlock", args=[setup["south_sw"].pk])).status_code == 404


def test_non_administrators_cannot_manage_users(client, setup):
    client.force_login(setup["practitioner"])
    assert client.get(reverse("accounts:user_list")).status_code == 404
    assert client.get(reverse("accounts:user_create")).status_code == 404


def test_create_user_in_own_agency_only_with_own_team(client, setup):
    client.force_login(setup["admin"])
    data = {
        "username": "new.worker",
        "password": "a-long-enough-passphrase",
        "first_name": "Nia",
        "last_name": "Obi",
        "email": "nia@example.invalid",
        "role": "practitioner",
        "team": setup["south_team"].pk,
        "is_active": "on",
    }
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert "team" in response.context["form"].errors  # another agency's team is not a choice
    response = client.post(reverse("accounts:user_create"), dict(data, team=setup["north_team"].pk))
    assert response.status_code == 302
    user = User.objects.get(username="new.worker")
    assert user.agency == setup["north"]
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="accounts.user", object_id=str(user.pk)
    ).exists()


def test_change_role_is_audited_and_admin_cannot_demote_themselves(client, setup):
    client.force_login(setup["admin"])
    target = setup["north_sw"]
    data = {"first_name": "A", "last_name": "B", "email": "a@example.invalid", "role": "supervisor", "is_active": "on"}
    assert client.post(reverse("accounts:user_edit", args=[target.pk]), data).status_code == 302
    target.refresh_from_db()
    assert target.role == "supervisor"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(target.pk)).latest("id")
    assert event.changes["role"] == ["practitioner", "supervisor"]
    response = client.post(reverse("accounts:user_edit", args=[setup["admin"].pk]), dict(data, role="practitioner"))
    assert response.status_code == 200
    setup["admin"].refresh_from_db()
    assert setup["admin"].role == Role.ADMINISTRATOR


def test_unlock_clears_failures(client, setup):
    for _ in range(5):
        LoginFailure.objects.create(username=setup["north_sw"].username, occurred_at=timezone.now())
    client.force_login(setup["admin"])
    assert client.post(reverse("accounts:user_unlock", args=[setup["north_sw"].pk])).status_code == 302
    assert not LoginFailure.objects.filter(username=setup["north_sw"].username).exists()
