"""The two report lengths through HTTP, on both databases: the API's `?detail=full`, each
length cached apart, and the console and self-assessment pages that say a report is being
prepared until it is, with a status to ask (JavaScript) and a Refresh link (without)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from pypdf import PdfReader
from sqlmodel import select

from app.models import CachedReport
from app.persistence.unit_of_work import unit_of_work
from tests.integration.conftest import Workspace
from tests.integration.console_session import Console, open_self_assessment, signed_in
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer

APPENDIX = "Appendix: item-level results"
RENDER_WAIT_S = 120.0  # how long a test waits for a background render before it fails


def _submitted(api: httpx.Client, assessment_id: str, *roles: str) -> list[dict[str, object]]:
    people = add_respondents(api, assessment_id, *roles)
    for person in people:
        expect(save_answers(api, assessment_id, str(person["id"]), FULL_ANSWERS, submit=True), 200)
    return people


def _team_assessment(api: httpx.Client) -> str:
    assessment_id = str(create_assessment(api)["id"])
    _submitted(api, assessment_id, "manager", "manager", "executive")
    return assessment_id


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return len(reader.pages), text


def _cached_rows(server: LiveServer, assessment_id: str) -> int:
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        rows = session.exec(select(CachedReport).where(CachedReport.assessment_id == assessment_id))
        return len(list(rows))


def _until_ready(ask: Callable[[], httpx.Response]) -> None:
    deadline = time.monotonic() + RENDER_WAIT_S
    while True:
        answer = expect(ask(), 200)
        if answer["ready"]:
            return
        assert time.monotonic() < deadline, "the report was not rendered in the background"
        time.sleep(0.2)


def test_the_api_serves_both_lengths_and_caches_each(workspace: Workspace) -> None:
    api = workspace.api
    aid = _team_assessment(api)
    report = f"/api/v1/assessments/{aid}/report.pdf"

    executive = api.get(report)
    assert executive.status_code == 200, executive.text
    executive_pages, executive_text = _pdf_text(executive.content)
    assert APPENDIX not in executive_text
    assert _cached_rows(workspace.server, aid) == 1

    full = api.get(report, params={"detail": "full"})
    assert full.status_code == 200, full.text
    full_pages, full_text = _pdf_text(full.content)
    assert APPENDIX in full_text
    assert full_pages > executive_pages
    assert _cached_rows(workspace.server, aid) == 2

    # each length again: from the cache, the same document
    assert api.get(report, params={"detail": "executive"}).content == executive.content
    assert api.get(report, params={"detail": "full"}).content == full.content
    assert _cached_rows(workspace.server, aid) == 2

    html = api.get(f"/api/v1/assessments/{aid}/report.html", params={"detail": "full"})
    assert html.status_code == 200 and APPENDIX in html.text
    assert APPENDIX not in api.get(f"/api/v1/assessments/{aid}/report.html").text


def test_closing_pre_renders_the_executive_report_and_the_full_one_waits(
    workspace: Workspace,
) -> None:
    api = workspace.api
    aid = _team_assessment(api)
    expect(api.post(f"/api/v1/assessments/{aid}/close"), 200)
    deadline = time.monotonic() + RENDER_WAIT_S
    while _cached_rows(workspace.server, aid) == 0:
        assert time.monotonic() < deadline, "the closed assessment was not pre-rendered"
        time.sleep(0.2)
    assert _cached_rows(workspace.server, aid) == 1
    executive = api.get(f"/api/v1/assessments/{aid}/report.pdf")
    assert APPENDIX not in _pdf_text(executive.content)[1]
    assert _cached_rows(workspace.server, aid) == 1  # it was the pre-rendered one
    full = api.get(f"/api/v1/assessments/{aid}/report.pdf?detail=full")
    assert APPENDIX in _pdf_text(full.content)[1]
    assert _cached_rows(workspace.server, aid) == 2


def test_a_bad_length_is_refused_with_problem_details(workspace: Workspace) -> None:
    aid = _team_assessment(workspace.api)
    for path in ("report.pdf", "report.html"):
        refused = workspace.api.get(f"/api/v1/assessments/{aid}/{path}?detail=long")
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        fields = [error["field"] for error in refused.json()["errors"]]
        assert fields == ["query.detail"], refused.text


def test_the_openapi_description_names_the_lengths(workspace: Workspace) -> None:
    schema = expect(workspace.api.get("/openapi.json"), 200)
    operation = schema["paths"]["/api/v1/assessments/{assessment_id}/report.pdf"]["get"]
    (detail,) = (p for p in operation["parameters"] if p["name"] == "detail")
    assert "item-level results" in detail["description"]
    assert "?detail=full" in operation["description"]


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    signed = signed_in(server)
    yield signed
    signed.close()


def test_the_console_offers_both_lengths_and_says_when_one_is_being_prepared(
    console: Console,
) -> None:
    browser = console.browser
    aid = _team_assessment(console.api)
    base = f"/console/assessments/{aid}"

    page = browser.get(f"{base}/results")
    assert page.status_code == 200
    # the executive report starts rendering when the page is asked for; the page says so
    assert "The executive report is being prepared" in page.text
    assert f'data-report-status="{base}/report-status?detail=executive"' in page.text
    assert f'href="{base}/results#reports">Refresh</a>' in page.text  # without JavaScript
    # the full report renders on demand
    assert f'href="{base}/results?prepare=full#reports"' in page.text
    assert "The full report is being prepared" not in page.text

    _until_ready(lambda: browser.get(f"{base}/report-status?detail=executive"))
    page = browser.get(f"{base}/results")
    assert f'href="{base}/report.pdf">Download executive report (PDF)</a>' in page.text
    assert "The executive report is being prepared" not in page.text

    asked = browser.get(f"{base}/results?prepare=full")
    assert "The full report is being prepared" in asked.text
    assert f'href="{base}/results?prepare=full#reports">Refresh</a>' in asked.text
    assert f'data-report-status="{base}/report-status?detail=full"' in asked.text
    _until_ready(lambda: browser.get(f"{base}/report-status?detail=full"))
    refreshed = browser.get(f"{base}/results?prepare=full")
    link = f'href="{base}/report.pdf?detail=full">Download full report with item-level results'
    assert link in refreshed.text
    assert link in browser.get(f"{base}/results").text  # once rendered, offered at once

    full = browser.get(f"{base}/report.pdf?detail=full")
    assert full.status_code == 200 and APPENDIX in _pdf_text(full.content)[1]
    status = browser.get(f"{base}/report-status?detail=full")
    assert status.headers["cache-control"] == "no-store"
    assert browser.get(f"{base}/report-status?detail=long").status_code == 422


def test_the_self_assessment_result_says_its_pdf_is_being_prepared(
    server: LiveServer, workspace: Workspace
) -> None:
    api = workspace.api
    client_id = create_client(api, name="Online self-assessments")["id"]
    aid = open_self_assessment(server, workspace.id, client_id)
    (person,) = _submitted(api, aid, "executive")
    base = f"/r/{person['invite_token']}"
    public = httpx.Client(base_url=server.url, timeout=60)
    try:
        page = public.get(f"{base}/results")
        assert page.status_code == 200, page.text
        assert "Your PDF report is being prepared" in page.text
        assert f'data-report-status="{base}/report-status"' in page.text
        assert f'href="{base}/results">Refresh</a>' in page.text
        _until_ready(lambda: public.get(f"{base}/report-status"))
        ready = public.get(f"{base}/results")
        assert f'href="{base}/report.pdf">Download the PDF report</a>' in ready.text
        assert "is being prepared" not in ready.text
        pdf = public.get(f"{base}/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    finally:
        public.close()
