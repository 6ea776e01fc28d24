"""Browser tests: Debian's Chromium driven by Playwright, against a live server on loopback.

Chromium is /usr/bin/chromium (`.ci/run` installs it). Without it these tests are skipped
locally and fail under CI=true. Screenshots of key pages go to test-artifacts/screenshots/,
and every page a test visits is checked with axe-core (no moderate, serious or critical
violations).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from app.models import Workspace, utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.settings import Settings
from tests.conftest import QUESTIONNAIRES, REPO_ROOT
from tests.integration.databases import fresh_database
from tests.integration.live_server import LiveServer, running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
OWNER_EMAIL = "owner@harbourline.test"
OWNER_PASSWORD = "browser tests password"


# Module scope: Playwright's sync API keeps an event loop running in the test thread while it
# is open, which later tests that call asyncio.run() must not inherit.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing (Debian package chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI=true: browser tests must run")
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real questionnaires, SQLite, and a workspace publishing its self-assessment link."""
    folder = tmp_path_factory.mktemp("web")
    with fresh_database("sqlite", folder) as database_url:
        settings = Settings(
            environment="test",
            database_url=database_url,
            questionnaires_dir=QUESTIONNAIRES,
            base_url="http://127.0.0.1",
        )
        with running_server(settings) as live:
            with unit_of_work(live.app.state.runtime.database.engine, writes=True) as session:
                workspace, _ = admin.create_workspace(
                    session=session,
                    name="Harbourline Advisory",
                    owner_email=OWNER_EMAIL,
                    owner_name="Robin Consultant",
                    owner_password=OWNER_PASSWORD,
                    now=utc_now(),
                )
                row = session.get(Workspace, workspace.id)
                assert row is not None
                row.public_slug = "harbourline"
                row.brand_colour = "#0f6b5c"
                session.add(row)
            yield live


@pytest.fixture(scope="session", autouse=True)
def clean_screenshots() -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context
    context.close()


_AXE = Axe()
# Minor findings are advice; anything that makes a page harder to use fails the test.
FAILING_IMPACTS = ("moderate", "serious", "critical")


def check_accessibility(page: Page, name: str) -> None:
    """axe-core on the page as it is now: no moderate, serious or critical violation; and a
    screenshot."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results: Any = _AXE.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]
    assert not bad, f"{name} at {page.url}: " + "; ".join(bad)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], f"{name} scrolls sideways: {width}px wide"


def answer_visible_items(page: Page) -> int:
    """Answer every visible, unanswered question on the page like a person would: the middle
    choice, a number in range, a short comment. Returns how many it answered."""
    answered = 0
    for _ in range(3):  # follow-up questions can appear after an answer
        fresh = 0
        for fieldset in page.locator("fieldset[data-item]:visible").all():
            if (
                fieldset.locator("input:checked").count()
                and fieldset.locator("input[type=radio][name^='a.'], input[type=checkbox]").count()
            ):
                continue
            radios = fieldset.locator("input[type=radio][name^='a.']:not([data-exclusive])")
            boxes = fieldset.locator("input[type=checkbox]:not([data-exclusive])")
            number = fieldset.locator("input.input--number")
            text = fieldset.locator("textarea")
            if radios.count():
                radios.nth(radios.count() // 2).check()
            elif boxes.count():
                boxes.first.check()
            elif number.count():
                if number.input_value():
                    continue
                number.fill("30")
                number.press("Tab")
            elif text.count():
                if text.input_value():
                    continue
                text.fill("Fewer status meetings, clearer owners.")
                text.press("Tab")
            else:
                continue
            status = fieldset.locator("[data-status-for]")
            status.filter(has_text="Saved").wait_for(timeout=10_000)
            fresh += 1
        answered += fresh
        if not fresh:
            break
    return answered


def answer_remaining_pages(page: Page) -> None:
    """From a questionnaire page to the review page, answering everything on the way."""
    while True:
        answer_visible_items(page)
        next_button = page.get_by_role("button", name="Save and continue")
        if next_button.count() == 0:
            page.get_by_role("button", name="Save and review").click()
            return
        next_button.click()
