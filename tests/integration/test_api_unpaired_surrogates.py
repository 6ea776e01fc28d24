"""An unpaired surrogate (`"\\ud800"` in JSON text) anywhere in a JSON body is refused with 422,
on SQLite and PostgreSQL, by every operation that takes a JSON body.

Such a string is not Unicode text: it cannot be stored, and a problem that echoed it (an
unknown key, an item id under `answers`, a respondent id of a scoring document) failed to
encode and answered 500. The body is refused while it is read (app/api/strict_json.py), as a
JSON problem at `body` whose message says where the surrogate is; nothing is saved. A pair of
surrogate escapes is one character (an emoji) and is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from app.problems import problem_response
from app.services.errors import FieldProblem
from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, expect

JSON = {"content-type": "application/json"}
HIGH = "\\ud800"  # as it travels in JSON text
LOW = "\\udfff"


@dataclass
class Saved:
    api: httpx.Client
    client_id: str
    assessment_id: str
    respondent_id: str
    invite_token: str
    endpoint_id: str

    def path(self, template: str) -> str:
        return template.format(
            client=self.client_id,
            assessment=self.assessment_id,
            respondent=self.respondent_id,
            endpoint=self.endpoint_id,
        )

    def snapshot(self) -> list[Any]:
        assessment = f"/api/v1/assessments/{self.assessment_id}"
        return [
            expect(self.api.get(f"/api/v1/clients/{self.client_id}"), 200),
            expect(self.api.get("/api/v1/clients"), 200),
            expect(self.api.get(assessment), 200),
            expect(self.api.get(f"{assessment}/respondents"), 200),
            expect(self.api.get(f"{assessment}/respondents/{self.respondent_id}/answers"), 200),
            expect(self.api.get(f"/api/v1/webhook-endpoints/{self.endpoint_id}"), 200),
        ]


@pytest.fixture
def saved(workspace: Workspace) -> Iterator[Saved]:
    api = workspace.api
    assessment = create_assessment(api)
    (person,) = add_respondents(api, assessment["id"], "manager")
    endpoint = expect(
        api.post(
            "/api/v1/webhook-endpoints",
            json={"url": "https://hooks.example.com/in", "event_types": ["assessment.scored"]},
        ),
        201,
    )
    state = Saved(
        api,
        assessment["client_id"],
        assessment["id"],
        person["id"],
        person["invite_token"],
        endpoint["id"],
    )
    answers = f"/api/v1/assessments/{state.assessment_id}/respondents/{state.respondent_id}"
    expect(api.post(f"{answers}/answers", json={"answers": {"plan_horizon": "month"}}), 200)
    before = state.snapshot()
    yield state
    assert state.snapshot() == before, "a refused request changed what was saved"


ANSWERS = "/api/v1/assessments/{assessment}/respondents/{respondent}/answers"
SCORE_RESPONDENT = '{"id": "ann", "attributes": {"role": "manager"}, "answers": {}}'
# (method, path, body as JSON text, where the message places the surrogate): every operation
# with a JSON body, with a surrogate in each place where the API echoes a key or an id.
CASES = [
    pytest.param(
        "POST", ANSWERS, f'{{"answers": {{"{HIGH}x": "x"}}}}', "in answers", id="answer-item-id"
    ),
    pytest.param(
        "POST",
        ANSWERS,
        f'{{"answers": {{"tools_in_use": ["tracker", "{LOW}"]}}}}',
        "at answers.tools_in_use[1]",
        id="answer-value-in-a-list",
    ),
    pytest.param("POST", ANSWERS, f'{{"{HIGH}": true}}', "the key", id="answers-unknown-key"),
    pytest.param(
        "POST",
        "/api/v1/score",
        f'{{"questionnaire": "example", "respondents": [{{"id": "{HIGH}", "answers": {{}}}}]}}',
        "at respondents[0].id",
        id="score-respondent-id",
    ),
    pytest.param(
        "POST",
        "/api/v1/score",
        f'{{"questionnaire": "example", "respondents": [{{"id": "ann", '
        f'"answers": {{"{HIGH}": 1}}}}]}}',
        "in respondents[0].answers",
        id="score-answer-item-id",
    ),
    pytest.param(
        "POST",
        "/api/v1/score",
        f'{{"questionnaire": "example", "respondents": [{{"id": "ann", '
        f'"attributes": {{"{HIGH}": "x"}}, "answers": {{}}}}]}}',
        "in respondents[0].attributes",
        id="score-attribute-name",
    ),
    pytest.param(
        "POST",
        "/api/v1/score",
        f'{{"questionnaire": "example", "targets": {{"dimensions": {{"{HIGH}": "x"}}}}, '
        f'"respondents": [{SCORE_RESPONDENT}]}}',
        "in targets.dimensions",
        id="score-target-dimension",
    ),
    pytest.param(
        "POST", "/api/v1/clients", f'{{"name": "Acme", "{HIGH}": 1}}', "the key", id="client-key"
    ),
    pytest.param(
        "POST", "/api/v1/clients", f'{{"name": "Acme{HIGH}"}}', "at name", id="client-name"
    ),
    pytest.param(
        "PATCH", "/api/v1/clients/{client}", f'{{"{LOW}": null}}', "the key", id="client-update"
    ),
    pytest.param(
        "POST",
        "/api/v1/assessments",
        '{"client_id": "{client}", "title": "Q1", "questionnaire_id": "example", '
        f'"targets": {{"dimensions": {{"{HIGH}": "steady"}}}}}}',
        "in targets.dimensions",
        id="assessment-target-dimension",
    ),
    pytest.param(
        "PATCH",
        "/api/v1/assessments/{assessment}",
        f'{{"targets": {{"items": {{"{HIGH}": "week"}}}}}}',
        "in targets.items",
        id="assessment-item-target",
    ),
    pytest.param(
        "POST",
        "/api/v1/assessments/{assessment}/respondents",
        f'{{"respondents": [{{"attributes": {{"role": "manager", "{HIGH}": "x"}}}}]}}',
        "in respondents[0].attributes",
        id="respondent-attribute-name",
    ),
    pytest.param(
        "POST",
        "/api/v1/assessments/{assessment}/respondents/{respondent}/invite-link",
        f'{{"personal_message": "Hello {HIGH}"}}',
        "at personal_message",
        id="invite-link-message",
    ),
    pytest.param(
        "POST",
        "/api/v1/webhook-endpoints",
        '{"url": "https://hooks.example.com/in", "event_types": ["assessment.scored"], '
        f'"{HIGH}": 1}}',
        "the key",
        id="webhook-endpoint-key",
    ),
    pytest.param(
        "PATCH",
        "/api/v1/webhook-endpoints/{endpoint}",
        f'{{"event_types": ["{HIGH}"]}}',
        "at event_types[0]",
        id="webhook-endpoint-update",
    ),
    pytest.param(
        "POST",
        "/api/v1/webhook-endpoints/{endpoint}/rotate-secret",
        f'{{"{HIGH}": 60}}',
        "the key",
        id="webhook-secret-rotation",
    ),
]


def _send(saved: Saved, method: str, template: str, body: str, token: str | None = None) -> Any:
    # str.format would read the JSON's braces; only the ids are filled in.
    path = saved.path(template)
    text = body.replace('"{client}"', f'"{saved.client_id}"')
    headers = JSON | ({"Authorization": f"Bearer {token}"} if token else {})
    return saved.api.request(method, path, content=text.encode("ascii"), headers=headers)


def _refused(response: httpx.Response, where: str, code: str) -> None:
    assert response.status_code == 422, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()  # valid UTF-8 JSON: nothing failed to encode
    assert problem["type"] == "urn:opsmaturity:problem:invalid-input"
    ((error,),) = [problem["errors"]]
    assert error["field"] == "body"
    message = error["message"]
    assert f"U+{code}" in message and "unpaired surrogate" in message and where in message


@pytest.mark.parametrize(("method", "template", "body", "where"), CASES)
def test_an_unpaired_surrogate_anywhere_in_a_body_is_refused_with_422(
    saved: Saved, method: str, template: str, body: str, where: str
) -> None:
    code = "DFFF" if LOW in body else "D800"
    _refused(_send(saved, method, template, body), where, code)


def test_an_invite_token_saving_answers_gets_the_same_422(saved: Saved) -> None:
    """The respondent's own path: authenticated by the invite token, saved on the event loop
    where the database allows it (app/persistence/sqlite_loop.py, app/persistence/postgres_loop.py)."""
    body = f'{{"answers": {{"{HIGH}x": "x", "plan_horizon": "week"}}}}'
    response = _send(saved, "POST", ANSWERS, body, token=saved.invite_token)
    _refused(response, "in answers", "D800")
    response = _send(saved, "POST", ANSWERS, f'{{"submit": true, "{HIGH}": 1}}', saved.invite_token)
    _refused(response, "the key", "D800")


def test_every_operation_with_a_json_body_is_covered(workspace: Workspace) -> None:
    document = expect(workspace.api.get("/openapi.json"), 200)
    with_bodies = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    templates = {
        "{client}": "{client_id}",
        "{assessment}": "{assessment_id}",
        "{respondent}": "{respondent_id}",
        "{endpoint}": "{endpoint_id}",
    }
    covered = set()
    for case in CASES:
        method, template = case.values[0], str(case.values[1])
        for ours, theirs in templates.items():
            template = template.replace(ours, theirs)
        covered.add((method, template))
    assert with_bodies == covered


def test_a_surrogate_pair_is_one_character_and_is_kept(workspace: Workspace) -> None:
    api = workspace.api
    body = b'{"name": "Acme \\ud83d\\ude9a"}'
    created = expect(api.post("/api/v1/clients", content=body, headers=JSON), 201)
    assert created["name"] == "Acme 🚚"
    assessment = create_assessment(api, created["id"])
    (person,) = add_respondents(api, assessment["id"], "manager")
    path = f"/api/v1/assessments/{assessment['id']}/respondents/{person['id']}/answers"
    body = b'{"answers": {"improvement_idea": "\\ud83d\\udce6"}}'
    assert expect(api.post(path, content=body, headers=JSON), 200)["answers"] == {
        "improvement_idea": "📦"
    }


def test_a_problem_that_echoes_a_surrogate_still_renders() -> None:
    """The last line behind the parser: problem details always encode."""
    request = Request({"type": "http", "method": "POST", "path": "/api/v1/x", "headers": []})
    problem = [FieldProblem("answers.\ud800x", "no such item")]
    response = problem_response(request, status=422, title="Invalid", errors=problem)
    assert b'"answers.\\ud800x"' in response.body
