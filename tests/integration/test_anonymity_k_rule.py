"""anonymity_k as input is a strict integer of at least 3, on SQLite and PostgreSQL: the API's
assessment bodies and answers documents refuse booleans, text, decimals and integers below 3
with problem details naming the field; self-assessments keep their k of 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services.assessments import create_assessment as create_assessment_row
from app.services.errors import InvalidInputError
from tests.integration.conftest import Workspace
from tests.integration.console_session import Console, open_self_assessment, signed_in
from tests.integration.flow import FULL_ANSWERS, create_assessment, create_client, expect
from tests.integration.live_server import LiveServer

JSON = {"content-type": "application/json"}
INVALID_INPUT = "urn:opsmaturity:problem:invalid-input"
INVALID_ANSWERS = "urn:opsmaturity:problem:invalid-answers"

REFUSED_KS = [
    pytest.param(1, "must be at least 3, not 1", id="1"),
    pytest.param(2, "must be at least 3, not 2", id="2"),
    pytest.param(0, "must be at least 3, not 0", id="0"),
    pytest.param(True, "must be a whole number from 3 to 100, not true or false", id="true"),
    pytest.param(False, "not true or false", id="false"),
    pytest.param("3", "not text (write the number without quotes)", id="text-3"),
    pytest.param(3.0, "not a decimal number", id="3.0"),
    pytest.param(101, "must be at most 100, not 101", id="101"),
]


def refused_k(response: httpx.Response, problem_type: str, message: str) -> None:
    """Problem details with one error, naming anonymity_k, whose message holds `message`."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert (problem["type"], problem["status"]) == (problem_type, 422)
    (error,) = problem["errors"]
    assert error["field"] == "anonymity_k" and message in error["message"], problem


@pytest.mark.parametrize(("k", "message"), REFUSED_KS)
def test_an_assessment_body_refuses_k(workspace: Workspace, k: Any, message: str) -> None:
    client_id = create_client(workspace.api)["id"]
    body = {"client_id": client_id, "title": "Q1", "questionnaire_id": "example", "anonymity_k": k}
    response = workspace.api.post("/api/v1/assessments", content=json.dumps(body), headers=JSON)
    refused_k(response, INVALID_INPUT, message)
    assert expect(workspace.api.get("/api/v1/assessments"), 200)["items"] == []


def test_an_assessment_takes_k_of_3_or_more_or_the_workspace_default(
    workspace: Workspace,
) -> None:
    assert create_assessment(workspace.api, anonymity_k=3)["anonymity_k"] == 3
    assert create_assessment(workspace.api, anonymity_k=100)["anonymity_k"] == 100
    assert create_assessment(workspace.api)["anonymity_k"] == 3
    assert create_assessment(workspace.api, anonymity_k=None)["anonymity_k"] == 3


@pytest.mark.parametrize(("k", "message"), REFUSED_KS)
def test_an_answers_document_to_score_refuses_k(workspace: Workspace, k: Any, message: str) -> None:
    document = {
        "questionnaire": "example",
        "anonymity_k": k,
        "respondents": [{"id": "alex", "attributes": {"role": "manager"}, "answers": FULL_ANSWERS}],
    }
    response = workspace.api.post("/api/v1/score", content=json.dumps(document), headers=JSON)
    refused_k(response, INVALID_ANSWERS, message)


def test_openapi_describes_k_as_an_integer_of_at_least_3(workspace: Workspace) -> None:
    document = httpx.get(f"{workspace.server.url}/openapi.json").json()
    create = document["components"]["schemas"]["AssessmentCreate"]["properties"]["anonymity_k"]
    (number,) = [s for s in create["anyOf"] if s.get("type") != "null"]
    assert number == {"type": "integer", "minimum": 3, "maximum": 100}
    assert "from 3 to 100" in create["description"]
    score = document["paths"]["/api/v1/score"]["post"]["requestBody"]["content"]
    answers_k = score["application/json"]["schema"]["properties"]["anonymity_k"]
    assert (answers_k["type"], answers_k["minimum"], answers_k["default"]) == ("integer", 3, 3)


def test_a_self_assessment_keeps_k_of_1_while_a_team_service_call_is_refused(
    workspace: Workspace,
) -> None:
    client_id = create_client(workspace.api, name="Online self-assessments")["id"]
    self_id = open_self_assessment(workspace.server, workspace.id, client_id)
    assert expect(workspace.api.get(f"/api/v1/assessments/{self_id}"), 200)["anonymity_k"] == 1
    with (
        pytest.raises(InvalidInputError) as refused,
        unit_of_work(workspace.server.app.state.runtime.database.engine, writes=True) as session,
    ):
        create_assessment_row(
            session=session,
            catalog=workspace.server.app.state.runtime.catalog,
            workspace_id=workspace.id,
            actor="test",
            client_id=client_id,
            title="Team, k=2",
            questionnaire_id="example",
            questionnaire_version=None,
            target_overall=None,
            target_dimensions={},
            baseline_assessment_id=None,
            anonymity_k=2,
            status="open",
            now=utc_now(),
        )
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("anonymity_k", "must be at least 3, not 2: a smaller group could single out one person")
    ]


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    console = signed_in(server)
    yield console
    console.close()


def test_the_console_form_sets_no_k_so_a_posted_one_cannot_lower_it(console: Console) -> None:
    form = console.browser.get("/console/assessments/new")
    assert form.status_code == 200 and "anonymity_k" not in form.text
    created = console.post(
        "/console/assessments/new",
        {
            "title": "Round one",
            "questionnaire_id": "example",
            "new_client_name": "Globex",
            "anonymity_k": "1",
        },
    )
    assert created.status_code == 303, created.text
    assessment_id = created.headers["location"].split("?")[0].rsplit("/", 1)[1]
    assessment = expect(console.api.get(f"/api/v1/assessments/{assessment_id}"), 200)
    assert assessment["anonymity_k"] == 3
