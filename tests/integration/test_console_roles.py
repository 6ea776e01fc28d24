"""Roles in the console, generated from the app's route table: every console route names the
least role that may use it (tests/integration/isolation_matrix.py, MINIMUM_ROLE), and every
route is tried with each role below its own: refused with 403 and a page that says why,
changing nothing. A viewer reads every page open to them. A new console route fails here
until it names its role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.isolation_matrix import MINIMUM_ROLE, Kind, routes_of
from tests.integration.isolation_world import World, rows_of_both, visitor, world_on
from tests.integration.live_server import LiveServer
from tests.integration.test_isolation_console import _send

CONSOLE = routes_of(Kind.CONSOLE_IDS, Kind.CONSOLE_PAGES)
_BELOW = {"viewer": (), "consultant": ("viewer",), "owner": ("viewer", "consultant")}


@pytest.fixture(scope="module")
def world(server: LiveServer) -> Iterator[World]:
    with world_on(server) as built:
        yield built


def test_every_console_route_names_the_least_role_that_may_use_it() -> None:
    assert sorted(set(CONSOLE) - set(MINIMUM_ROLE)) == [], "add these to MINIMUM_ROLE"
    assert sorted(set(MINIMUM_ROLE) - set(CONSOLE)) == [], "these are no console routes"


@pytest.mark.parametrize(
    "route", [r for r in CONSOLE if MINIMUM_ROLE.get(r) in ("consultant", "owner")]
)
def test_a_role_below_the_routes_own_is_refused(world: World, route: str) -> None:
    owner = world.owner
    before = rows_of_both(world)
    for role in _BELOW[MINIMUM_ROLE[route]]:
        with visitor(world, session=owner.role_sessions[role]) as (browser, csrf):
            refused = _send(browser, route, owner.ids, csrf)
        assert refused.status_code == 403, f"{role}: {refused.status_code}"
        assert "Your role does not allow this" in refused.text, role
        assert f"You are a {role} in this workspace" in refused.text, role
        assert "Nothing was changed" in refused.text, role
    assert rows_of_both(world) == before


@pytest.mark.parametrize(
    "route", [r for r in CONSOLE if r.startswith("GET ") and MINIMUM_ROLE.get(r) == "viewer"]
)
def test_a_viewer_reads_every_page_open_to_viewers(world: World, route: str) -> None:
    owner = world.owner
    with visitor(world, session=owner.role_sessions["viewer"]) as (browser, _):
        page = _send(browser, route, owner.ids, None)
    assert page.status_code == 200, page.text[:300]


def test_the_page_a_viewer_reads_offers_nothing_that_changes(world: World) -> None:
    owner = world.owner
    with visitor(world, session=owner.role_sessions["viewer"]) as (browser, _):
        assessment = browser.get(f"/console/assessments/{owner.ids['assessment_id']}").text
        dashboard = browser.get("/console").text
        clients = browser.get("/console/clients").text
    for page in (assessment, dashboard, clients):
        forms = [f for f in page.split("<form")[1:] if 'action="/console/logout"' not in f]
        assert forms == [], forms[:1]
        assert "/console/assessments/new" not in page
        assert "/console/colleagues" not in page and "/console/settings" not in page
    with visitor(world, session=owner.role_sessions["consultant"]) as (browser, _):
        page = browser.get(f"/console/assessments/{owner.ids['assessment_id']}").text
    assert 'action="/console/assessments/' in page
    assert "/console/colleagues" not in page
