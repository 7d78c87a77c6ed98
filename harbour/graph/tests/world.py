"""A small synthetic world for the graph and intelligence tests: two police forces, a council, a
health partner, a child each council holds, an adult of concern, and users of each."""

from dataclasses import dataclass
from datetime import date

from harbour.accounts.models import Agency, AgencyKind, User
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.people.models import Person, PersonKind


@dataclass
class World:
    police: Agency
    other_police: Agency
    council: Agency
    other_council: Agency
    health: Agency
    officer: User
    supervisor: User
    analyst: User
    other_officer: User
    other_force_officer: User
    social_worker: User
    other_social_worker: User
    nurse: User
    child: Person
    hidden_child: Person
    adult: Person

    def caller(self, user: User) -> Caller:
        return Caller(user=user, client_ip="192.0.2.44")


def make_world() -> World:
    police = f.make_agency(kind=AgencyKind.POLICE, name="Harbour Police")
    other_police = f.make_agency(kind=AgencyKind.POLICE, name="Moorland Police")
    council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Northshire Council")
    other_council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Southshire Council")
    health = f.make_agency(kind=AgencyKind.HEALTH, name="Harbour Health Trust")
    officer = f.make_user(agency=police, role=Role.PRACTITIONER, username="officer")
    social_worker = f.make_user(agency=council, role=Role.PRACTITIONER, username="social_worker")
    other_social_worker = f.make_user(agency=other_council, role=Role.PRACTITIONER, username="other_sw")
    child = f.make_person(owning_agency=council, created_by=social_worker, given_name="Ellery", family_name="Marwood")
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
    # The council shares its child with the police force, as it would for a missing episode.
    f.grant(child, by=social_worker, agency=police)
    return World(
        police=police,
        other_police=other_police,
        council=council,
        other_council=other_council,
        health=health,
        officer=officer,
        supervisor=f.make_user(agency=police, role=Role.SUPERVISOR, username="supervisor"),
        analyst=f.make_user(agency=police, role=Role.ANALYST, username="analyst"),
        other_officer=f.make_user(agency=police, role=Role.PRACTITIONER, username="other_officer"),
        other_force_officer=f.make_user(agency=other_police, role=Role.PRACTITIONER, username="moor_officer"),
        social_worker=social_worker,
        other_social_worker=other_social_worker,
        nurse=f.make_user(agency=health, role=Role.PRACTITIONER, username="nurse"),
        child=child,
        hidden_child=hidden_child,
        adult=adult,
    )
