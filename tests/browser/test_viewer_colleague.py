"""A viewer colleague signs in, reads an assessment and its results, and is offered no button
or form that would change anything (app/web/console/roles.py refuses them anyway)."""

from __future__ import annotations

import httpx
from playwright.sync_api import BrowserContext, expect

from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from tests.browser.conftest import check_accessibility
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    save_answers,
)
from tests.integration.flow import expect as expect_status
from tests.integration.live_server import LiveServer

VIEWER_EMAIL = "vera.viewer@harbourline.test"
VIEWER_PASSWORD = "read but never write"


def test_a_viewer_reads_the_results_and_sees_no_button_that_changes_things(
    web_server: LiveServer, desktop: BrowserContext
) -> None:
    now = utc_now()
    with unit_of_work(web_server.app.state.runtime.database.engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name="Viewer Test Partners",
            owner_email="owner@viewer-test.example",
            owner_name="Olive Owner",
            owner_password="an owner's password",
            now=now,
        )
        admin.add_workspace_user(
            session=session,
            workspace_id=workspace.id,
            email=VIEWER_EMAIL,
            name="Vera Viewer",
            role="viewer",
            password=VIEWER_PASSWORD,
            now=now,
        )
        _, key = admin.create_api_key(session=session, workspace_id=workspace.id, name="t", now=now)
    with httpx.Client(
        base_url=web_server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60
    ) as api:
        client = create_client(api, name="Seaside Logistics")
        assessment = create_assessment(api, client["id"], title="Leadership pulse")
        for person in add_respondents(api, assessment["id"], "executive", "manager", "manager"):
            expect_status(
                save_answers(api, assessment["id"], person["id"], FULL_ANSWERS, submit=True), 200
            )

    page = desktop.new_page()
    page.goto(web_server.url + "/console/login")
    page.get_by_label("Email").fill(VIEWER_EMAIL)
    page.get_by_label("Password").fill(VIEWER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    expect(page.get_by_text("Viewer Test Partners · Viewer")).to_be_visible()
    expect(page.get_by_role("link", name="New assessment")).to_have_count(0)
    expect(page.get_by_role("link", name="Colleagues")).to_have_count(0)

    page.get_by_role("link", name="Leadership pulse").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leadership pulse")
    # Only signing out is a form here: no close, add, remove, targets or delete.
    expect(page.locator("main form")).to_have_count(0)
    expect(page.get_by_role("button", name="Close assessment")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit targets")).to_have_count(0)
    expect(page.get_by_role("button", name="Remove")).to_have_count(0)

    page.get_by_role("link", name="Results", exact=True).click()
    expect(page.locator("#overall-heading")).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)
    check_accessibility(page, "60-console-results-viewer")
