"""Schemathesis fuzzes every operation of the OpenAPI document against a live server, on SQLite
and on PostgreSQL.

The caller is workspace A's API key. Path parameters are drawn at random, or name real rows
of A (a client, an assessment, a respondent, a webhook endpoint, seeded afresh for each
operation), or name workspace B's rows, which must answer 404 and stay unchanged. Every
response must be below 500 and match what the document says: status code, content type and
body. The budget is fixed and the draw derandomized, so a run is the same every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.conftest import Workspace, new_workspace
from tests.integration.flow import add_respondents, create_assessment, create_client, expect
from tests.integration.live_server import LiveServer, running_server

# Examples per operation and per kind of path (random, A's rows, B's rows), in each mode.
EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Rendering a report takes seconds; its inputs are the same as the results' and are fuzzed
# there, so the report operations get a smaller share.
SLOW_OPERATIONS = {"/api/v1/assessments/{assessment_id}/report.pdf"}


def _seed(workspace: Workspace, tag: str) -> dict[str, str]:
    """A client, an assessment with one respondent who has answered, and a webhook endpoint;
    returns the path parameters that name them."""
    api = workspace.api
    client = create_client(api, name=f"Client {tag}", external_ref=f"crm-{tag}")
    assessment = create_assessment(api, client["id"])
    (respondent,) = add_respondents(api, assessment["id"], "manager")
    expect(
        api.post(
            f"/api/v1/assessments/{assessment['id']}/respondents/{respondent['id']}/answers",
            json={"answers": {"plan_horizon": "month"}},
        ),
        200,
    )
    # The fuzzing creates endpoints too, and a workspace holds at most 20.
    for old in expect(api.get("/api/v1/webhook-endpoints"), 200)["items"]:
        expect(api.delete(f"/api/v1/webhook-endpoints/{old['id']}"), 204)
    endpoint = expect(
        api.post(
            "/api/v1/webhook-endpoints",
            json={"url": "https://hooks.example.com/in", "event_types": ["assessment.scored"]},
        ),
        201,
    )
    return {
        "client_id": client["id"],
        "external_ref": client["external_ref"],
        "assessment_id": assessment["id"],
        "respondent_id": respondent["id"],
        "endpoint_id": endpoint["id"],
        "questionnaire_id": "example",
    }


def _snapshot(workspace: Workspace, ids: dict[str, str]) -> list[Any]:
    api = workspace.api
    assessment = f"/api/v1/assessments/{ids['assessment_id']}"
    return [
        expect(api.get(f"/api/v1/clients/{ids['client_id']}"), 200),
        expect(api.get(assessment), 200),
        expect(api.get(f"{assessment}/respondents/{ids['respondent_id']}/answers"), 200),
        expect(api.get(f"/api/v1/webhook-endpoints/{ids['endpoint_id']}"), 200),
    ]


def _fuzz(
    operation: Any,
    *,
    base_url: str,
    headers: dict[str, str],
    own_ids: dict[str, str],
    foreign_ids: dict[str, str],
    examples: int,
) -> None:
    names = {p.name for p in operation.path_parameters}
    # Questionnaires are the catalog's, shared by every workspace.
    foreign = {
        name: value
        for name, value in foreign_ids.items()
        if name in names and name != "questionnaire_id"
    }
    kinds: list[tuple[str, Any]] = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        kinds.append(("random", operation.as_strategy(generation_mode=mode)))
        if names:
            own = {name: value for name, value in own_ids.items() if name in names}
            kinds.append(("own", operation.as_strategy(generation_mode=mode, path_parameters=own)))
        if foreign:
            kinds.append(
                ("foreign", operation.as_strategy(generation_mode=mode, path_parameters=foreign))
            )
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as http:
        for kind, strategy in kinds:
            _run(kind, strategy, http, examples, reaches_foreign=bool(foreign))


def _run(
    kind: str, strategy: Any, http: httpx.Client, examples: int, reaches_foreign: bool
) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        response = case.call(base_url=str(http.base_url).rstrip("/"), headers=dict(http.headers))
        if kind == "foreign" and response.status_code not in (401, 404, 405, 422):
            pytest.fail(
                f"{case.method} {case.formatted_path} reached workspace B: {response.status_code}"
            )
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.fixture
def fuzz_server(server: LiveServer) -> Iterator[LiveServer]:
    """The same database, served without rate limits: the fuzzing sends hundreds of
    requests a minute with one API key."""
    with running_server(server.settings.model_copy(update={"rate_limits": False})) as live:
        yield live


@pytest.fixture
def workspace_a(fuzz_server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(fuzz_server, "Workspace A")
    yield created
    created.api.close()


@pytest.fixture
def workspace_b(fuzz_server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(fuzz_server, "Workspace B")
    yield created
    created.api.close()


def test_every_operation_survives_fuzzing_and_keeps_to_the_document(
    workspace_a: Workspace, workspace_b: Workspace
) -> None:
    schema = schemathesis.openapi.from_dict(expect(workspace_a.api.get("/openapi.json"), 200))
    foreign_ids = _seed(workspace_b, "b")
    foreign_before = _snapshot(workspace_b, foreign_ids)
    for number, result in enumerate(schema.get_all_operations()):
        operation = result.ok()
        if not operation.path.startswith("/api/"):
            continue
        _fuzz(
            operation,
            base_url=workspace_a.server.url,
            headers={"Authorization": f"Bearer {workspace_a.api_key}"},
            own_ids=_seed(workspace_a, f"a{number}"),
            foreign_ids=foreign_ids,
            examples=2 if operation.path in SLOW_OPERATIONS else EXAMPLES,
        )
    assert _snapshot(workspace_b, foreign_ids) == foreign_before
