"""The API's documentation pages render in a browser with nothing fetched from another origin
and no request blocked by their Content-Security-Policy (app/api_docs.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response, expect

from tests.browser.conftest import SCREENSHOTS
from tests.integration.live_server import LiveServer


def open_watched(context: BrowserContext, url: str) -> tuple[Page, list[str], list[str]]:
    """The page at `url`, with the hosts that answered it and its console errors, as they
    come. A request its policy refuses never leaves the browser, and gets no answer."""
    page = context.new_page()
    hosts: list[str] = []
    errors: list[str] = []

    def on_response(response: Response) -> None:
        if response.url.startswith("http"):
            hosts.append(urlsplit(response.url).netloc)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("response", on_response)
    page.on("console", on_console)
    page.goto(url)
    return page, hosts, errors


def test_swagger_ui_lists_every_operation_offline(
    web_server: LiveServer, desktop: BrowserContext
) -> None:
    page, hosts, errors = open_watched(desktop, f"{web_server.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 30
    expect(page.get_by_text("/api/v1/assessments/{assessment_id}/results").first).to_be_visible()
    page.locator(".opblock-summary").first.click()  # an operation opens, with its responses
    expect(page.locator(".responses-table").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "api-docs-swagger.png"))
    assert set(hosts) == {urlsplit(web_server.url).netloc}
    assert errors == []


def test_redoc_shows_the_reference_offline(web_server: LiveServer, desktop: BrowserContext) -> None:
    page, hosts, errors = open_watched(desktop, f"{web_server.url}/redoc")
    expect(page.get_by_role("heading", name="OpsMaturity").first).to_be_visible()
    expect(page.get_by_text("Save answers").first).to_be_attached()
    page.screenshot(path=str(SCREENSHOTS / "api-docs-redoc.png"))
    assert set(hosts) == {urlsplit(web_server.url).netloc}
    # ReDoc's sidebar asks its CDN for a logo, hides it when it does not load, and the policy
    # refuses it: the one message allowed.
    refused_logo = "Loading the image 'https://cdn.redoc.ly/redoc/logo-mini.svg' violates"
    assert [error for error in errors if not error.startswith(refused_logo)] == []
