"""Migrations 0002 and 0008 on messages imported before them: numbered in source order, tallied, re-indexed."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from harbour.evidence import search_index

from .conftest import SEIZED

BEFORE = [("evidence", "0001_initial")]
AFTER = [("evidence", "0002_message_seq_and_tally")]


@pytest.mark.django_db(transaction=True)
def test_existing_messages_get_seq_tallies_and_a_new_index(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    officer = world["officer"]
    Investigation = old.get_model("evidence", "Investigation")
    EvidenceItem = old.get_model("evidence", "EvidenceItem")
    Message = old.get_model("evidence", "Message")
    inv = Investigation.objects.create(
        name="Before",
        reference="OLD-1",
        owning_agency_id=officer.agency_id,
        owning_team_id=officer.team_id,
        created_by_id=officer.pk,
    )
    item = EvidenceItem.objects.create(
        investigation=inv,
        description="old",
        seized_by="DC",
        seized_at=SEIZED,
        imported_by_id=officer.pk,
        original_name="a.txt",
        stored_path="evidence/x",
        sha256="0" * 64,
        size=1,
        format="whatsapp",
        status="done",
    )
    # Two conversations interleaved, written out of order: seq follows source_position.
    rows = [(5, "b", 23, 30), (1, "a", 23, 10), (3, "a", 23, 50), (2, "b", 23, 59), (4, "a", 0, 5)]
    for position, conversation, hour, minute in rows:
        day = 1 if hour == 23 else 2
        Message.objects.create(
            investigation=inv,
            item=item,
            conversation=conversation,
            sender="Alex",
            text=f"hello {position}",
            sent_at=datetime(2026, 7, day, hour, minute, tzinfo=UTC),
            line_no=position,
            source_position=position,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Message = new.get_model("evidence", "Message")
    MessageTally = new.get_model("evidence", "MessageTally")
    seqs = dict(Message.objects.values_list("source_position", "seq"))
    assert seqs == {1: 1, 3: 2, 4: 3, 2: 1, 5: 2}
    # 23:10 UTC on 1 July is 00:10 on 2 July in London (BST): every message falls on 2 July there.
    tallies = {(t.conversation, str(t.day)): t.messages for t in MessageTally.objects.all()}
    assert tallies == {("a", "2026-07-02"): 3, ("b", "2026-07-02"): 2}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # 0008 rebuilds the index in the current layout
    found = search_index.search(inv.pk, words="hello", limit=10)
    assert found.total == 5
