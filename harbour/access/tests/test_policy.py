"""The access policy: lists and single records agree; every route in, and every route denied."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from harbour.access.models import GrantKind
from harbour.access.policy import Action, can, scope
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo import factories as f
from harbour.people.models import Person, PersonKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    police = f.make_agency(kind=AgencyKind.POLICE)
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    provider = f.make_agency(kind=AgencyKind.CARE_PROVIDER)
    home = f.make_care_home(provider=provider, host_authority=south)
    other_home = f.make_care_home(provider=provider, host_authority=south)
    north_team = f.make_team(agency=north)
    return {
        "police": police,
        "north": north,
        "south": south,
        "provider": provider,
        "home": home,
        "other_home": other_home,
        "north_team": north_team,
        "north_sw": f.make_user(agency=north, team=north_team, role=Role.PRACTITIONER),
        "north_colleague": f.make_user(agency=north, role=Role.PRACTITIONER),
        "north_supervisor": f.make_user(agency=north, role=Role.SUPERVISOR),
        "north_admin": f.make_user(agency=north, role=Role.ADMINISTRATOR),
        "north_auditor": f.make_user(agency=north, role=Role.AUDITOR),
        "south_sw": f.make_user(agency=south, role=Role.PRACTITIONER),
        "police_officer": f.make_user(agency=police, role=Role.PRACTITIONER),
        "police_analyst": f.make_user(agency=police, role=Role.ANALYST),
        "carer": f.make_user(agency=provider, role=Role.CARE_HOME_STAFF, care_home=home),
        "other_carer": f.make_user(agency=provider, role=Role.CARE_HOME_STAFF, care_home=other_home),
    }


def visible(user, person):
    """Both questions must give the same answer: the policy's core promise."""
    in_list = scope(user, Person.objects.all()).filter(pk=person.pk).exists()
    single = can(user, Action.VIEW, person)
    assert in_list == single, f"list and single-record answers disagree for {user} on {person}"
    return single


def test_owning_agency_sees_its_records_and_other_agencies_do_not(area):
    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    assert visible(area["north_sw"], child)
    assert visible(area["north_colleague"], child)
    assert not visible(area["south_sw"], child)
    assert not visible(area["police_officer"], child)


def test_administrators_and_auditors_do_not_read_case_records(area):
    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    assert not visible(area["north_admin"], child)
    assert not visible(area["north_auditor"], child)


def test_share_to_agency_team_or_user_gives_read_not_write(area):
    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    f.grant(child, by=area["north_sw"], agency=area["police"])
    assert visible(area["police_officer"], child)
    assert not can(area["police_officer"], Action.CHANGE, child)
    assert not visible(area["south_sw"], child)


def test_share_ends_at_its_date_and_when_revoked(area):
    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    f.grant(child, by=area["north_sw"], user=area["south_sw"], valid_until=timezone.now() - timedelta(minutes=1))
    f.grant(child, by=area["north_sw"], user=area["police_officer"], revoked=True)
    assert not visible(area["south_sw"], child)
    assert not visible(area["police_officer"], child)


def test_allocation_to_a_team_gives_read_and_write(area):
    child = f.make_person(owning_agency=area["south"], created_by=area["south_sw"])
    assert not visible(area["north_sw"], child)
    f.grant(child, kind=GrantKind.ALLOCATION, by=area["south_sw"], team=area["north_team"])
    assert visible(area["north_sw"], child)
    assert can(area["north_sw"], Action.CHANGE, child)
    assert not visible(area["north_colleague"], child)  # not in the team


def test_restricted_record_is_visible_only_to_named_users(area):
    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"], is_restricted=True)
    assert not visible(area["north_sw"], child)
    assert not visible(area["north_supervisor"], child)
    f.grant(child, kind=GrantKind.NAMED, by=area["north_supervisor"], user=area["north_sw"])
    assert visible(area["north_sw"], child)
    assert can(area["north_sw"], Action.CHANGE, child)
    assert not visible(area["north_colleague"], child)
    # A share to the whole agency does not open a restricted record.
    f.grant(child, by=area["north_sw"], agency=area["police"])
    assert not visible(area["police_officer"], child)


def test_care_home_staff_see_only_current_residents_of_their_home(area):
    resident = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    f.place(resident, care_home=area["home"], placing_authority=area["north"])
    former = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    placement = f.place(former, care_home=area["home"], placing_authority=area["north"], start=date(2024, 1, 1))
    placement.end_date = date(2024, 6, 1)
    placement.save()
    not_placed = f.make_person(owning_agency=area["provider"], created_by=f.make_user(agency=area["provider"]))
    assert visible(area["carer"], resident)
    assert not visible(area["carer"], former)
    assert not visible(area["carer"], not_placed)  # not even records its own agency holds
    assert not visible(area["other_carer"], resident)
    assert not can(area["carer"], Action.CHANGE, resident)


def test_police_analyst_route_reaches_adults_of_concern_not_children(area):
    adult = f.make_person(owning_agency=area["north"], created_by=area["north_sw"], kind=PersonKind.ADULT_OF_CONCERN)
    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    assert visible(area["police_analyst"], adult)
    assert not visible(area["police_analyst"], child)
    assert not visible(area["police_officer"], adult)
    assert not can(area["police_analyst"], Action.CHANGE, adult)


def test_inactive_and_anonymous_users_see_nothing(area):
    from django.contrib.auth.models import AnonymousUser

    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    area["north_sw"].is_active = False
    area["north_sw"].save()
    assert not visible(area["north_sw"], child)
    assert not scope(AnonymousUser(), Person.objects.all()).exists()


def test_only_supervisors_of_the_owning_agency_may_restrict(area):
    child = f.make_person(owning_agency=area["north"], created_by=area["north_sw"])
    assert can(area["north_supervisor"], Action.RESTRICT, child)
    assert not can(area["north_sw"], Action.RESTRICT, child)
    f.grant(
        child,
        kind=GrantKind.ALLOCATION,
        by=area["north_sw"],
        user=f.make_user(agency=area["south"], role=Role.SUPERVISOR),
    )


def test_unregistered_models_are_denied_not_leaked(area):
    from harbour.accounts.models import Agency

    with pytest.raises(LookupError):
        scope(area["north_sw"], Agency.objects.all())
