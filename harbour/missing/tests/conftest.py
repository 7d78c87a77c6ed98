"""A small world for the missing-children tests: two councils, a police force, a care home and the
return-interview provider commissioned by the northern council. All synthetic."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from harbour.accounts.models import Agency, AgencyKind, User
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.missing.models import Commission
from harbour.people.models import CareHome, Person


@dataclass
class World:
    north: Agency
    south: Agency
    police: Agency
    provider: Agency
    other_provider: Agency
    home: CareHome
    north_sw: User
    north_supervisor: User
    south_sw: User
    officer: User
    home_staff: User
    other_home_staff: User
    rhi_worker: User
    other_rhi_worker: User
    resident: Person
    other_child: Person

    def caller(self, user: User) -> Caller:
        return Caller(user=user, client_ip="192.0.2.10")


@pytest.fixture
def world(db) -> World:
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Northshire Council")
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Southshire Council")
    police = f.make_agency(kind=AgencyKind.POLICE, name="Harbour Police")
    provider = f.make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, name="Safe Steps Charity")
    other_provider = f.make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, name="Other Charity")
    care_provider = f.make_agency(kind=AgencyKind.CARE_PROVIDER, name="Homes Ltd")
    officer = f.make_user(agency=police, role=Role.PRACTITIONER, username="officer")
    home = f.make_care_home(provider=care_provider, host_authority=north, liaison=officer)
    other_home = f.make_care_home(provider=care_provider, host_authority=north)
    north_sw = f.make_user(agency=north, username="north_sw")
    resident = f.make_person(
        owning_agency=north,
        created_by=north_sw,
        given_name="Ellery",
        family_name="Vantongeren",
        date_of_birth=date(2010, 3, 2),
        looked_after_status="looked_after",
        responsible_authority=north,
        host_authority=north,
    )
    f.place(resident, care_home=home, placing_authority=north, start=timezone.localdate() - timedelta(days=100))
    other_child = f.make_person(owning_agency=north, created_by=north_sw, given_name="Sorrel", family_name="Ambage")
    Commission.objects.create(provider=provider, commissioning_authority=north)
    Commission.objects.create(provider=other_provider, commissioning_authority=south)
    return World(
        north=north,
        south=south,
        police=police,
        provider=provider,
        other_provider=other_provider,
        home=home,
        north_sw=north_sw,
        north_supervisor=f.make_user(agency=north, role=Role.SUPERVISOR, username="north_sup"),
        south_sw=f.make_user(agency=south, username="south_sw"),
        officer=officer,
        home_staff=f.make_user(agency=care_provider, role=Role.CARE_HOME_STAFF, care_home=home, username="staff"),
        other_home_staff=f.make_user(
            agency=care_provider, role=Role.CARE_HOME_STAFF, care_home=other_home, username="other_staff"
        ),
        rhi_worker=f.make_user(agency=provider, username="rhi_worker"),
        other_rhi_worker=f.make_user(agency=other_provider, username="other_rhi_worker"),
        resident=resident,
        other_child=other_child,
    )


@pytest.fixture
def frozen_now(monkeypatch):
    """Set the clock: `frozen_now(moment)`; services and selectors read timezone.now()."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
