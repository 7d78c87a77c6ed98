"""Rebuilding an investigation's search index from the screen: a background job for the owning
team, confirmed first, its progress visible, logged in the chain of custody and the audit log,
and never at the same time as an import (both write the same index)."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.evidence import importer, search_index, services
from harbour.evidence.models import CustodyEvent, EvidenceItem, IndexRebuild, ItemStatus, RebuildStatus

from .conftest import CHAT, SEIZED, upload

pytestmark = pytest.mark.django_db
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_team_confirms_and_the_rebuilt_index_finds_messages_again(client, case):
    inv = case["inv"]
    search_index.delete_investigation(inv.pk)  # the index is lost; the database still holds the record
    assert search_index.search(inv.pk, words="mature").total == 0
    client.force_login(case["officer"])
    page = client.get(f"/evidence/{inv.pk}/index/").content.decode()
    assert "Rebuild the index of 11 messages?" in page and "Yes, rebuild the search index" in page
    assert not IndexRebuild.objects.exists()  # looking at the confirmation changes nothing

    response = client.post(f"/evidence/{inv.pk}/index/", follow=True)
    assert "Rebuild of the search index queued." in response.content.decode()
    rebuild = IndexRebuild.objects.get()
    assert (rebuild.status, rebuild.messages_total, rebuild.messages_indexed, rebuild.percent) == ("done", 11, 11, 100)
    assert rebuild.requested_by == case["officer"] and rebuild.finished_at >= rebuild.started_at
    assert search_index.search(inv.pk, words="mature").total == 1

    events = list(CustodyEvent.objects.filter(investigation=inv, action="reindex").order_by("id"))
    assert [e.details["outcome"] for e in events] == ["requested", "rebuilt"]
    assert events[1].details == {"index_rebuild_id": rebuild.pk, "outcome": "rebuilt", "messages": 11}
    assert all(e.actor == case["officer"] for e in events)
    audits = AuditEvent.objects.filter(details__custody_event__in=[e.pk for e in events])
    assert sorted(audits.values_list("action", flat=True)) == [AuditAction.UPDATE, AuditAction.UPDATE]
    body = client.get(f"/evidence/{inv.pk}/").content.decode()
    assert 'data-rebuild-status="done"' in body and "11 of 11 messages indexed" in body


def test_refused_while_an_import_is_running(client, case):
    inv, item = case["inv"], case["item"]
    EvidenceItem.objects.filter(pk=item.pk).update(status=ItemStatus.RUNNING)
    client.force_login(case["officer"])
    page = client.get(f"/evidence/{inv.pk}/index/").content.decode()
    assert "An import is running" in page and "Yes, rebuild" not in page
    response = client.post(f"/evidence/{inv.pk}/index/", follow=True)
    assert "An import is running: rebuild the search index when it has finished." in response.content.decode()
    assert not IndexRebuild.objects.exists() and not CustodyEvent.objects.filter(action="reindex").exists()


def test_imports_wait_for_a_queued_rebuild_and_the_page_polls_its_progress(client, case, settings):
    settings.TASKS = QUEUE_ONLY  # the test plays the worker
    inv, officer = case["inv"], case["officer"]
    rebuild = services.index_rebuild_request(caller=Caller(officer), investigation=inv)
    assert rebuild.status == RebuildStatus.QUEUED
    with pytest.raises(ValidationError, match="A rebuild of the search index is already queued"):
        services.index_rebuild_request(caller=Caller(officer), investigation=inv)
    with pytest.raises(ValidationError) as error:
        services.item_import(
            caller=Caller(officer),
            investigation=inv,
            upload=upload(CHAT + "\n"),
            format="whatsapp",
            description="AB/2",
            seized_by="DC Test",
            seized_at=SEIZED,
        )
    assert error.value.message_dict == {
        "upload": ["The search index is being rebuilt: import the file when the rebuild has finished."]
    }
    assert sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "evidence").iterdir()) == [case["item"].sha256]
    EvidenceItem.objects.filter(pk=case["item"].pk).update(status=ItemStatus.FAILED)
    with pytest.raises(ValidationError, match="resume the file when the rebuild has finished"):
        services.item_resume(caller=Caller(officer), item=EvidenceItem.objects.get(pk=case["item"].pk))

    client.force_login(officer)
    body = client.get(f"/evidence/{inv.pk}/index/status/").content.decode()
    assert 'hx-trigger="every 2s"' in body and 'data-rebuild-status="queued"' in body and "0 of 11" in body
    assert 'data-testid="rebuilding"' in client.get(f"/evidence/{inv.pk}/search/", {"words": "old"}).content.decode()
    custody_before = CustodyEvent.objects.count()

    assert services.index_rebuild_run(rebuild_id=rebuild.pk) == {"status": "done", "messages": 11}
    response = client.get(f"/evidence/{inv.pk}/index/status/?was=active", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "hx-trigger" not in response.content.decode()
    assert CustodyEvent.objects.count() == custody_before + 1  # the job's "rebuilt"; polling is not logged
    assert services.index_rebuild_run(rebuild_id=rebuild.pk) == {"status": "done", "messages": 11}  # once only


def test_a_failed_rebuild_says_why_in_its_status_and_custody(case, settings, monkeypatch):
    settings.TASKS = QUEUE_ONLY
    rebuild = services.index_rebuild_request(caller=Caller(case["officer"]), investigation=case["inv"])

    def disk_full(investigation_id, *, progress=None):
        raise OSError("No space left on device")

    monkeypatch.setattr(importer, "rebuild_index", disk_full)
    with pytest.raises(OSError):
        services.index_rebuild_run(rebuild_id=rebuild.pk)
    rebuild.refresh_from_db()
    assert (rebuild.status, rebuild.error) == ("failed", "No space left on device")
    assert CustodyEvent.objects.filter(action="reindex").latest("id").details["outcome"] == "failed"
    # A failed rebuild no longer blocks imports or another rebuild.
    services.index_rebuild_request(caller=Caller(case["officer"]), investigation=case["inv"])


def test_rebuild_reports_progress_every_5000_messages(world, settings):
    settings.TASKS = QUEUE_ONLY
    officer = world["officer"]
    inv = services.investigation_create(caller=Caller(officer), name="Operation Finch", reference="OP-F")
    lines = "\n".join(
        json.dumps({"sent_at": f"2026-11-24T10:{i % 60:02d}:00Z", "sender": "A", "text": f"number {i}"})
        for i in range(5001)
    )
    item = services.item_import(
        caller=Caller(officer),
        investigation=inv,
        upload=upload(lines),
        format="jsonl",
        description="AB/9",
        seized_by="DC Test",
        seized_at=SEIZED,
    )
    importer.run_import(item.pk)
    seen = []
    assert importer.rebuild_index(inv.pk, progress=seen.append) == 5001 and seen == [5000]
    assert search_index.search(inv.pk, words="number", limit=1).total == 5001


@pytest.mark.parametrize("who", ["colleague", "social_worker"])
def test_other_teams_get_404(client, case, who):
    client.force_login(case[who])
    for url in (f"/evidence/{case['inv'].pk}/index/", f"/evidence/{case['inv'].pk}/index/status/"):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in (404, 405)
    assert client.post(f"/evidence/{case['inv'].pk}/index/").status_code == 404
    assert not IndexRebuild.objects.exists()


def test_a_rebuild_job_finding_an_import_running_stops_without_touching_the_index(case, settings):
    settings.TASKS = QUEUE_ONLY
    rebuild = services.index_rebuild_request(caller=Caller(case["officer"]), investigation=case["inv"])
    EvidenceItem.objects.filter(pk=case["item"].pk).update(status=ItemStatus.RUNNING)  # e.g. a job queued by hand
    result = services.index_rebuild_run(rebuild_id=rebuild.pk)
    assert result["status"] == "failed" and "An import started before the rebuild ran" in result["error"]
    assert search_index.search(case["inv"].pk, words="mature").total == 1  # the index was left alone


def test_a_rebuild_whose_worker_died_is_started_again(case, settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    rebuild = services.index_rebuild_request(caller=Caller(case["officer"]), investigation=case["inv"])
    IndexRebuild.objects.filter(pk=rebuild.pk).update(
        status=RebuildStatus.RUNNING, progress_at=timezone.now() - timedelta(minutes=30)
    )
    client.force_login(case["officer"])
    assert 'data-testid="rebuild-stalled"' in client.get(f"/evidence/{case['inv'].pk}/index/").content.decode()

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("evidence_resume_stalled", stdout=out)
    assert "1 stalled index rebuild started again" in out.getvalue()
    rebuild.refresh_from_db()
    assert rebuild.status == RebuildStatus.DONE and rebuild.messages_indexed == 11
    assert AuditEvent.objects.filter(actor=None, details__index_rebuild="stalled; started again").exists()
    assert search_index.search(case["inv"].pk, words="phone").total == 1
