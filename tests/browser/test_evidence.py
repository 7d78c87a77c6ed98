"""Digital evidence in a real browser: import a chat export, watch the progress bar, search a
phrase, open a flagged message in context, and add a phone number to the graph; open a search
result in its conversation; rebuild the search index and watch it finish."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.core.caller import Caller
from harbour.demo.factories import make_agency, make_team, make_user
from harbour.evidence import importer, search_index, services
from harbour.evidence.models import EvidenceItem, IndexRebuild, Message, SelectedIdentifier

from .actions import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHAT = """24/11/2026, 19:02 - Alex Stone: hi, how old are you?
24/11/2026, 19:03 - Jo: 13
24/11/2026, 19:04 - Alex Stone: you're so mature for your age
24/11/2026, 19:05 - Alex Stone: don't tell your mum we talk. delete this chat after
24/11/2026, 19:06 - Jo: ok
24/11/2026, 19:08 - Alex Stone: add me on snap, or text me on 07700 900123
25/11/2026, 20:01 - Jo: the blue bike is at the park
"""


@pytest.fixture
def investigation(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HARBOUR_EVIDENCE_INDEX_DIR = tmp_path / "index"
    # Queue only: the test plays the worker, so the page is seen while the import is pending.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    police = make_agency(kind=AgencyKind.POLICE, name="Harbourtown Police", short_name="HTP")
    team = make_team(agency=police, name="Online child abuse investigation team")
    officer = make_user(agency=police, team=team, username="dc.examiner", first_name="Dee")
    inv = services.investigation_create(caller=Caller(officer), name="Operation Kestrel", reference="OP-KESTREL")
    export = tmp_path / "WhatsApp Chat with Alex.txt"
    export.write_text(CHAT, encoding="utf-8")
    return inv, export


def test_import_watch_progress_search_open_in_context_and_select_phone(page, investigation, browser_log):
    inv, export = investigation
    sign_in(page, "dc.examiner")
    page.goto(f"/evidence/{inv.pk}/")
    page.get_by_label("Chat export file").set_input_files(str(export))
    page.get_by_label("WhatsApp-style text export").check()
    page.get_by_label("Exhibit description").fill("DS/1 phone chat export")
    page.get_by_label("Seized by").fill("DC Examiner")
    page.get_by_label("Seized at").fill("2026-12-01T10:00")
    page.get_by_label("Conversation name (optional)").fill("Alex and Jo")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("heading", name="DS/1 phone chat export")).to_be_visible()
    item = EvidenceItem.objects.get(investigation=inv)
    expect(page.get_by_test_id("sha256")).to_have_text(item.sha256)
    expect(page.locator("[data-status]")).to_have_text("Queued")
    expect(page.locator("#import-progress")).to_have_attribute("hx-trigger", "every 2s")

    importer.run_import(item.pk)  # the worker runs the job; the page polls and refreshes
    if page.evaluate("typeof window.htmx") == "undefined":  # front-end assets not built: no polling
        page.reload()
    expect(page.locator("[data-status]")).to_have_text("Imported", timeout=15_000)
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "100")

    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Words or phrases").fill('"delete this chat"')
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"^1 message found"))).to_be_visible()
    expect(page.get_by_text("you're so mature for your age")).to_be_visible()  # context before the hit

    page.get_by_role("link", name="Indicators", exact=True).click()
    page.get_by_role("link", name=re.compile(r"don't tell your mum")).first.click()
    expect(page.get_by_test_id("anchor-message")).to_contain_text("delete this chat after")
    expect(page.get_by_test_id("anchor-message")).to_contain_text("Secrecy")

    page.get_by_role("link", name="Identifiers", exact=True).click()
    page.get_by_role("button", name="Add to graph +447700900123").click()
    expect(page.get_by_test_id("selected")).to_contain_text("+447700900123")
    assert SelectedIdentifier.objects.get().value == "+447700900123"
    assert browser_log.csp_violations(page) == []
    assert browser_log.page_errors == []


@pytest.fixture
def imported(investigation):
    """The investigation with the chat imported (the test plays the worker)."""
    inv, export = investigation
    officer = inv.created_by
    with open(export, "rb") as handle:
        item = services.item_import(
            caller=Caller(officer),
            investigation=inv,
            upload=handle,
            format="whatsapp",
            description="DS/1 phone chat export",
            seized_by="DC Examiner",
            seized_at=timezone.now(),
            conversation_name="Alex and Jo",
        )
    importer.run_import(item.pk)
    return inv


def test_a_search_result_opens_the_message_in_its_conversation(page, imported, browser_log):
    sign_in(page, "dc.examiner")
    page.goto(f"/evidence/{imported.pk}/search/")
    page.get_by_label("Words or phrases").fill("snap")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"^1 message found"))).to_be_visible()
    page.get_by_role("link", name="Open in the conversation").click()

    message = Message.objects.get(text__contains="add me on snap")
    expect(page).to_have_url(
        re.compile(rf"/evidence/items/{message.item_id}/conversation/\?c=Alex.+around={message.pk}#m{message.pk}$")
    )
    expect(page.get_by_role("heading", name="Alex and Jo", exact=True)).to_be_visible()
    anchor = page.get_by_test_id("anchor-message")
    expect(anchor).to_have_attribute("id", f"m{message.pk}")
    expect(anchor).to_contain_text("add me on snap, or text me on 07700 900123")
    expect(anchor).to_contain_text("line 6")
    expect(anchor).to_be_in_viewport()
    # The rest of the conversation is there around it, in order.
    texts = page.locator(".harbour-evidence-message p.govuk-body").all_inner_texts()
    assert (
        texts.index("ok")
        < texts.index("add me on snap, or text me on 07700 900123")
        < texts.index("the blue bike is at the park")
    )
    assert browser_log.csp_violations(page) == [] and browser_log.page_errors == []


def test_the_team_rebuilds_the_search_index_and_watches_it_finish(page, imported, browser_log):
    search_index.delete_investigation(imported.pk)  # the index is lost; the messages are not
    sign_in(page, "dc.examiner")
    page.goto(f"/evidence/{imported.pk}/")
    page.get_by_role("link", name="Rebuild the search index").click()
    expect(page.get_by_text("Rebuild the index of 7 messages?")).to_be_visible()
    page.get_by_role("button", name="Yes, rebuild the search index").click()
    expect(page.locator("[data-rebuild-status]")).to_have_text("Queued")
    expect(page.get_by_role("button", name="Yes, rebuild the search index")).to_have_count(0)

    rebuild = IndexRebuild.objects.get()
    services.index_rebuild_run(rebuild_id=rebuild.pk)  # the worker runs the job; the page polls
    if page.evaluate("typeof window.htmx") == "undefined":  # front-end assets not built: no polling
        page.reload()
    expect(page.locator("[data-rebuild-status]")).to_have_text("Rebuilt", timeout=15_000)
    expect(page.get_by_text("7 of 7 messages indexed")).to_be_visible()

    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Words or phrases").fill('"delete this chat"')
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"^1 message found"))).to_be_visible()
    assert browser_log.csp_violations(page) == [] and browser_log.page_errors == []
