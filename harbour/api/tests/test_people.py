"""People over the API: the same policy, the same services and the same audit as the screens.
A user of one local authority cannot reach another's unshared child by any API route."""

import pytest

from harbour.access.models import GrantKind
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.people.models import NameKind, Person

pytestmark = pytest.mark.django_db

PEOPLE_URL = "/api/v1/people/"


def detail_url(pk) -> str:
    return f"{PEOPLE_URL}{pk}/"


@pytest.fixture
def world():
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
    south_child = f.make_person(owning_agency=south, created_by=south_sw, given_name="Oswin", family_name="Brackley")
    return {"north": north, "south": south, "north_sw": north_sw, "south_sw": south_sw, "child": child,
            "south_child": south_child}  # fmt: skip


def assert_no_data(response, child):
    body = response.content.decode()
    assert child.given_name not in body
    assert child.family_name not in body
    assert "NTH7654321" not in body


NEW_PERSON = {
    "kind": "child",
    "given_name": "Ada",
    "family_name": "Pennywhistle",
    "date_of_birth": "2012-03-04",
    "sex": "female",
    "gender": "same_as_sex",
    "ethnicity": "not_asked",
    "disability": "no",
    "special_educational_needs": "not_known",
    "first_language_status": "not_asked",
    "looked_after_status": "not_looked_after",
}


# --- Reading one person ---------------------------------------------------------------------


def test_owner_reads_person_with_aliases_and_identifiers_and_the_read_is_audited(api, world):
    child = world["child"]
    response = api.as_user(world["north_sw"]).get(detail_url(child.pk))
    assert response.status_code == 200
    data = response.json()
    assert data["given_name"] == "Tamsin"
    assert data["aliases"] == [{"kind": "alias", "given_name": "Tam", "family_name": "Q"}]
    assert data["identifiers"] == [{"scheme": "council_case", "value": "NTH7654321"}]
    assert data["owning_agency"] == {"id": world["north"].pk, "name": world["north"].name}
    assert data["is_restricted"] is False
    event = AuditEvent.objects.get(action=AuditAction.VIEW, person_id=child.pk)
    assert event.actor == world["north_sw"]
    assert event.client_ip == "127.0.0.1"


def test_hidden_person_is_404_with_no_data_and_the_attempt_is_audited(api, world):
    child = world["child"]
    response = api.as_user(world["south_sw"]).get(detail_url(child.pk))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert_no_data(response, child)
    denied = AuditEvent.objects.get(action=AuditAction.DENIED, actor=world["south_sw"])
    assert denied.object_id == str(child.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, actor=world["south_sw"]).exists()


def test_hidden_and_absent_people_answer_the_same(api, world):
    client = api.as_user(world["south_sw"])
    hidden = client.get(detail_url(world["child"].pk))
    absent = client.get(detail_url(999_999))
    assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content)


def test_restricted_person_is_hidden_from_own_agency_unless_named(api, world):
    colleague = f.make_user(agency=world["north"], role=Role.PRACTITIONER)
    secret = f.make_person(owning_agency=world["north"], given_name="Marigold", is_restricted=True)
    client = api.as_user(colleague)
    response = client.get(detail_url(secret.pk))
    assert response.status_code == 404
    assert "Marigold" not in response.content.decode()
    f.grant(secret, kind=GrantKind.NAMED, by=world["north_sw"], user=colleague)
    response = client.get(detail_url(secret.pk))
    assert response.status_code == 200
    assert response.json()["is_restricted"] is True


# --- Lists and search -----------------------------------------------------------------------


def test_list_shows_only_visible_people_and_is_audited_as_a_search(api, world):
    response = api.as_user(world["south_sw"]).get(PEOPLE_URL)
    assert response.status_code == 200
    data = response.json()
    assert [p["id"] for p in data["results"]] == [world["south_child"].pk]
    assert data["count"] == 1
    assert_no_data(response, world["child"])
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, actor=world["south_sw"])
    assert event.details["list"] is True
    assert event.details["result_ids"] == [world["south_child"].pk]
    assert event.client_ip == "127.0.0.1"


def test_list_pages_with_limit_and_offset_and_audits_the_page_shown(api, world):
    for n in range(3):
        f.make_person(owning_agency=world["north"], family_name=f"Zedd{n}")
    client = api.as_user(world["north_sw"])
    data = client.get(PEOPLE_URL, {"limit": 2, "offset": 1}).json()
    assert data["count"] == 4
    assert len(data["results"]) == 2
    assert data["next"] and data["previous"]
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).first()
    assert event.details["result_ids"] == [p["id"] for p in data["results"]]
    assert event.details["offset"] == 1


def test_list_filters_by_kind(api, world):
    adult = f.make_person(
        owning_agency=world["north"], kind="adult_of_concern", date_of_birth=None, estimated_age_years=30
    )
    data = api.as_user(world["north_sw"]).get(PEOPLE_URL, {"kind": "adult_of_concern"}).json()
    assert [p["id"] for p in data["results"]] == [adult.pk]


def test_search_finds_by_alias_and_identifier_and_is_audited(api, world):
    client = api.as_user(world["north_sw"])
    by_alias = client.get(PEOPLE_URL, {"name": "Tam Q"}).json()
    assert [p["id"] for p in by_alias["results"]] == [world["child"].pk]
    by_identifier = client.get(PEOPLE_URL, {"identifier": "nth 7654321"}).json()
    assert [p["id"] for p in by_identifier["results"]] == [world["child"].pk]
    by_dob = client.get(PEOPLE_URL, {"date_of_birth": "2011-05-04", "name": "quarington"}).json()
    assert [p["id"] for p in by_dob["results"]] == [world["child"].pk]
    searches = AuditEvent.objects.filter(action=AuditAction.SEARCH, actor=world["north_sw"])
    assert searches.count() == 3
    assert all(e.client_ip == "127.0.0.1" for e in searches)
    assert searches.filter(details__name="Tam Q").exists()


def test_search_never_includes_hidden_people(api, world):
    client = api.as_user(world["south_sw"])
    for params in ({"name": "Tamsin Quarrington"}, {"name": "Tam"}, {"identifier": "NTH7654321"},
                   {"date_of_birth": "2011-05-04"}):  # fmt: skip
        response = client.get(PEOPLE_URL, params)
        assert response.status_code == 200
        assert world["child"].pk not in [p["id"] for p in response.json()["results"]]
        assert_no_data(response, world["child"])


def test_bad_search_parameters_are_named(api, world):
    client = api.as_user(world["north_sw"])
    response = client.get(PEOPLE_URL, {"date_of_birth": "04/05/2011"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date_of_birth"}
    response = client.get(PEOPLE_URL, {"kind": "dragon", "nmae": "x"})
    assert set(response.json()["errors"]) == {"nmae"}
    response = client.get(PEOPLE_URL, {"kind": "dragon"})
    assert set(response.json()["errors"]) == {"kind"}


# --- Creating -------------------------------------------------------------------------------


def test_create_goes_through_the_service_and_is_audited(api, world):
    response = api.as_user(world["north_sw"]).post(
        PEOPLE_URL, {**NEW_PERSON, "aliases": [{"kind": "nickname", "given_name": "Addy"}]}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    person = Person.objects.get(pk=data["id"])
    assert response["Location"] == detail_url(person.pk)
    assert person.owning_agency == world["north"]
    assert person.created_by == world["north_sw"]
    assert data["aliases"] == [{"kind": "nickname", "given_name": "Addy", "family_name": ""}]
    assert person.names.filter(kind=NameKind.PRIMARY, given_name="Ada").exists()
    created = AuditEvent.objects.get(action=AuditAction.CREATE, person_id=person.pk)
    assert created.changes["given_name"] == [None, "Ada"]
    assert created.changes["date_of_birth"] == [None, "2012-03-04"]
    assert created.client_ip == "127.0.0.1"
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, person_id=person.pk).count() == 1  # the alias


def test_create_validation_errors_name_the_field(api, world):
    client = api.as_user(world["north_sw"])
    no_age = {**NEW_PERSON, "date_of_birth": None}
    response = client.post(PEOPLE_URL, no_age, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date_of_birth"}
    response = client.post(PEOPLE_URL, {**NEW_PERSON, "gender": "different"}, format="json")
    assert set(response.json()["errors"]) == {"gender_description"}
    response = client.post(PEOPLE_URL, {**NEW_PERSON, "sex": "unicorn"}, format="json")
    assert set(response.json()["errors"]) == {"sex"}
    missing = {k: v for k, v in NEW_PERSON.items() if k != "family_name"}
    response = client.post(PEOPLE_URL, missing, format="json")
    assert response.json()["errors"] == {"family_name": ["This field is required."]}
    response = client.post(PEOPLE_URL, {**NEW_PERSON, "aliases": [{"kind": "alias"}]}, format="json")
    assert set(response.json()["errors"]) == {"aliases.0.given_name"}
    assert not Person.objects.filter(family_name="Pennywhistle").exists()  # nothing half-written
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_unknown_and_read_only_fields_are_refused_by_name(api, world):
    client = api.as_user(world["north_sw"])
    response = client.post(PEOPLE_URL, {**NEW_PERSON, "is_restricted": True, "favourite_colour": "blue"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "favourite_colour": ["Unknown field."],
        "is_restricted": ["This field is read-only."],
    }
    response = client.post(PEOPLE_URL, {**NEW_PERSON, "aliases": [{"kind": "alias", "nick": "x"}]}, format="json")
    assert set(response.json()["errors"]) == {"aliases.0.nick"}
    assert not Person.objects.filter(family_name="Pennywhistle").exists()


def test_roles_that_may_not_add_people_get_404(api, world):
    analyst = f.make_user(agency=world["north"], role=Role.ANALYST)
    response = api.as_user(analyst).post(PEOPLE_URL, NEW_PERSON, format="json")
    assert response.status_code == 404
    assert not Person.objects.filter(family_name="Pennywhistle").exists()


# --- Changing -------------------------------------------------------------------------------


def test_update_changes_only_what_is_sent_and_audits_old_and_new(api, world):
    child = world["child"]
    response = api.as_user(world["north_sw"]).patch(
        detail_url(child.pk), {"family_name": "Quarrington-Hale", "sex": "female"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["family_name"] == "Quarrington-Hale"
    child.refresh_from_db()
    assert (child.given_name, child.family_name, child.sex) == ("Tamsin", "Quarrington-Hale", "female")
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, person_id=child.pk)
    assert event.changes == {"family_name": ["Quarrington", "Quarrington-Hale"], "sex": ["not_known", "female"]}
    assert event.actor == world["north_sw"]
    assert event.client_ip == "127.0.0.1"


def test_update_adds_new_aliases_only(api, world):
    child = world["child"]
    aliases = [
        {"kind": "alias", "given_name": "tam", "family_name": "q"},  # already recorded, in other case
        {"kind": "previous", "family_name": "Hale"},
    ]
    response = api.as_user(world["north_sw"]).patch(detail_url(child.pk), {"aliases": aliases}, format="json")
    assert response.status_code == 200
    assert sorted(a["kind"] for a in response.json()["aliases"]) == ["alias", "previous"]
    assert child.names.exclude(kind=NameKind.PRIMARY).count() == 2
    response = api.patch(detail_url(child.pk), {"aliases": [{"given_name": "Tee"}]}, format="json")
    assert response.json()["errors"] == {"aliases.0.kind": ["This field is required."]}


def test_update_validation_error_names_the_field_and_changes_nothing(api, world):
    child = world["child"]
    client = api.as_user(world["north_sw"])
    response = client.patch(detail_url(child.pk), {"first_language_status": "recorded"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"first_language"}
    response = client.patch(detail_url(child.pk), {"owning_agency": world["south"].pk}, format="json")
    assert response.json()["errors"] == {"owning_agency": ["This field is read-only."]}
    response = client.patch(detail_url(child.pk), {"responsible_authority": 999_999}, format="json")
    assert set(response.json()["errors"]) == {"responsible_authority"}
    child.refresh_from_db()
    assert child.first_language_status == "not_known"
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_update_of_hidden_person_is_404_with_no_data(api, world):
    child = world["child"]
    response = api.as_user(world["south_sw"]).patch(detail_url(child.pk), {"family_name": "X"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert_no_data(response, child)
    child.refresh_from_db()
    assert child.family_name == "Quarrington"


def test_may_see_but_may_not_change_is_404_as_on_the_screens(api, world):
    child = world["child"]
    f.grant(child, kind=GrantKind.SHARE, by=world["north_sw"], agency=world["south"])
    client = api.as_user(world["south_sw"])
    assert client.get(detail_url(child.pk)).status_code == 200  # shared: may see
    response = client.patch(detail_url(child.pk), {"family_name": "X"}, format="json")
    assert response.status_code == 404
    assert_no_data(response, child)
    child.refresh_from_db()
    assert child.family_name == "Quarrington"
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_session_users_need_a_csrf_token_to_write(world):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world["north_sw"])
    response = client.patch(detail_url(world["child"].pk), {"family_name": "X"}, format="json")
    assert response.status_code == 403
