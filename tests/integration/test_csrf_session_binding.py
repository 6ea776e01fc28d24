"""Form tokens are bound to the visitor's session (app/web/page_security.py), through HTTP on
both databases: a cookie and field pair planted for another session, or made up, is refused
with the expired-form page and saves nothing; a token of one session is refused in another;
signing in and out rotates the token; forms, autosave and sign-in keep working."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.persistence.unit_of_work import unit_of_work
from app.services.workspace_settings import update_public_link
from tests.integration.conftest import Workspace
from tests.integration.console_session import (
    PASSWORD,
    Console,
    csrf_of,
    signed_in,
)
from tests.integration.flow import add_respondents, create_assessment, expect
from tests.integration.isolation_world import workspace_rows
from tests.integration.live_server import LiveServer

MADE_UP = "x" * 43
META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    console = signed_in(server)
    yield console
    console.close()


def _assert_refused(response: httpx.Response) -> None:
    """The expired-form page: 403, what happened and what to do, for a person to read."""
    assert response.status_code == 403, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    text = html.unescape(response.text)
    assert "<h1>This form has expired</h1>" in text
    assert "nothing was saved" in text
    assert "Reload the page and try again" in text


def _page_token(page: httpx.Response) -> str:
    """The token in the page's meta element (app.js sends it; a page may have no form)."""
    match = META_TOKEN.search(page.text)
    assert match, page.text[:500]
    return match.group(1)


def _clients(console: Console) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = expect(console.api.get("/api/v1/clients"), 200)["items"]
    return items


def _sign_in(server: LiveServer, email: str) -> httpx.Client:
    browser = httpx.Client(base_url=server.url, timeout=60)
    token = csrf_of(browser.get("/console/login"))
    form = {"csrf_token": token, "email": email, "password": PASSWORD, "next": "/console"}
    assert browser.post("/console/login", data=form).status_code == 303
    return browser


def test_a_planted_cookie_and_field_pair_is_refused_in_a_signed_in_browser(
    server: LiveServer, console: Console
) -> None:
    # The attacker's own browser gets a genuine nonce cookie and its token from this server.
    with httpx.Client(base_url=server.url, timeout=30) as attacker:
        planted_token = csrf_of(attacker.get("/console/login"))
        planted_cookie = attacker.cookies["om_csrf"]
    session = console.browser.cookies["om_session"]
    for what, cookie, token in (
        ("a genuine pair of another browser", planted_cookie, planted_token),
        ("a made-up pair", MADE_UP, MADE_UP),
    ):
        # The victim's browser: the victim's session, and the cookie planted beside it.
        cookies = {"om_session": session, "om_csrf": cookie}
        with httpx.Client(base_url=server.url, cookies=cookies, timeout=30) as victim:
            form = {"name": "Planted", "csrf_token": token}
            refused = victim.post("/console/clients", data=form)
            _assert_refused(refused)
            assert "belongs to another session" in html.unescape(refused.text), what
            autosave_style = victim.post(
                "/console/clients", data={"name": "Planted"}, headers={"X-CSRF-Token": token}
            )
            assert autosave_style.status_code == 403, what
    assert _clients(console) == []
    # The victim's own pages still work, with the token of the victim's session.
    added = console.post("/console/clients", {"name": "Genuine"})
    assert added.status_code == 303
    assert [c["name"] for c in _clients(console)] == ["Genuine"]


def test_a_token_of_one_session_is_refused_in_another(server: LiveServer, console: Console) -> None:
    """Even two sessions of the same person: the token belongs to the session."""
    other_session = _sign_in(server, console.email)
    try:
        token_b = csrf_of(other_session.get("/console"))
        assert token_b != console.csrf_token
        _assert_refused(
            other_session.post(
                "/console/clients", data={"name": "From A", "csrf_token": console.csrf_token}
            )
        )
        _assert_refused(console.post("/console/clients", {"name": "From B", "csrf_token": token_b}))
        assert _clients(console) == []
        added = other_session.post("/console/clients", data={"name": "B", "csrf_token": token_b})
        assert added.status_code == 303
    finally:
        other_session.close()


def test_signing_in_and_out_rotates_the_token(server: LiveServer, console: Console) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        before = csrf_of(browser.get("/console/login"))
        assert browser.cookies["om_csrf"] != before  # the cookie is a signed nonce, not the token
        form = {"csrf_token": before, "email": console.email, "password": PASSWORD}
        assert browser.post("/console/login", data=form).status_code == 303
        _assert_refused(
            browser.post("/console/clients", data={"name": "Stale", "csrf_token": before})
        )
        signed_in_token = csrf_of(browser.get("/console"))
        assert signed_in_token != before

        signed_out = browser.post("/console/logout", data={"csrf_token": signed_in_token})
        assert signed_out.status_code == 303
        assert "om_session" not in browser.cookies
        after = csrf_of(browser.get("/console/login"))
        assert after != signed_in_token
        # The signed-out session's token is refused, and signing in again works.
        form = {"csrf_token": signed_in_token, "email": console.email, "password": PASSWORD}
        _assert_refused(browser.post("/console/login", data=form))
        assert browser.post("/console/login", data={**form, "csrf_token": after}).status_code == 303
    assert _clients(console) == []


def test_respondent_forms_and_autosave_are_bound_to_the_browser(workspace: Workspace) -> None:
    assessment = create_assessment(workspace.api, status="open")
    person = add_respondents(workspace.api, assessment["id"], "executive")[0]
    base = "/r/" + person["invite_url"].rsplit("/", 1)[1]
    answers_path = f"/api/v1/assessments/{assessment['id']}/respondents/{person['id']}/answers"
    url = workspace.server.url
    with (
        httpx.Client(base_url=url, timeout=30) as respondent,
        httpx.Client(base_url=url, timeout=30) as other_browser,
    ):
        own = csrf_of(respondent.get(f"{base}/page/1"))
        foreign = csrf_of(other_browser.get(f"{base}/page/1"))
        assert own != foreign
        page_form = {"a.plan_horizon": "none", "go": "next"}
        _assert_refused(
            respondent.post(f"{base}/page/1", data={**page_form, "csrf_token": foreign})
        )
        autosave = {"item": "plan_horizon", "a.plan_horizon": "none"}
        refused = respondent.post(
            f"{base}/autosave", data=autosave, headers={"X-CSRF-Token": foreign}
        )
        assert refused.status_code == 403
        # A made-up cookie and field pair, as a planting attacker would send.
        with httpx.Client(base_url=url, cookies={"om_csrf": MADE_UP}, timeout=30) as planted:
            _assert_refused(
                planted.post(f"{base}/page/1", data={**page_form, "csrf_token": MADE_UP})
            )
        assert expect(workspace.api.get(answers_path), 200)["answers"] == {}

        saved = respondent.post(f"{base}/autosave", data=autosave, headers={"X-CSRF-Token": own})
        assert saved.status_code == 200 and saved.json()["saved"] is True
        moved = respondent.post(
            f"{base}/page/1",
            data={**page_form, "a.plan_horizon": "week", "csrf_token": own},
        )
        assert moved.status_code == 303
    assert expect(workspace.api.get(answers_path), 200)["answers"] == {"plan_horizon": "week"}


def test_a_post_without_the_sites_cookie_is_refused(workspace: Workspace) -> None:
    assessment = create_assessment(workspace.api, status="open")
    person = add_respondents(workspace.api, assessment["id"], "executive")[0]
    base = "/r/" + person["invite_url"].rsplit("/", 1)[1]
    with httpx.Client(base_url=workspace.server.url, timeout=30) as browser:
        token = csrf_of(browser.get(f"{base}/page/1"))
        browser.cookies.clear()
        refused = browser.post(
            f"{base}/page/1", data={"a.plan_horizon": "none", "csrf_token": token}
        )
    _assert_refused(refused)
    assert "cookies for this site must be allowed" in html.unescape(refused.text)


def test_self_assessment_starts_are_bound_to_the_browser(
    server: LiveServer, workspace: Workspace
) -> None:
    slug = f"csrf-{uuid.uuid4().hex[:8]}"
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        update_public_link(session=session, workspace_id=workspace.id, actor="test", slug=slug)
    before = workspace_rows(server.app.state.runtime.database.engine, workspace.id)
    # The example questionnaire is not listed on public links: a start that passes the form
    # check is refused with 422, after it.
    start = {"questionnaire_id": "example", "attr.role": "manager"}
    with (
        httpx.Client(base_url=server.url, timeout=30) as visitor,
        httpx.Client(base_url=server.url, timeout=30) as other_browser,
    ):
        own = _page_token(visitor.get(f"/s/{slug}"))
        foreign = _page_token(other_browser.get(f"/s/{slug}"))
        _assert_refused(visitor.post(f"/s/{slug}/start", data={**start, "csrf_token": foreign}))
        with httpx.Client(base_url=server.url, cookies={"om_csrf": MADE_UP}, timeout=30) as made:
            _assert_refused(made.post(f"/s/{slug}/start", data={**start, "csrf_token": MADE_UP}))
        assert workspace_rows(server.app.state.runtime.database.engine, workspace.id) == before

        checked = visitor.post(f"/s/{slug}/start", data={**start, "csrf_token": own})
        assert checked.status_code == 422, checked.text[:300]
        assert "choose one of the questionnaires offered" in checked.text


def test_the_nonce_cookie_is_signed_http_only_and_strict(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        first = browser.get("/console/login")
        cookie = first.headers["set-cookie"]
        assert cookie.startswith("om_csrf=") and "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie and "Path=/" in cookie
        token = csrf_of(first)
        assert token not in cookie
        # Kept while it is valid: the same token on the next page, and no new cookie.
        again = browser.get("/console/login")
        assert "set-cookie" not in again.headers and csrf_of(again) == token
        # A cookie this server did not sign is replaced.
        browser.cookies.clear()
        browser.cookies.set("om_csrf", MADE_UP)
        replaced = browser.get("/console/login")
        assert replaced.headers["set-cookie"].startswith("om_csrf=")
        assert csrf_of(replaced) != token
