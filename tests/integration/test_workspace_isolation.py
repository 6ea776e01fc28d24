"""Every endpoint with an id refuses another workspace's credentials (404, as if the id did
not exist), and revoked keys are refused everywhere."""

from __future__ import annotations

import re

import httpx

from app.models import utc_now
from app.repositories.transaction import transaction
from app.services import admin
from tests.integration.conftest import Workspace
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
)

# The questionnaire catalog is shared by every workspace, so its ids are not workspace data.
SHARED_PATHS = {"/api/v1/questionnaires/{questionnaire_id}"}

BODIES = {
    ("POST", "/api/v1/assessments/{assessment_id}/respondents"): {
        "respondents": [{"attributes": {"role": "manager"}}]
    },
    ("POST", "/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/answers"): {
        "answers": {"plan_horizon": "none"},
        "submit": True,
    },
    ("PATCH", "/api/v1/clients/{client_id}"): {"name": "Taken over"},
    ("PATCH", "/api/v1/webhook-endpoints/{endpoint_id}"): {"enabled": False},
}


def _routes_with_ids(workspace: Workspace) -> list[tuple[str, str]]:
    """Every operation with an id in its path, as the app documents them."""
    paths = workspace.server.app.openapi()["paths"]
    return [
        (method.upper(), path)
        for path, operations in paths.items()
        if "{" in path and path not in SHARED_PATHS
        for method in operations
    ]


def test_every_endpoint_with_an_id_refuses_another_workspace(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    api = workspace.api
    client = create_client(api, external_ref="crm-private")
    assessment = create_assessment(api, client["id"])
    (respondent,) = add_respondents(api, assessment["id"], "manager")
    hook = {"url": "https://crm.invalid/hooks", "event_types": ["respondent.submitted"]}
    endpoint = expect(api.post("/api/v1/webhook-endpoints", json=hook), 201)
    expect(
        api.post(
            f"/api/v1/assessments/{assessment['id']}/respondents/{respondent['id']}/answers",
            json={"answers": FULL_ANSWERS, "submit": True},
        ),
        200,
    )
    deliveries = expect(api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}/deliveries"), 200)
    ids = {
        "client_id": client["id"],
        "assessment_id": assessment["id"],
        "respondent_id": respondent["id"],
        "external_ref": "crm-private",
        "endpoint_id": endpoint["id"],
        "delivery_id": deliveries["items"][0]["id"],
    }
    routes = _routes_with_ids(workspace)
    assert len(routes) >= 15, routes
    for method, template in routes:
        path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
        body = BODIES.get((method, template))
        response = other_workspace.api.request(method, path, json=body)
        assert response.status_code == 404, (
            f"{method} {template}: {response.status_code} {response.text}"
        )
        assert response.headers["content-type"] == "application/problem+json"
    # Nothing the other workspace tried changed anything.
    assert expect(api.get(f"/api/v1/clients/{client['id']}"), 200)["name"] == client["name"]
    assert expect(api.get(f"/api/v1/assessments/{assessment['id']}"), 200)["status"] == "open"
    assert expect(api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}"), 200)["enabled"]
    listed = expect(api.get(f"/api/v1/assessments/{assessment['id']}/respondents"), 200)[
        "respondents"
    ]
    assert [r["id"] for r in listed] == [respondent["id"]]
    # Lists never show the other workspace's rows either.
    assert expect(other_workspace.api.get("/api/v1/clients"), 200)["items"] == []
    assert expect(other_workspace.api.get("/api/v1/assessments"), 200)["items"] == []


def test_a_client_id_of_another_workspace_is_unknown_in_a_body(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    foreign_client = create_client(other_workspace.api)["id"]
    response = workspace.api.post(
        "/api/v1/assessments",
        json={"client_id": foreign_client, "title": "x", "questionnaire_id": "example"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["client_id"]


def test_an_invite_token_reaches_only_its_own_respondent(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    api = workspace.api
    aid = create_assessment(api)["id"]
    alice, bob = add_respondents(api, aid, "manager", "manager")
    token = {"Authorization": f"Bearer {alice['invite_token']}"}
    url = f"{workspace.server.url}/api/v1/assessments/{aid}/respondents"
    with httpx.Client(headers=token) as as_alice:
        assert (
            as_alice.post(
                f"{url}/{alice['id']}/answers", json={"answers": {"plan_horizon": "week"}}
            ).status_code
            == 200
        )
        assert as_alice.get(f"{url}/{alice['id']}/answers").json()["answers"] == {
            "plan_horizon": "week"
        }
        assert (
            as_alice.post(
                f"{url}/{bob['id']}/answers", json={"answers": {"plan_horizon": "week"}}
            ).status_code
            == 404
        )
        assert as_alice.get(f"{url}/{bob['id']}/answers").status_code == 404
        assert as_alice.get(url).status_code == 403
        assert (
            as_alice.get(f"{workspace.server.url}/api/v1/assessments/{aid}/results").status_code
            == 403
        )
        assert as_alice.get(f"{workspace.server.url}/api/v1/clients").status_code == 403
    expect(api.delete(f"{url}/{alice['id']}"), 204)
    with httpx.Client(headers=token) as as_removed:
        assert as_removed.get(f"{url}/{alice['id']}/answers").status_code == 401


def test_revoked_keys_are_refused(workspace: Workspace) -> None:
    api = workspace.api
    client_id = create_client(api)["id"]
    with transaction(workspace.server.app.state.engine, writes=True) as session:
        keys = admin.list_api_keys(session=session, workspace_id=workspace.id)
        admin.revoke_api_key(
            session=session, workspace_id=workspace.id, key=keys[0].prefix, now=utc_now()
        )
    for method, path in [
        ("GET", "/api/v1/clients"),
        ("GET", f"/api/v1/clients/{client_id}"),
        ("POST", "/api/v1/clients"),
        ("DELETE", f"/api/v1/clients/{client_id}"),
        ("GET", "/api/v1/questionnaires"),
    ]:
        response = api.request(method, path, json={"name": "x"} if method == "POST" else None)
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_and_malformed_credentials_are_refused(workspace: Workspace) -> None:
    url = f"{workspace.server.url}/api/v1/clients"
    prefix = workspace.api_key.rsplit("_", 1)[0]
    for header in [
        None,
        "Bearer",
        "Basic abc",
        f"Bearer {prefix}_wrong-secret",
        "Bearer om_inv_nope",
        "Bearer om_live_x",
    ]:
        response = httpx.get(url, headers={"Authorization": header} if header else {})
        assert response.status_code == 401, header
        assert response.json()["type"] == "urn:opsmaturity:problem:unauthenticated"
