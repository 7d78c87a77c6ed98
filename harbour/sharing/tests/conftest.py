from dataclasses import dataclass

import pytest
from django.test import Client

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo import factories as f


@dataclass
class Area:
    police: object
    council: object
    other_council: object
    mash: object
    council_other_team: object
    cse_team: object
    officer: object
    police_supervisor: object
    receiver: object
    council_supervisor: object
    council_colleague: object
    outsider: object
    child: object


@pytest.fixture
def area(db) -> Area:
    police = f.make_agency(kind=AgencyKind.POLICE, name="Harbour Police", short_name="HPOL")
    council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Harbourtown Council", short_name="HTC")
    other_council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Eastmere Council", short_name="EMC")
    cse_team = f.make_team(agency=police, name="Child exploitation unit")
    mash = f.make_team(agency=council, name="MASH")
    council_other_team = f.make_team(agency=council, name="Fostering")
    officer = f.make_user(agency=police, team=cse_team, username="pc.officer", first_name="Pat", last_name="Officer")
    police_supervisor = f.make_user(agency=police, role=Role.SUPERVISOR, username="ps.sarge")
    receiver = f.make_user(agency=council, team=mash, username="sw.receiver", first_name="Rae", last_name="Receiver")
    council_supervisor = f.make_user(agency=council, role=Role.SUPERVISOR, username="sw.boss")
    council_colleague = f.make_user(agency=council, team=council_other_team, username="sw.colleague")
    outsider = f.make_user(agency=other_council, username="em.outsider")
    child = f.make_person(
        owning_agency=police, created_by=officer, given_name="Katie", family_name="Smith", owning_team=None
    )
    return Area(
        police=police,
        council=council,
        other_council=other_council,
        mash=mash,
        council_other_team=council_other_team,
        cse_team=cse_team,
        officer=officer,
        police_supervisor=police_supervisor,
        receiver=receiver,
        council_supervisor=council_supervisor,
        council_colleague=council_colleague,
        outsider=outsider,
        child=child,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
