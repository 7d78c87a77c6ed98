"""A small synthetic world for the risk tests: two councils and a police force, a child of each
age that matters, and the people who screen, assess and sign off."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from harbour.accounts.models import Agency, AgencyKind, User
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.people.models import Person
from harbour.risk import published
from harbour.risk.models import IndicatorSet
from harbour.risk.services import AnswerInput


def birthday_years_ago(years: int, *, days_after: int = 0) -> date:
    """A date of birth making the child `years` old today (Europe/London), `days_after` days past the birthday."""
    today = timezone.localdate()
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return date(today.year - years, today.month, day) - timedelta(days=days_after)


@dataclass
class World:
    north: Agency
    south: Agency
    police: Agency
    north_sw: User
    north_sw2: User
    north_supervisor: User
    north_supervisor2: User
    south_sw: User
    south_supervisor: User
    officer: User
    analyst: User
    child: Person  # 15, held by the northern council

    def caller(self, user: User) -> Caller:
        return Caller(user=user, client_ip="192.0.2.20")

    def make_child(self, *, age: int = 15, **fields) -> Person:
        return f.make_person(
            owning_agency=self.north,
            created_by=self.north_sw,
            date_of_birth=birthday_years_ago(age, days_after=3),
            **fields,
        )


@pytest.fixture
def indicator_sets(db):
    """The published indicator sets, as the data migrations load them (post_migrate restores them
    after a flush too; this makes the tests independent of what ran before them)."""
    published.install_all(IndicatorSet)


@pytest.fixture
def world(indicator_sets) -> World:
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Northshire Council")
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Southshire Council")
    police = f.make_agency(kind=AgencyKind.POLICE, name="Harbour Police")
    north_sw = f.make_user(agency=north, role=Role.PRACTITIONER, username="north_sw")
    child = f.make_person(
        owning_agency=north,
        created_by=north_sw,
        given_name="Robin",
        family_name="Testperson",
        date_of_birth=birthday_years_ago(15, days_after=3),
    )
    return World(
        north=north,
        south=south,
        police=police,
        north_sw=north_sw,
        north_sw2=f.make_user(agency=north, role=Role.PRACTITIONER, username="north_sw2"),
        north_supervisor=f.make_user(agency=north, role=Role.SUPERVISOR, username="north_sup"),
        north_supervisor2=f.make_user(agency=north, role=Role.SUPERVISOR, username="north_sup2"),
        south_sw=f.make_user(agency=south, role=Role.PRACTITIONER, username="south_sw"),
        south_supervisor=f.make_user(agency=south, role=Role.SUPERVISOR, username="south_sup"),
        officer=f.make_user(agency=police, role=Role.PRACTITIONER, username="officer"),
        analyst=f.make_user(agency=north, role=Role.ANALYST, username="north_analyst"),
        child=child,
    )


def answer(code: str, timing: str = "current", **kwargs) -> AnswerInput:
    return AnswerInput(indicator=code, timing=timing, **kwargs)
