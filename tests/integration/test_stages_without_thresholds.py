"""A package whose stage model has no thresholds, served by the app: the results document gives
every stage as null, decided by "no_stages", beside the scores; stage targets are refused; the
console's and the self-assessment's result pages and the PDF show scores without a ladder; on
both databases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from app.api.results_schema import ResultsDocument
from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services.assessments import create_assessment as create_assessment_row
from app.settings import Settings
from tests.integration.console_session import Console, signed_in
from tests.integration.databases import fresh_database
from tests.integration.flow import create_client, expect, save_answers
from tests.integration.live_server import LiveServer, running_server
from tests.unit.test_stages_without_thresholds import (
    ALL_THERE,
    ANSWERS,
    LIBRARY,
    QUESTIONNAIRE,
    STAGE_MODEL,
)

NO_STAGES = "This model places no stages; the score is the maturity level."


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("questionnaires")
    package = folder / "levels-only" / "1.0.0"
    package.mkdir(parents=True)
    for name, mapping in (
        ("questionnaire.yaml", QUESTIONNAIRE),
        ("stage_model.yaml", STAGE_MODEL),
        ("recommendations.yaml", LIBRARY),
    ):
        (package / name).write_text(yaml.safe_dump(mapping, sort_keys=False))
    backend = str(request.param)
    with fresh_database(backend, tmp_path_factory.mktemp(backend)) as url:
        settings = Settings(
            environment="test",
            database_url=url,
            questionnaires_dir=folder,
            base_url="https://opsmaturity.test",
            secure_cookies=False,
            rate_limits=False,
        )
        with running_server(settings) as live:
            yield live


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    signed = signed_in(server)
    yield signed
    signed.close()


def _respondents(api: httpx.Client, assessment_id: str, count: int) -> list[dict[str, Any]]:
    body = {"respondents": [{"name": f"Person {n}"} for n in range(count)]}
    created = expect(api.post(f"/api/v1/assessments/{assessment_id}/respondents", json=body), 201)
    people: list[dict[str, Any]] = created["respondents"]
    return people


def _submitted(api: httpx.Client, assessment_id: str, *answers: dict[str, object]) -> list[str]:
    people = _respondents(api, assessment_id, len(answers))
    for person, given in zip(people, answers, strict=True):
        expect(save_answers(api, assessment_id, person["id"], given, submit=True), 200)
    return [str(person["invite_url"]) for person in people]


def test_results_show_scores_and_no_stage(console: Console) -> None:
    api = console.api
    client_id = create_client(api)["id"]
    body = {"client_id": client_id, "title": "Levels", "questionnaire_id": "levels-only"}
    refused = api.post("/api/v1/assessments", json={**body, "targets": {"overall": "level2"}})
    assert refused.status_code == 422, refused.text
    assert "places no stages" in refused.text
    assessment_id = expect(api.post("/api/v1/assessments", json=body), 201)["id"]
    _submitted(api, assessment_id, ANSWERS, ALL_THERE)

    path = f"/api/v1/assessments/{assessment_id}/results"
    served = api.get(path)
    assert served.status_code == 200, served.text
    results = ResultsDocument.model_validate_json(served.content).results
    placements = [results.overall.stage, *(d.stage for d in results.dimensions)]
    for stage in placements:
        assert stage is not None
        assert (stage.id, stage.name, stage.index) == (None, None, None)
        assert stage.decided_by == "no_stages"
        assert stage.explanation == [NO_STAGES]
    # (1.8125 + 3) / 2, (1.375 + 3) / 2 and (2.25 + 3) / 2, rounded half up to two decimals
    assert results.overall.score == 2.41
    assert [d.score for d in results.dimensions] == [2.19, 2.63]
    assert results.overall.borderline is None
    assert all(
        d.spread.borderline is None and d.spread.stage_span is None for d in results.dimensions
    )
    assert expect(api.get(path, params={"format": "flat"}), 200)

    page = console.browser.get(f"/console/assessments/{assessment_id}/results")
    assert page.status_code == 200, page.text
    assert "This model places no stages: each score is the maturity level." in page.text
    assert "Overall stage" not in page.text
    pdf = api.get(f"/api/v1/assessments/{assessment_id}/report.pdf")
    assert pdf.status_code == 200, pdf.text


def test_the_self_assessment_result_page_shows_the_score(
    console: Console, server: LiveServer
) -> None:
    client_id = create_client(console.api, name="Online self-assessments")["id"]
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        assessment = create_assessment_row(
            session=session,
            catalog=server.app.state.runtime.catalog,
            workspace_id=console.workspace_id,
            actor="test",
            client_id=client_id,
            title="Levels — self",
            questionnaire_id="levels-only",
            questionnaire_version=None,
            target_overall=None,
            target_dimensions={},
            baseline_assessment_id=None,
            anonymity_k=1,
            status="open",
            now=utc_now(),
            kind="self",
        )
        assessment_id = str(assessment.id)
    (invite_url,) = _submitted(console.api, assessment_id, ANSWERS)
    token = invite_url.rsplit("/", 1)[1]
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        page = browser.get(f"/r/{token}/results")
    assert page.status_code == 200, page.text
    assert "1.81" in page.text
    assert "This model places no stages: each score is the maturity level." in page.text
    assert "Not enough answers for a stage" not in page.text
