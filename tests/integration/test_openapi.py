"""OpenAPI at /docs documents every status code an endpoint can return."""

from __future__ import annotations

import httpx

from tests.integration.conftest import Workspace

PROBLEM = "application/problem+json"


def test_every_operation_documents_its_error_statuses(workspace: Workspace) -> None:
    assert httpx.get(f"{workspace.server.url}/docs").status_code == 200
    document = httpx.get(f"{workspace.server.url}/openapi.json").json()
    operations = [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
    ]
    assert len(operations) >= 20
    for method, path, operation in operations:
        statuses = set(operation["responses"])
        where = f"{method} {path}"
        assert "401" in statuses, where
        assert statuses & {"200", "201", "204"}, where
        if "{" in path and "questionnaire" not in path:
            assert "404" in statuses, where
        if method in {"POST", "PATCH"}:
            assert {"409", "422"} <= statuses, where
        # Any operation: its rate limit, and a database outage.
        for status in ("429", "503"):
            assert "Retry-After" in operation["responses"][status]["headers"], f"{where} {status}"
        for status in statuses - {"200", "201", "204"}:
            content = operation["responses"][status]["content"]
            assert PROBLEM in content, f"{where} {status}"
            assert "errors" in content[PROBLEM]["schema"]["properties"], f"{where} {status}"
    assert "bearer" in str(document["components"]["securitySchemes"]).lower()


def test_the_score_body_schema_is_self_contained(workspace: Workspace) -> None:
    document = httpx.get(f"{workspace.server.url}/openapi.json").json()
    body = document["paths"]["/api/v1/score"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert "$defs" not in str(body) and "respondents" in body["properties"]
