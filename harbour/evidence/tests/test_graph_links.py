"""Identifiers from evidence into the entity graph: handles become online accounts (on the platform
the examiner chooses, or "unknown"), profile addresses become accounts and WhatsApp chat links
phones; each link cites its message and is a custody event. Other web addresses are refused,
saying why; a person the examiner cannot see answers 404, exactly as an absent one."""

import re

import pytest
from django.core.exceptions import ValidationError

from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.evidence import services
from harbour.evidence.models import CustodyEvent, ExtractedIdentifier
from harbour.graph.models import Link, OnlineAccount, Phone
from harbour.people.models import PersonKind

from .conftest import SEIZED, upload

pytestmark = pytest.mark.django_db

LINKS_CHAT = """24/11/2026, 19:02 - Dave: add me on snap, i'm @Big_Dave99
24/11/2026, 19:03 - Dave: or my insta https://www.instagram.com/dave.k.22/
24/11/2026, 19:04 - Dave: quicker here https://wa.me/447700900456
24/11/2026, 19:05 - Dave: look at https://example.com/pics
24/11/2026, 19:06 - Dave: this post https://www.instagram.com/p/Cx1abc/
24/11/2026, 19:07 - Dave: meet me at hb67 4rp not the one on Mill Lane HB3 5NL
"""


@pytest.fixture
def links(world):
    officer = world["officer"]
    inv = services.investigation_create(caller=Caller(officer), name="Operation Wren", reference="OP-WREN")
    services.item_import(
        caller=Caller(officer),
        investigation=inv,
        upload=upload(LINKS_CHAT),
        format="whatsapp",
        description="AB/3",
        seized_by="DC Test",
        seized_at=SEIZED,
    )

    def select(kind, value):
        found = ExtractedIdentifier.objects.get(investigation=inv, kind=kind, value=value)
        return services.identifier_select(caller=Caller(officer), identifier_pk=found.pk)

    suspect = f.make_person(owning_agency=officer.agency, created_by=officer, kind=PersonKind.ADULT_OF_CONCERN)
    hidden = f.make_person(owning_agency=world["social_worker"].agency, created_by=world["social_worker"])
    return {**world, "inv": inv, "select": select, "suspect": suspect, "hidden": hidden}


def link(links, selected, person, platform=""):
    return services.selected_identifier_link(
        caller=Caller(links["officer"]), selected_pk=selected.pk, person_pk=person.pk, platform=platform
    )


def test_a_handle_becomes_an_account_on_the_chosen_platform_with_its_message_as_provenance(links):
    selected = links["select"]("handle", "@big_dave99")
    made = link(links, selected, links["suspect"], platform="snapchat")
    account = OnlineAccount.objects.get()
    assert (account.platform, account.handle) == ("snapchat", "big_dave99")
    assert (made.source_id, made.target_id, made.link_type) == (links["suspect"].pk, account.pk, "owns_account")
    message = selected.source.message
    assert made.provenance == message and made.provenance_label == f"Evidence item {message.item_id}, line 1"
    event = CustodyEvent.objects.filter(action="export").get()
    assert event.item_id == message.item_id and event.details["graph_link_id"] == made.pk
    assert event.details["entity"] == f"account:{account.pk}" and event.details["link_type"] == "owns_account"
    audit = AuditEvent.objects.get(details__custody_event=event.pk)
    assert audit.action == AuditAction.EXPORT and audit.actor == links["officer"]
    assert AuditEvent.objects.filter(object_type="graph.link", object_id=str(made.pk), action="create").exists()


def test_a_handle_without_a_platform_is_on_an_unknown_platform_and_a_wrong_platform_is_refused(links):
    selected = links["select"]("handle", "@big_dave99")
    with pytest.raises(ValidationError) as error:
        link(links, selected, links["suspect"], platform="myspace")
    assert error.value.message_dict == {"platform": ["Choose the platform, or unknown."]}
    assert not Link.objects.exists() and not OnlineAccount.objects.exists()
    link(links, selected, links["suspect"])
    account = OnlineAccount.objects.get()
    assert (account.platform, account.get_platform_display(), str(account)) == (
        "unknown",
        "Unknown platform",
        "Unknown platform: @big_dave99",
    )


def test_profile_addresses_become_accounts_and_whatsapp_links_phones(links):
    made = link(links, links["select"]("url", "https://www.instagram.com/dave.k.22/"), links["suspect"])
    assert made.link_type == "owns_account"
    assert (made.target.platform, made.target.handle) == ("instagram", "dave.k.22")
    made = link(links, links["select"]("url", "https://wa.me/447700900456"), links["suspect"])
    assert made.link_type == "uses_phone" and made.target == Phone.objects.get(number="+447700900456")
    assert CustodyEvent.objects.filter(action="export").count() == 2


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://example.com/pics", "This is not the address of a profile on a platform Harbour knows."),
        ("https://www.instagram.com/p/Cx1abc/", "This Instagram address is a page or post, not a profile."),
    ],
)
def test_other_addresses_are_refused_saying_why(links, client, url, reason):
    selected = links["select"]("url", url)
    with pytest.raises(ValidationError) as error:
        link(links, selected, links["suspect"])
    (message,) = error.value.message_dict["identifier"]
    assert message.startswith(reason) and "cannot be linked to a person" in message
    assert not Link.objects.exists() and not CustodyEvent.objects.filter(action="export").exists()
    client.force_login(links["officer"])
    body = client.get(f"/evidence/{links['inv'].pk}/identifiers/").content.decode()
    assert reason in body  # shown beside the identifier, in place of the link form


def test_the_screen_links_a_handle_and_answers_404_for_a_hidden_or_absent_person(links, client):
    inv, suspect, hidden = links["inv"], links["suspect"], links["hidden"]
    selected = links["select"]("handle", "@big_dave99")
    client.force_login(links["officer"])
    page = client.get(f"/evidence/{inv.pk}/identifiers/").content.decode()
    assert 'name="platform"' in page and '<option value="unknown">Unknown platform</option>' in page
    url = f"/evidence/{inv.pk}/selected/{selected.pk}/link/"

    answers = []
    for person in (hidden.pk, 999999):
        response = client.post(url, {"person": person, "platform": "snapchat"})
        answers.append((response.status_code, re.sub(r'value="[^"]{64}"', "", response.content.decode())))
    assert answers[0] == answers[1] and answers[0][0] == 404
    assert "No person you can see has that record number. Nothing was linked." in answers[0][1]
    assert not Link.objects.exists() and not OnlineAccount.objects.exists()
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="people.person")
    assert {e.object_id for e in denied} == {str(hidden.pk), "999999"}

    response = client.post(url, {"person": "Dave"})
    assert response.status_code == 302 and not Link.objects.exists()
    response = client.post(url, {"person": suspect.pk, "platform": "snapchat"}, follow=True)
    assert "Linked in the entity graph: owns account." in response.content.decode()
    assert Link.objects.get().target == OnlineAccount.objects.get(platform="snapchat", handle="big_dave99")

    client.force_login(links["colleague"])  # another team cannot reach the action at all
    assert client.post(url, {"person": suspect.pk}).status_code == 404


def test_a_postcode_becomes_a_place_the_examiner_knows_or_a_new_one_never_one_only_others_know(links):
    from harbour.missing.models import MissingEpisode, Place

    officer = links["officer"]
    places = ExtractedIdentifier.objects.filter(investigation=links["inv"], kind="place")
    assert {e.value for e in places} == {"HB67 4RP", "HB3 5NL"}

    # Someone else recorded a place at HB3 5NL, in a record the examiner cannot see: not reused.
    unseen = Place.objects.create(name="Flat above the launderette", postcode="HB3 5NL")
    made = link(links, links["select"]("place", "HB3 5NL"), links["suspect"])
    place = Place.objects.get(pk=made.target_id)
    assert made.link_type == "names_place" and place != unseen
    assert (place.name, place.postcode) == ("Postcode HB3 5NL", "HB3 5NL")
    assert made.provenance == ExtractedIdentifier.objects.get(kind="place", value="HB3 5NL").message

    # A place the examiner meets in their own force's records (where a child was found) is reused.
    child = f.make_person(owning_agency=officer.agency, created_by=officer)
    found_at = Place.objects.create(name="Retail park car park", postcode="HB67 4RP")
    MissingEpisode.objects.create(
        child=child,
        owning_agency=officer.agency,
        reported_by_kind="police",
        reported_at=SEIZED,
        recorded_by=officer,
        last_seen_at=SEIZED,
        last_seen_place="Not known",
        found_where=found_at,
    )
    made = link(links, links["select"]("place", "HB67 4RP"), links["suspect"])
    assert made.target_id == found_at.pk
