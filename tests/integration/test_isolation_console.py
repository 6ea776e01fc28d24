"""The console's isolation matrix, generated from the app's route table
(tests/integration/isolation_matrix.py): on every page and form post with ids, a user of
another workspace gets the not-found page (also with its own id and ours mixed in one path);
without a live session a page sends to sign-in and a form post is refused; a form post needs
the visitor's own CSRF token; nothing a refused request tried changed a row. Built once per
backend for the whole module."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.isolation_matrix import Kind, fill, mixed_ids, path_parameters, routes_of
from tests.integration.isolation_world import World, rows_of_both, visitor, world_on
from tests.integration.live_server import LiveServer

WITH_IDS = routes_of(Kind.CONSOLE_IDS)
EVERY_CONSOLE_ROUTE = routes_of(Kind.CONSOLE_IDS, Kind.CONSOLE_PAGES)
FORM_POSTS = [route for route in EVERY_CONSOLE_ROUTE if route.startswith("POST ")]


@pytest.fixture(scope="module")
def world(server: LiveServer) -> Iterator[World]:
    with world_on(server) as built:
        yield built


def _form(route: str) -> dict[str, Any]:
    """Fields a post would succeed with, so that only the session, the token or the id can
    fail it."""
    path = route.split(" ", 1)[1]
    forms: dict[str, dict[str, Any]] = {
        "/respondents": {"name": "Intruder", "email": "in@x.example", "attr.role": "manager"},
        "/respondents/csv": {"csv": "name,email,role\nIntruder,in@x.example,manager\n"},
        "/console/clients": {"name": "Intruder"},
        "/console/assessments/new": {
            "title": "Intruder",
            "questionnaire_id": "example",
            "new_client_name": "Intruder",
        },
        "/console/settings/branding": {"name": "Intruder", "brand_colour": "#000000"},
        "/console/settings/public-link": {"public_slug": f"intruder-{secrets.token_hex(4)}"},
        "/console/settings/time-zone": {"time_zone": "Pacific/Chatham"},
        "/schedule": {"closes_at": "", "reminder_days": "1", "remind_before_close": "yes"},
        "/console/api-keys": {"name": "Intruder"},
        "/console/webhooks": {"url": "https://intruder.invalid/", "event_types": "report.ready"},
        "/console/colleagues": {"email": "intruder@x.example", "role": "owner"},
        "/role": {"role": "owner"},
    }
    for ending, form in forms.items():
        if path.endswith(ending):
            return form
    return {}


def _send(
    client: httpx.Client, route: str, ids: dict[str, str], csrf: str | None
) -> httpx.Response:
    method, path = fill(route, ids)
    if method == "GET":
        return client.get(path)
    form = _form(route)
    if csrf is not None:
        form["csrf_token"] = csrf
    return client.post(path, data=form)


@pytest.mark.parametrize("route", WITH_IDS)
def test_another_workspaces_user_gets_the_not_found_page(world: World, route: str) -> None:
    owner, other = world.owner, world.other
    before = rows_of_both(world)
    tries = {
        "the owner's ids": (other.session, owner.ids),
        "its own parent, the owner's child": (
            other.session,
            mixed_ids(other.ids, owner.ids, route),
        ),
        "the owner's child under another parent": (
            owner.session,
            mixed_ids(owner.alt_ids, owner.ids, route),
        ),
    }
    for what, (session, ids) in tries.items():
        if ids is None:
            continue
        with visitor(world, session=session) as (browser, csrf):
            page = _send(browser, route, ids, csrf)
        assert page.status_code == 404, f"{what}: {page.status_code} {page.text[:300]}"
        assert page.headers["content-type"].startswith("text/html"), what
        assert "<h1>" in page.text, what
        assert not any(marker in page.text for marker in owner.markers), what
    assert rows_of_both(world) == before


@pytest.mark.parametrize("route", EVERY_CONSOLE_ROUTE)
def test_without_a_live_session_the_console_asks_to_sign_in(world: World, route: str) -> None:
    owner = world.owner
    not_sessions = {
        "no session": None,
        "a signed-out session": owner.signed_out_session,
        "an unknown session": secrets.token_urlsafe(32),
        "a respondent's token": owner.tokens["in_progress"],
        "an API key": owner.api_key,
    }
    before = rows_of_both(world)
    for what, session in not_sessions.items():
        with visitor(world, session=session, api_key=owner.api_key) as (browser, csrf):
            response = _send(browser, route, owner.ids, csrf)
        assert response.status_code == 303, f"{what}: {response.status_code}"
        assert response.headers["location"].startswith("/console/login?next=%2Fconsole"), what
    assert rows_of_both(world) == before


@pytest.mark.parametrize("route", FORM_POSTS)
def test_a_form_post_needs_the_visitors_own_csrf_token(world: World, route: str) -> None:
    owner = world.owner
    before = rows_of_both(world)
    for what, token in {
        "no token": None,
        "another visitor's token": secrets.token_urlsafe(32),
        "an empty token": "",
    }.items():
        with visitor(world, session=owner.session) as (browser, _):
            refused = _send(browser, route, owner.ids, token)
        assert refused.status_code == 403, f"{what}: {refused.status_code}"
        assert "This form has expired" in refused.text, what
    # A token without the cookie it must match, or posted from another site.
    with httpx.Client(
        base_url=world.url, cookies={"om_session": owner.session}, timeout=60
    ) as no_cookie:
        assert _send(no_cookie, route, owner.ids, secrets.token_urlsafe(32)).status_code == 403
    with visitor(world, session=owner.session) as (browser, csrf):
        browser.headers["Origin"] = "https://attacker.example"
        assert _send(browser, route, owner.ids, csrf).status_code == 403
    assert rows_of_both(world) == before


@pytest.mark.parametrize("route", [r for r in EVERY_CONSOLE_ROUTE if r.startswith("GET ")])
def test_the_owner_reaches_every_page_and_others_see_none_of_it(world: World, route: str) -> None:
    """The control that makes the refusals above mean something: the ids are the owner's.
    A page without ids shows the other workspace nothing of the owner's."""
    owner, other = world.owner, world.other
    with visitor(world, session=owner.session) as (browser, _):
        page = _send(browser, route, owner.ids, None)
    assert page.status_code == 200, page.text[:300]
    if path_parameters(route):
        return
    with visitor(world, session=other.session) as (browser, _):
        theirs = _send(browser, route, other.ids, None)
    assert theirs.status_code == 200
    assert not any(marker in theirs.text for marker in owner.markers)


def test_ids_of_another_workspace_are_unknown_in_a_form(world: World) -> None:
    owner, other = world.owner, world.other
    before = rows_of_both(world)
    with visitor(world, session=other.session) as (browser, csrf):
        form = {"csrf_token": csrf, "title": "Intruder", "questionnaire_id": "example"}
        client = browser.post(
            "/console/assessments/new", data={**form, "client_id": owner.ids["client_id"]}
        )
        assert client.status_code == 422 and "no such client" in client.text
        baseline = browser.post(
            "/console/assessments/new",
            data={
                **form,
                "client_id": other.ids["client_id"],
                "baseline_assessment_id": owner.ids["assessment_id"],
            },
        )
        assert baseline.status_code == 422 and "no such assessment" in baseline.text
        assert not any(marker in client.text + baseline.text for marker in owner.markers)
    assert rows_of_both(world) == before
