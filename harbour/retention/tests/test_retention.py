"""Retention: rules as data, the review queue (only what the reviewer's agency holds), retain and
delete (a deletion leaves an audit entry and a record of itself, and no content); subject access."""

import datetime
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from harbour.access.models import AccessGrant
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.people.models import Note, Person, PersonName
from harbour.retention import services
from harbour.retention.models import DeletionRecord, RetentionAction, RetentionReview, RetentionRule
from harbour.retention.periods import months_before
from harbour.retention.selectors import due_records, rules_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    police = f.make_agency(kind=AgencyKind.POLICE, short_name="HPOL")
    other_police = f.make_agency(kind=AgencyKind.POLICE, short_name="EPOL")
    supervisor = f.make_user(agency=police, role=Role.SUPERVISOR, username="sergeant")
    admin = f.make_user(agency=police, role=Role.ADMINISTRATOR, username="admin")
    officer = f.make_user(agency=police, username="officer")
    other_supervisor = f.make_user(agency=other_police, role=Role.SUPERVISOR, username="other.sergeant")
    old = f.make_person(owning_agency=police, created_by=officer, given_name="Alex", family_name="Oldcase")
    recent = f.make_person(owning_agency=police, created_by=officer, given_name="Sam", family_name="Newcase")
    theirs = f.make_person(owning_agency=other_police, created_by=other_supervisor)
    eleven_years_ago = timezone.now() - timedelta(days=365 * 11)
    Person.objects.filter(pk__in=[old.pk, theirs.pk]).update(updated_at=eleven_years_ago)
    return {
        "police": police,
        "supervisor": supervisor,
        "admin": admin,
        "officer": officer,
        "other_supervisor": other_supervisor,
        "old": old,
        "recent": recent,
        "theirs": theirs,
    }


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def police_rule() -> RetentionRule:
    return RetentionRule.objects.get(agency_kind=AgencyKind.POLICE, is_example=True)


def test_example_rules_are_seeded_as_data_and_marked_as_examples():
    rules = RetentionRule.objects.filter(is_example=True)
    assert rules.count() == 4
    assert set(rules.values_list("content_type__model", flat=True)) == {"person"}
    assert all(r.citation for r in rules)
    assert police_rule().period_months == 120 and police_rule().action == RetentionAction.REVIEW
    for rule in rules:
        rule.full_clean()


def test_the_most_specific_rule_applies(world):
    assert rules_for(world["police"]) == [police_rule()]
    own = RetentionRule.objects.create(
        content_type=police_rule().content_type,
        agency=world["police"],
        date_field="created_at",
        period_months=24,
        action=RetentionAction.REVIEW,
        citation="Local schedule",
    )
    assert rules_for(world["police"]) == [own]


def test_a_record_past_its_period_is_in_its_agencys_queue_only(world):
    due = due_records(user=world["supervisor"])
    assert [(d.record_id, d.reference) for d in due] == [(world["old"].pk, f"Person record {world['old'].pk}")]
    assert [d.record_id for d in due_records(user=world["admin"])] == [world["old"].pk]
    assert [d.record_id for d in due_records(user=world["other_supervisor"])] == [world["theirs"].pk]
    assert due_records(user=world["officer"]) == []

    page = login(world["supervisor"]).get("/retention/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Person record {world['old'].pk}" in text
    assert "Oldcase" not in text and f"Person record {world['recent'].pk}" not in text
    assert f"Person record {world['theirs'].pk}" not in text
    assert login(world["officer"]).get("/retention/").status_code == 404
    decide = f"/retention/due/{police_rule().pk}/{world['theirs'].pk}/"
    assert login(world["supervisor"]).get(decide).status_code == 404


def test_retain_takes_it_off_the_queue_until_the_next_review(world):
    rule, old = police_rule(), world["old"]
    client = login(world["supervisor"])
    url = f"/retention/due/{rule.pk}/{old.pk}/retain/"
    past = client.post(url, {"reason": "Open investigation", "next_review_on": "2000-01-01"})
    assert past.status_code == 400 and "must be in the future" in past.content.decode()
    next_year = (timezone.localdate() + timedelta(days=365)).isoformat()
    assert client.post(url, {"reason": "Open investigation", "next_review_on": next_year}).status_code == 302
    assert due_records(user=world["supervisor"]) == []
    review = RetentionReview.objects.get()
    assert review.agency == world["police"] and review.decided_by == world["supervisor"]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="people.person")
    assert event.object_repr == f"Person record {old.pk}" and event.details["retention"] == "retained"
    later = timezone.localdate() + timedelta(days=400)
    assert [d.record_id for d in due_records(user=world["supervisor"], today=later)] == [old.pk]


def test_deletion_leaves_an_audit_entry_and_no_content(world):
    rule, old = police_rule(), world["old"]
    Note.objects.create(person=old, text="Seen with Oldcase's cousin at the station.", author=world["officer"])
    f.grant(old, by=world["officer"], agency=world["police"], reason="Shared about Alex Oldcase")
    client = login(world["admin"])
    refused = client.post(f"/retention/due/{rule.pk}/{old.pk}/delete/", {})
    assert refused.status_code == 400 and Person.objects.filter(pk=old.pk).exists()
    response = client.post(f"/retention/due/{rule.pk}/{old.pk}/delete/", {"confirm": "on"})
    assert response.status_code == 302

    assert not Person.objects.filter(pk=old.pk).exists()
    assert not PersonName.objects.filter(family_name="Oldcase").exists()
    assert not Note.objects.filter(person_id=old.pk).exists()
    assert not AccessGrant.objects.filter(object_id=old.pk, content_type__model="person").exists()

    deletion = DeletionRecord.objects.get()
    assert (deletion.record_id, deletion.owning_agency, deletion.rule, deletion.deleted_by) == (
        old.pk,
        world["police"],
        rule,
        world["admin"],
    )
    assert deletion.removed["people.person"] == 1 and deletion.removed["people.note"] == 1
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.object_repr == f"Person record {old.pk}"
    assert (event.object_type, event.object_id, event.person_id) == ("people.person", str(old.pk), old.pk)
    assert event.record_agency_id == world["police"].pk and event.details["deletion_record"] == deletion.pk
    stored = json.dumps(
        [event.object_repr, event.details, event.changes, event.reason, deletion.removed, str(deletion)]
    )
    assert "Oldcase" not in stored and "Alex" not in stored and "station" not in stored
    call_command("audit_verify")  # the chain still holds
    page = login(world["supervisor"]).get("/retention/deletions/").content.decode()
    assert f"Person record {old.pk}" in page
    assert login(world["other_supervisor"]).get("/retention/deletions/").content.decode().count("Person record") == 0


def test_a_record_others_depend_on_is_not_deleted(world):
    from harbour.missing.models import MissingEpisode

    old = world["old"]
    MissingEpisode.objects.create(
        child=old,
        owning_agency=world["police"],
        reported_by_kind="parent",
        reported_at=timezone.now(),
        recorded_by=world["officer"],
        last_seen_at=timezone.now(),
        last_seen_place="Park",
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.retention_delete(caller=Caller(world["supervisor"]), rule_pk=police_rule().pk, object_id=old.pk)
    assert "missing" in error.value.message_dict["record"][0].lower()
    assert Person.objects.filter(pk=old.pk).exists() and not DeletionRecord.objects.exists()


def test_months_are_calendar_months():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)
    assert months_before(datetime.date(2026, 1, 15), 120) == datetime.date(2016, 1, 15)


# --- Subject access -----------------------------------------------------------------------------


def test_subject_access_export_is_audited_and_marks_third_parties(world):
    subject, police = world["recent"], world["police"]
    f.make_person(owning_agency=world["theirs"].owning_agency, given_name="Jay", family_name="Doe")
    f.make_person(owning_agency=police, given_name="Sam", family_name="Newcase")  # same name as the subject
    Note.objects.create(
        person=subject,
        text="Sam said Jay Doe collected them. Jay has a car. Sam Newcase was calm.",
        author=world["officer"],
        author_agency=police,
    )
    response = login(world["supervisor"]).get(f"/retention/subject-access/{subject.pk}.json")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = response.json()
    assert data["subject"]["family_name"] == "Newcase" and data["held_by"] == police.name
    assert data["third_parties"] == ["Jay Doe"]
    notes = next(s for s in data["sections"] if s["title"] == "Case notes")
    marked = [(r["field"], r["text"]) for r in notes["redactions"]]
    assert marked == [("text", "Jay Doe"), ("text", "Jay")]  # the full name, then the given name alone
    assert {s["title"] for s in data["sections"]} >= {"Names", "Identifiers", "Addresses", "Placements", "Case notes"}
    assert "Referrals and transfers" in {s["title"] for s in data["sections"]}  # registered by sharing
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.person_id == subject.pk and export.details["purpose"] == "subject access"
    assert export.details["marked_for_redaction"] == 2

    page = login(world["supervisor"]).get(f"/retention/subject-access/{subject.pk}/").content.decode()
    assert "<mark>Jay Doe</mark> <strong>[redact]</strong>" in page
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_subject_access_is_for_supervisors_of_the_agency_holding_the_record(world):
    subject = world["recent"]
    for user in (world["officer"], world["other_supervisor"], world["admin"]):
        assert login(user).get(f"/retention/subject-access/{subject.pk}.json").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="people.person").count() == 3
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert "Subject access" in login(world["supervisor"]).get(f"/people/{subject.pk}/").content.decode()
    assert "Subject access export" not in login(world["officer"]).get(f"/people/{subject.pk}/").content.decode()
