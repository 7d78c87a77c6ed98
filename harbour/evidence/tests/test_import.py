"""Import: original kept read-only with its hash, the job runs, crash and resume never duplicate."""

import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.core.caller import Caller
from harbour.evidence import importer, search_index, services
from harbour.evidence.models import CustodyEvent, EvidenceItem, IndicatorFlag, ItemStatus, Message, MessageTally

from .conftest import CHAT, SEIZED, upload

pytestmark = pytest.mark.django_db


def _investigation(officer, ref="OP-1"):
    return services.investigation_create(caller=Caller(officer), name="Operation Kestrel", reference=ref)


def _import(officer, investigation, content, **kw):
    fields = {"format": "whatsapp", "description": "AB/1 phone chat", "seized_by": "DC Test", "seized_at": SEIZED}
    fields.update(kw)
    name = fields.pop("name", "chat.txt")
    return services.item_import(
        caller=Caller(officer), investigation=investigation, upload=upload(content, name), **fields
    )


def test_import_keeps_original_read_only_under_its_hash(world):
    officer = world["officer"]
    inv = _investigation(officer)
    item = _import(officer, inv, CHAT)
    path = Path(django_settings.MEDIA_ROOT) / "evidence" / item.sha256
    assert path.read_bytes() == CHAT.encode()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert item.stored_path == f"evidence/{item.sha256}"
    assert item.status == ItemStatus.DONE  # the immediate backend ran the job
    assert item.messages_done == 11 and item.skipped == 0
    texts = list(Message.objects.filter(item=item).values_list("text", flat=True))
    assert texts[9] == "i can pick you up saturday at 7pm, i'll give you £20\nand a new phone"
    families = set(IndicatorFlag.objects.filter(item=item).values_list("family", flat=True))
    assert {
        "age_identity",
        "secrecy",
        "risk_probing",
        "platform_switch",
        "image_request",
        "meeting",
        "gifts_money",
    } <= families


def test_keep_valid_reports_skipped_lines(world):
    officer = world["officer"]
    inv = _investigation(officer)
    content = CHAT + "32/13/2026, 10:00 - Jo: bad date\n"
    item = _import(officer, inv, content)
    assert item.status == ItemStatus.DONE and item.messages_done == 11 and item.skipped == 1
    assert item.error_report[0]["line"] == 13


def test_all_or_nothing_rejects_and_keeps_nothing(world):
    officer = world["officer"]
    inv = _investigation(officer)
    item = _import(officer, inv, CHAT + "32/13/2026, 10:00 - Jo: bad date\n", policy="all_or_nothing")
    assert item.status == ItemStatus.REJECTED
    assert not Message.objects.filter(item=item).exists()
    assert item.error_report == [{"line": 13, "position": 13, "error": item.error_report[0]["error"]}]
    good = _import(officer, inv, CHAT + "\n", policy="all_or_nothing")
    assert good.status == ItemStatus.DONE and good.messages_done == 11


def _big_jsonl(n: int) -> str:
    return "\n".join(
        json.dumps(
            {
                "sent_at": f"2026-11-{1 + i // 1000:02d}T{(i // 60) % 24:02d}:{i % 60:02d}:00Z",
                "sender": "Alex" if i % 2 else "Jo",
                "conversation": f"chat {i % 3}",
                "text": f"message number {i}" + (" how old are you" if i % 97 == 0 else ""),
            }
        )
        for i in range(n)
    )


@pytest.mark.parametrize("apart", [False, True], ids=["analysed in the worker", "analysed in a second process"])
def test_crash_mid_import_then_resume_has_no_duplicates(world, settings, apart):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queue only
    settings.HARBOUR_EVIDENCE_ANALYSE_APART_BYTES = 0 if apart else 10**12
    officer = world["officer"]
    inv = _investigation(officer)
    item = _import(officer, inv, _big_jsonl(1000), format="jsonl")
    assert item.status == ItemStatus.QUEUED

    with pytest.raises(importer.SimulatedCrash):
        importer.run_import(item.pk, batch_size=150, crash_after_batches=3)
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED
    assert item.messages_done == 450 == Message.objects.filter(item=item).count()
    assert item.checkpoint == 450  # line numbers are the positions

    # Resume through the service: the job continues from the checkpoint.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    services.item_resume(caller=Caller(officer), item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.attempts == 2
    positions = list(Message.objects.filter(item=item).values_list("source_position", flat=True))
    assert len(positions) == len(set(positions)) == 1000 == item.messages_done
    assert sorted(positions) == list(range(1, 1001))
    # Flags were written once per message, and the index holds every message exactly once.
    assert IndicatorFlag.objects.filter(item=item).count() == len(range(0, 1000, 97))
    found = search_index.search(inv.pk, words="message", limit=5000)
    assert found.total == 1000 and len(set(found.message_ids)) == 1000
    # Each conversation is numbered 1, 2, 3... in source order across the crash, and the tallies
    # count every message once.
    for name in ("chat 0", "chat 1", "chat 2"):
        rows = list(Message.objects.filter(item=item, conversation=name).order_by("source_position"))
        assert [m.seq for m in rows] == list(range(1, len(rows) + 1))
    tallies = MessageTally.objects.filter(item=item)
    assert sum(t.messages for t in tallies) == 1000
    assert {(t.conversation, t.sender) for t in tallies} == {(f"chat {c}", s) for c in range(3) for s in ("Alex", "Jo")}


def test_crash_before_index_commit_repairs_index(world, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(importer, "INDEX_COMMIT_EVERY", 2)
    officer = world["officer"]
    inv = _investigation(officer)
    item = _import(officer, inv, _big_jsonl(500), format="jsonl")
    with pytest.raises(importer.SimulatedCrash):
        importer.run_import(item.pk, batch_size=100, crash_after_batches=3)  # index committed after batch 2 only
    item.refresh_from_db()
    assert (item.checkpoint, item.indexed_through) == (300, 200)
    importer.run_import(item.pk, batch_size=100)
    found = search_index.search(inv.pk, words="number", limit=5000)
    assert found.total == 500 and len(set(found.message_ids)) == 500


def test_rerunning_a_finished_import_does_nothing(world):
    officer = world["officer"]
    item = _import(officer, _investigation(officer), CHAT)
    importer.run_import(item.pk)
    assert Message.objects.filter(item=item).count() == 11


def test_tampered_original_fails_the_import(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    officer = world["officer"]
    item = _import(officer, _investigation(officer), CHAT)
    path = Path(django_settings.MEDIA_ROOT) / item.stored_path
    os.chmod(path, 0o644)
    path.write_text(CHAT + "24/11/2026, 19:09 - Alex Stone: added later\n")
    with pytest.raises(RuntimeError, match="SHA-256"):
        importer.run_import(item.pk)
    assert EvidenceItem.objects.get(pk=item.pk).status == ItemStatus.FAILED


def test_chain_of_custody_for_import_view_search_export(world, client):
    officer = world["officer"]
    inv = _investigation(officer)
    item = _import(officer, inv, CHAT)
    client.force_login(officer)
    assert client.get(f"/evidence/items/{item.pk}/").status_code == 200
    assert client.get(f"/evidence/{inv.pk}/search/", {"words": '"delete this chat"'}).status_code == 200
    assert client.get(f"/evidence/{inv.pk}/summary/").status_code == 200
    events = list(CustodyEvent.objects.filter(investigation=inv).order_by("id"))
    assert [e.action for e in events] == ["import", "import", "view", "search", "export"]
    assert events[0].details["sha256"] == item.sha256 and events[0].actor == officer
    assert events[1].details["outcome"] == "imported" and events[1].details["messages"] == 11
    assert events[3].details["words"] == '"delete this chat"' and events[3].details["results"] == 1
    actions = list(AuditEvent.objects.filter(details__custody_event__isnull=False).values_list("action", flat=True))
    assert sorted(actions) == sorted(["create", "view", "search", "export"])
    with pytest.raises(PermissionError):
        events[0].delete()
    with pytest.raises(PermissionError):
        events[0].save()


def test_tallies_count_days_in_london_time_and_first_and_last(world):
    officer = world["officer"]
    inv = _investigation(officer)
    lines = [
        {"sent_at": "2026-07-01T22:59:00Z", "sender": "Alex", "conversation": "c", "text": "late on the 1st"},
        {"sent_at": "2026-07-01T23:00:00Z", "sender": "Alex", "conversation": "c", "text": "00:00 on the 2nd in BST"},
        {"sent_at": "2026-07-02T10:00:00Z", "sender": "Alex", "conversation": "c", "text": "morning"},
        {"sent_at": "2026-07-02T09:00:00Z", "sender": "Jo", "conversation": "c", "text": "earlier, written after"},
    ]
    item = _import(officer, inv, "\n".join(json.dumps(line) for line in lines), format="jsonl")
    tallies = {(t.sender, str(t.day)): t for t in MessageTally.objects.filter(item=item)}
    assert {k: t.messages for k, t in tallies.items()} == {
        ("Alex", "2026-07-01"): 1,
        ("Alex", "2026-07-02"): 2,
        ("Jo", "2026-07-02"): 1,
    }
    second = tallies[("Alex", "2026-07-02")]
    assert (second.first_at.isoformat(), second.last_at.isoformat()) == (
        "2026-07-01T23:00:00+00:00",
        "2026-07-02T10:00:00+00:00",
    )


def test_both_ways_of_analysing_store_the_same(world, settings):
    officer = world["officer"]
    inv = _investigation(officer)
    content = _big_jsonl(700) + "\nnot json\n"

    def stored(apart):
        settings.HARBOUR_EVIDENCE_ANALYSE_APART_BYTES = 0 if apart else 10**12
        item = _import(officer, inv, content, format="jsonl", description=f"apart={apart}")
        messages = list(
            Message.objects.filter(item=item)
            .order_by("source_position")
            .values_list("source_position", "line_no", "conversation", "sender", "sent_at", "text", "seq")
        )
        flags = list(
            IndicatorFlag.objects.filter(item=item)
            .order_by("message__source_position")
            .values_list("family", "matched")
        )
        tallies = sorted(
            MessageTally.objects.filter(item=item).values_list("conversation", "sender", "day", "messages")
        )
        return item.skipped, item.error_report, messages, flags, tallies

    inline, apart = stored(False), stored(True)
    assert inline == apart
    assert inline[0] == 1 and len(inline[2]) == 700 and len(inline[3]) == 8


def test_a_failure_in_the_analysing_process_fails_the_import_with_its_reason(world, settings, tmp_path):
    settings.HARBOUR_EVIDENCE_ANALYSE_APART_BYTES = 0
    settings.HARBOUR_EVIDENCE_INDICATORS = str(tmp_path / "no-such-rules.json")
    officer = world["officer"]
    item = _import(officer, _investigation(officer), CHAT)
    assert item.status == ItemStatus.FAILED
    assert "no-such-rules.json" in item.error and not Message.objects.filter(item=item).exists()


def test_a_stalled_import_is_shown_and_can_be_resumed_but_a_live_one_cannot(world, settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    officer = world["officer"]
    item = _import(officer, _investigation(officer), CHAT)
    # The worker took the job, then was killed: the item says "importing" for ever.
    EvidenceItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.RUNNING, progress_at=timezone.now() - timedelta(minutes=3)
    )
    item.refresh_from_db()
    assert not item.is_stalled
    with pytest.raises(ValidationError, match="still going"):
        services.item_resume(caller=Caller(officer), item=item)
    assert services.items_resume_stalled() == []

    EvidenceItem.objects.filter(pk=item.pk).update(progress_at=timezone.now() - timedelta(minutes=11))
    item.refresh_from_db()
    assert item.is_stalled
    client.force_login(officer)
    body = client.get(f"/evidence/items/{item.pk}/").content.decode()
    assert 'data-testid="stalled"' in body and "Resume the import" in body

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    (resumed,) = services.items_resume_stalled()
    assert resumed.pk == item.pk and resumed.status == ItemStatus.DONE and resumed.messages_done == 11
    assert AuditEvent.objects.filter(actor=None, details__import__outcome="stalled; resumed").exists()


def test_an_import_waits_while_another_holds_the_index(world, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.HARBOUR_EVIDENCE_INDEX_WAIT_SECONDS = 0
    monkeypatch.setattr(importer, "INDEX_WAIT_POLL_SECONDS", 0)
    officer = world["officer"]
    inv = _investigation(officer)
    item = _import(officer, inv, CHAT)
    holder = search_index.writer(search_index.open_index(inv.pk))  # another import, still running
    with pytest.raises(RuntimeError, match="kept its search index busy"):
        importer.run_import(item.pk)
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED and not Message.objects.filter(item=item).exists()
    del holder
    importer.run_import(item.pk)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.messages_done == 11
