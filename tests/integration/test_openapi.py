"""OpenAPI at /docs documents every status code an endpoint can return, and says what the
server accepts: the server refuses what the description forbids, and accepts what it allows
(tests/integration/test_api_fuzz.py checks the same with schemathesis)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx

from app.text_rules import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN, text_problem
from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, expect

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


# --- The description and the server agree ---


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        if path.startswith("/api/v1/"):
            for method, operation in item.items():
                yield method.upper(), path, operation


def test_every_path_and_text_query_parameter_carries_the_text_rule(workspace: Workspace) -> None:
    document = httpx.get(f"{workspace.server.url}/openapi.json").json()
    for method, path, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            where = f"{method} {path} {parameter['in']}.{parameter['name']}"
            schema = parameter["schema"]
            for string in [s for s in schema.get("anyOf", [schema]) if s.get("type") == "string"]:
                if {"enum", "format"} & set(string):
                    continue
                # An optional parameter's pattern applies to the string of its anyOf.
                pattern = string.get("pattern", schema.get("pattern"))
                cursor = parameter["name"] == "cursor"
                assert pattern == ("^[A-Za-z0-9_-]+$" if cursor else SINGLE_LINE_PATTERN), where
                assert string.get("minLength") == 1, where


def test_request_bodies_refuse_unknown_fields_and_updates_never_null_a_name(
    workspace: Workspace,
) -> None:
    document = httpx.get(f"{workspace.server.url}/openapi.json").json()
    schemas = document["components"]["schemas"]
    open_objects = []

    def visit(schema: Any, where: str) -> None:
        if isinstance(schema, dict):
            if "$ref" in schema:
                visit(schemas[schema["$ref"].rsplit("/", 1)[1]], schema["$ref"])
                return
            named = "properties" in schema or "patternProperties" in schema
            if named and schema.get("additionalProperties") is not False:
                open_objects.append(where)
            for key, value in schema.items():
                visit(value, f"{where}.{key}")
        elif isinstance(schema, list):
            for index, value in enumerate(schema):
                visit(value, f"{where}[{index}]")

    for method, path, operation in _operations(document):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            visit(media["schema"], f"{method} {path}")
    assert open_objects == []
    for model, never_null in (
        ("ClientUpdate", {"name"}),
        ("EndpointUpdate", {"url", "event_types", "enabled"}),
    ):
        properties = schemas[model]["properties"]
        assert all("default" not in field for field in properties.values()), model
        for name in never_null:
            assert "anyOf" not in properties[name] and "type" in properties[name], name


def _problem_fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    return [error["field"] for error in response.json()["errors"]]


def test_the_server_refuses_what_the_document_forbids(workspace: Workspace) -> None:
    api = workspace.api
    for since in ("0.5", "1700000000", "2024-05-01", "yesterday"):
        response = api.get("/api/v1/assessments", params={"updated_since": since})
        assert _problem_fields(response) == ["query.updated_since"], since
    for since in ("2024-05-01T09:00:00Z", "2024-05-01T09:00:00+02:00", "2024-05-01T09:00:00"):
        expect(api.get("/api/v1/assessments", params={"updated_since": since}), 200)
    for path in ("/api/v1/assessments", "/api/v1/clients"):
        assert _problem_fields(api.get(path, params={"cursor": ""})) == ["query.cursor"]
    assessment = create_assessment(api)
    (person,) = add_respondents(api, assessment["id"], "manager")
    client = f"/api/v1/clients/{assessment['client_id']}"
    assert _problem_fields(api.patch(client, json={"name": None})) == ["name"]
    assert expect(api.patch(client, json={"industry": None}), 200)["name"] == "Acme Logistics"
    endpoint = expect(
        api.post(
            "/api/v1/webhook-endpoints",
            json={"url": "https://hooks.example.com/in", "event_types": ["assessment.scored"]},
        ),
        201,
    )
    endpoint_path = f"/api/v1/webhook-endpoints/{endpoint['id']}"
    for field in ("url", "event_types", "enabled"):
        assert _problem_fields(api.patch(endpoint_path, json={field: None})) == [field]
    # Another JSON type than the document gives is refused, not converted.
    assert _problem_fields(api.patch(endpoint_path, json={"enabled": "true"})) == ["enabled"]
    rotate = f"{endpoint_path}/rotate-secret"
    assert _problem_fields(api.post(rotate, json={"overlap_seconds": False})) == ["overlap_seconds"]
    answers = f"/api/v1/assessments/{assessment['id']}/respondents/{person['id']}/answers"
    assert _problem_fields(api.post(answers, json={"answers": {}, "submit": 1})) == ["submit"]
    assert _problem_fields(api.post("/api/v1/clients", json={"name": "A", "size_band": 5})) == [
        "size_band"
    ]


def test_a_405_names_every_method_the_resource_has(workspace: Workspace) -> None:
    document = httpx.get(f"{workspace.server.url}/openapi.json").json()
    for path, item in document["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        response = httpx.request("OPTIONS", f"{workspace.server.url}{concrete}")
        assert response.status_code == 405, path
        allowed = {method.strip() for method in response.headers["allow"].split(",")}
        assert allowed == {method.upper() for method in item}, path
    # The pages too: the sign-in form is read with GET and sent with POST.
    response = httpx.put(f"{workspace.server.url}/console/login")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_the_documented_text_pattern_is_the_text_rule() -> None:
    """Every code point but the surrogates (refused while JSON is read), both ways."""
    single, multi = re.compile(SINGLE_LINE_PATTERN), re.compile(MULTI_LINE_PATTERN)
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}b"
        assert (single.fullmatch(text) is not None) == (text_problem(text) is None), hex(code)
        multi_ok = text_problem(text, multiline=True) is None
        assert (multi.fullmatch(text) is not None) == multi_ok, hex(code)
