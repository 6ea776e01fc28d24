"""Idempotency-Key on POST: a retry returns the first result; another body is refused."""

from __future__ import annotations

import threading

import httpx

from tests.integration.conftest import Workspace
from tests.integration.flow import FULL_ANSWERS, add_respondents, create_assessment, expect


def test_a_retry_returns_the_first_response_and_acts_once(workspace: Workspace) -> None:
    api = workspace.api
    headers = {"Idempotency-Key": "create-acme-1"}
    first = api.post("/api/v1/clients", json={"name": "Acme"}, headers=headers)
    again = api.post("/api/v1/clients", json={"name": "Acme"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert len(expect(api.get("/api/v1/clients"), 200)["items"]) == 1


def test_the_same_key_with_another_body_or_path_is_refused(workspace: Workspace) -> None:
    api = workspace.api
    headers = {"Idempotency-Key": "k-42"}
    expect(api.post("/api/v1/clients", json={"name": "Acme"}, headers=headers), 201)
    for path, body in [
        ("/api/v1/clients", {"name": "Other"}),
        ("/api/v1/assessments", {"name": "Acme"}),
    ]:
        refused = api.post(path, json=body, headers=headers)
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["type"] == "urn:opsmaturity:problem:idempotency-key-reused"
        assert problem["errors"][0]["field"] == "header.idempotency-key"
    assert len(expect(api.get("/api/v1/clients"), 200)["items"]) == 1


def test_answer_saves_and_status_changes_are_idempotent(workspace: Workspace) -> None:
    api = workspace.api
    aid = create_assessment(api)["id"]
    (person,) = add_respondents(api, aid, "manager")
    url = f"/api/v1/assessments/{aid}/respondents/{person['id']}/answers"
    headers = {"Idempotency-Key": "save-1"}
    first = expect(
        api.post(url, json={"answers": FULL_ANSWERS, "submit": True}, headers=headers), 200
    )
    assert (
        expect(api.post(url, json={"answers": FULL_ANSWERS, "submit": True}, headers=headers), 200)
        == first
    )
    close = {"Idempotency-Key": "close-1"}
    expect(api.post(f"/api/v1/assessments/{aid}/close", headers=close), 200)
    # Without the key the second close is a conflict; with it, the first answer comes back.
    assert api.post(f"/api/v1/assessments/{aid}/close").status_code == 409
    assert (
        expect(api.post(f"/api/v1/assessments/{aid}/close", headers=close), 200)["status"]
        == "closed"
    )


def test_failures_are_not_remembered(workspace: Workspace) -> None:
    api = workspace.api
    headers = {"Idempotency-Key": "bad-then-good"}
    assert api.post("/api/v1/clients", json={"name": ""}, headers=headers).status_code == 422
    # The same request fails the same way; a corrected request may not reuse the key's first body,
    # but because nothing was stored, the key is free for the corrected request.
    expect(api.post("/api/v1/clients", json={"name": "Fixed"}, headers=headers), 201)


def test_keys_belong_to_a_workspace(workspace: Workspace, other_workspace: Workspace) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    mine = expect(
        workspace.api.post("/api/v1/clients", json={"name": "Mine"}, headers=headers), 201
    )
    theirs = expect(
        other_workspace.api.post("/api/v1/clients", json={"name": "Theirs"}, headers=headers), 201
    )
    assert mine["id"] != theirs["id"]


def test_concurrent_retries_act_once(workspace: Workspace) -> None:
    url = f"{workspace.server.url}/api/v1/clients"
    headers = {"Authorization": f"Bearer {workspace.api_key}", "Idempotency-Key": "burst"}
    responses: list[httpx.Response] = []
    lock = threading.Lock()

    def post() -> None:
        response = httpx.post(url, json={"name": "Burst"}, headers=headers, timeout=30)
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status_code for r in responses} <= {201, 409}
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert len(expect(workspace.api.get("/api/v1/clients"), 200)["items"]) == 1


def test_an_invalid_key_is_refused(workspace: Workspace) -> None:
    response = workspace.api.post(
        "/api/v1/clients", json={"name": "x"}, headers={"Idempotency-Key": "x" * 256}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "header.idempotency-key"
