from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from harbour.accounts.models import AgencyKind
from harbour.audit.models import AuditAction, AuditEvent
from harbour.audit.services import audit_record
from harbour.audit.verify import audit_verify
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE))


def _three_events(user):
    return [
        audit_record(actor=user, action=AuditAction.VIEW, object_type="people.person", object_id=i, details={"n": i})
        for i in range(3)
    ]


def test_events_are_chained_and_verify(user):
    events = _three_events(user)
    assert events[1].prev_hash == events[0].row_hash
    assert events[2].prev_hash == events[1].row_hash
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 3 event(s)" in out.getvalue()


def test_the_app_cannot_change_or_delete_audit_rows(user):
    event = _three_events(user)[0]
    event.reason = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_trigger_refuses_an_update(user):
    event = _three_events(user)[0]
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'tampered' WHERE id = %s", [event.pk])


def _drop_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_update ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")


def test_verify_reports_the_first_row_altered_by_direct_sql(user):
    events = _three_events(user)
    _drop_trigger()  # as a database administrator with full rights could
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = 'tampered' WHERE id = %s", [events[1].pk])
    result = audit_verify()
    assert not result.ok
    assert result.broken_id == events[1].pk
    assert result.checked == 1
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}"):
        call_command("audit_verify")


def test_verify_reports_a_deleted_row(user):
    events = _three_events(user)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = audit_verify()
    assert not result.ok
    assert result.broken_id == events[2].pk


def test_ipv6_and_json_values_survive_the_round_trip(user):
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        client_ip="2001:0db8:0000:0000:0000:0000:0000:0001",
        details={"name": "Zoë", "nested": {"b": 1, "a": [1, "x"]}},
    )
    assert audit_verify().ok
