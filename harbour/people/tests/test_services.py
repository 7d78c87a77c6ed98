from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, can
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction, AuditEvent
from harbour.audit.verify import audit_verify
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.people import selectors, services
from harbour.people.models import Person

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "child",
    "given_name": "Amira",
    "family_name": "Okafor",
    "date_of_birth": date(2012, 3, 14),
    "date_of_birth_is_estimated": False,
    "estimated_age_years": None,
    "sex": "female",
    "gender": "same_as_sex",
    "gender_description": "",
    "ethnicity": "not_asked",
    "disability": "no",
    "disability_details": "",
    "learning_disability": "no",
    "special_educational_needs": "sen_support",
    "first_language_status": "recorded",
    "first_language": "English",
    "looked_after_status": "not_looked_after",
    "responsible_authority": None,
    "host_authority": None,
}


@pytest.fixture
def la():
    return f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)


@pytest.fixture
def worker(la):
    return f.make_user(agency=la, role=Role.PRACTITIONER)


def test_create_writes_the_person_their_name_keys_and_an_audit_row_with_values(worker):
    person = services.person_create(caller=Caller(worker, "10.0.0.5"), **VALID)
    assert person.owning_agency == worker.agency
    assert person.names.get(kind="primary").family_key == "AKFR"
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(person.pk))
    assert event.changes["family_name"] == [None, "Okafor"]
    assert event.client_ip == "10.0.0.5"
    assert event.person_id == person.pk and event.record_agency_id == worker.agency_id
    assert audit_verify().ok


def test_blank_is_never_ambiguous_each_missing_answer_names_its_field(worker):
    data = dict(VALID, first_language="", date_of_birth=None, gender="different", looked_after_status="looked_after")
    with pytest.raises(ValidationError) as caught:
        services.person_create(caller=Caller(worker), **data)
    errors = caught.value.message_dict
    assert "first_language" in errors
    assert "date_of_birth" in errors
    assert "gender_description" in errors
    assert "responsible_authority" in errors
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_update_records_old_and_new_values(worker):
    person = services.person_create(caller=Caller(worker), **VALID)
    services.person_update(caller=Caller(worker), person=person, family_name="Okafor-Reid", sex="not_known")
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.changes == {"family_name": ["Okafor", "Okafor-Reid"], "sex": ["female", "not_known"]}
    assert person.names.get(kind="primary").family_name == "Okafor-Reid"


def test_a_failed_update_leaves_record_and_audit_untouched(worker):
    person = services.person_create(caller=Caller(worker), **VALID)
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.person_update(
            caller=Caller(worker), person=person, first_language_status="recorded", first_language=""
        )
    person.refresh_from_db()
    assert person.first_language == "English"
    assert AuditEvent.objects.count() == count


def test_other_agency_cannot_update_or_add_to_a_record(worker):
    other = f.make_user(agency=f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE))
    person = services.person_create(caller=Caller(worker), **VALID)
    with pytest.raises(Http404):
        services.person_update(caller=Caller(other), person=person, family_name="X")
    with pytest.raises(Http404):
        services.note_create(caller=Caller(other), person=person, text="A note")


def test_looked_after_child_placed_out_of_area_is_shared_with_the_host_authority(worker, la):
    host = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    host_worker = f.make_user(agency=host)
    data = dict(VALID, looked_after_status="looked_after", responsible_authority=la, host_authority=host)
    person = services.person_create(caller=Caller(worker), **data)
    assert can(host_worker, Action.VIEW, person)
    assert not can(host_worker, Action.CHANGE, person)
    grant = AccessGrant.objects.get(grantee_agency=host)
    assert "host authority" in grant.reason
    assert AuditEvent.objects.filter(action=AuditAction.SHARE, person_id=person.pk).exists()


def test_identifier_is_validated_and_normalised(worker):
    person = services.person_create(caller=Caller(worker), **VALID)
    with pytest.raises(ValidationError) as caught:
        services.person_add_identifier(caller=Caller(worker), person=person, scheme="nhs_number", value="123")
    assert "value" in caught.value.message_dict
    ident = services.person_add_identifier(
        caller=Caller(worker), person=person, scheme="nhs_number", value="943 476 5919"
    )
    assert ident.value == "9434765919"


def test_share_needs_a_reason_and_gives_read_access_until_revoked(worker):
    police = f.make_agency(kind=AgencyKind.POLICE)
    officer = f.make_user(agency=police)
    person = services.person_create(caller=Caller(worker), **VALID)
    with pytest.raises(ValidationError) as caught:
        services.person_share(caller=Caller(worker), person=person, reason="  ", grantee_agency=police)
    assert "reason" in caught.value.message_dict
    grant = services.person_share(
        caller=Caller(worker), person=person, reason="Found with an adult of concern", grantee_agency=police
    )
    assert can(officer, Action.VIEW, person)
    services.grant_revoke(caller=Caller(worker), grant=grant, reason="No longer needed")
    assert not can(officer, Action.VIEW, person)
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, person_id=person.pk).exists()


def test_restriction_hides_from_colleagues_and_keeps_the_supervisor_named(worker, la):
    supervisor = f.make_user(agency=la, role=Role.SUPERVISOR)
    person = services.person_create(caller=Caller(worker), **VALID)
    services.person_set_restricted(
        caller=Caller(supervisor), person=person, restricted=True, named_users=[], reason="Sensitive family matter"
    )
    assert not can(worker, Action.VIEW, person)
    assert can(supervisor, Action.VIEW, person)
    assert AccessGrant.objects.filter(kind=GrantKind.NAMED, grantee_user=supervisor).exists()
    with pytest.raises(Http404):
        services.person_set_restricted(
            caller=Caller(worker), person=person, restricted=False, named_users=[], reason="x"
        )


def test_break_glass_needs_exact_identifier_and_reason_and_is_an_alert(worker):
    police = f.make_agency(kind=AgencyKind.POLICE)
    officer = f.make_user(agency=police)
    person = services.person_create(caller=Caller(worker), **VALID)
    f.add_identifier(person, "council_case", "ABC1234567")
    with pytest.raises(ValidationError):
        services.break_glass_open(caller=Caller(officer), scheme="council_case", value="ABC1234567", reason="short")
    assert (
        services.break_glass_open(
            caller=Caller(officer), scheme="council_case", value="ABC7654321", reason="Child reported missing tonight"
        )
        is None
    )
    opened = services.break_glass_open(
        caller=Caller(officer), scheme="council_case", value="abc1234567", reason="Child reported missing tonight"
    )
    assert opened == person
    assert can(officer, Action.VIEW, person)
    assert not can(officer, Action.CHANGE, person)
    alerts = AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS, is_alert=True)
    assert alerts.count() == 2
    assert alerts.filter(person_id=person.pk, reason="Child reported missing tonight").exists()


def test_break_glass_never_opens_a_restricted_record(worker):
    officer = f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE))
    person = f.make_person(owning_agency=worker.agency, created_by=worker, is_restricted=True)
    f.add_identifier(person, "council_case", "ABC1234567")
    assert (
        services.break_glass_open(
            caller=Caller(officer), scheme="council_case", value="ABC1234567", reason="Child reported missing tonight"
        )
        is None
    )
    assert not can(officer, Action.VIEW, person)


def test_reading_a_person_is_audited_and_hidden_reads_are_logged_as_denied(worker):
    other = f.make_user(agency=f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE))
    person = f.make_person(owning_agency=worker.agency, created_by=worker)
    selectors.person_get(caller=Caller(worker), pk=person.pk)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=worker, person_id=person.pk).count() == 1
    with pytest.raises(Http404):
        selectors.person_get(caller=Caller(other), pk=person.pk)
    denied = AuditEvent.objects.get(action=AuditAction.DENIED, actor=other)
    assert denied.object_id == str(person.pk)
    assert denied.person_id is None  # a denied read does not reveal whose record it was
