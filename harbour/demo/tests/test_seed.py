"""`harbour seed-demo`: it fills an empty database with valid, realistic synthetic records, refuses to
run twice, starts again with --reset, and leaves an audit chain that verifies."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from harbour.access.models import AccessGrant, GrantKind
from harbour.accounts.models import User
from harbour.accounts.roles import Role
from harbour.audit.models import AuditEvent
from harbour.audit.verify import audit_verify
from harbour.demo import data
from harbour.demo.factories import DEMO_PASSWORD
from harbour.people.identifiers import identifier_error
from harbour.people.models import Address, LookedAfterStatus, Note, Person, PersonKind, PersonName, Placement

pytestmark = pytest.mark.django_db


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **{"children": 20, "seed": 3, **options})
    return out.getvalue()


def _people() -> list[tuple]:
    return list(Person.objects.order_by("id").values_list("id", "kind", "given_name", "family_name", "date_of_birth"))


def test_command_seeds_the_area_prints_the_logins_and_the_chain_verifies():
    output = _seed()
    assert Person.objects.filter(kind=PersonKind.CHILD).count() == 20
    assert Person.objects.filter(kind=PersonKind.ADULT_OF_CONCERN).count() >= 4
    assert Person.objects.filter(kind=PersonKind.OTHER).count() >= 2
    assert User.objects.count() == len(data.STAFF)
    for username, *_ in data.STAFF:
        assert username in output
    assert DEMO_PASSWORD in output
    assert "audit chain intact" in output
    assert User.objects.get(username="police.officer").check_password(DEMO_PASSWORD)
    result = audit_verify()
    assert result.ok and result.checked == AuditEvent.objects.count() > 100
    verify_out = StringIO()
    call_command("audit_verify", stdout=verify_out)
    assert "intact" in verify_out.getvalue()


def test_a_second_run_is_refused_without_reset():
    _seed()
    before = _people()
    with pytest.raises(CommandError, match="--reset"):
        _seed()
    assert _people() == before


def test_refuses_a_database_that_already_holds_people():
    from harbour.demo import factories as f

    f.make_person(owning_agency=f.make_agency())
    with pytest.raises(CommandError, match="already holds 1 person"):
        _seed()


@pytest.mark.django_db(transaction=True)
def test_reset_starts_again_and_the_same_seed_gives_the_same_people_and_ids():
    _seed(quiet=True)
    first = _people()
    _seed(reset=True, quiet=True)
    second = _people()
    assert [p[1:] for p in second] == [p[1:] for p in first]  # the same people in the same order
    _seed(reset=True, quiet=True)
    assert _people() == second  # and from an emptied database, the same ids
    assert audit_verify().ok
    _seed(reset=True, quiet=True, seed=4)
    assert [p[2:] for p in _people()] != [p[2:] for p in first]


def test_quiet_prints_nothing():
    assert _seed(quiet=True) == ""


def test_refuses_production_settings_and_too_few_children():
    with override_settings(SETTINGS_MODULE="harbour.settings.production"), pytest.raises(CommandError):
        _seed()
    with pytest.raises(CommandError, match="at least"):
        _seed(children=5)
    assert not Person.objects.exists()


def test_seeded_records_are_valid_realistic_and_decent():
    _seed(children=40, seed=11)
    children = list(Person.objects.filter(kind=PersonKind.CHILD))
    from django.utils import timezone

    today = timezone.localdate()
    assert all(10 <= child.age_on(today) <= 17 for child in children)
    # Demographics record "not known" and "not asked" explicitly, as real records do.
    ethnicities = {child.ethnicity for child in Person.objects.all()}
    assert {"not_known", "not_asked"} & ethnicities and len(ethnicities) > 5
    for person in Person.objects.all():
        person.full_clean()
    # Every identifier has a valid format (NHS numbers in the 999 test range with a valid check digit).
    for person in Person.objects.prefetch_related("identifiers"):
        for identifier in person.identifiers.all():
            assert identifier_error(identifier.scheme, identifier.value) is None, identifier
            if identifier.scheme == "nhs_number":
                assert identifier.value.startswith("999")
    schemes = set(Person.objects.values_list("identifiers__scheme", flat=True))
    assert {"police_ref", "council_case", "nhs_number", "upn", "yos_ref"} <= schemes
    assert all(re.fullmatch(r"HB\d \d[A-Z]{2}", a.postcode) for a in Address.objects.all())
    # Looked-after children have both authorities; those placed out of area are shared with the host.
    looked_after = Person.objects.filter(looked_after_status=LookedAfterStatus.LOOKED_AFTER)
    assert looked_after.exists()
    out_of_area = [p for p in looked_after if p.is_placed_out_of_area]
    assert out_of_area
    for child in out_of_area:
        assert AccessGrant.objects.live().for_record(child).filter(grantee_agency=child.host_authority).exists()
    assert Placement.objects.filter(end_date__isnull=False).exists()
    # Aliases and street names exist; staff surnames never clash with the surnames of people on record.
    assert PersonName.objects.filter(kind="nickname").exists()
    staff_surnames = {s[2] for s in data.STAFF}
    assert not staff_surnames & set(Person.objects.values_list("family_name", flat=True))
    # Every role is held by some demo user.
    assert {u.role for u in User.objects.all()} == set(Role.values)
    # Shares say why; two records are restricted to named users.
    assert all(g.reason.strip() for g in AccessGrant.objects.all())
    assert AccessGrant.objects.filter(kind=GrantKind.ALLOCATION).exists()
    assert Person.objects.filter(is_restricted=True).count() == 2
    # Nothing sexual anywhere in the free text.
    texts = list(Note.objects.values_list("text", flat=True)) + list(
        AccessGrant.objects.values_list("reason", flat=True)
    )
    assert texts and not [t for t in texts if re.search(r"sex", t, re.IGNORECASE)]
