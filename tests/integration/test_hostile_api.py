"""Hostile input through the API, on SQLite and PostgreSQL: oversized bodies and strings, deep
nesting, wrong types, numbers JSON does not have, unknown ids, duplicate keys and text that
may not be stored. Each is refused with a 4xx problem naming the problem, and afterwards
everything saved before reads back exactly as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.catalog import load_catalog
from app.services.respondent_csv import parse_respondent_csv
from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, create_client, expect

MIB = 1024 * 1024
JSON = {"content-type": "application/json"}
SAVED_ANSWERS = {
    "plan_horizon": "month",
    "late_share": 20,
    "manual_hours": 3,
    "improvement_idea": "Fewer status meetings",
}


@dataclass
class Saved:
    """What workspace A has saved before the hostile requests."""

    api: httpx.Client
    client_id: str
    assessment_id: str
    respondent_id: str
    endpoint_id: str

    @property
    def answers_path(self) -> str:
        return f"/api/v1/assessments/{self.assessment_id}/respondents/{self.respondent_id}/answers"

    def snapshot(self) -> list[Any]:
        assessment = f"/api/v1/assessments/{self.assessment_id}"
        return [
            expect(self.api.get(f"/api/v1/clients/{self.client_id}"), 200),
            expect(self.api.get(assessment), 200),
            expect(self.api.get(f"{assessment}/respondents"), 200),
            expect(self.api.get(self.answers_path), 200),
            expect(self.api.get(f"/api/v1/webhook-endpoints/{self.endpoint_id}"), 200),
            [c["id"] for c in expect(self.api.get("/api/v1/clients"), 200)["items"]],
        ]


@pytest.fixture
def saved(workspace: Workspace) -> Iterator[Saved]:
    api = workspace.api
    client = create_client(api, name="Acme Logistics", industry="Freight", external_ref="crm-1")
    assessment = create_assessment(api, client["id"])
    (respondent,) = add_respondents(api, assessment["id"], "manager")
    endpoint = expect(
        api.post(
            "/api/v1/webhook-endpoints",
            json={
                "url": "https://hooks.example.com/in",
                "event_types": ["assessment.scored"],
                "description": "CRM sync",
            },
        ),
        201,
    )
    state = Saved(api, client["id"], assessment["id"], respondent["id"], endpoint["id"])
    expect(api.post(state.answers_path, json={"answers": SAVED_ANSWERS}), 200)
    before = state.snapshot()
    yield state
    assert state.snapshot() == before, "a refused request changed what was saved"


def refused(response: httpx.Response, status: int, field: str, *words: str) -> dict[str, Any]:
    """A problem response with `status` whose errors (or detail) name `field` and `words`."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    named = [e for e in body.get("errors", []) if e["field"] == field]
    text = " ".join(e["message"] for e in named) if field else body.get("detail", "")
    assert named or not field, f"no error names {field!r}: {body}"
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"
    return body


def raw_json(value: Any) -> bytes:
    """JSON with every non-ASCII character escaped, so lone surrogates travel as \\udXXX."""
    return json.dumps(value, ensure_ascii=True).encode()


# --- Oversized bodies and strings ---


def test_a_body_over_the_limit_is_refused_before_it_is_read(saved: Saved) -> None:
    body = raw_json({"answers": {"improvement_idea": "x" * (2 * MIB)}})
    response = saved.api.post(saved.answers_path, content=body, headers=JSON)
    refused(response, 413, "", "bytes")


def test_a_chunked_body_over_the_limit_is_refused(saved: Saved) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"answers": {"improvement_idea": "'
        for _ in range(40):
            yield b"y" * 64 * 1024
        yield b'"}}'

    response = saved.api.post(saved.answers_path, content=chunks(), headers=JSON)
    assert "content-length" not in response.request.headers
    refused(response, 413, "", "bytes")


def test_a_chunked_body_under_the_limit_is_read(saved: Saved) -> None:
    body = b'{"name": "Chunked Client Ltd"}'
    response = saved.api.post("/api/v1/clients", content=iter([body[:10], body[10:]]), headers=JSON)
    assert "content-length" not in response.request.headers
    created = expect(response, 201)
    assert created["name"] == "Chunked Client Ltd"
    expect(saved.api.delete(f"/api/v1/clients/{created['id']}"), 204)


LONG_STRINGS = [
    pytest.param("POST", "/api/v1/clients", {"name": "n" * 201}, "name", id="client-name"),
    pytest.param(
        "POST", "/api/v1/clients", {"name": "ok", "industry": "i" * 101}, "industry", id="industry"
    ),
    pytest.param("PATCH", "/clients", {"external_ref": "r" * 201}, "external_ref", id="ext-ref"),
    pytest.param("POST", "/assessments", {"title": "t" * 201}, "title", id="title"),
    pytest.param(
        "POST",
        "/respondents",
        {"respondents": [{"name": "n" * 201, "attributes": {"role": "manager"}}]},
        "respondents[0].name",
        id="respondent-name",
    ),
    pytest.param(
        "POST",
        "/respondents",
        {"respondents": [{"email": "e" * 321, "attributes": {"role": "manager"}}]},
        "respondents[0].email",
        id="respondent-email",
    ),
    pytest.param(
        "POST",
        "/respondents",
        {"respondents": [{"attributes": {"role": "m" * 101}}]},
        "respondents[0].attributes.role",
        id="attribute",
    ),
    pytest.param(
        "POST",
        "/answers",
        {"answers": {"improvement_idea": "a" * 501}},
        "answers.improvement_idea",
        id="free-text-answer",
    ),
    pytest.param(
        "PATCH", "/endpoint", {"description": "d" * 201}, "description", id="webhook-description"
    ),
]


def _route(saved: Saved, method: str, where: str, body: dict[str, Any]) -> tuple[str, str, Any]:
    """The path and body of a request to one of the saved resources."""
    assessments = "/api/v1/assessments"
    if where == "/clients":
        return method, f"/api/v1/clients/{saved.client_id}", body
    if where == "/assessments":
        body = {"client_id": saved.client_id, "questionnaire_id": "example", **body}
        return method, assessments, body
    if where == "/respondents":
        return method, f"{assessments}/{saved.assessment_id}/respondents", body
    if where == "/answers":
        return method, saved.answers_path, body
    if where == "/endpoint":
        return method, f"/api/v1/webhook-endpoints/{saved.endpoint_id}", body
    return method, where, body


@pytest.mark.parametrize(("method", "where", "body", "field"), LONG_STRINGS)
def test_every_free_text_field_has_a_maximum_length(
    saved: Saved, method: str, where: str, body: dict[str, Any], field: str
) -> None:
    method, path, body = _route(saved, method, where, body)
    response = saved.api.request(method, path, content=raw_json(body), headers=JSON)
    refused(response, 422, field)


def test_the_document_gives_every_free_text_field_a_maximum_length(workspace: Workspace) -> None:
    document = expect(workspace.api.get("/openapi.json"), 200)
    unbounded = []

    def visit(schema: Any, where: str) -> None:
        if isinstance(schema, dict):
            if schema.get("type") == "string" and not {"enum", "const", "maxLength"} & set(schema):
                unbounded.append(where)
            for key, value in schema.items():
                visit(value, f"{where}.{key}")
        elif isinstance(schema, list):
            for index, value in enumerate(schema):
                visit(value, f"{where}[{index}]")

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "patch", "put") and path != "/api/v1/score":
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    visit(media["schema"], f"{method} {path}")
    for name, schema in document["components"]["schemas"].items():
        if name.endswith(("Create", "Update", "In", "Save", "Stages")):
            visit(schema, name)
    assert unbounded == []


# --- Deep nesting, wrong types, numbers, unknown ids, duplicates ---


def test_deeply_nested_json_is_refused_without_a_server_error(saved: Saved) -> None:
    depth = 100_000
    body = b'{"answers": {"improvement_idea": ' + b"[" * depth + b"]" * depth + b"}}"
    response = saved.api.post(saved.answers_path, content=body, headers=JSON)
    refused(response, 422, "body", "nested deeper than")
    moderately = b'{"answers": {"improvement_idea": ' + b"[" * 40 + b"]" * 40 + b"}}"
    response = saved.api.post(saved.answers_path, content=moderately, headers=JSON)
    refused(response, 422, "body", "nested deeper than")


WRONG_TYPES = [
    pytest.param("/answers", {"answers": "everything"}, "answers", id="answers-not-object"),
    pytest.param("/answers", {"answers": {}, "submit": "yes please"}, "submit", id="submit"),
    pytest.param(
        "/answers", {"answers": {"late_share": "twenty"}}, "answers.late_share", id="number"
    ),
    pytest.param(
        "/answers", {"answers": {"tools_in_use": "tracker"}}, "answers.tools_in_use", id="multi"
    ),
    pytest.param(
        "/answers", {"answers": {"improvement_idea": 42}}, "answers.improvement_idea", id="text"
    ),
    pytest.param("/respondents", {"respondents": {"name": "x"}}, "respondents", id="list"),
    pytest.param("/api/v1/clients", {"name": ["Acme"]}, "name", id="client-name"),
    pytest.param("/api/v1/clients", [{"name": "Acme"}], "body", id="array-body"),
]


@pytest.mark.parametrize(("where", "body", "field"), WRONG_TYPES)
def test_wrong_types_are_refused(saved: Saved, where: str, body: Any, field: str) -> None:
    method, path, body = _route(saved, "POST", where, body)
    refused(saved.api.request(method, path, content=raw_json(body), headers=JSON), 422, field)


NOT_JSON_NUMBERS = [
    pytest.param(b"NaN", "NaN is not a JSON number", id="nan"),
    pytest.param(b"Infinity", "Infinity is not a JSON number", id="infinity"),
    pytest.param(b"-Infinity", "-Infinity is not a JSON number", id="minus-infinity"),
    pytest.param(b"1e309", "too large", id="1e309"),
    pytest.param(b"-1e309", "too large", id="minus-1e309"),
    pytest.param(b"1" + b"0" * 5000, "5001 digits", id="10**5000"),
]


@pytest.mark.parametrize(("number", "words"), NOT_JSON_NUMBERS)
def test_numbers_that_json_does_not_have_are_refused(
    saved: Saved, number: bytes, words: str
) -> None:
    body = b'{"answers": {"late_share": ' + number + b"}}"
    refused(saved.api.post(saved.answers_path, content=body, headers=JSON), 422, "body", words)
    body = b'{"name": "Acme", "anonymity_k": ' + number + b"}"
    response = saved.api.post("/api/v1/assessments", content=body, headers=JSON)
    refused(response, 422, "body", words)


OUT_OF_RANGE = [
    pytest.param("/answers", {"answers": {"late_share": -5}}, "answers.late_share", id="pct"),
    pytest.param("/answers", {"answers": {"manual_hours": -1}}, "answers.manual_hours", id="neg"),
    pytest.param(
        "/answers", {"answers": {"manual_hours": 10**300}}, "answers.manual_hours", id="huge-int"
    ),
    pytest.param(
        "/answers", {"answers": {"manual_hours": 1e300}}, "answers.manual_hours", id="huge-float"
    ),
    pytest.param("/assessments", {"title": "Q", "anonymity_k": -1}, "anonymity_k", id="k-neg"),
    pytest.param("/assessments", {"title": "Q", "anonymity_k": 10**30}, "anonymity_k", id="k-huge"),
]


@pytest.mark.parametrize(("where", "body", "field"), OUT_OF_RANGE)
def test_negative_and_huge_numbers_are_refused(
    saved: Saved, where: str, body: Any, field: str
) -> None:
    method, path, body = _route(saved, "POST", where, body)
    refused(saved.api.request(method, path, content=raw_json(body), headers=JSON), 422, field)


def test_negative_and_huge_query_numbers_are_refused(saved: Saved) -> None:
    for limit in ("-1", "0", str(10**30), "1e3", "NaN"):
        response = saved.api.get("/api/v1/clients", params={"limit": limit})
        refused(response, 422, "query.limit")
    response = saved.api.post(
        f"/api/v1/webhook-endpoints/{saved.endpoint_id}/rotate-secret",
        content=raw_json({"overlap_seconds": -1}),
        headers=JSON,
    )
    refused(response, 422, "overlap_seconds")


def test_unknown_ids_are_refused(saved: Saved, other_workspace: Workspace) -> None:
    theirs = create_assessment(other_workspace.api)
    (their_person,) = add_respondents(other_workspace.api, theirs["id"], "manager")
    assessments = "/api/v1/assessments"
    for path in (
        f"{assessments}/asm_unknown/respondents/{saved.respondent_id}/answers",
        f"{assessments}/{saved.assessment_id}/respondents/rsp_unknown/answers",
        f"{assessments}/{theirs['id']}/respondents/{their_person['id']}/answers",
        f"{assessments}/{saved.assessment_id}/respondents/{their_person['id']}/answers",
    ):
        body = raw_json({"answers": {"plan_horizon": "week"}})
        refused(saved.api.post(path, content=body, headers=JSON), 404, "")
    response = saved.api.post(saved.answers_path, json={"answers": {"no_such_item": "yes"}})
    refused(response, 422, "answers.no_such_item", "no such item")
    response = saved.api.post(
        assessments,
        json={"client_id": "cli_unknown", "title": "Q", "questionnaire_id": "example"},
    )
    refused(response, 422, "client_id", "no such client")
    response = saved.api.patch(f"/api/v1/clients/{theirs['client_id']}", json={"name": "Mine"})
    refused(response, 404, "")
    assert expect(other_workspace.api.get(f"/api/v1/clients/{theirs['client_id']}"), 200)[
        "name"
    ] == ("Acme Logistics")


def test_the_same_item_twice_in_one_save_is_refused(saved: Saved) -> None:
    body = b'{"answers": {"plan_horizon": "week", "plan_horizon": "quarter"}}'
    response = saved.api.post(saved.answers_path, content=body, headers=JSON)
    refused(response, 422, "body", "'plan_horizon' appears more than once")


def test_duplicate_keys_anywhere_are_refused(saved: Saved) -> None:
    body = b'{"name": "Renamed", "name": "Renamed again"}'
    response = saved.api.patch(f"/api/v1/clients/{saved.client_id}", content=body, headers=JSON)
    refused(response, 422, "body", "'name' appears more than once")
    body = (
        b'{"respondents": [{"name": "A", "attributes": {"role": "manager", "role": "executive"}}]}'
    )
    response = saved.api.post(
        f"/api/v1/assessments/{saved.assessment_id}/respondents", content=body, headers=JSON
    )
    refused(response, 422, "body", "'role' appears more than once")


def test_a_body_that_is_not_utf8_is_refused(saved: Saved) -> None:
    body = b'{"name": "\xff\xfe"}'
    response = saved.api.patch(f"/api/v1/clients/{saved.client_id}", content=body, headers=JSON)
    refused(response, 422, "body", "not UTF-8")


# --- Text that may not be stored ---

REFUSED_CHARACTERS = [
    pytest.param("\x00", "U+0000", id="nul"),
    pytest.param("\x07", "U+0007", id="bell"),
    pytest.param("\x1b[31m", "U+001B", id="escape"),
    pytest.param("\x7f", "U+007F", id="delete"),
    pytest.param("\x85", "U+0085", id="c1-next-line"),
    pytest.param("\x9b", "U+009B", id="c1-csi"),
    pytest.param("\ud800", "U+D800", id="lone-high-surrogate"),
    pytest.param("\udfff", "U+DFFF", id="lone-low-surrogate"),
    pytest.param("\u202e", "U+202E", id="right-to-left-override"),
    pytest.param("\u202a", "U+202A", id="left-to-right-embedding"),
    pytest.param("\u2066", "U+2066", id="left-to-right-isolate"),
    pytest.param("\u2069", "U+2069", id="pop-directional-isolate"),
]

TEXT_FIELDS = [
    pytest.param("POST", "/api/v1/clients", {}, "name", "name", id="client-name"),
    pytest.param("PATCH", "/clients", {}, "name", "name", id="client-rename"),
    pytest.param("PATCH", "/clients", {}, "industry", "industry", id="industry"),
    pytest.param("PATCH", "/clients", {}, "external_ref", "external_ref", id="external-ref"),
    pytest.param("POST", "/assessments", {}, "title", "title", id="assessment-title"),
    pytest.param("POST", "/respondents", {}, "name", "respondents[0].name", id="respondent"),
    pytest.param("POST", "/respondents", {}, "email", "respondents[0].email", id="email"),
    pytest.param(
        "POST", "/respondents", {}, "attr", "respondents[0].attributes.role", id="attribute"
    ),
    pytest.param(
        "POST", "/answers", {}, "answer", "answers.improvement_idea", id="free-text-answer"
    ),
    pytest.param("PATCH", "/endpoint", {}, "description", "description", id="webhook-text"),
    pytest.param(
        "POST",
        "/api/v1/webhook-endpoints",
        {"url": "https://hooks.example.com/in", "event_types": ["assessment.scored"]},
        "description",
        "description",
        id="new-webhook-text",
    ),
]


def _text_body(where: str, extra: dict[str, Any], key: str, text: str) -> dict[str, Any]:
    if where == "/respondents":
        person: dict[str, Any] = {"name": "Ana", "attributes": {"role": "manager"}}
        if key == "attr":
            person["attributes"] = {"role": text}
        else:
            person[key] = text
        return {"respondents": [person]}
    if where == "/answers":
        return {"answers": {"improvement_idea": text}}
    return {**extra, key: text}


@pytest.mark.parametrize(("method", "where", "extra", "key", "field"), TEXT_FIELDS)
def test_text_with_controls_surrogates_or_bidi_overrides_is_refused(
    saved: Saved, method: str, where: str, extra: dict[str, Any], key: str, field: str
) -> None:
    for character, code in [p.values for p in REFUSED_CHARACTERS]:
        body = _text_body(where, extra, key, f"Acme{character}Freight")
        method_, path, body = _route(saved, method, where, body)
        response = saved.api.request(method_, path, content=raw_json(body), headers=JSON)
        if code.startswith("U+D"):  # refused while the JSON is read, naming where it is
            refused(response, 422, "body", code, "unpaired surrogate", f"at {field} ")
        else:
            refused(response, 422, field, code)


def test_tab_and_line_breaks_are_refused_in_single_line_text(saved: Saved) -> None:
    for text in ("Acme\tFreight", "Acme\nFreight", "Acme\r\nFreight"):
        response = saved.api.patch(f"/api/v1/clients/{saved.client_id}", json={"name": text})
        refused(response, 422, "name", "multi-line")


def test_nul_in_a_path_or_query_parameter_is_refused_not_a_server_error(saved: Saved) -> None:
    """PostgreSQL refuses NUL in text: before the rule, these were 500s there."""
    for path, field in (
        ("/api/v1/clients/cli%00x", "path.client_id"),
        ("/api/v1/clients/by-external-ref/crm%001", "path.external_ref"),
        ("/api/v1/assessments/asm%00x/respondents", "path.assessment_id"),
        (f"/api/v1/assessments/{saved.assessment_id}/results%00", ""),
        ("/api/v1/webhook-endpoints/whe%00x", "path.endpoint_id"),
        ("/api/v1/assessments?client_id=cli%00x", "query.client_id"),
        ("/api/v1/clients?cursor=%00", "query.cursor"),
    ):
        response = saved.api.get(path)
        assert 400 <= response.status_code < 500, f"{path}: {response.status_code}"
        if field:
            refused(response, 422, field, "U+0000")


def test_nul_in_stored_text_is_refused_not_a_server_error(saved: Saved) -> None:
    """PostgreSQL refuses NUL in text and in JSON: before the rule, these were 500s there."""
    response = saved.api.post("/api/v1/clients", content=raw_json({"name": "A\x00"}), headers=JSON)
    refused(response, 422, "name", "U+0000")
    body = raw_json({"answers": {"improvement_idea": "before\x00after"}})
    refused(
        saved.api.post(saved.answers_path, content=body, headers=JSON),
        422,
        "answers.improvement_idea",
    )
    body = raw_json({"client_id": "cli\x00", "title": "Q", "questionnaire_id": "example"})
    refused(saved.api.post("/api/v1/assessments", content=body, headers=JSON), 422, "client_id")


KEPT_TEXT = [
    pytest.param("Café Crème 🚚📦 👩🏽‍💼", id="emoji-and-accents"),
    pytest.param("Zoë e\u0301 a\u0308\u0323 ग्\u200dर", id="combining-marks-and-joiners"),
    pytest.param("شركة النقل السريع", id="arabic"),
    pytest.param("חברת הובלות", id="hebrew"),
    pytest.param("Acme \u200fשלום\u200e Ltd", id="mixed-direction-with-marks"),
    pytest.param('<script>alert("x")</script> & <b>bold</b>', id="html-and-script"),
    pytest.param("{{ 7*7 }} ${jndi:x} '; DROP TABLE client; --", id="template-and-sql"),
]


@pytest.mark.parametrize("text", KEPT_TEXT)
def test_other_text_is_stored_exactly_as_sent(workspace: Workspace, text: str) -> None:
    api = workspace.api
    client = create_client(api, name=text, industry=text[:100], external_ref=text)
    assert expect(api.get(f"/api/v1/clients/{client['id']}"), 200)["name"] == text
    if "/" not in text:  # a slash would end the path segment
        found = expect(api.get(f"/api/v1/clients/by-external-ref/{text}"), 200)
        assert found["id"] == client["id"]
    assessment = create_assessment(api, client["id"], title=text)
    assert expect(api.get(f"/api/v1/assessments/{assessment['id']}"), 200)["title"] == text
    body = {
        "respondents": [{"name": text, "email": "x@example.com", "attributes": {"role": "manager"}}]
    }
    created = expect(
        api.post(f"/api/v1/assessments/{assessment['id']}/respondents", json=body), 201
    )
    person = created["respondents"][0]["id"]
    listed = expect(api.get(f"/api/v1/assessments/{assessment['id']}/respondents"), 200)
    assert listed["respondents"][0]["name"] == text
    answer = f"{text}\n\tsecond line\r\nthird"
    path = f"/api/v1/assessments/{assessment['id']}/respondents/{person}/answers"
    expect(api.post(path, json={"answers": {"improvement_idea": answer}}), 200)
    assert expect(api.get(path), 200)["answers"] == {"improvement_idea": answer}
    endpoint = expect(
        api.post(
            "/api/v1/webhook-endpoints",
            json={
                "url": "https://hooks.example.com/in",
                "event_types": ["assessment.scored"],
                "description": text,
            },
        ),
        201,
    )
    assert (
        expect(api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}"), 200)["description"] == text
    )


def test_pasted_respondent_csv_follows_the_same_rule(questionnaires_dir: Path) -> None:
    """The console's CSV import and add form share the rule (services, not only the API)."""
    attributes = load_catalog(questionnaires_dir).get("example").questionnaire.attributes
    parsed = parse_respondent_csv("name,email,role\nAna\u202e,ana@x.example,manager\n", attributes)
    assert parsed.respondents == ()
    assert any("U+202E" in p.message and "line 2" in p.message for p in parsed.problems)
    parsed = parse_respondent_csv("name,email,role\nAna\x00,ana@x.example,manager\n", attributes)
    assert any("U+0000" in p.message for p in parsed.problems)
    parsed = parse_respondent_csv("name,email,role\nشركة 🚚,ana@x.example,manager\n", attributes)
    assert parsed.problems == ()
    assert parsed.respondents[0].name == "شركة 🚚"
