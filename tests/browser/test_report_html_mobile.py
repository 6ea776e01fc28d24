"""The HTML report on a phone: a golden team report, served with the report's own content
security policy, read at 375 px wide in Chromium. Nothing scrolls sideways (wide tables scroll
inside their own box), the embedded Inter faces load from their data: URIs, and the heatmap is
there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from app.report_responses import HTML_REPORT_POLICY
from app.reports import Branding, build_report_view, render_html
from scoring import score_assessment
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import QUESTIONNAIRES, REPO_ROOT

GOLDEN = REPO_ROOT / "tests" / "data" / "golden" / "demo_round.yaml"
REPORT_URL = "http://report.test/report.html"
PHONE_SIZE: ViewportSize = {"width": 375, "height": 800}
SCREENSHOT = Path("/tmp/opsmaturity-report-375.png")


@pytest.fixture(scope="module")
def report_html() -> str:
    document = read_answers_file(GOLDEN)
    package = load_catalog(QUESTIONNAIRES).get(document.questionnaire_id, document.version)
    result = score_assessment(
        package,
        list(document.respondent_answers),
        targets=document.target_stages,
        anonymity_k=document.anonymity_k,
    )
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="Fabrikam",
        report_date=dt.date(2026, 12, 2),
        variant="team",
    )
    return render_html(view)


@pytest.fixture
def report_on_phone(browser: Browser, report_html: str) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE_SIZE, is_mobile=True, has_touch=True)
    page = context.new_page()

    def serve(route: Route) -> None:
        # as app/report_responses.py serves it: the policy allows data: images and fonts only
        route.fulfill(
            status=200,
            body=report_html,
            headers={
                "content-type": "text/html; charset=utf-8",
                "content-security-policy": HTML_REPORT_POLICY,
            },
        )

    page.route(REPORT_URL, serve)
    page.goto(REPORT_URL)
    page.evaluate("document.fonts.ready.then(() => true)")
    yield page
    context.close()


def test_the_html_report_fits_a_phone_without_sideways_scrolling(report_on_phone: Page) -> None:
    page = report_on_phone
    page.screenshot(path=str(SCREENSHOT))
    page.locator("#heatmap").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT.with_name("opsmaturity-report-375-heatmap.png")))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-html-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]
    # what is wider than the screen sits in a box of its own that scrolls
    escaping = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const scrolls = (el) => {
            for (let p = el.parentElement; p; p = p.parentElement) {
              if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
            }
            return false;
          };
          return [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
            .map((el) => el.tagName + '.' + el.className);
        }"""
    )
    assert escaping == []


def test_the_html_report_uses_the_embedded_inter_faces(report_on_phone: Page) -> None:
    page = report_on_phone
    loaded = page.evaluate(
        """() => [...document.fonts]
            .filter((face) => face.family.replaceAll('"', '') === 'Inter')
            .map((face) => [face.weight, face.style, face.status])"""
    )
    assert sorted(loaded) == [
        ["400", "italic", "loaded"],
        ["400", "normal", "loaded"],
        ["500", "normal", "loaded"],
        ["600", "normal", "loaded"],
        ["700", "normal", "loaded"],
    ]
    assert page.evaluate("document.fonts.check('16px Inter')")
    family = page.evaluate("getComputedStyle(document.querySelector('h2')).fontFamily")
    assert family.startswith('"Inter"') or family.startswith("Inter")


def test_the_heatmap_reads_on_a_phone(report_on_phone: Page) -> None:
    page = report_on_phone
    heatmap = page.locator("#heatmap")
    assert heatmap.locator("table.heatmap").count() >= 2
    assert heatmap.locator("td.cell.suppressed").count() > 0
    # each table of the heatmap scrolls inside its own box, if at all
    for box in heatmap.locator(".table-scroll").all():
        assert box.evaluate("el => el.getBoundingClientRect().right") <= PHONE_SIZE["width"]
