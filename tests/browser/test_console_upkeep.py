"""A consultant watches an open assessment's completion update by itself while a respondent
submits, then edits and deletes a client and an assessment through their confirmation pages;
every page passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from tests.browser.conftest import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    answer_remaining_pages,
    check_accessibility,
)
from tests.integration.live_server import LiveServer

# The page asks every 10 seconds: wait for two rounds and some.
REFRESHED_WITHIN_MS = 25_000


def _sign_in(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/console/login")
    page.get_by_label("Email").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")


def test_completion_updates_itself_and_deletions_are_confirmed(
    web_server: LiveServer, desktop: BrowserContext, browser: Browser
) -> None:
    page = desktop.new_page()
    _sign_in(page, web_server)
    page.get_by_role("link", name="New assessment").first.click()
    page.get_by_label(re.compile("client's name")).fill("Southwind Ferries")
    page.get_by_label("Title").fill("Bridge crew, Q1 2027")
    page.get_by_label("Questionnaire").select_option("quick-check")
    page.get_by_role("button", name="Create and open").click()
    page.get_by_label("Respondents, one per line").fill(
        "name,email,role\nDara Quinn,dara@southwind.test,executive\n"
    )
    page.get_by_role("button", name="Add all and show the invite links").click()
    link = page.locator(".secret input").first.input_value()
    page.get_by_role("link", name="Back to the assessment").click()
    expect(page.get_by_text("This list updates itself every 10 seconds")).to_be_visible()
    expect(page.locator(".meter").first).to_contain_text("0 of 1 submitted")
    check_accessibility(page, "40-console-assessment-live")

    team = browser.new_context()
    try:
        answering = team.new_page()
        answering.goto(web_server.url + link.removeprefix(web_server.settings.base_url))
        answering.get_by_role("link", name="Start").click()
        answer_remaining_pages(answering)
        answering.get_by_role("button", name="Submit my answers").click()
        expect(answering.get_by_role("heading", level=1)).to_contain_text("Thank you")
    finally:
        team.close()

    # No reload: the page put the fresh completion and list in place by itself.
    expect(page.locator(".meter").first).to_contain_text(
        "1 of 1 submitted", timeout=REFRESHED_WITHIN_MS
    )
    row = page.get_by_role("row", name=re.compile("Dara Quinn"))
    expect(row).to_contain_text("Submitted")
    # The Remove form put in place still asks first; saying no removes nobody.
    asked: list[str] = []

    def say_no(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", say_no)
    row.get_by_role("button", name=re.compile("Remove")).click()
    assert asked and "Dara Quinn" in asked[0]
    expect(row).to_be_visible()

    page.get_by_role("link", name="Delete assessment…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete Bridge crew, Q1 2027?")
    expect(page.locator("[data-deletion-scope]")).to_contain_text("1 respondent")
    check_accessibility(page, "41-console-assessment-delete")
    page.get_by_role("button", name="Delete this assessment and its answers").click()
    expect(page.get_by_role("status")).to_contain_text("Assessment deleted")
    expect(page.get_by_text("Bridge crew, Q1 2027")).to_have_count(0)

    page.goto(web_server.url + "/console/clients")
    page.get_by_role("link", name="Southwind Ferries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit client")
    check_accessibility(page, "42-console-client-edit")
    page.get_by_label("Name").fill(" ")  # a blank name gets past the browser's own check
    page.get_by_label("Industry (optional)").fill("Ferries")
    page.get_by_role("button", name="Save client").click()
    expect(page.locator("#error-summary")).to_contain_text("enter the client's name")
    expect(page.get_by_label("Industry (optional)")).to_have_value("Ferries")
    check_accessibility(page, "43-console-client-edit-refused")
    page.get_by_label("Name").fill("Southwind Ferry Lines")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("status")).to_contain_text("Client saved.")

    page.get_by_role("link", name="Southwind Ferry Lines").click()
    page.get_by_role("link", name="Delete client…").click()
    expect(page.locator("[data-deletion-scope]")).to_contain_text("0 assessments")
    check_accessibility(page, "44-console-client-delete")
    page.get_by_role("button", name=re.compile("Delete Southwind Ferry Lines")).click()
    expect(page.get_by_role("status")).to_contain_text("Client deleted")

    page.goto(web_server.url + "/console/self-assessments/archived")
    expect(page.get_by_role("heading", level=1)).to_have_text("Archived self-assessments")
    check_accessibility(page, "45-console-archived-self-assessments")
