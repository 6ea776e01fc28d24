"""The isolation matrix of what anyone can reach without signing in, generated from the
app's route table (tests/integration/isolation_matrix.py): the respondent's pages under
/r/{token}, the published self-assessment links /s/{slug}, and the public routes.

A respondent's token opens only that respondent's questionnaire: an unknown or removed
respondent's token, an API key or a console session in its place gets the not-found page.
After the assessment closes nothing can change any more: the pages that change answers send
to the "assessment closed" page (410), autosave answers 409, and the review stays readable.
A submitted self-assessment keeps its result page and PDF after its assessment closes (the
person took it for that result); an invited respondent never sees results (they are the
consultant's to share). Built once per backend for the whole module."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.conftest import Workspace
from tests.integration.console_session import csrf_of
from tests.integration.flow import add_respondents, create_assessment, expect, save_answers
from tests.integration.isolation_matrix import CLASSIFIED, Kind, fill, routes_of
from tests.integration.isolation_world import World, visitor, workspace_rows, world_on
from tests.integration.live_server import LiveServer

RESPONDENT_ROUTES = routes_of(Kind.RESPONDENT)

# Status after following redirects, and where the visitor ends up, with the token of an
# invited respondent who had not submitted when the assessment closed.
CLOSED_INVITE: dict[str, tuple[int, str]] = {
    "GET /r/{token}": (410, "/done"),
    "GET /r/{token}/page/{number}": (410, "/done"),
    "POST /r/{token}/page/{number}": (410, "/done"),
    "POST /r/{token}/autosave": (409, "/autosave"),
    "GET /r/{token}/review": (200, "/review"),
    "POST /r/{token}/submit": (410, "/done"),
    "GET /r/{token}/done": (410, "/done"),
    "GET /r/{token}/results": (410, "/done"),
    "GET /r/{token}/report.pdf": (410, "/done"),
    "GET /r/{token}/report-status": (410, "/done"),
    "POST /r/{token}/full-diagnostic": (410, "/done"),
}
# The same with the token of a submitted self-assessment whose assessment closed.
CLOSED_SELF_ASSESSMENT: dict[str, tuple[int, str]] = {
    **{route: (200, "/results") for route in CLOSED_INVITE},
    "POST /r/{token}/autosave": (409, "/autosave"),
    "GET /r/{token}/review": (200, "/review"),
    "GET /r/{token}/report.pdf": (200, "/report.pdf"),
    "GET /r/{token}/report-status": (200, "/report-status"),
}

# Every public route, asked with no credentials at all: what it answers.
PUBLIC: dict[str, tuple[str, dict[str, str] | None, int]] = {
    "GET /openapi.json": ("/openapi.json", None, 200),
    "GET /docs": ("/docs", None, 200),
    "MOUNT /docs-assets": ("/docs-assets/swagger-ui.css", None, 200),
    "GET /redoc": ("/redoc", None, 200),
    "GET /healthz": ("/healthz", None, 200),
    "GET /readyz": ("/readyz", None, 200),
    "MOUNT /static": ("/static/app.css", None, 200),
    "GET /": ("/", None, 200),
    "POST /start": ("/start", {"questionnaire_id": "nope"}, 422),
    "GET /console/setup": ("/console/setup", None, 303),
    "POST /console/setup": (
        "/console/setup",
        {
            "workspace_name": "Takeover",
            "owner_name": "Mallory",
            "email": "mallory@example.org",
            "password": "a long enough password",
        },
        409,
    ),
    "GET /console/login": ("/console/login", None, 200),
    "POST /console/login": ("/console/login", {"email": "x@example.org", "password": "x"}, 401),
    "POST /console/logout": ("/console/logout", {}, 303),
    "GET /console/password-reset": ("/console/password-reset", None, 200),
    # The same answer as for an account: nothing tells whether one has the address.
    "POST /console/password-reset": ("/console/password-reset", {"email": "x@example.org"}, 200),
}


@pytest.fixture(scope="module")
def world(server: LiveServer) -> Iterator[World]:
    with world_on(server) as built:
        yield built


def _form(route: str) -> dict[str, Any]:
    if route.endswith("/page/{number}"):
        return {"a.plan_horizon": "none", "a.improvement_idea": "taken over", "go": "next"}
    if route.endswith("/autosave"):
        return {"item": "plan_horizon", "a.plan_horizon": "none"}
    if route.endswith("/start"):
        return {"questionnaire_id": "example", "attr.role": "manager"}
    return {}


def _send(
    world: World, route: str, values: dict[str, str], *, follow: bool = False
) -> httpx.Response:
    method, path = fill(route, {"number": "1", **values})
    with visitor(world) as (browser, csrf):
        if method == "GET":
            return browser.get(path, follow_redirects=follow)
        return browser.post(
            path, data={**_form(route), "csrf_token": csrf}, follow_redirects=follow
        )


def _rows(world: World) -> tuple[Any, Any]:
    return (
        workspace_rows(world.engine, world.owner.workspace_id),
        workspace_rows(world.engine, world.other.workspace_id),
    )


@pytest.mark.parametrize("route", RESPONDENT_ROUTES)
def test_a_token_that_opens_nothing_gets_the_not_found_page(world: World, route: str) -> None:
    owner = world.owner
    not_tokens = {
        "an unknown token": f"om_inv_{secrets.token_urlsafe(32)}",
        "a removed respondent's token": owner.tokens["removed"],
        "an API key": owner.api_key,
        "a console session": owner.session,
        "a token in the wrong case": owner.tokens["in_progress"].upper(),
    }
    before = _rows(world)
    for what, token in not_tokens.items():
        response = _send(world, route, {"token": token})
        assert response.status_code == 404, f"{what}: {response.status_code}"
        assert response.headers["content-type"].startswith("text/html"), what
        assert "Traceback" not in response.text and "<h1>" in response.text, what
        assert not any(marker in response.text for marker in owner.markers), what
    assert _rows(world) == before


@pytest.mark.parametrize("route", RESPONDENT_ROUTES)
def test_after_closing_nothing_changes_and_a_self_assessment_keeps_its_result(
    world: World, route: str
) -> None:
    before = _rows(world)
    for holder, expected in (("closed", CLOSED_INVITE), ("self_closed", CLOSED_SELF_ASSESSMENT)):
        token = world.owner.tokens[holder]
        status, ends_at = expected[route]
        response = _send(world, route, {"token": token}, follow=True)
        assert response.status_code == status, f"{holder}: {response.status_code}"
        assert response.url.path == f"/r/{token}{ends_at}", holder
        if ends_at == "/report.pdf":
            assert response.content.startswith(b"%PDF")
    assert _rows(world) == before


@pytest.mark.parametrize("route", [r for r in RESPONDENT_ROUTES if r.startswith("GET ")])
def test_a_token_shows_only_its_own_respondents_answers(world: World, route: str) -> None:
    owner, other = world.owner, world.other
    response = _send(world, route, {"token": owner.tokens["in_progress"]}, follow=True)
    assert response.status_code == 200
    assert owner.answers["submitted"]["improvement_idea"] not in response.text
    assert not any(marker in response.text for marker in other.markers)
    if route == "GET /r/{token}/review":
        assert owner.answers["in_progress"]["improvement_idea"] in response.text


def test_a_token_saves_only_its_own_answers(workspace: Workspace) -> None:
    api = workspace.api
    assessment = create_assessment(api)["id"]
    alice, bob = add_respondents(api, assessment, "manager", "manager")
    expect(save_answers(api, assessment, bob["id"], {"improvement_idea": "Bob's idea"}), 200)
    base = f"/r/{alice['invite_token']}"
    with httpx.Client(base_url=workspace.server.url, timeout=60) as browser:
        csrf = csrf_of(browser.get(f"{base}/page/3"))
        saved = browser.post(
            f"{base}/page/3", data={"csrf_token": csrf, "a.improvement_idea": "Alice's idea"}
        )
        assert saved.status_code == 303
        autosaved = browser.post(
            f"{base}/autosave",
            data={"item": "plan_horizon", "a.plan_horizon": "week"},
            headers={"X-CSRF-Token": csrf},
        )
        assert autosaved.status_code == 200
        review = browser.get(f"{base}/review").text
        assert "Alice&#39;s idea" in review and "Bob" not in review

    def answers_of(person: dict[str, Any]) -> Any:
        path = f"/api/v1/assessments/{assessment}/respondents/{person['id']}/answers"
        return expect(api.get(path), 200)["answers"]

    assert answers_of(alice) == {"improvement_idea": "Alice's idea", "plan_horizon": "week"}
    assert answers_of(bob) == {"improvement_idea": "Bob's idea"}


@pytest.mark.parametrize("route", routes_of(Kind.PUBLIC_SLUG))
def test_an_unknown_or_unpublished_slug_gets_the_not_found_page(world: World, route: str) -> None:
    before = _rows(world)
    for what, slug in {
        "an unknown link": f"nobody-{secrets.token_hex(4)}",
        "a link its workspace unpublished": world.unpublished_slug,
        "a published link in capitals": world.owner.slug.upper(),
    }.items():
        response = _send(world, route, {"slug": slug})
        assert response.status_code == 404, f"{what}: {response.status_code}"
        assert response.headers["content-type"].startswith("text/html"), what
        assert "Firm " not in response.text, what
    assert _rows(world) == before
    # The control: the owner's published link opens, with the owner's name on it.
    if route.startswith("GET "):
        landing = _send(world, route, {"slug": world.owner.slug})
        assert landing.status_code == 200
        owner_name = f"Firm {world.owner.email.removeprefix('owner-').split('@')[0]}"
        assert owner_name in landing.text


@pytest.mark.parametrize("route", sorted(CLASSIFIED[Kind.PUBLIC]))
def test_public_routes_need_no_credentials_and_show_no_workspace_data(
    world: World, route: str
) -> None:
    path, form, status = PUBLIC[route]
    before = _rows(world)
    with visitor(world) as (browser, csrf):
        if form is None:
            response = browser.get(path)
        else:
            response = browser.post(path, data={**form, "csrf_token": csrf})
        assert response.status_code == status, response.text[:300]
        assert not browser.cookies.get("om_session"), "nobody was signed in"
    for tenant in (world.owner, world.other):
        assert not any(marker in response.text for marker in tenant.markers)
    assert _rows(world) == before


@pytest.mark.parametrize("route", routes_of(Kind.MONITORING))
def test_metrics_need_their_own_token_and_name_no_workspace(world: World, route: str) -> None:
    owner, other = world.owner, world.other
    _send(world, "GET /r/{token}", {"token": owner.tokens["in_progress"]})  # a path to count
    _, path = fill(route, {})
    refused = {
        "no credentials": {},
        "an API key": {"Authorization": f"Bearer {owner.api_key}"},
        "a console session": {"Cookie": f"om_session={owner.session}"},
        "a respondent's token": {"Authorization": f"Bearer {owner.tokens['in_progress']}"},
    }
    for what, headers in refused.items():
        response = httpx.get(world.url + path, headers=headers)
        assert response.status_code == 401, what
    metrics = httpx.get(
        world.url + path, headers={"Authorization": f"Bearer {world.metrics_token}"}
    )
    assert metrics.status_code == 200 and "route=" in metrics.text
    for tenant in (owner, other):
        secrets_and_ids = [
            tenant.workspace_id,
            tenant.api_key,
            tenant.session,
            *tenant.tokens.values(),
            *tenant.ids.values(),
            *tenant.markers,
        ]
        named = [value for value in secrets_and_ids if value not in ("example", "1")]
        assert not [value for value in named if value in metrics.text]
