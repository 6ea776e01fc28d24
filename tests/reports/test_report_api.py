"""GET /api/v1/assessments/{id}/report.pdf and report.html through a live server: rendered in a
worker process, cached in the database, pre-rendered when an assessment closes, scoped by
workspace."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlmodel import select

from app.models import CachedReport
from app.persistence.unit_of_work import unit_of_work
from app.services.report_rendering import PRE_RENDER_INTERVAL_S
from app.settings import Settings
from tests.conftest import QUESTIONNAIRES
from tests.integration.conftest import Workspace, new_workspace
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("reports-api")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{folder / 'api.db'}",
        questionnaires_dir=QUESTIONNAIRES,
        base_url="https://opsmaturity.test",
    )
    with running_server(settings) as live:
        yield live


@pytest.fixture
def workspace(server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(server, "Northwind <Advisory>")
    yield created
    created.api.close()


def _submitted_assessment(workspace: Workspace, people: int = 3) -> str:
    api = workspace.api
    assessment = create_assessment(api, client_id=None)
    aid = assessment["id"]
    respondents = add_respondents(api, aid, *(["executive", "manager", "manager"][:people]))
    for person in respondents:
        expect(save_answers(api, aid, person["id"], FULL_ANSWERS, submit=True), 200)
    return str(aid)


def _cached_rows(server: LiveServer, assessment_id: str) -> list[CachedReport]:
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        return list(
            session.exec(select(CachedReport).where(CachedReport.assessment_id == assessment_id))
        )


def test_pdf_and_html_reports_are_rendered_once_and_then_served_from_the_cache(
    server: LiveServer, workspace: Workspace
) -> None:
    aid = _submitted_assessment(workspace)
    first = workspace.api.get(f"/api/v1/assessments/{aid}/report.pdf")
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(first.content))
    assert reader.metadata is not None and reader.metadata.author == "Northwind <Advisory>"
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Acme Logistics" in cover
    assert "Q1 review" in cover and "3 of 3 responded" in cover  # the round, its response rate
    # named after the client and the round, never the assessment's id
    assert 'filename="acme-logistics-q1-review-report.pdf"' in first.headers["content-disposition"]
    assert len(_cached_rows(server, aid)) == 1
    start = time.perf_counter()
    second = workspace.api.get(f"/api/v1/assessments/{aid}/report.pdf")
    assert time.perf_counter() - start < 5  # a database read, not a render (not a timing test)
    assert second.content == first.content
    html = workspace.api.get(f"/api/v1/assessments/{aid}/report.html")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert "Northwind &lt;Advisory&gt;" in html.text and "<script" not in html.text
    tagged = workspace.api.get(f"/api/v1/assessments/{aid}/report.pdf", params={"tagged": "true"})
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(tagged.content)).trailer["/Root"]
    assert len(_cached_rows(server, aid)) == 3


def test_new_answers_make_a_new_report_and_drop_the_old_one(
    server: LiveServer, workspace: Workspace
) -> None:
    aid = _submitted_assessment(workspace, people=2)
    before = expect(workspace.api.get(f"/api/v1/assessments/{aid}/report.pdf"), 200)
    assert before is None
    people = add_respondents(workspace.api, aid, "manager")
    expect(
        save_answers(
            workspace.api,
            aid,
            people[0]["id"],
            {**FULL_ANSWERS, "weekly_review": "rarely"},
            submit=True,
        ),
        200,
    )
    response = workspace.api.get(f"/api/v1/assessments/{aid}/report.pdf")
    assert response.status_code == 200
    rows = _cached_rows(server, aid)
    assert len(rows) == 1 and rows[0].content == response.content


def test_closing_an_assessment_pre_renders_its_report(
    server: LiveServer, workspace: Workspace
) -> None:
    aid = _submitted_assessment(workspace)
    expect(workspace.api.post(f"/api/v1/assessments/{aid}/close"), 200)
    deadline = time.monotonic() + 60
    while not _cached_rows(server, aid) and time.monotonic() < deadline:
        time.sleep(0.5)
    rows = _cached_rows(server, aid)
    assert rows and rows[0].media_type == "application/pdf"
    download = workspace.api.get(f"/api/v1/assessments/{aid}/report.pdf")
    assert download.content == rows[0].content


def test_reports_need_answers_the_right_workspace_and_one_respondent_for_the_individual_variant(
    server: LiveServer, workspace: Workspace
) -> None:
    empty = create_assessment(workspace.api)
    response = workspace.api.get(f"/api/v1/assessments/{empty['id']}/report.pdf")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    aid = _submitted_assessment(workspace)
    other = new_workspace(server, "Another firm")
    try:
        assert other.api.get(f"/api/v1/assessments/{aid}/report.pdf").status_code == 404
    finally:
        other.api.close()
    individual = workspace.api.get(
        f"/api/v1/assessments/{aid}/report.pdf", params={"variant": "individual"}
    )
    assert individual.status_code == 409
    solo = _submitted_assessment(workspace, people=1)
    report = workspace.api.get(
        f"/api/v1/assessments/{solo}/report.pdf", params={"variant": "individual"}
    )
    assert report.status_code == 200
    assert "Person 0" in PdfReader(io.BytesIO(report.content)).pages[0].extract_text()
    unauthenticated = workspace.api.get(
        f"/api/v1/assessments/{aid}/report.pdf", headers={"Authorization": ""}
    )
    assert unauthenticated.status_code == 401


def _fresh_renders(server: LiveServer) -> float:
    value = server.app.state.metrics.registry.get_sample_value(
        "opsmaturity_report_render_duration_seconds_count",
        {"cache": "fresh", "variant": "team", "format": "pdf"},
    )
    return value or 0.0


def test_workers_side_by_side_pre_render_each_report_once(
    server: LiveServer, workspace: Workspace
) -> None:
    """Every worker polls for closed assessments to pre-render; each report goes to one."""
    with running_server(server.settings) as second:
        before = _fresh_renders(server) + _fresh_renders(second)
        closed = [_submitted_assessment(workspace) for _ in range(3)]
        for aid in closed:
            expect(workspace.api.post(f"/api/v1/assessments/{aid}/close"), 200)
        deadline = time.monotonic() + 90
        while not all(_cached_rows(server, aid) for aid in closed):
            assert time.monotonic() < deadline, "not pre-rendered in time"
            time.sleep(0.5)
        time.sleep(PRE_RENDER_INTERVAL_S + 1)  # both workers have polled since
        rendered = _fresh_renders(server) + _fresh_renders(second) - before
    assert rendered == len(closed)
    assert all(len(_cached_rows(server, aid)) == 1 for aid in closed)
