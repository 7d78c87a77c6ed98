import pytest
from django.urls import reverse

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    provider = f.make_agency(kind=AgencyKind.CARE_PROVIDER)
    police = f.make_agency(kind=AgencyKind.POLICE)
    liaison = f.make_user(agency=police, first_name="Liaison", last_name="Officer")
    home = f.make_care_home(provider=provider, host_authority=south, name="Willow House", liaison=liaison)
    other = f.make_care_home(provider=provider, host_authority=south, name="Elm Lodge")
    north_sw = f.make_user(agency=north)
    south_sw = f.make_user(agency=south)
    child = f.make_person(owning_agency=north, created_by=north_sw, family_name="Ferreira-Holt")
    f.place(child, care_home=home, placing_authority=north)
    carer = f.make_user(agency=provider, role=Role.CARE_HOME_STAFF, care_home=other)
    return locals()


def test_register_lists_homes_and_liaison_officers_and_only_visible_residents(client, area):
    client.force_login(area["north_sw"])
    body = client.get(reverse("people:care_homes")).content.decode()
    assert "Willow House" in body and "Elm Lodge" in body
    assert "Liaison Officer" in body
    assert "Ferreira-Holt" in body
    client.force_login(area["south_sw"])
    body = client.get(reverse("people:care_homes")).content.decode()
    assert "Willow House" in body
    assert "Ferreira-Holt" not in body  # placed by another authority and not shared


def test_care_home_staff_see_only_their_own_home(client, area):
    client.force_login(area["carer"])
    body = client.get(reverse("people:care_homes")).content.decode()
    assert "Elm Lodge" in body
    assert "Willow House" not in body


def test_administrators_cannot_open_the_register(client, area):
    client.force_login(f.make_user(agency=area["north"], role=Role.ADMINISTRATOR))
    assert client.get(reverse("people:care_homes")).status_code == 404
