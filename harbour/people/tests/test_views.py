"""Screens: a user of one local authority cannot reach another's unshared child by any route."""

import pytest
from django.urls import reverse

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_authorities():
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    north_sw = f.make_user(agency=north, role=Role.PRACTITIONER)
    south_sw = f.make_user(agency=south, role=Role.PRACTITIONER)
    child = f.make_person(
        owning_agency=north,
        created_by=north_sw,
        given_name="Tamsin",
        family_name="Quarrington",
        aliases=[("Tam", "Q")],
    )
    f.add_identifier(child, "council_case", "NTH7654321")
    return north_sw, south_sw, child


def _no_data(response, child):
    body = response.content.decode()
    assert child.given_name not in body
    assert child.family_name not in body
    assert "NTH7654321" not in body


def test_owner_sees_page_and_each_read_is_audited(client, two_authorities):
    north_sw, _, child = two_authorities
    client.force_login(north_sw)
    response = client.get(reverse("people:detail", args=[child.pk]))
    assert response.status_code == 200
    assert "Quarrington" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=north_sw, person_id=child.pk).count() == 1


def test_other_authority_gets_404_by_url_on_every_person_route(client, two_authorities):
    _, south_sw, child = two_authorities
    client.force_login(south_sw)
    for name in (
        "detail",
        "edit",
        "add_name",
        "add_identifier",
        "add_address",
        "add_placement",
        "share",
        "restrict",
        "export",
    ):
        response = client.get(reverse(f"people:{name}", args=[child.pk]))
        assert response.status_code == 404, name
        _no_data(response, child)
    response = client.post(reverse("people:add_note", args=[child.pk]), {"text": "A note"})
    assert response.status_code == 404
    assert not child.notes.exists()


def test_absent_and_hidden_records_answer_alike(client, two_authorities):
    _, south_sw, child = two_authorities
    client.force_login(south_sw)
    hidden = client.get(reverse("people:detail", args=[child.pk]))
    absent = client.get(reverse("people:detail", args=[child.pk + 1000]))
    assert hidden.status_code == absent.status_code == 404
    assert hidden.content == absent.content


def test_other_authority_does_not_find_the_child_in_search_or_export(client, two_authorities):
    north_sw, south_sw, child = two_authorities
    client.force_login(south_sw)
    for params in (
        {"name": "Quarrington"},
        {"name": "Tam Q"},
        {"identifier": "NTH7654321"},
        {"date_of_birth": child.date_of_birth.isoformat()},
    ):
        response = client.get(reverse("people:search"), params)
        assert response.status_code == 200
        assert response.context["results"] == []
        assert reverse("people:detail", args=[child.pk]) not in response.content.decode()
        export = client.get(reverse("people:search_export"), params)
        assert export.status_code == 200
        _no_data(export, child)
    client.force_login(north_sw)
    assert "Quarrington" in client.get(reverse("people:search"), {"name": "Quaringtun"}).content.decode()
    assert "Quarrington" in client.get(reverse("people:search_export"), {"name": "Tam"}).content.decode()


def test_search_and_export_are_audited_with_their_terms(client, two_authorities):
    north_sw, _, child = two_authorities
    client.force_login(north_sw)
    client.get(reverse("people:search"), {"name": "Quarrington"})
    client.get(reverse("people:export", args=[child.pk]))
    search = AuditEvent.objects.get(action=AuditAction.SEARCH, actor=north_sw)
    assert search.details["name"] == "Quarrington"
    assert search.details["result_ids"] == [child.pk]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=north_sw, person_id=child.pk).exists()


def test_create_person_shows_field_errors_and_keeps_input(client, two_authorities):
    north_sw, _, _ = two_authorities
    client.force_login(north_sw)
    response = client.post(reverse("people:create"), {"given_name": "Rosa", "kind": "child"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="Rosa"' in body
    assert "family_name" in response.context["form"].errors


def test_create_person_then_edit(client, two_authorities):
    north_sw, _, _ = two_authorities
    client.force_login(north_sw)
    data = {
        "kind": "child",
        "given_name": "Rosa",
        "family_name": "Lindqvist",
        "date_of_birth": "2012-02-03",
        "sex": "female",
        "gender": "not_asked",
        "ethnicity": "not_known",
        "disability": "not_asked",
        "learning_disability": "not_asked",
        "special_educational_needs": "not_known",
        "first_language_status": "not_asked",
        "looked_after_status": "not_looked_after",
    }
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 302
    person_url = response["Location"]
    response = client.post(person_url + "change/", dict(data, family_name="Lindqvist-Hart"))
    assert response.status_code == 302
    assert "Lindqvist-Hart" in client.get(person_url).content.decode()


def test_auditor_sees_who_looked_at_a_person_but_not_the_record(client, two_authorities):
    north_sw, south_sw, child = two_authorities
    auditor = f.make_user(agency=north_sw.agency, role=Role.AUDITOR)
    client.force_login(north_sw)
    client.get(reverse("people:detail", args=[child.pk]))
    client.force_login(auditor)
    assert client.get(reverse("people:detail", args=[child.pk])).status_code == 404
    response = client.get(reverse("audit:log"), {"person_id": child.pk})
    assert response.status_code == 200
    events = list(response.context["page"])
    assert any(e.actor_id == north_sw.pk and e.action == "view" for e in events)
    # What did this user look at?
    response = client.get(reverse("audit:log"), {"actor": north_sw.pk})
    assert all(e.actor_id == north_sw.pk for e in response.context["page"])
    # Non-auditors cannot open the audit log.
    client.force_login(south_sw)
    assert client.get(reverse("audit:log")).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, two_authorities):
    _, _, child = two_authorities
    response = client.get(reverse("people:detail", args=[child.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
