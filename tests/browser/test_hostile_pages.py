"""Hostile names and answers in a real browser: the respondent's review and questionnaire
pages and the console's results, assessment and report pages show them as text, and no
script of theirs runs (no dialog opens, no injected element exists)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.services.assessments import create_assessment
from app.services.clients import create_client
from app.services.demo_answers import demo_answers
from app.services.respondents import NewRespondent, add_respondents
from tests.integration.live_server import LiveServer

MARKUP = "\"><img src=x onerror=alert(1)><script>alert(1)</script></textarea>'"
TEMPLATES = "{{7*7}}{% raw %}${7*7}#{7*7}"
PASSWORD = "hostile pages password"
# Whatever a hostile text managed to run or insert; all zero when it stayed text.
INJECTED = """() => ({
  images: document.querySelectorAll('img[src="x"]').length,
  scripts: [...document.scripts].filter(s => !s.src.includes('/static/app.js')).length,
  handlers: [...document.querySelectorAll('*')].filter(
    e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
})"""


def _hostile(label: str) -> str:
    return f"{label} {MARKUP}{TEMPLATES}"


@pytest.fixture
def dialogs(desktop: BrowserContext) -> Iterator[list[str]]:
    """Every alert, confirm or prompt any page opens (a script of the hostile text would)."""
    opened: list[str] = []

    def record(page: Page) -> None:
        page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))

    desktop.on("page", record)
    yield opened


def _hostile_assessment(server: LiveServer) -> tuple[str, str, str, list[str]]:
    """A workspace, client, assessment and respondents named with markup; three submitted
    answers with a hostile written answer. Returns owner email, assessment id, the hostile
    respondent's page path, and the texts."""
    catalog = server.app.state.runtime.catalog
    package = catalog.get("operational-maturity")
    now = utc_now()
    email = f"hostile-{uuid.uuid4().hex[:8]}@harbourline.test"
    texts = [_hostile("Firm"), _hostile("Client"), _hostile("Title"), _hostile("Person")]
    firm, client_name, title, person = texts
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name=firm,
            owner_email=email,
            owner_name=_hostile("Owner"),
            owner_password=PASSWORD,
            now=now,
        )
        client = create_client(
            session=session,
            workspace_id=workspace.id,
            actor="test",
            name=client_name,
            industry=None,
            size_band=None,
            external_ref=None,
            now=now,
        )
        assessment = create_assessment(
            session=session,
            catalog=catalog,
            workspace_id=workspace.id,
            actor="test",
            client_id=client.id,
            title=title,
            questionnaire_id="operational-maturity",
            questionnaire_version=None,
            target_overall=None,
            target_dimensions={},
            baseline_assessment_id=None,
            anonymity_k=None,
            status="open",
            now=now,
        )
        invited = add_respondents(
            session=session,
            catalog=catalog,
            workspace_id=workspace.id,
            actor="test",
            assessment_id=assessment.id,
            respondents=[
                NewRespondent(name, None, {"role": "manager"})
                for name in (person, "Second person", "Third person")
            ],
            base_url=server.settings.base_url,
            now=now,
        )
    idea = _hostile("Idea")
    for n, one in enumerate(invited):
        answers = demo_answers(package, role="manager", round_number=1, respondent_key=str(n))
        answers["tr_one_change"] = idea
        token = one.invite_url.rsplit("/", 1)[1]
        saved = httpx.post(
            f"{server.url}/api/v1/assessments/{assessment.id}/respondents/{one.respondent.id}/answers",
            json={"answers": answers, "submit": True},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert saved.status_code == 200, saved.text
    path = invited[0].invite_url.removeprefix(server.settings.base_url)
    return email, assessment.id, path, [*texts, idea]


def _shows_as_text(page: Page, text: str) -> None:
    expect(page.get_by_text(text, exact=False).first).to_be_attached()


def _nothing_injected(page: Page, dialogs: list[str]) -> None:
    assert page.evaluate(INJECTED) == {"images": 0, "scripts": 0, "handlers": 0}, page.url
    assert dialogs == [], page.url


def test_hostile_text_runs_no_script_on_respondent_and_console_pages(
    web_server: LiveServer, desktop: BrowserContext, dialogs: list[str]
) -> None:
    email, assessment_id, path, texts = _hostile_assessment(web_server)
    firm, client_name, title, person, idea = texts
    page = desktop.new_page()

    page.goto(web_server.url + path + "/review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    _shows_as_text(page, idea)
    _shows_as_text(page, firm)
    _nothing_injected(page, dialogs)
    page.get_by_role("link", name="Change").last.click()
    textarea = page.locator("textarea")
    expect(textarea).to_have_value(idea)  # `</textarea>` did not close the field early
    _nothing_injected(page, dialogs)

    page.goto(web_server.url + "/console/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    _shows_as_text(page, title)
    _nothing_injected(page, dialogs)
    base = f"{web_server.url}/console/assessments/{assessment_id}"
    for address, shown in (
        (base, [title, client_name, person]),
        (f"{base}/results", [title]),
        (f"{base}/report.html", [client_name, firm, idea]),
    ):
        page.goto(address)
        for text in shown:
            _shows_as_text(page, text)
        _nothing_injected(page, dialogs)
