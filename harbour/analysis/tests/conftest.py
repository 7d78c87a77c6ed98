from dataclasses import dataclass
from datetime import date

import pytest

from harbour.accounts.models import Agency, AgencyKind, User
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.people.models import Person, PersonKind


@dataclass
class World:
    police: Agency
    council: Agency
    other_council: Agency
    officer: User
    supervisor: User
    analyst: User
    council_analyst: User
    social_worker: User
    other_social_worker: User
    child: Person
    hidden_child: Person
    adult: Person

    def caller(self, user: User) -> Caller:
        return Caller(user=user, client_ip="192.0.2.7")

    def child_of_council(self, **fields) -> Person:
        """A council child shared with the police, as for a missing episode."""
        person = f.make_person(owning_agency=self.council, created_by=self.social_worker, **fields)
        f.grant(person, by=self.social_worker, agency=self.police)
        return person


@pytest.fixture
def world(db) -> World:
    police = f.make_agency(kind=AgencyKind.POLICE, name="Harbour Police")
    council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Northshire Council")
    other_council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Southshire Council")
    officer = f.make_user(agency=police, role=Role.PRACTITIONER, username="officer")
    social_worker = f.make_user(agency=council, role=Role.PRACTITIONER, username="social_worker")
    other_social_worker = f.make_user(agency=other_council, role=Role.PRACTITIONER, username="other_sw")
    child = f.make_person(owning_agency=council, created_by=social_worker, given_name="Ellery", family_name="Marwood")
    f.grant(child, by=social_worker, agency=police)
    hidden_child = f.make_person(
        owning_agency=other_council, created_by=other_social_worker, given_name="Quilla", family_name="Hesketh"
    )
    adult = f.make_person(
        owning_agency=police,
        created_by=officer,
        kind=PersonKind.ADULT_OF_CONCERN,
        given_name="Dorian",
        family_name="Blackmore",
        date_of_birth=date(1990, 1, 2),
    )
    return World(
        police=police,
        council=council,
        other_council=other_council,
        officer=officer,
        supervisor=f.make_user(agency=police, role=Role.SUPERVISOR, username="supervisor"),
        analyst=f.make_user(agency=police, role=Role.ANALYST, username="analyst"),
        council_analyst=f.make_user(agency=council, role=Role.ANALYST, username="council_analyst"),
        social_worker=social_worker,
        other_social_worker=other_social_worker,
        child=child,
        hidden_child=hidden_child,
        adult=adult,
    )
