"""Factories for synthetic records, shared by the demo generator and the tests.

Every value here is invented. Functions take keyword arguments and fill the rest with
sensible synthetic defaults, so a test names only what it is about.
"""

import itertools
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from harbour.access.models import AccessGrant, GrantKind
from harbour.accounts.models import Agency, AgencyKind, Team, User
from harbour.accounts.roles import Role
from harbour.people.identifiers import normalise_identifier
from harbour.people.models import (
    CareHome,
    Identifier,
    NameKind,
    Person,
    PersonKind,
    PersonName,
    Placement,
)

DEMO_PASSWORD = "harbour-demo-only"  # documented in the README as demo-only
_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def make_agency(*, kind: str = AgencyKind.POLICE, name: str | None = None, short_name: str | None = None) -> Agency:
    n = _n()
    name = name or f"Test {AgencyKind(kind).label} {n}"
    return Agency.objects.create(name=name, short_name=short_name or f"T{kind[:3].upper()}{n}", kind=kind)


def make_team(*, agency: Agency, name: str | None = None) -> Team:
    return Team.objects.create(agency=agency, name=name or f"Team {_n()}")


def make_user(
    *,
    agency: Agency | None,
    role: str = Role.PRACTITIONER,
    team: Team | None = None,
    username: str | None = None,
    care_home: CareHome | None = None,
    first_name: str = "Test",
    last_name: str | None = None,
    password: str = DEMO_PASSWORD,
) -> User:
    n = _n()
    user = User(
        username=username or f"user{n}",
        agency=agency,
        team=team,
        role=role,
        care_home=care_home,
        first_name=first_name,
        last_name=last_name or f"User{n}",
        email=f"user{n}@example.invalid",
    )
    user.set_password(password)
    user.save()
    return user


def make_care_home(
    *, provider: Agency, host_authority: Agency, name: str | None = None, liaison: User | None = None
) -> CareHome:
    n = _n()
    return CareHome.objects.create(
        name=name or f"Test House {n}",
        provider=provider,
        host_authority=host_authority,
        address=f"{n} Example Road, Harbourtown",
        postcode="HB1 1AA",
        police_liaison_officer=liaison,
    )


def make_person(
    *,
    owning_agency: Agency,
    created_by: User | None = None,
    kind: str = PersonKind.CHILD,
    given_name: str | None = None,
    family_name: str | None = None,
    date_of_birth: date | None = date(2011, 5, 4),
    is_restricted: bool = False,
    aliases: list[tuple[str, str]] = (),
    **fields,
) -> Person:
    n = _n()
    if created_by is None:
        created_by = make_user(agency=owning_agency)
    defaults = {
        "sex": "not_known",
        "gender": "not_known",
        "ethnicity": "not_known",
        "disability": "not_known",
        "learning_disability": "not_known",
        "special_educational_needs": "not_known",
        "first_language_status": "not_known",
        "looked_after_status": "not_looked_after",
    }
    defaults.update(fields)
    person = Person.objects.create(
        kind=kind,
        given_name=given_name or f"Given{n}",
        family_name=family_name or f"Family{n}",
        date_of_birth=date_of_birth,
        owning_agency=owning_agency,
        created_by=created_by,
        is_restricted=is_restricted,
        **defaults,
    )
    for kind_, (given, family) in [(NameKind.PRIMARY, (person.given_name, person.family_name))] + [
        (NameKind.ALIAS, a) for a in aliases
    ]:
        name = PersonName(person=person, kind=kind_, given_name=given, family_name=family)
        name.compute_keys()
        name.save()
    return person


def add_identifier(person: Person, scheme: str, value: str, issued_by: Agency | None = None) -> Identifier:
    return Identifier.objects.create(
        person=person, scheme=scheme, value=normalise_identifier(scheme, value), issued_by=issued_by
    )


def place(
    person: Person, *, care_home: CareHome, placing_authority: Agency, start: date = date(2025, 1, 1)
) -> Placement:
    return Placement.objects.create(
        person=person, care_home=care_home, placing_authority=placing_authority, start_date=start
    )


def grant(
    record,
    *,
    kind: str = GrantKind.SHARE,
    by: User,
    user: User | None = None,
    team: Team | None = None,
    agency: Agency | None = None,
    reason: str = "Test share",
    valid_until=None,
    revoked: bool = False,
) -> AccessGrant:
    return AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=kind,
        grantee_user=user,
        grantee_team=team,
        grantee_agency=agency,
        reason=reason,
        granted_by=by,
        valid_until=valid_until,
        revoked_at=timezone.now() if revoked else None,
    )
