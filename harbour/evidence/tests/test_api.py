"""The evidence API (/api/v1/evidence/): what the screens show, through the same policy, forms,
custody events and audit; 404 for other teams on every endpoint, as for absent records."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from harbour.access.models import AccessGrant, GrantKind
from harbour.api.services import token_issue
from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.evidence.api import EvidenceImportInputSerializer, EvidenceSearchParamsSerializer
from harbour.evidence.forms import ImportForm, SearchForm
from harbour.evidence.models import CustodyEvent, EvidenceItem, Investigation, ItemStatus, Message

from .conftest import CHAT, upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/evidence/"


def api(user) -> APIClient:
    client = APIClient()
    _, raw = token_issue(caller=Caller(user=user))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def custody(inv):
    return list(CustodyEvent.objects.filter(investigation=inv).order_by("id").values_list("action", flat=True))


def test_the_team_reads_investigations_items_and_progress(case):
    inv, item = case["inv"], case["item"]
    client = api(case["officer"])
    listing = client.get(f"{BASE}investigations/").json()
    assert listing["count"] == 1 and listing["results"][0]["reference"] == "OP-K"
    assert listing["results"][0]["owning_team"]["name"] == "Online child abuse investigation team"
    detail = client.get(f"{BASE}investigations/{inv.pk}/").json()
    assert detail["can_import"] is True and detail["examiner_notes"] == ""
    listed = AuditEvent.objects.filter(actor=case["officer"], action=AuditAction.SEARCH).latest("id")
    assert listed.object_type == "evidence.investigation" and listed.details["ids"] == [inv.pk]

    items = client.get(f"{BASE}investigations/{inv.pk}/items/").json()["results"]
    assert [(i["id"], i["status"], i["percent"], i["messages_done"]) for i in items] == [(item.pk, "done", 100, 11)]
    assert items[0]["sha256"] == item.sha256 and items[0]["format"] == "whatsapp"

    before = custody(inv)
    half = item.size // 2
    EvidenceItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.RUNNING, bytes_read=half, skipped=1, error_report=[{"line": 3, "position": 3, "error": "x"}]
    )
    progress = client.get(f"{BASE}items/{item.pk}/progress/").json()
    assert (progress["status"], progress["percent"], progress["skipped_lines"]) == (
        "running",
        100 * half // item.size,
        1,
    )
    assert progress["error_report"] == [{"line": 3, "position": 3, "error": "x"}]
    assert custody(inv) == before  # counters only: not a view of the evidence
    read = client.get(f"{BASE}items/{item.pk}/").json()
    assert read["description"] == "AB/1" and read["imported_by"] == case["officer"].username
    assert custody(inv) == [*before, "view"]  # opening the item is, as on the screen


def test_search_as_the_screen_with_context_custody_and_audit(case):
    inv = case["inv"]
    client = api(case["officer"])
    audits = AuditEvent.objects.filter(action=AuditAction.SEARCH, details__custody_event__isnull=False)
    response = client.get(f"{BASE}investigations/{inv.pk}/search/", {"words": '"delete this chat"'})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (hit,) = body["results"]
    assert hit["message"]["text"] == "don't tell your mum we talk. delete this chat after"
    assert hit["message"]["line"] == 4 and hit["message"]["url"] == f"/evidence/messages/{hit['message']['id']}/"
    assert [m["text"] for m in hit["before"]] == ["13", "you're so mature for your age"]
    assert [m["text"] for m in hit["after"]] == ["ok", "are your parents home?"]
    assert "secrecy" in hit["families"]
    event = CustodyEvent.objects.filter(investigation=inv, action="search").get()
    assert event.details["words"] == '"delete this chat"' and event.details["results"] == 1
    assert audits.get().details["custody_event"] == event.pk

    # Participant, date range and paging: Jo sent 4 messages, 3 of them on 24 November (London).
    jo = client.get(f"{BASE}investigations/{inv.pk}/search/", {"participant": "Jo", "limit": 2}).json()
    assert jo["count"] == 4 and len(jo["results"]) == 2 and "offset=2" in jo["next"]
    day = client.get(
        f"{BASE}investigations/{inv.pk}/search/",
        {"participant": "Jo", "date_from": "2026-11-24", "date_to": "2026-11-24"},
    ).json()
    assert day["count"] == 2 and {h["message"]["text"] for h in day["results"]} == {"13", "ok"}
    assert CustodyEvent.objects.filter(investigation=inv, action="search").count() == 3 == audits.count()


def test_search_input_is_checked_by_the_screen_form(case):
    client = api(case["officer"])
    url = f"{BASE}investigations/{case['inv'].pk}/search/"
    assert client.get(url).json() == {
        "errors": {"non_field_errors": ["Enter words, a participant or dates to search."]}
    }
    response = client.get(url, {"date_from": "2026-11-25", "date_to": "2026-11-24"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["date_to"]
    assert client.get(url, {"date_from": "yesterday"}).json()["errors"]["date_from"] == ["Enter a valid date."]
    assert client.get(url, {"word": "old"}).json() == {"errors": {"word": ["Unknown field."]}}
    assert not CustodyEvent.objects.filter(action="search").exists()  # nothing was searched


def test_flags_by_conversation_identifiers_and_custody_log(case):
    inv, item = case["inv"], case["item"]
    client = api(case["officer"])
    flags = client.get(f"{BASE}investigations/{inv.pk}/flags/").json()
    (conversation,) = flags["conversations"]
    assert conversation["conversation"] == "Alex and Jo" and conversation["item"] == item.pk
    assert {"secrecy", "age_identity", "image_request", "meeting"} <= set(conversation["families"])
    families = {f["key"]: f["flags"] for f in flags["families"]}
    assert (
        families["secrecy"] == 1 and families["image_request"] == 1 and sum(families.values()) == conversation["flags"]
    )

    before = custody(inv)
    timeline = client.get(conversation["flags_url"]).json()
    assert len(timeline) == conversation["flags"]
    assert [f["sent_at"] for f in timeline] == sorted(f["sent_at"] for f in timeline)
    secrecy = next(f for f in timeline if f["family"] == "secrecy")
    assert secrecy["family_label"] == "Secrecy" and secrecy["message"]["line"] == 4
    assert custody(inv) == [*before, "view"]
    event = CustodyEvent.objects.latest("id")
    assert event.details == {"conversation": "Alex and Jo", "indicator_flags": len(timeline)}
    assert client.get(f"{BASE}items/{item.pk}/flags/").json() == {
        "errors": {"conversation": ["Name the conversation."]}
    }

    phones = client.get(f"{BASE}investigations/{inv.pk}/identifiers/", {"kind": "phone"}).json()
    assert phones["count"] == 1
    (phone,) = phones["results"]
    assert phone["value"] == "+447700900123" and phone["occurrences"] == 1 and phone["selected"] is False
    assert phone["first"] == {
        "message": case["phone"].message_id,
        "item": item.pk,
        "line": 7,
        "sender": "Alex Stone",
        "raw": "07700 900123",
    }
    assert client.get(f"{BASE}investigations/{inv.pk}/identifiers/", {"kind": "fax"}).status_code == 400

    log = client.get(f"{BASE}investigations/{inv.pk}/custody/").json()
    actions = [e["action"] for e in log["results"]]
    assert actions == custody(inv) and actions[:2] == ["import", "import"]
    assert log["results"][0]["details"]["sha256"] == item.sha256
    assert log["results"][0]["actor"] == case["officer"].username
    only_item = client.get(f"{BASE}investigations/{inv.pk}/custody/", {"item": item.pk}).json()
    assert all(e["item"] == item.pk for e in only_item["results"])
    assert client.get(f"{BASE}investigations/{inv.pk}/custody/", {"item": "x"}).status_code == 400


def test_upload_starts_an_import_with_the_screen_checks(case):
    inv = case["inv"]
    client = api(case["officer"])
    fields = {
        "format": "whatsapp",
        "description": "AB/2",
        "seized_by": "DC Test",
        "seized_at": "2026-12-01T10:00:00Z",
        "conversation_name": "Alex and Jo",
    }
    response = client.post(f"{BASE}investigations/{inv.pk}/items/", {**fields, "upload": upload(CHAT)})
    assert response.status_code == 201, response.json()
    body = response.json()
    item = EvidenceItem.objects.get(pk=body["id"])
    assert response["Location"] == f"{BASE}items/{item.pk}/"
    assert body["status"] == "done" and body["messages_done"] == 11  # the immediate backend ran the job
    assert item.imported_by == case["officer"] and item.sha256 == case["item"].sha256  # the same bytes
    assert CustodyEvent.objects.filter(item=item, action="import").count() == 2  # received, imported

    missing = client.post(f"{BASE}investigations/{inv.pk}/items/", {"format": "pdf"})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"upload", "format", "description", "seized_by", "seized_at"}
    extra = client.post(f"{BASE}investigations/{inv.pk}/items/", {**fields, "upload": upload(CHAT), "owner": "x"})
    assert extra.json() == {"errors": {"owner": ["Unknown field."]}}
    empty = client.post(f"{BASE}investigations/{inv.pk}/items/", {**fields, "upload": upload(b"")})
    assert empty.status_code == 400 and "upload" in empty.json()["errors"]
    assert EvidenceItem.objects.filter(investigation=inv).count() == 2


@pytest.mark.parametrize("who", ["colleague", "social_worker"])
def test_other_teams_get_the_same_404_as_for_absent_records(case, who):
    inv, item = case["inv"], case["item"]
    client = api(case[who])
    before = CustodyEvent.objects.count()
    for pk_inv, pk_item in ((inv.pk, item.pk), (999999, 999999)):
        for url in (
            f"{BASE}investigations/{pk_inv}/",
            f"{BASE}investigations/{pk_inv}/items/",
            f"{BASE}investigations/{pk_inv}/search/?words=old",
            f"{BASE}investigations/{pk_inv}/flags/",
            f"{BASE}investigations/{pk_inv}/identifiers/",
            f"{BASE}investigations/{pk_inv}/custody/",
            f"{BASE}items/{pk_item}/",
            f"{BASE}items/{pk_item}/progress/",
            f"{BASE}items/{pk_item}/flags/?conversation=Alex+and+Jo",
        ):
            response = client.get(url)
            assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), url
        response = client.post(
            f"{BASE}investigations/{pk_inv}/items/",
            {
                "upload": upload(CHAT),
                "format": "whatsapp",
                "description": "x",
                "seized_by": "x",
                "seized_at": "2026-12-01T10:00",
            },
        )
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert client.get(f"{BASE}investigations/").json()["results"] == []
    assert CustodyEvent.objects.count() == before and EvidenceItem.objects.count() == 1
    # Every refusal is audited, for the hidden and the absent alike: 10 endpoints, two ids each.
    denied = AuditEvent.objects.filter(actor=case[who], action=AuditAction.DENIED)
    assert denied.count() == 20
    assert {e.object_id for e in denied} == {str(inv.pk), str(item.pk), "999999"}


def test_a_read_share_lets_another_team_read_but_not_import(case):
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Investigation),
        object_id=case["inv"].pk,
        kind=GrantKind.SHARE,
        grantee_team=case["colleague"].team,
        reason="Joint operation",
        granted_by=case["officer"],
    )
    client = api(case["colleague"])
    assert client.get(f"{BASE}investigations/{case['inv'].pk}/").json()["can_import"] is False
    assert client.get(f"{BASE}investigations/{case['inv'].pk}/search/", {"words": "old"}).json()["count"] == 1
    response = client.post(
        f"{BASE}investigations/{case['inv'].pk}/items/",
        {
            "upload": upload(CHAT),
            "format": "whatsapp",
            "description": "x",
            "seized_by": "x",
            "seized_at": "2026-12-01T10:00",
        },
    )
    assert response.status_code == 404 and Message.objects.count() == 11


def test_schema_describes_the_evidence_endpoints_without_warnings(tmp_path):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    validate_schema(schema)
    paths = schema["paths"]
    assert {
        "/api/v1/evidence/investigations/",
        "/api/v1/evidence/investigations/{id}/",
        "/api/v1/evidence/investigations/{id}/items/",
        "/api/v1/evidence/investigations/{id}/search/",
        "/api/v1/evidence/investigations/{id}/flags/",
        "/api/v1/evidence/investigations/{id}/identifiers/",
        "/api/v1/evidence/investigations/{id}/custody/",
        "/api/v1/evidence/items/{id}/",
        "/api/v1/evidence/items/{id}/progress/",
        "/api/v1/evidence/items/{id}/flags/",
    } <= set(paths)
    assert set(paths["/api/v1/evidence/investigations/{id}/items/"]) == {"get", "post"}
    upload_body = paths["/api/v1/evidence/investigations/{id}/items/"]["post"]["requestBody"]["content"]
    assert list(upload_body) == ["multipart/form-data"]
    assert {"bearerAuth": []} in paths["/api/v1/evidence/investigations/"]["get"]["security"]
    assert schema["components"]["schemas"]["EvidenceItemStatus"]["enum"] == list(ItemStatus.values)
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_schema_inputs_are_the_screen_forms_fields():
    """The forms validate; the serializers only describe them: they must not drift apart."""
    assert set(EvidenceImportInputSerializer().fields) == set(ImportForm().fields)
    assert set(EvidenceSearchParamsSerializer().fields) == set(SearchForm().fields) | {"limit", "offset"}
