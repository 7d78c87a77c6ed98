"""Digital evidence in a real browser: import a chat export, watch the progress bar, search a
phrase, open a flagged message in context, and add a phone number to the graph."""

import re

import pytest
from playwright.sync_api import expect

from harbour.accounts.models import AgencyKind
from harbour.core.caller import Caller
from harbour.demo.factories import make_agency, make_team, make_user
from harbour.evidence import importer, services
from harbour.evidence.models import EvidenceItem, SelectedIdentifier

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
