"""A consultant invites five people by e-mail from the console; a real SMTP server receives
the invitations, and each person answers through the link in their mail, in a browser of
their own, until the console shows every answer in.

The server is this test's own, on a database of its own: its base_url must be the address it
listens on, so that the links in the mail open it, and the mail settings point at the SMTP
server. The listening socket is bound first, so the address is known before the app is made.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.main import create_app
from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.settings import Settings
from tests.browser.conftest import (
    SCREENSHOTS,
    answer_remaining_pages,
    check_accessibility,
)
from tests.conftest import QUESTIONNAIRES
from tests.integration.databases import fresh_database
from tests.integration.live_server import LiveServer
from tests.integration.smtp_server import ReceivedMail, SmtpServer

CONSULTANT_EMAIL = "morgan@acme.example"
CONSULTANT_PASSWORD = "invite by e-mail password"
PERSONAL_MESSAGE = "Thanks for taking part: ten minutes, and honest answers, please."
TEAM = [
    ("Ava Chen", "ava@brightwater.example", "executive"),
    ("Ben Okafor", "ben@brightwater.example", "manager"),
    ("Cara Silva", "cara@brightwater.example", "manager"),
    ("Dev Patel", "dev@brightwater.example", "individual_contributor"),
    ("Eli Novak", "eli@brightwater.example", "individual_contributor"),
]
TEAM_CSV = "name,email,role,site\n" + "".join(
    f"{name},{email},{role},north\n" for name, email, role in TEAM
)


@contextmanager
def _server_at_its_own_address(settings_for: Callable[[str], Settings]) -> Iterator[LiveServer]:
    """As tests.integration.live_server.running_server, with the port chosen before the app
    is made: `settings_for` gets the server's URL, for base_url."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    settings = settings_for(url)
    app = create_app(settings)
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", proxy_headers=False, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url, app, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


class Mailing:
    def __init__(self, server: LiveServer, smtp: SmtpServer) -> None:
        self.server, self.smtp = server, smtp


@pytest.fixture(scope="module")
def mailing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mailing]:
    smtp = SmtpServer()
    smtp.start()
    folder = tmp_path_factory.mktemp("invite-by-email")
    try:
        with fresh_database("sqlite", folder) as database_url:

            def settings_for(url: str) -> Settings:
                return Settings(
                    environment="test",
                    database_url=database_url,
                    questionnaires_dir=QUESTIONNAIRES,
                    base_url=url,
                    smtp_host="127.0.0.1",
                    smtp_port=smtp.port,
                    smtp_security="none",
                    mail_from="Acme Advisory <advice@acme.example>",
                    mail_folder=Path(folder) / "mail",
                    mail_poll_interval_seconds=0.1,
                )

            with _server_at_its_own_address(settings_for) as server:
                with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
                    admin.create_workspace(
                        session=session,
                        name="Acme Advisory",
                        owner_email=CONSULTANT_EMAIL,
                        owner_name="Morgan Consultant",
                        owner_password=CONSULTANT_PASSWORD,
                        now=utc_now(),
                    )
                yield Mailing(server, smtp)
    finally:
        smtp.stop()


def _sign_in_and_create_the_assessment(page: Page, url: str) -> None:
    page.goto(url + "/console")
    expect(page).to_have_url(re.compile(r"/console/login\?next="))
    page.get_by_label("Email").fill(CONSULTANT_EMAIL)
    page.get_by_label("Password").fill(CONSULTANT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    page.get_by_role("link", name="New assessment").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New assessment")
    page.get_by_label("The client's name").fill("Brightwater Foods")
    page.get_by_label("Title").fill("Team pulse, spring 2026")
    page.get_by_label("Questionnaire").select_option("example")
    page.get_by_role("button", name="Create and open").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Team pulse, spring 2026")
    expect(page.locator(".eyebrow").first).to_contain_text("Brightwater Foods")


def _link_in(mail: ReceivedMail, url: str) -> str:
    links: set[str] = set(re.findall(re.escape(url) + r"/r/om_inv_[\w-]+", mail.text))
    assert len(links) == 1, f"invite links in the mail's text: {links}"
    return links.pop()


def _answer_through_the_link(browser: Browser, link: str, name: str) -> None:
    """A fresh browser of the respondent's own: the welcome page, every page, review, submit."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(link)
        assert response is not None and response.status == 200, f"{name}: {link}"
        expect(page.locator(".eyebrow").first).to_have_text("Invited by Acme Advisory")
        expect(page.get_by_role("heading", level=1)).to_have_text("Example team pulse")
        expect(page.get_by_label("Your private link")).to_have_value(link)
        page.get_by_role("link", name="Start").click()
        expect(page.get_by_role("button", name=re.compile("^Save and"))).to_be_visible()
        answer_remaining_pages(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
        expect(page.locator(".callout--warning")).to_have_count(0)  # everything answered
        page.get_by_role("button", name="Submit my answers").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you — your answers are in")
    finally:
        context.close()


def test_five_people_invited_by_email_answer_through_their_mail(
    mailing: Mailing, desktop: BrowserContext, browser: Browser
) -> None:
    url = mailing.server.url
    page = desktop.new_page()
    _sign_in_and_create_the_assessment(page, url)
    assessment_url = page.url

    # The invite form: five pasted as CSV, with the invitation by e-mail and a message.
    paste = page.locator("section[aria-labelledby='csv-heading']")
    paste.get_by_label("Respondents, one per line").fill(TEAM_CSV)
    paste.get_by_label(re.compile("Also e-mail the invitation")).check()
    paste.get_by_label("Personal message (optional)").fill(PERSONAL_MESSAGE)
    check_accessibility(page, "70-console-invite-by-email")
    paste.screenshot(path=str(SCREENSHOTS / "70b-console-invite-by-email-form.png"))
    paste.get_by_role("button", name="Add all and show the invite links").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite links")
    shown = [box.input_value() for box in page.locator(".secret input").all()]
    assert len(shown) == 5

    # Five invitations at the SMTP server, one to each person, each with its link.
    mails = mailing.smtp.wait_for(5, timeout=30)
    assert sorted(mail.recipients for mail in mails) == sorted([email] for _, email, _ in TEAM)
    by_address = {mail.recipients[0]: mail for mail in mails}
    links: dict[str, str] = {}
    for name, email, _ in TEAM:
        mail = by_address[email]
        assert mail.message["To"] == f"{name} <{email}>"
        assert mail.message["From"] == "Acme Advisory <advice@acme.example>"
        assert "Acme Advisory" in mail.message["Subject"]
        assert PERSONAL_MESSAGE in mail.text
        link = _link_in(mail, url)
        assert f'href="{link}"' in mail.html, f"{email}: the HTML part lacks {link}"
        assert PERSONAL_MESSAGE in mail.html
        links[email] = link
    assert sorted(links.values()) == sorted(shown)  # the console showed the same links

    # How the invitation looks, rendered as a mail program would show its HTML part.
    viewer = browser.new_context(viewport={"width": 800, "height": 900})
    try:
        rendered = viewer.new_page()
        rendered.set_content(by_address[TEAM[0][1]].html)
        expect(rendered.locator(f'a[href="{links[TEAM[0][1]]}"]').first).to_be_visible()
        expect(rendered.get_by_text(PERSONAL_MESSAGE)).to_be_visible()
        rendered.screenshot(path=str(SCREENSHOTS / "71-invitation-email-html.png"), full_page=True)
    finally:
        viewer.close()

    for name, email, _ in TEAM:
        _answer_through_the_link(browser, links[email], name)

    page.goto(assessment_url)
    expect(page.locator(".meter").first).to_contain_text("5 of 5 submitted")
