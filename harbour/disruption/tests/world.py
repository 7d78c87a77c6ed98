"""A small synthetic area for the disruption and MACE tests: a police force, two councils, a health
trust and a return-interview provider; chairs, case workers and a supervisor; three children of the
northern council and an adult of concern held by the police. Shared by both apps' tests."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from harbour.access.models import GrantKind
from harbour.accounts.models import Agency, AgencyKind, Team, User
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.missing.models import MissingEpisode, ReturnHomeInterview
from harbour.people.models import Person, PersonKind


@dataclass
class World:
    police: Agency
    north: Agency
    south: Agency
    health: Agency
    provider: Agency
    north_team: Team
    officer: User
    police_chair: User
    north_chair: User
    north_sw: User
    north_sup: User
    south_sw: User
    health_worker: User
    children: list[Person]
    adult: Person

    def caller(self, user: User) -> Caller:
        return Caller(user=user, client_ip="192.0.2.20")

    @property
    def child(self) -> Person:
        return self.children[0]


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years) - timedelta(days=days)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28) - timedelta(days=days)


def build_world() -> World:
    police = f.make_agency(kind=AgencyKind.POLICE, name="Harbour Police", short_name="HP")
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Northshire Council", short_name="NC")
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Southshire Council", short_name="SC")
    health = f.make_agency(kind=AgencyKind.HEALTH, name="Harbour NHS Trust", short_name="HNT")
    provider = f.make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, name="Safe Steps", short_name="SS")
    north_team = f.make_team(agency=north, name="Complex safeguarding")
    north_sw = f.make_user(agency=north, team=north_team, username="north.sw", first_name="Nia", last_name="Worker")
    children = [
        f.make_person(
            owning_agency=north,
            created_by=north_sw,
            given_name=given,
            family_name=family,
            date_of_birth=born,
        )
        for given, family, born in (
            ("Ellery", "Vantongeren", years_ago(13)),
            ("Sorrel", "Ambage", years_ago(14)),
            ("Tamsin", "Quarrington", years_ago(12)),
        )
    ]
    officer = f.make_user(agency=police, username="pc.officer", first_name="Pat", last_name="Constable")
    adult = f.make_person(
        owning_agency=police,
        created_by=officer,
        kind=PersonKind.ADULT_OF_CONCERN,
        given_name="Dax",
        family_name="Marlow",
        date_of_birth=years_ago(34),
    )
    return World(
        police=police,
        north=north,
        south=south,
        health=health,
        provider=provider,
        north_team=north_team,
        officer=officer,
        police_chair=f.make_user(
            agency=police, role=Role.MACE_CHAIR, username="police.chair", first_name="Priya", last_name="Chair"
        ),
        north_chair=f.make_user(
            agency=north, role=Role.MACE_CHAIR, username="north.chair", first_name="Noel", last_name="Chair"
        ),
        north_sw=north_sw,
        north_sup=f.make_user(
            agency=north,
            team=north_team,
            role=Role.SUPERVISOR,
            username="north.sup",
            first_name="Sue",
            last_name="Pervisor",
        ),
        south_sw=f.make_user(agency=south, username="south.sw", first_name="Sam", last_name="South"),
        health_worker=f.make_user(agency=health, username="health.worker", first_name="Hal", last_name="Nurse"),
        children=children,
        adult=adult,
    )


def share(record, *, with_agency: Agency, by: User):
    return f.grant(record, kind=GrantKind.SHARE, by=by, agency=with_agency, reason="MACE partner")


def found_with(world: World, child: Person, *people: Person, days_ago: int = 3) -> MissingEpisode:
    """A closed missing episode in which the child was found with these people."""
    now = timezone.now()
    episode = MissingEpisode.objects.create(
        child=child,
        owning_agency=world.police,
        reported_by_kind="care_home",
        reported_at=now - timedelta(days=days_ago, hours=6),
        recorded_by=world.officer,
        last_seen_at=now - timedelta(days=days_ago, hours=7),
        last_seen_place="Outside the home",
        status="closed",
        found_at=now - timedelta(days=days_ago),
    )
    episode.found_with.set(people)
    return episode


def overdue_interview(world: World, child: Person, *, hours_overdue: int = 30) -> ReturnHomeInterview:
    now = timezone.now()
    episode = found_with(world, child, days_ago=4)
    return ReturnHomeInterview.objects.create(
        episode=episode,
        child=child,
        provider=world.provider,
        returned_at=now - timedelta(hours=72 + hours_overdue),
        due_at=now - timedelta(hours=hours_overdue),
    )
