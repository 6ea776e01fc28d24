"""An executive takes the quick check on a phone, leaves halfway, resumes on another device
through the private link, submits, and gets the result page and the PDF."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Browser, BrowserContext, expect
from pypdf import PdfReader

from tests.browser.conftest import (
    PHONE,
    answer_remaining_pages,
    answer_visible_items,
    check_accessibility,
)
from tests.integration.live_server import LiveServer


def test_self_assessment_on_a_phone_with_resume(
    web_server: LiveServer, phone: BrowserContext, browser: Browser
) -> None:
    page = phone.new_page()
    page.goto(web_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("execution")
    check_accessibility(page, "01-landing-phone")

    quick = page.locator(
        "form.card", has=page.get_by_role("button", name=re.compile("quick check"))
    )
    quick.get_by_label("Your role").select_option("executive")
    quick.get_by_role("button", name=re.compile("Start the quick check")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    resume_url = page.locator("#resume-link").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1/r/om_inv_[\w-]+", resume_url)
    check_accessibility(page, "02-welcome-phone")

    page.get_by_role("link", name="Start").click()
    expect(page.locator("progress[data-progress]")).to_be_visible()
    check_accessibility(page, "03-questionnaire-page-phone")
    assert answer_visible_items(page) > 0
    expect(page.locator("label[for=progress-bar]")).not_to_contain_text("0 of")
    page.get_by_role("button", name="Save and continue").click()
    assert answer_visible_items(page) > 0
    page.close()  # leaves halfway, answers saved as they were given

    # Later, on another device: the private link brings back every answer.
    other_device = browser.new_context(viewport=PHONE, is_mobile=True, accept_downloads=True)
    try:
        page = other_device.new_page()
        path = resume_url.removeprefix("http://127.0.0.1")
        page.goto(web_server.url + path)
        expect(page.locator("label[for=progress-bar]")).to_be_visible()
        progress_text = page.locator("label[for=progress-bar]").inner_text()
        assert not progress_text.startswith("0 of"), progress_text
        page.get_by_role("link", name="Continue").click()
        answer_remaining_pages(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
        check_accessibility(page, "04-review-phone")
        page.get_by_role("button", name="Submit and see my result").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Your operational-maturity result"
        )
        expect(page.locator("#overall-heading")).to_contain_text(" of 5: ")
        expect(page.locator(".chart svg").first).to_be_visible()
        check_accessibility(page, "05-result-phone")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the PDF report").click()
        pdf = download_info.value.path().read_bytes()
        assert pdf.startswith(b"%PDF")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages[:3])
        assert "Harbourline Advisory" in text

        # The result stays at the private link; the answers can no longer change.
        page.goto(web_server.url + path)
        expect(page).to_have_url(re.compile(r"/results$"))

        # A quick check says how roughly to read it, and the full diagnostic starts from the
        # answers already given.
        expect(page.get_by_role("note")).to_contain_text("rough indication")
        page.get_by_role("button", name="Continue with the full diagnostic").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Operational maturity diagnostic")
        expect(page.locator("label[for=progress-bar]")).to_have_text(re.compile(r"^1[12] of 4\d "))
        check_accessibility(page, "06-full-diagnostic-carried-over-phone")
    finally:
        other_device.close()


def test_a_questionnaire_page_works_without_javascript(
    web_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(web_server.url + "/s/harbourline")
        full = page.locator(
            "form.card", has=page.get_by_role("button", name=re.compile("full diagnostic"))
        )
        full.get_by_label("Your role").select_option("manager")
        full.get_by_role("button", name=re.compile("Start the full diagnostic")).click()
        page.get_by_role("link", name="Start").click()
        first = page.locator("fieldset[data-item]").first
        first.locator("input[type=radio]").first.check()
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("text=Section 2 of")).to_be_visible()
        page.go_back()
        page.reload()
        expect(page.locator("fieldset[data-item]").first.locator("input:checked")).to_have_count(1)
    finally:
        context.close()
