"""Only the investigation's team (and those it is shared with) see its evidence: 404 for everyone
else on every URL. And the screens work for the team."""

import pytest
from django.contrib.contenttypes.models import ContentType

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, scope
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.evidence import services
from harbour.evidence.models import (
    CustodyEvent,
    EvidenceItem,
    ExtractedIdentifier,
    IndicatorFlag,
    Investigation,
    Message,
    MessageTally,
    SelectedIdentifier,
)

from .conftest import CHAT, upload

pytestmark = pytest.mark.django_db


def urls(case):
    inv, item, message, phone = case["inv"].pk, case["item"].pk, case["message"].pk, case["phone"].pk
    gets = [
        f"/evidence/{inv}/",
        f"/evidence/{inv}/search/?words=old",
        f"/evidence/{inv}/flags/",
        f"/evidence/{inv}/participants/?p=Jo",
        f"/evidence/{inv}/identifiers/",
        f"/evidence/{inv}/summary/",
        f"/evidence/{inv}/summary.pdf",
        f"/evidence/items/{item}/",
        f"/evidence/items/{item}/progress/",
        f"/evidence/items/{item}/conversation/?c=Alex+and+Jo",
        f"/evidence/messages/{message}/",
    ]
    posts = [
        f"/evidence/{inv}/import/",
        f"/evidence/{inv}/notes/",
        f"/evidence/items/{item}/resume/",
        f"/evidence/{inv}/identifiers/{phone}/select/",
    ]
    return gets, posts


@pytest.mark.parametrize("who", ["colleague", "social_worker"])
def test_other_teams_get_404_on_every_url(client, case, who):
    client.force_login(case[who])
    gets, posts = urls(case)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"examiner_notes": "x"}).status_code == 404, url
    assert "OP-K" not in client.get("/evidence/").content.decode()
    assert not SelectedIdentifier.objects.exists()


def test_scope_of_every_evidence_model_follows_the_team(case):
    for model in (Investigation, EvidenceItem, Message, MessageTally, IndicatorFlag, ExtractedIdentifier, CustodyEvent):
        assert scope(case["officer"], model.objects.all(), Action.VIEW).exists(), model
        assert not scope(case["colleague"], model.objects.all(), Action.VIEW).exists(), model
        assert not scope(case["social_worker"], model.objects.all(), Action.VIEW).exists(), model


def test_a_share_to_another_team_lets_it_see(client, case):
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Investigation),
        object_id=case["inv"].pk,
        kind=GrantKind.SHARE,
        grantee_team=case["colleague"].team,
        reason="Joint operation",
        granted_by=case["officer"],
    )
    client.force_login(case["colleague"])
    assert client.get(f"/evidence/{case['inv'].pk}/").status_code == 200
    assert client.get(f"/evidence/items/{case['item'].pk}/").status_code == 200
    # A share is to read: it does not let the other team import or change notes.
    assert client.post(f"/evidence/{case['inv'].pk}/notes/", {"examiner_notes": "x"}).status_code == 404


def test_team_screens(client, case):
    inv, item = case["inv"], case["item"]
    client.force_login(case["officer"])
    body = client.get(f"/evidence/{inv.pk}/").content.decode()
    assert item.sha256 in body and "Import a chat export" in body
    body = client.get(f"/evidence/items/{item.pk}/").content.decode()
    assert item.sha256 in body and "Chain of custody" in body and 'value="100"' in body
    body = client.get(f"/evidence/{inv.pk}/search/", {"words": '"delete this chat"'}).content.decode()
    assert "1 message found" in body and "Secrecy" in body and "you&#x27;re so mature" in body  # context before
    body = client.get(f"/evidence/{inv.pk}/search/", {"participant": "Jo"}).content.decode()
    assert "4 messages found" in body
    body = client.get(f"/evidence/{inv.pk}/flags/").content.decode()
    assert "Alex and Jo" in body and "Requests for images" in body
    response = client.get(f"/evidence/messages/{case['message'].pk}/")
    assert response.status_code == 302 and f"around={case['message'].pk}" in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert "Indicator timeline" in body and 'data-testid="anchor-message"' in body
    body = client.get(f"/evidence/{inv.pk}/participants/", {"p": "Alex Stone"}).content.decode()
    assert "<meter" in body
    body = client.get(f"/evidence/{inv.pk}/identifiers/").content.decode()
    assert "+447700900123" in body and "Add to graph" in body
    response = client.post(f"/evidence/{inv.pk}/identifiers/{case['phone'].pk}/select/")
    assert response.status_code == 302
    selected = SelectedIdentifier.objects.get()
    assert (selected.value, selected.source.message.line_no) == ("+447700900123", 7)
    body = client.get(f"/evidence/{inv.pk}/summary/").content.decode()
    assert item.sha256 in body and "+447700900123" in body and "Flagged messages with context" in body
    pdf = client.get(f"/evidence/{inv.pk}/summary.pdf")  # see test_summary_pdf for what is in it
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_upload_through_the_form(client, world):
    officer = world["officer"]
    client.force_login(officer)
    response = client.post("/evidence/new/", {"name": "Operation Wren", "reference": "OP-W"})
    inv = Investigation.objects.get(reference="OP-W")
    assert response.status_code == 302 and inv.owning_team == officer.team
    file = upload(CHAT)
    response = client.post(
        f"/evidence/{inv.pk}/import/",
        {
            "upload": file,
            "format": "whatsapp",
            "policy": "keep_valid",
            "description": "AB/2",
            "seized_by": "DC Test",
            "seized_at": "2026-12-01T10:00",
        },
    )
    item = EvidenceItem.objects.get(investigation=inv)
    assert response.status_code == 302 and response["Location"] == f"/evidence/items/{item.pk}/"
    assert item.messages_done == 11


def test_progress_fragment_polls_while_running(client, case):
    item = case["item"]
    EvidenceItem.objects.filter(pk=item.pk).update(status="running", bytes_read=item.size // 2)
    client.force_login(case["officer"])
    body = client.get(f"/evidence/items/{item.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in body and "<progress" in body
    before = CustodyEvent.objects.count()
    EvidenceItem.objects.filter(pk=item.pk).update(status="done")
    response = client.get(f"/evidence/items/{item.pk}/progress/?was=active", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "hx-trigger" not in response.content.decode()
    assert CustodyEvent.objects.count() == before  # polling shows no evidence and is not a custody event


def test_a_selected_phone_is_linked_to_a_person_with_the_message_as_provenance(client, case):
    from harbour.graph.models import Link, Phone
    from harbour.people.models import PersonKind

    officer = case["officer"]
    suspect = f.make_person(owning_agency=officer.agency, created_by=officer, kind=PersonKind.ADULT_OF_CONCERN)
    hidden = f.make_person(owning_agency=case["social_worker"].agency, created_by=case["social_worker"])
    selected = services.identifier_select(caller=Caller(officer), identifier_pk=case["phone"].pk)
    inv = case["inv"].pk
    client.force_login(officer)
    # A person the examiner cannot see is refused like an unknown number: nothing is linked.
    client.post(f"/evidence/{inv}/selected/{selected.pk}/link/", {"person": hidden.pk})
    assert not Link.objects.exists()
    response = client.post(f"/evidence/{inv}/selected/{selected.pk}/link/", {"person": suspect.pk})
    assert response.status_code == 302
    link = Link.objects.get()
    phone = Phone.objects.get()
    assert (link.source_id, link.target_id, link.link_type) == (suspect.pk, phone.pk, "uses_phone")
    assert link.provenance_id == case["phone"].message_id
    # Other teams cannot reach the action at all.
    client.force_login(case["colleague"])
    assert client.post(f"/evidence/{inv}/selected/{selected.pk}/link/", {"person": suspect.pk}).status_code == 404
