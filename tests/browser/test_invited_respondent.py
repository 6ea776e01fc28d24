"""An invited member of a leadership team answers through the link in their invitation."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, expect
from sqlmodel import select

from app.models import Workspace, utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services.assessments import create_assessment
from app.services.clients import create_client
from app.services.respondents import NewRespondent, add_respondents
from tests.browser.conftest import answer_remaining_pages, check_accessibility
from tests.integration.live_server import LiveServer


def _invite(server: LiveServer) -> str:
    catalog = server.app.state.runtime.catalog
    now = utc_now()
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        workspace = session.exec(
            select(Workspace).where(Workspace.public_slug == "harbourline")
        ).one()
        client = create_client(
            session=session,
            workspace_id=workspace.id,
            actor="test",
            name="Brightwater Foods",
            industry=None,
            size_band=None,
            external_ref=None,
            now=now,
        )
        assessment = create_assessment(
            session=session,
            catalog=catalog,
            workspace_id=workspace.id,
            actor="test",
            client_id=client.id,
            title="Leadership diagnostic",
            questionnaire_id="quick-check",
            questionnaire_version=None,
            target_overall=None,
            target_dimensions={},
            baseline_assessment_id=None,
            anonymity_k=None,
            status="open",
            now=now,
        )
        invited = add_respondents(
            session=session,
            catalog=catalog,
            workspace_id=workspace.id,
            actor="test",
            assessment_id=assessment.id,
            respondents=[NewRespondent("Dana Ops", "dana@brightwater.test", {"role": "manager"})],
            base_url=server.settings.base_url,
            now=now,
        )
    return invited[0].invite_url.removeprefix(server.settings.base_url)


def test_an_invited_respondent_answers_and_is_thanked(
    web_server: LiveServer, desktop: BrowserContext
) -> None:
    path = _invite(web_server)
    page = desktop.new_page()
    page.goto(web_server.url + path)
    expect(page.locator(".eyebrow").first).to_contain_text("Invited by Harbourline Advisory")
    expect(page.get_by_text("never shown to your colleagues")).to_be_visible()
    check_accessibility(page, "10-invited-welcome")
    page.get_by_role("link", name="Start").click()
    answer_remaining_pages(page)
    expect(page.locator(".callout--warning")).to_have_count(0)  # everything answered
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you — your answers are in")
    check_accessibility(page, "11-invited-thanks")
    expect(page.get_by_text("Harbourline Advisory will share")).to_be_visible()


def test_a_broken_link_gets_a_helpful_page(web_server: LiveServer, desktop: BrowserContext) -> None:
    page = desktop.new_page()
    response = page.goto(web_server.url + "/r/om_inv_this-link-was-cut-short")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This page or link does not work")
    expect(page.get_by_text(re.compile("ask the person who invited you"))).to_be_visible()
    check_accessibility(page, "12-broken-link")
