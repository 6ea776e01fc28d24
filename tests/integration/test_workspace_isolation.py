"""The JSON API's isolation matrix, generated from the app's route table
(tests/integration/isolation_matrix.py): on every route with ids, another workspace's key
gets 404 as if the id did not exist (also with its own id and ours mixed in one path), a
revoked, unknown or missing key gets 401, an invite token is no API key, and nothing a
refused request tried changed a row. Built once per backend for the whole module."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.conftest import Workspace
from tests.integration.flow import FULL_ANSWERS, create_client, expect
from tests.integration.isolation_matrix import Kind, fill, mixed_ids, routes_of
from tests.integration.isolation_world import World, rows_of_both, world_on
from tests.integration.live_server import LiveServer

API_WITH_IDS = routes_of(Kind.API_IDS)
EVERY_API_ROUTE = routes_of(Kind.API_IDS, Kind.API_LISTS, Kind.API_SHARED)
OWN_ANSWERS = {
    "GET /api/v1/assessments/{assessment_id}/respondents/{respondent_id}/answers",
    "POST /api/v1/assessments/{assessment_id}/respondents/{respondent_id}/answers",
}


@pytest.fixture(scope="module")
def world(server: LiveServer) -> Iterator[World]:
    with world_on(server) as built:
        yield built


def _body(route: str, ids: dict[str, str]) -> dict[str, Any] | None:
    """A request body that would succeed, so that only the credential or the id can fail it."""
    method, path = route.split(" ", 1)
    if method in ("GET", "DELETE"):
        return None
    bodies: dict[str, dict[str, Any]] = {
        "/respondents": {"respondents": [{"attributes": {"role": "manager"}}]},
        "/answers": {"answers": {"plan_horizon": "none"}, "submit": True},
        "/clients/{client_id}": {"name": "Taken over"},
        "/clients": {"name": "Taken over"},
        "/assessments/{assessment_id}": {"targets": {"overall": "strong"}},
        "/assessments": {
            "client_id": ids["client_id"],
            "title": "x",
            "questionnaire_id": "example",
        },
        "/webhook-endpoints/{endpoint_id}": {"enabled": True},
        "/webhook-endpoints": {"url": "https://taken.invalid/", "event_types": ["report.ready"]},
        "/score": {
            "questionnaire": "example",
            "respondents": [
                {"id": "a", "attributes": {"role": "manager"}, "answers": FULL_ANSWERS}
            ],
        },
    }
    for ending, body in bodies.items():
        if path.endswith(ending):
            return body
    return {} if path.endswith("/rotate-secret") else None


def _call(world: World, route: str, ids: dict[str, str], headers: dict[str, str] | None) -> Any:
    method, path = fill(route, ids)
    return httpx.request(
        method, world.url + path, json=_body(route, ids), headers=headers or {}, timeout=60
    )


def _bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


@pytest.mark.parametrize("route", API_WITH_IDS)
def test_another_workspaces_key_gets_not_found(world: World, route: str) -> None:
    owner, other = world.owner, world.other
    before = rows_of_both(world)
    unknown = {name: f"{value[:4]}_0000000000" for name, value in owner.ids.items()}
    nobody = _call(world, route, unknown, _bearer(other.api_key))
    assert nobody.status_code == 404, nobody.text
    tries = {
        "the owner's ids": (owner.ids, other.api_key),
        "its own parent, the owner's child": (
            mixed_ids(other.ids, owner.ids, route),
            other.api_key,
        ),
        "the owner's child under another parent": (
            mixed_ids(owner.alt_ids, owner.ids, route),
            None,
        ),
    }
    for what, (ids, key) in tries.items():
        if ids is None:
            continue
        response = _call(world, route, ids, _bearer(key or owner.api_key))
        assert response.status_code == 404, f"{what}: {response.status_code} {response.text}"
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert (problem["type"], problem["title"]) == (
            nobody.json()["type"],
            nobody.json()["title"],
        ), what
        assert not any(marker in response.text for marker in owner.markers), what
    assert rows_of_both(world) == before


@pytest.mark.parametrize("route", EVERY_API_ROUTE)
def test_a_missing_revoked_or_unknown_credential_gets_401(world: World, route: str) -> None:
    owner = world.owner
    refused = {
        "no credentials": {},
        "a revoked key": _bearer(owner.revoked_key),
        "an unknown key": _bearer(f"om_live_{secrets.token_hex(4)}_{secrets.token_urlsafe(24)}"),
        "a removed respondent's token": _bearer(owner.tokens["removed"]),
        "a signed-in console cookie": {"Cookie": f"om_session={owner.session}"},
    }
    before = rows_of_both(world)
    for what, headers in refused.items():
        response = _call(world, route, owner.ids, headers)
        assert response.status_code == 401, f"{what}: {response.status_code} {response.text}"
        assert response.headers["www-authenticate"] == "Bearer", what
        assert response.json()["type"] == "urn:opsmaturity:problem:unauthenticated", what
    assert rows_of_both(world) == before


@pytest.mark.parametrize("route", [r for r in EVERY_API_ROUTE if r not in OWN_ANSWERS])
def test_an_invite_token_is_not_an_api_key(world: World, route: str) -> None:
    before = rows_of_both(world)
    for tenant in (world.owner, world.other):
        response = _call(world, route, world.owner.ids, _bearer(tenant.tokens["in_progress"]))
        assert response.status_code == 403, f"{response.status_code} {response.text}"
        assert response.json()["type"] == "urn:opsmaturity:problem:forbidden"
    assert rows_of_both(world) == before


@pytest.mark.parametrize("route", sorted(OWN_ANSWERS))
def test_an_invite_token_reaches_only_its_own_answers(world: World, route: str) -> None:
    owner, other = world.owner, world.other
    before = rows_of_both(world)
    for holder in ("in_progress", "closed", "self_closed"):
        for tenant in (owner, other):
            if holder not in tenant.tokens:
                continue
            token = _bearer(tenant.tokens[holder])
            response = _call(world, route, owner.ids, token)
            assert response.status_code == 404, f"{holder} of {tenant.email}: {response.text}"
    assert rows_of_both(world) == before
    # The control: the owner's key reads the same respondent's answers.
    if route.startswith("GET"):
        answers = expect(_call(world, route, owner.ids, _bearer(owner.api_key)), 200)["answers"]
        assert answers == owner.answers["submitted"]


@pytest.mark.parametrize("route", [r for r in API_WITH_IDS if r.startswith("GET ")])
def test_the_owner_reads_every_route_with_an_id(world: World, route: str) -> None:
    """The control that makes the 404s above mean something: the ids are the owner's."""
    response = _call(world, route, world.owner.ids, _bearer(world.owner.api_key))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("route", [r for r in routes_of(Kind.API_LISTS) if r.startswith("GET ")])
def test_lists_show_only_the_callers_workspace(world: World, route: str) -> None:
    owner, other = world.owner, world.other
    mine = expect(_call(world, route, owner.ids, _bearer(owner.api_key)), 200)
    theirs = expect(_call(world, route, other.ids, _bearer(other.api_key)), 200)
    assert mine["items"] and theirs["items"]
    owner_ids = {item["id"] for item in mine["items"]}
    assert owner_ids.isdisjoint({item["id"] for item in theirs["items"]})
    assert not any(marker in str(theirs) for marker in owner.markers)


@pytest.mark.parametrize("route", routes_of(Kind.API_SHARED))
def test_the_questionnaire_catalog_is_the_same_for_every_workspace(
    world: World, route: str
) -> None:
    mine = expect(_call(world, route, world.owner.ids, _bearer(world.owner.api_key)), 200)
    assert expect(_call(world, route, world.other.ids, _bearer(world.other.api_key)), 200) == mine


def test_ids_of_another_workspace_are_unknown_in_a_body(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    foreign_client = create_client(other_workspace.api)["id"]
    body = {"client_id": foreign_client, "title": "x", "questionnaire_id": "example"}
    response = workspace.api.post("/api/v1/assessments", json=body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["client_id"]

    foreign_baseline = expect(other_workspace.api.post("/api/v1/assessments", json=body), 201)
    own_client = create_client(workspace.api)["id"]
    response = workspace.api.post(
        "/api/v1/assessments",
        json={**body, "client_id": own_client, "baseline_assessment_id": foreign_baseline["id"]},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["baseline_assessment_id"]


def test_malformed_credentials_get_401(world: World) -> None:
    """Checked on one route: every route reads the credential the same way (above)."""
    owner = world.owner
    prefix = owner.api_key.rsplit("_", 1)[0]
    for header in [
        "Bearer",
        f"Basic {owner.api_key}",
        f"Bearer {prefix}_{secrets.token_urlsafe(24)}",
        f"Bearer {owner.api_key}x",
        f"Bearer om_inv_{secrets.token_urlsafe(32)}",
        f"Bearer {owner.session}",
        "Bearer om_live_x",
        "Bearer " + "x" * 5000,
    ]:
        response = httpx.get(f"{world.url}/api/v1/clients", headers={"Authorization": header})
        assert response.status_code == 401, header[:40]
        assert response.json()["type"] == "urn:opsmaturity:problem:unauthenticated"
