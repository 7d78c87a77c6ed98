"""Fixtures for the end-to-end tests: Debian's chromium driven by Playwright against pytest-django's live server.

The browser is never downloaded by a test tool: Playwright launches /usr/bin/chromium (`make setup` installs it).
Each test gets a fresh browser context (no shared cookies) whose console messages and CSP violation reports are
collected, so any test can assert on them. Tests must not depend on CSS: var/assets may be missing.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HARBOUR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000

# Runs in every document before its own scripts; Playwright injects it outside the page's CSP.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.documentURI}`);
});
"""


@dataclass
class BrowserLog:
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def csp_violations(self, page) -> list[str]:
        """Violations seen in the console so far, plus those the current document recorded itself."""
        from_console = [m for m in self.console if re.search(r"Content Security Policy|Refused to", m)]
        try:
            from_page = page.evaluate("window.__cspViolations || []")
        except Exception:  # the page is navigating: the console still has what it reported
            from_page = []
        return from_console + list(from_page)


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module; closed at the module's end so no event loop outlives the browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: run `make setup` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(browser, live_server, browser_log):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: browser_log.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    yield page
    context.close()
