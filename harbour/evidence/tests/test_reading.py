"""Reading evidence: context, conversations, participants and paging over interleaved threads."""

import pytest

from harbour.core.caller import Caller
from harbour.evidence import selectors, services

from .conftest import SEIZED, upload

pytestmark = pytest.mark.django_db

# One CSV export holding two threads that interleave line by line.
CSV = "timestamp,sender,conversation,message\n" + "".join(
    f"2026-11-24T19:{minute:02d}:00Z,{'Alex' if minute % 2 else 'Jo'},{'north' if minute % 3 else 'south'},"
    f"{'how old are you' if minute == 30 else f'note {minute}'}\n"
    for minute in range(60)
)


@pytest.fixture
def item(world):
    caller = Caller(world["officer"])
    inv = services.investigation_create(caller=caller, name="Interleaved", reference="OP-I")
    return services.item_import(
        caller=caller,
        investigation=inv,
        upload=upload(CSV, "threads.csv"),
        format="csv",
        description="AB/2",
        seized_by="DC Test",
        seized_at=SEIZED,
    )


def test_search_context_stays_in_the_hits_conversation(world, item):
    results = selectors.search(
        caller=Caller(world["officer"]), investigation=item.investigation, words='"how old are you"', context=2
    )
    (hit,) = results.hits
    assert hit.message.conversation == "south"  # minute 30: 30 % 3 == 0
    assert [m.text for m in hit.before] == ["note 24", "note 27"]
    assert [m.text for m in hit.after] == ["note 33", "note 36"]
    assert hit.families == ["age_identity"]


def test_conversations_and_participants_come_from_the_tallies(world, item):
    user = world["officer"]
    convs = {c["conversation"]: c for c in selectors.conversations(user=user, investigation=item.investigation)}
    assert {name: c["messages"] for name, c in convs.items()} == {"north": 40, "south": 20}
    assert convs["south"]["first"].minute == 0 and convs["south"]["last"].minute == 57
    people = {p["sender"]: p["messages"] for p in selectors.participants(user=user, investigation=item.investigation)}
    assert people == {"Alex": 30, "Jo": 30}
    activity = selectors.participant_activity(user=user, investigation=item.investigation, participant="Jo")
    assert [(str(row["day"]), row["messages"]) for row in activity] == [("2026-11-24", 30)]
    # Another team sees none of it.
    assert not selectors.participants(user=world["colleague"], investigation=item.investigation).exists()


def test_conversation_pages_follow_the_thread(world, item):
    caller = Caller(world["officer"])
    page, more = selectors.conversation_page(caller=caller, item=item, conversation="north", size=15)
    assert [m.seq for m in page] == list(range(1, 16)) and more
    page, more = selectors.conversation_page(caller=caller, item=item, conversation="north", size=15, after=30)
    assert [m.seq for m in page] == list(range(31, 41)) and not more
    hit = next(m for m in page if m.seq == 35)
    page, _ = selectors.conversation_page(caller=caller, item=item, conversation="north", size=10, around=hit.pk)
    assert [m.seq for m in page] == list(range(30, 40))


def test_search_results_come_a_page_at_a_time(world, item, client):
    client.force_login(world["officer"])
    url = f"/evidence/{item.investigation.pk}/search/"
    first = client.get(url, {"words": "note"}).content.decode()
    assert "59 messages found: 1 to 20, oldest first" in first
    assert first.count("Open in the conversation") == 20
    assert 'href="?words=note&amp;page=2"' in first
    last = client.get(url, {"words": "note", "page": 3}).content.decode()
    assert "59 messages found: 41 to 59, oldest first" in last and last.count("Open in the conversation") == 19
    beyond = client.get(url, {"words": "note", "page": 99}).content.decode()
    assert "41 to 59" in beyond  # past the end shows the last page
