"""The graph screens and JSON: the person page's links, entity pages and the link chart's expand
endpoint, all through the one link rule. A hidden person is never in the JSON, not even as an id."""

import json

import pytest

from harbour.api.tests.conftest import api  # noqa: F401  (fixture)
from harbour.audit.models import AuditAction, AuditEvent
from harbour.graph import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(world):
    """The adult uses a phone; the child and the other council's hidden child use it too."""
    w = world
    phone, _ = services.entity_get_or_create_by_value(caller=w.caller(w.officer), kind="phone", value="07700 900123")
    services.link_create(caller=w.caller(w.officer), source=w.adult, target=phone, link_type="uses_phone")
    services.link_create(caller=w.caller(w.officer), source=w.child, target=w.adult, link_type="associate")
    services.link_create(
        caller=w.caller(w.other_social_worker), source=w.hidden_child, target=phone, link_type="uses_phone"
    )
    return phone


def test_expand_json_never_contains_a_hidden_person(client, world, graph):
    w = world
    client.force_login(w.officer)
    response = client.get(f"/graph/expand/phone/{graph.pk}/")
    assert response.status_code == 200
    data = response.json()
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {f"phone:{graph.pk}", f"person:{w.adult.pk}"}
    raw = response.content.decode()
    assert f"person:{w.hidden_child.pk}" not in raw and "Quilla" not in raw and "Hesketh" not in raw
    for edge in data["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
    # Expanding the adult brings in the child the officer may see.
    data = client.get(f"/graph/expand/person/{w.adult.pk}/").json()
    assert {n["id"] for n in data["nodes"]} == {f"person:{w.adult.pk}", f"phone:{graph.pk}", f"person:{w.child.pk}"}
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="people.person").latest("id")
    assert event.details["purpose"] == "link chart expand"
    assert f"person:{w.child.pk}" in event.details["node_ids"]


def test_expand_of_a_hidden_person_is_404_and_audited(client, world, graph):
    w = world
    client.force_login(w.officer)
    response = client.get(f"/graph/expand/person/{w.hidden_child.pk}/")
    assert response.status_code == 404
    assert "Quilla" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="people.person").exists()
    assert client.get("/graph/expand/nonsense/1/").status_code == 404


def test_expand_filters_by_link_type_and_date(client, world, graph):
    w = world
    client.force_login(w.officer)
    data = client.get(f"/graph/expand/person/{w.adult.pk}/?types=associate").json()
    assert {e["link_type"] for e in data["edges"]} == {"associate"}
    assert client.get(f"/graph/expand/person/{w.adult.pk}/?date_from=not-a-date").status_code == 400


def test_other_council_sees_its_own_side_only(client, world, graph):
    w = world
    client.force_login(w.other_social_worker)
    data = client.get(f"/graph/expand/phone/{graph.pk}/").json()
    assert {n["id"] for n in data["nodes"]} == {f"phone:{graph.pk}", f"person:{w.hidden_child.pk}"}
    assert f"person:{w.adult.pk}" not in json.dumps(data)
    # Health has no link to the phone: it cannot open it at all.
    client.force_login(w.nurse)
    assert client.get(f"/graph/expand/phone/{graph.pk}/").status_code == 404
    assert client.get(f"/graph/phone/{graph.pk}/").status_code == 404


def test_person_page_lists_visible_links_with_provenance(client, world, graph):
    w = world
    client.force_login(w.officer)
    body = client.get(f"/people/{w.adult.pk}/").content.decode()
    assert "Links" in body and "07700 900123" in body and "Ellery Marwood" in body
    assert "Quilla" not in body
    client.force_login(w.social_worker)
    body = client.get(f"/people/{w.child.pk}/").content.decode()
    assert "Dorian" not in body  # the police's adult of concern, hidden from the council


def test_entity_page_and_find(client, world, graph):
    w = world
    client.force_login(w.officer)
    response = client.get("/graph/", {"kind": "phone", "value": "+44 7700 900123"})
    assert response.status_code == 302 and response.url == f"/graph/phone/{graph.pk}/"
    body = client.get(response.url).content.decode()
    assert "Dorian Blackmore" in body and "Quilla" not in body
    assert "Nothing you can see" in client.get("/graph/", {"kind": "phone", "value": "07700 900999"}).content.decode()


def test_chart_page_loads_its_script_without_inline_code(client, world, graph):
    w = world
    client.force_login(w.officer)
    body = client.get(f"/graph/chart/person/{w.adult.pk}/").content.decode()
    assert "graph/linkchart.js" in body and "cytoscape.min.js" in body
    assert "style=" not in body and "<script>" not in body
    assert client.get(f"/graph/chart/person/{w.hidden_child.pk}/").status_code == 404


def test_png_export_is_audited(client, world, graph):
    w = world
    client.force_login(w.officer)
    response = client.post(f"/graph/chart/person/{w.adult.pk}/exported/", {"nodes": [f"person:{w.adult.pk}"]})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.details["format"] == "png" and event.details["node_ids"] == [f"person:{w.adult.pk}"]


def test_api_links_for_an_entity_same_rule(api, world, graph):  # noqa: F811
    w = world
    data = api.as_user(w.officer).get("/api/v1/graph/links/", {"kind": "phone", "id": graph.pk}).json()
    assert {n["id"] for n in data["nodes"]} == {f"phone:{graph.pk}", f"person:{w.adult.pk}"}
    assert "Quilla" not in json.dumps(data)
    response = api.as_user(w.officer).get("/api/v1/graph/links/", {"kind": "person", "id": w.hidden_child.pk})
    assert response.status_code == 404
    assert api.get("/api/v1/graph/links/", {"kind": "bogus", "id": 1}).status_code == 400
