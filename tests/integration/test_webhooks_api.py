"""Managing webhook endpoints through the API: the secret is shown once, fields are checked
and named in problem details, private addresses are refused, and all of it per workspace."""

from __future__ import annotations

from app.services.webhook_events import EVENT_TYPES
from tests.integration.conftest import Workspace
from tests.integration.flow import expect

ENDPOINTS = "/api/v1/webhook-endpoints"


def test_endpoint_lifecycle(workspace: Workspace) -> None:
    api = workspace.api
    types = expect(api.get("/api/v1/webhook-event-types"), 200)["items"]
    assert [t["type"] for t in types] == list(EVENT_TYPES)

    response = api.post(
        ENDPOINTS,
        json={
            "url": "https://crm.example.com/hooks/opsmaturity",
            "event_types": ["assessment.scored", "assessment.scored", "report.ready"],
            "description": "HubSpot sync",
        },
    )
    created = expect(response, 201)
    assert response.headers["location"] == f"{ENDPOINTS}/{created['id']}"
    assert created["id"].startswith("whe_") and created["secret"].startswith("whsec_")
    assert created["event_types"] == ["assessment.scored", "report.ready"]
    assert created["enabled"] is True and created["previous_secret_expires_at"] is None

    shown = expect(api.get(f"{ENDPOINTS}/{created['id']}"), 200)
    assert "secret" not in shown and shown["url"] == created["url"]
    assert [e["id"] for e in expect(api.get(ENDPOINTS), 200)["items"]] == [created["id"]]

    changed = expect(
        api.patch(
            f"{ENDPOINTS}/{created['id']}",
            json={"enabled": False, "event_types": ["assessment.completed"], "description": None},
        ),
        200,
    )
    assert (changed["enabled"], changed["event_types"], changed["description"]) == (
        False,
        ["assessment.completed"],
        None,
    )
    assert changed["url"] == created["url"]

    rotated = expect(api.post(f"{ENDPOINTS}/{created['id']}/rotate-secret"), 200)
    assert rotated["secret"] not in (created["secret"], None)
    assert rotated["previous_secret_expires_at"] is not None  # a day of overlap by default

    page = expect(api.get(f"{ENDPOINTS}/{created['id']}/deliveries"), 200)
    assert page == {"items": [], "next_cursor": None}

    expect(api.delete(f"{ENDPOINTS}/{created['id']}"), 204)
    expect(api.get(f"{ENDPOINTS}/{created['id']}"), 404)
    assert expect(api.get(ENDPOINTS), 200)["items"] == []


INVALID = [
    ({"url": "ftp://crm.example.com/", "event_types": ["report.ready"]}, "url"),
    ({"url": "https:///no-host", "event_types": ["report.ready"]}, "url"),
    ({"url": "https://crm.example.com/", "event_types": ["deal.won"]}, "event_types[0]"),
    ({"url": "https://crm.example.com/", "event_types": []}, "event_types"),
    # Private, loopback, link-local and local names, refused before anything is sent.
    ({"url": "http://127.0.0.1:8080/", "event_types": ["report.ready"]}, "url"),
    ({"url": "http://10.1.2.3/", "event_types": ["report.ready"]}, "url"),
    ({"url": "http://169.254.169.254/latest/", "event_types": ["report.ready"]}, "url"),
    ({"url": "http://[::1]/", "event_types": ["report.ready"]}, "url"),
    ({"url": "http://[::ffff:192.168.0.1]/", "event_types": ["report.ready"]}, "url"),
    ({"url": "http://localhost:3000/", "event_types": ["report.ready"]}, "url"),
]


def test_invalid_endpoints_are_refused_naming_the_field(workspace: Workspace) -> None:
    for body, field in INVALID:
        response = workspace.api.post(ENDPOINTS, json=body)
        problem = expect(response, 422)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in problem["errors"]] == [field], (body, problem)
    assert expect(workspace.api.get(ENDPOINTS), 200)["items"] == []


def test_a_url_cannot_be_changed_to_a_private_address(workspace: Workspace) -> None:
    api = workspace.api
    created = expect(
        api.post(
            ENDPOINTS, json={"url": "https://crm.example.com/", "event_types": ["report.ready"]}
        ),
        201,
    )
    problem = expect(
        api.patch(f"{ENDPOINTS}/{created['id']}", json={"url": "http://192.168.1.20/hook"}), 422
    )
    assert [e["field"] for e in problem["errors"]] == ["url"]
    expect(api.patch(f"{ENDPOINTS}/{created['id']}", json={"url": None}), 422)
    problem = expect(
        api.post(f"{ENDPOINTS}/{created['id']}/rotate-secret", json={"overlap_seconds": -1}), 422
    )
    assert [e["field"] for e in problem["errors"]] == ["overlap_seconds"]


def test_another_workspace_sees_no_endpoint(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    created = expect(
        workspace.api.post(
            ENDPOINTS, json={"url": "https://crm.example.com/", "event_types": ["report.ready"]}
        ),
        201,
    )
    other = other_workspace.api
    assert expect(other.get(ENDPOINTS), 200)["items"] == []
    for method, path in [
        ("GET", f"{ENDPOINTS}/{created['id']}"),
        ("DELETE", f"{ENDPOINTS}/{created['id']}"),
        ("POST", f"{ENDPOINTS}/{created['id']}/rotate-secret"),
        ("GET", f"{ENDPOINTS}/{created['id']}/deliveries"),
    ]:
        assert other.request(method, path).status_code == 404, (method, path)
    assert other.patch(f"{ENDPOINTS}/{created['id']}", json={"enabled": False}).status_code == 404
    assert expect(workspace.api.get(f"{ENDPOINTS}/{created['id']}"), 200)["enabled"] is True
