"""Form tokens follow the session (app/web/page_security.py): a console form left open in one
tab while the consultant signs out and in again in another is refused with a page that says
what happened, and works again once reloaded; an answer autosaved from a page whose token no
longer fits says so, and is saved after a reload."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    answer_visible_items,
    check_accessibility,
)
from tests.integration.live_server import LiveServer


def _sign_in(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/console/login")
    page.get_by_label("Email").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")


def test_a_console_form_from_an_earlier_session_is_refused_then_works_after_a_reload(
    web_server: LiveServer, desktop: BrowserContext
) -> None:
    form_tab = desktop.new_page()
    _sign_in(form_tab, web_server)
    form_tab.goto(web_server.url + "/console/clients")
    name = f"Left-open tab {uuid.uuid4().hex[:6]}"

    other_tab = desktop.new_page()
    other_tab.goto(web_server.url + "/console")
    other_tab.get_by_role("button", name=re.compile("Sign out")).click()
    expect(other_tab).to_have_url(re.compile(r"/console/login"))
    _sign_in(other_tab, web_server)

    form_tab.get_by_label("Name", exact=True).fill(name)
    form_tab.get_by_role("button", name="Add client").click()
    expect(form_tab.get_by_role("heading", level=1)).to_have_text("This form has expired")
    expect(form_tab.locator("main")).to_contain_text("nothing was saved")
    expect(form_tab.locator("main")).to_contain_text("Reload the page and try again")
    check_accessibility(form_tab, "30-console-expired-form")

    form_tab.goto(web_server.url + "/console/clients")
    expect(form_tab.get_by_role("cell", name=name)).to_have_count(0)
    form_tab.get_by_label("Name", exact=True).fill(name)
    form_tab.get_by_role("button", name="Add client").click()
    expect(form_tab.get_by_text(name).first).to_be_visible()
    other_tab.get_by_role("button", name=re.compile("Sign out")).click()


def test_an_autosave_with_an_expired_token_says_so_and_a_reload_saves(
    web_server: LiveServer, desktop: BrowserContext
) -> None:
    page = desktop.new_page()
    page.goto(web_server.url + "/")
    quick = page.locator(
        "form.card", has=page.get_by_role("button", name=re.compile("quick check"))
    )
    quick.get_by_label("Your role").select_option("manager")
    quick.get_by_role("button", name=re.compile("Start the quick check")).click()
    page.get_by_role("link", name="Start").click()
    expect(page.locator("progress[data-progress]")).to_be_visible()

    # The browser loses its cookie (cleared, or replaced from another tab): the page's token
    # belongs to a session that is gone.
    desktop.clear_cookies()
    item = page.locator("fieldset[data-item]:visible", has=page.locator("input[type=radio]"))
    item.first.locator("input[type=radio][name^='a.']").first.check()
    expect(item.first.locator("[data-status-for]")).to_contain_text(
        "Not saved: this page has expired. Reload the page"
    )

    page.reload()
    assert answer_visible_items(page) > 0
