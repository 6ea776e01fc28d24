"""Colleagues through the console, on both databases: an owner invites a new person and an
associate who already works in another firm's workspace; each joins through the link (which
works once, and is replaced by a new invitation to the same email); a person of several
workspaces switches between their own only; removing a colleague ends their sessions at once;
the last owner can be neither removed nor demoted."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import select

from app.models import AuditEvent, ColleagueInvitation, WorkspaceMember, utc_now
from app.persistence.unit_of_work import unit_of_work
from tests.integration.console_session import PASSWORD, Console, csrf_of, signed_in
from tests.integration.live_server import LiveServer

JOIN_LINK = re.compile(r'value="[^"]*(/console/join/om_col_[^"]+)"')


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    console = signed_in(server, "Harbour Partners")
    yield console
    console.close()


def invite(console: Console, email: str, role: str, name: str = "") -> str:
    page = console.post("/console/colleagues", {"email": email, "role": role, "name": name})
    assert page.status_code == 200, page.text[:500]
    match = JOIN_LINK.search(page.text)
    assert match, page.text[:2000]
    return match.group(1)


def join_as_new_person(server: LiveServer, link: str, name: str) -> httpx.Client:
    browser = httpx.Client(base_url=server.url, timeout=60)
    page = browser.get(link)
    assert page.status_code == 200 and "Create my account and join" in page.text
    joined = browser.post(
        link, data={"csrf_token": csrf_of(page), "name": name, "password": PASSWORD}
    )
    assert joined.status_code == 303, joined.text[:500]
    assert joined.headers["location"] == "/console?done=joined"
    return browser


def memberships(server: LiveServer, workspace_id: str) -> dict[str, str]:
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        rows = session.exec(
            select(WorkspaceMember).where(WorkspaceMember.workspace_id == workspace_id)
        ).all()
        return {row.user_id: row.role for row in rows}


def actions(server: LiveServer, workspace_id: str) -> list[str]:
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        statement = select(AuditEvent.action).where(AuditEvent.workspace_id == workspace_id)
        return list(session.exec(statement).all())


def test_a_new_person_joins_once_with_a_name_and_a_password(
    server: LiveServer, console: Console
) -> None:
    link = invite(console, "new.viewer@example.org", "viewer", "Val Viewer")
    listed = html.unescape(console.browser.get("/console/colleagues").text)
    assert "new.viewer@example.org" in listed and "Pending until" in listed
    short = httpx.Client(base_url=server.url, timeout=60)
    with short:
        page = short.get(link)
        refused = short.post(
            link, data={"csrf_token": csrf_of(page), "name": "Val", "password": "short"}
        )
        assert refused.status_code == 422 and "at least 10 characters" in refused.text
    browser = join_as_new_person(server, link, "Val Viewer")
    try:
        home = browser.get("/console")
        assert home.status_code == 200 and "Harbour Partners" in home.text
        assert "Viewer" in home.text and "/console/assessments/new" not in home.text
        # The link works once.
        assert browser.get(link).status_code == 404
    finally:
        browser.close()
    assert sorted(memberships(server, console.workspace_id).values()) == ["owner", "viewer"]
    assert {"colleague.invited", "member.joined"} <= set(actions(server, console.workspace_id))


def test_an_associate_of_another_firm_joins_with_their_own_account_and_switches(
    server: LiveServer, console: Console
) -> None:
    other = signed_in(server, "Elsewhere Advisory")
    try:
        link = invite(console, other.email.upper(), "consultant")
        page = other.browser.get(link)
        assert page.status_code == 200 and "Join Harbour Partners" in page.text
        joined = other.post(link)
        assert joined.status_code == 303
        # Joining moves the session to the workspace joined; the switcher lists both.
        home = other.browser.get("/console")
        assert "Harbour Partners" in home.text and 'action="/console/workspace"' in home.text
        csrf = csrf_of(home)
        assert memberships(server, console.workspace_id)[_user_id(server, other.email)] == (
            "consultant"
        )
        # Never into a workspace they do not belong to.
        foreign = other.browser.post(
            "/console/workspace", data={"csrf_token": csrf, "workspace_id": "ws_" + "0" * 32}
        )
        assert foreign.status_code == 404
        back = other.browser.post(
            "/console/workspace", data={"csrf_token": csrf, "workspace_id": other.workspace_id}
        )
        assert back.status_code == 303
        assert "Elsewhere Advisory · Owner" in other.browser.get("/console").text
        # The owner's own console has a single workspace: no switcher.
        assert 'action="/console/workspace"' not in console.browser.get("/console").text
    finally:
        other.close()


def test_an_existing_account_joins_with_its_password(server: LiveServer, console: Console) -> None:
    other = signed_in(server, "Third Firm")
    other.close()
    link = invite(console, other.email, "viewer")
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        page = browser.get(link)
        assert "Sign in and join" in page.text
        wrong = browser.post(link, data={"csrf_token": csrf_of(page), "password": "not it at all"})
        assert wrong.status_code == 401
        joined = browser.post(link, data={"csrf_token": csrf_of(page), "password": PASSWORD})
        assert joined.status_code == 303
        assert "Harbour Partners · Viewer" in browser.get("/console").text


def test_inviting_again_replaces_the_pending_invitation_and_expired_links_fail(
    server: LiveServer, console: Console
) -> None:
    first = invite(console, "twice@example.org", "viewer")
    second = invite(console, "twice@example.org", "consultant")
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        assert browser.get(first).status_code == 404
        assert "as a consultant" in browser.get(second).text
        with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
            session.execute(
                update(ColleagueInvitation)
                .where(ColleagueInvitation.workspace_id == console.workspace_id)  # type: ignore[arg-type]
                .values(expires_at=utc_now() - timedelta(minutes=1))
            )
        assert browser.get(second).status_code == 404
    assert "Expired" in console.browser.get("/console/colleagues").text


def test_removing_a_colleague_ends_their_sessions_at_once(
    server: LiveServer, console: Console
) -> None:
    browser = join_as_new_person(server, invite(console, "leaver@example.org", "consultant"), "Lee")
    try:
        assert browser.get("/console/clients").status_code == 200
        user_id = _user_id(server, "leaver@example.org")
        changed = console.post(f"/console/colleagues/{user_id}/role", {"role": "viewer"})
        assert changed.status_code == 303
        csrf = csrf_of(browser.get("/console/clients"))
        refused = browser.post("/console/clients", data={"csrf_token": csrf, "name": "Acme"})
        assert refused.status_code == 403 and "You are a viewer" in refused.text
        removed = console.post(f"/console/colleagues/{user_id}/remove")
        assert removed.status_code == 303
        away = browser.get("/console/clients")
        assert away.status_code == 303 and away.headers["location"].startswith("/console/login")
    finally:
        browser.close()
    assert {"member.role_changed", "member.removed"} <= set(actions(server, console.workspace_id))


def test_the_last_owner_can_be_neither_removed_nor_demoted(
    server: LiveServer, console: Console
) -> None:
    owner_id = _user_id(server, console.email)
    demoted = console.post(f"/console/colleagues/{owner_id}/role", {"role": "viewer"})
    assert demoted.status_code == 409 and "last owner" in demoted.text
    removed = console.post(f"/console/colleagues/{owner_id}/remove")
    assert removed.status_code == 409 and "last owner" in removed.text
    assert memberships(server, console.workspace_id) == {owner_id: "owner"}
    # With a second owner, the first may step down.
    browser = join_as_new_person(server, invite(console, "co@example.org", "owner"), "Co Owner")
    browser.close()
    assert (
        console.post(f"/console/colleagues/{owner_id}/role", {"role": "consultant"}).status_code
        == 303
    )
    assert console.browser.get("/console/colleagues").status_code == 403


def _user_id(server: LiveServer, email: str) -> str:
    from app.models import User

    with unit_of_work(server.app.state.runtime.database.engine) as session:
        user = session.exec(select(User).where(User.email == email.lower())).one()
        return user.id
