"""A consultant signs in, creates an assessment, invites the team by pasted CSV, watches them
answer, reads the results and downloads the report; every console page passes axe-core."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    answer_remaining_pages,
    check_accessibility,
)
from tests.integration.live_server import LiveServer

TEAM_CSV = """name,email,role
Ava Chen,ava@northwind.test,executive
Ben Okafor,ben@northwind.test,executive
Cara Silva,cara@northwind.test,manager
"""


def _answer_everything(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_role("link", name="Start").click()
    answer_remaining_pages(page)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")


def test_a_consultant_runs_a_team_assessment(
    web_server: LiveServer, desktop: BrowserContext, browser: Browser
) -> None:
    page = desktop.new_page()
    page.goto(web_server.url + "/console")
    expect(page).to_have_url(re.compile(r"/console/login\?next="))
    check_accessibility(page, "20-console-login")
    page.get_by_label("Email").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    check_accessibility(page, "21-console-dashboard")

    page.get_by_role("link", name="New assessment").first.click()
    check_accessibility(page, "22-console-new-assessment")
    page.get_by_label(re.compile("client's name")).fill("Northwind Freight")
    page.get_by_label("Title").fill("Leadership team, Q4 2026")
    page.get_by_label("Questionnaire").select_option("quick-check")
    # Targets are offered for the chosen questionnaire only, once it is chosen.
    page.get_by_role("button", name="Show this questionnaire's targets").click()
    targets = page.locator("fieldset[data-targets-for='quick-check']")
    expect(targets).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Leadership team, Q4 2026")
    page.get_by_text("Target answer by question").click()
    check_accessibility(page, "22b-console-new-assessment-targets")
    # Choosing another questionnaire takes these targets out of the form until its own are shown.
    page.get_by_label("Questionnaire").select_option("operational-maturity")
    expect(targets).to_be_hidden()
    page.get_by_label("Questionnaire").select_option("quick-check")
    expect(targets).to_be_visible()
    page.get_by_label("Target stage, overall").select_option(index=3)
    page.get_by_role("button", name="Create and open").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leadership team, Q4 2026")
    check_accessibility(page, "23-console-assessment")

    page.get_by_label("Respondents, one per line").fill(TEAM_CSV)
    page.get_by_role("button", name="Add all and show the invite links").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite links")
    check_accessibility(page, "24-console-invite-links")
    links = [box.input_value() for box in page.locator(".secret input").all()]
    assert len(links) == 3 and all("/r/om_inv_" in link for link in links)

    team = browser.new_context()
    try:
        for link in links:
            path = link.removeprefix(web_server.settings.base_url)
            _answer_everything(team.new_page(), web_server.url + path)
    finally:
        team.close()

    page.get_by_role("link", name="Back to the assessment").click()
    expect(page.locator(".meter").first).to_contain_text("3 of 3 submitted")
    page.get_by_role("link", name="Results", exact=True).click()
    expect(page.locator("#overall-heading")).to_contain_text(" of 5: ")
    check_accessibility(page, "25-console-results")

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF report").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages[:2])
    assert "Northwind Freight" in text

    for path, name in (
        ("/console/clients", "26-console-clients"),
        ("/console/settings", "27-console-settings"),
        ("/console/api-keys", "28-console-api-keys"),
        ("/console/webhooks", "29-console-webhooks"),
    ):
        page.goto(web_server.url + path)
        check_accessibility(page, name)

    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/console/login"))
    page.goto(web_server.url + "/console")
    expect(page).to_have_url(re.compile(r"/console/login"))
