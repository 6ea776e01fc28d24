"""Invitations by e-mail, reminders (by hand and on the schedule, with the app's clock
moved instead of sleeping), opt-out, a re-issued link and a team copied into the next round:
through the API and the pages, on both databases, with a real SMTP server receiving the mail.

Each test module starts its own server on a database of its own: the schedules read every
workspace, and a moved clock must not remind the respondents of other tests."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.models import MailMessage, utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.settings import Settings
from tests.integration.databases import fresh_database
from tests.integration.flow import FULL_ANSWERS, create_assessment, expect, save_answers
from tests.integration.live_server import LiveServer, running_server
from tests.integration.smtp_server import ReceivedMail, SmtpServer

LINK = re.compile(r"https://opsmaturity\.test(/r/om_inv_[\w-]+)")
OPT_OUT = re.compile(r"https://opsmaturity\.test(/mail/opt-out/[\w.-]+)")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class MovableClock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset


class Setup:
    def __init__(self, server: LiveServer, smtp: SmtpServer, clock: MovableClock) -> None:
        self.server, self.smtp, self.clock = server, smtp, clock


@pytest.fixture(scope="module")
def setup(
    backend: str, questionnaires_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Setup]:
    smtp = SmtpServer()
    smtp.start()
    clock = MovableClock()
    with fresh_database(backend, tmp_path_factory.mktemp("reminders")) as url:
        settings = Settings(
            environment="test",
            database_url=url,
            questionnaires_dir=questionnaires_dir,
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_security="none",
            mail_from="Northwind via OpsMaturity <no-reply@northwind.example>",
            mail_poll_interval_seconds=0.05,
            base_url="https://opsmaturity.test",
            secure_cookies=False,
            rate_limits=False,
        )
        with running_server(settings, clock=clock) as server:
            yield Setup(server, smtp, clock)
    smtp.stop()


@pytest.fixture
def api(setup: Setup) -> Iterator[httpx.Client]:
    setup.clock.offset = timedelta()
    now = utc_now()
    with unit_of_work(setup.server.app.state.runtime.database.engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name="Northwind Advisory",
            owner_email=f"owner-{uuid.uuid4().hex}@firm.example",
            owner_name="Casey",
            owner_password="correct horse battery staple",
            now=now,
        )
        _, key = admin.create_api_key(session=session, workspace_id=workspace.id, name="t", now=now)
    client = httpx.Client(
        base_url=setup.server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )
    yield client
    client.close()


def to(smtp: SmtpServer, address: str, count: int = 1) -> list[ReceivedMail]:
    """The messages to `address`, once there are `count` of them."""

    def mine() -> list[ReceivedMail]:
        return [m for m in smtp.received if address in m.recipients]

    deadline = datetime.now() + timedelta(seconds=15)
    while len(mine()) < count:
        assert datetime.now() < deadline, f"{len(mine())} message(s) to {address}"
        smtp.wait_for(len(smtp.received) + 0, timeout=0.05)
    return mine()


def invite(
    api: httpx.Client, assessment_id: str, *people: dict[str, Any], **extra: Any
) -> list[dict[str, Any]]:
    body = {"respondents": list(people), **extra}
    created = expect(api.post(f"/api/v1/assessments/{assessment_id}/respondents", json=body), 201)
    result: list[dict[str, Any]] = created["respondents"]
    return result


def person(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "email": f"{name.lower()}-{uuid.uuid4().hex[:8]}@client.example",
        "attributes": {"role": "manager"},
    }


def test_an_invitation_by_email_carries_a_working_link(setup: Setup, api: httpx.Client) -> None:
    closes = (utc_now() + timedelta(days=14)).replace(microsecond=0)
    aid = create_assessment(api, closes_at=closes.isoformat())["id"]
    ana = person("Ana")
    message = "Thanks for taking part.\n<b>Not bold</b> & honest answers, please."
    [invited] = invite(api, aid, ana, send_invites=True, personal_message=message)
    assert invited["mailed"] is True and invited["invited_at"] is not None
    [mail] = to(setup.smtp, ana["email"])
    assert mail.message["To"] == f"Ana <{ana['email']}>"
    assert mail.message["Subject"] == "Q1 review: your questionnaire from Northwind Advisory"
    assert "Not bold" in mail.text and "<b>Not bold</b>" in mail.text  # plain text is as typed
    assert "&lt;b&gt;Not bold&lt;/b&gt; &amp; honest" in mail.html  # and escaped in HTML
    path = LINK.search(mail.text)
    assert path is not None and invited["invite_url"].endswith(path.group(1))
    welcome = httpx.get(setup.server.url + path.group(1), timeout=30)
    assert welcome.status_code == 200 and "Ana" not in mail.message["Subject"]
    # The close date is shown on the welcome page and in the mail, in the workspace's zone.
    last_day = closes - timedelta(microseconds=1)
    assert f"{last_day:%B %Y}" in mail.text
    assert OPT_OUT.search(mail.text) is not None


def test_bad_input_is_refused_with_nothing_lost(api: httpx.Client) -> None:
    aid = create_assessment(api)["id"]
    bad = {"name": "Eve\r\nBcc: x@y.example", "email": "eve@client.example"}
    refused = api.post(
        f"/api/v1/assessments/{aid}/respondents",
        json={"respondents": [person("Bo"), bad], "send_invites": True},
    )
    assert refused.status_code == 422
    assert "name" in refused.text
    listed = expect(api.get(f"/api/v1/assessments/{aid}/respondents"), 200)["respondents"]
    assert listed == []


def test_reminders_on_the_schedule_go_once_per_step(setup: Setup, api: httpx.Client) -> None:
    aid = create_assessment(api, reminder_days=[3], remind_before_close=False)["id"]
    ben, cleo = person("Ben"), person("Cleo")
    people = invite(api, aid, ben, cleo, send_invites=True)
    to(setup.smtp, ben["email"])
    expect(
        save_answers(api, aid, people[1]["id"], FULL_ANSWERS, submit=True), 200
    )  # Cleo is done: no reminder for her
    setup.clock.offset = timedelta(days=4)
    [_, reminder] = to(setup.smtp, ben["email"], 2)
    assert reminder.message["Subject"] == "Reminder: Q1 review from Northwind Advisory"
    link = LINK.search(reminder.text)
    assert link is not None and people[0]["invite_url"].endswith(link.group(1))
    # More rounds, a day later: the step went once.
    setup.clock.offset = timedelta(days=5)
    reminded = expect(api.post(f"/api/v1/assessments/{aid}/reminders"), 200)
    assert reminded == {"reminded": 1}  # by hand: a step of its own
    to(setup.smtp, ben["email"], 3)
    again = expect(api.post(f"/api/v1/assessments/{aid}/reminders"), 200)
    assert again == {"reminded": 0}  # the same day: not twice
    assert len(to(setup.smtp, cleo["email"])) == 1  # only her invitation


def test_an_opted_out_respondent_gets_no_reminder(setup: Setup, api: httpx.Client) -> None:
    aid = create_assessment(api)["id"]
    dee = person("Dee")
    [invited] = invite(api, aid, dee, send_invites=True)
    [mail] = to(setup.smtp, dee["email"])
    opt_out = OPT_OUT.search(mail.text)
    assert opt_out is not None
    browser = httpx.Client(base_url=setup.server.url, timeout=30)
    page = browser.get(opt_out.group(1))
    assert page.status_code == 200 and "Stop reminders?" in page.text
    token = CSRF.search(page.text)
    assert token is not None
    done = browser.post(opt_out.group(1), data={"csrf_token": token.group(1)})
    assert done.status_code == 200 and "no more reminders" in done.text
    assert browser.get("/mail/opt-out/rsp_nobody.forged").status_code == 404
    browser.close()
    listed = expect(api.get(f"/api/v1/assessments/{aid}/respondents"), 200)["respondents"]
    assert listed[0]["mail_opt_out_at"] is not None
    assert expect(api.post(f"/api/v1/assessments/{aid}/reminders"), 200) == {"reminded": 0}
    setup.clock.offset = timedelta(days=8)
    setup.smtp.wait_for(0, timeout=0.5)
    assert len(to(setup.smtp, dee["email"])) == 1
    assert invited["id"] == listed[0]["id"]


def test_a_reissued_link_keeps_the_answers_and_ends_the_old_one(
    setup: Setup, api: httpx.Client
) -> None:
    aid = create_assessment(api)["id"]
    eli = person("Eli")
    [old] = invite(api, aid, eli)
    expect(save_answers(api, aid, old["id"], {"plan_horizon": "week"}), 200)
    new = expect(
        api.post(
            f"/api/v1/assessments/{aid}/respondents/{old['id']}/invite-link",
            json={"send_invite": True},
        ),
        201,
    )
    assert new["invite_url"] != old["invite_url"] and new["answered_items"] == 1
    old_path = old["invite_url"].removeprefix("https://opsmaturity.test")
    assert httpx.get(setup.server.url + old_path, timeout=30).status_code == 404
    [mail] = to(setup.smtp, eli["email"])
    link = LINK.search(mail.text)
    assert link is not None and new["invite_url"].endswith(link.group(1))
    assert httpx.get(setup.server.url + link.group(1), timeout=30).status_code == 200
    answers = expect(api.get(f"/api/v1/assessments/{aid}/respondents/{old['id']}/answers"), 200)
    assert answers["answers"] == {"plan_horizon": "week"}


def test_the_next_round_copies_the_team_not_yet_invited(setup: Setup, api: httpx.Client) -> None:
    first = create_assessment(api)
    fay = person("Fay")
    invite(api, first["id"], fay, person("Gus"))
    second = create_assessment(
        api, first["client_id"], baseline_assessment_id=first["id"], copy_baseline_team=True
    )
    copied = expect(api.get(f"/api/v1/assessments/{second['id']}/respondents"), 200)
    people = copied["respondents"]
    assert [(p["name"], p["invited_at"], p["attributes"]) for p in people] == [
        ("Fay", None, {"role": "manager"}),
        ("Gus", None, {"role": "manager"}),
    ]
    # Not invited: no reminder by hand, no mail, until a link is sent.
    assert expect(api.post(f"/api/v1/assessments/{second['id']}/reminders"), 200) == {"reminded": 0}
    sent = expect(
        api.post(
            f"/api/v1/assessments/{second['id']}/respondents/{people[0]['id']}/invite-link",
            json={"send_invite": True, "personal_message": "Round two."},
        ),
        201,
    )
    assert sent["invited_at"] is not None and sent["mailed"] is True
    [mail] = to(setup.smtp, fay["email"])
    assert "Round two." in mail.text


def test_the_close_date_closes_and_tells_the_owner(setup: Setup, api: httpx.Client) -> None:
    closes = utc_now() + timedelta(days=2)
    assessment = create_assessment(api, closes_at=closes.isoformat(), title="Closing soon")
    invite(api, assessment["id"], person("Hal"))
    setup.clock.offset = timedelta(days=3)
    deadline = datetime.now() + timedelta(seconds=15)
    while expect(api.get(f"/api/v1/assessments/{assessment['id']}"), 200)["status"] != "closed":
        assert datetime.now() < deadline
        setup.smtp.wait_for(0, timeout=0.05)
    notices = [
        m for m in setup.smtp.received if m.message["Subject"] == "Closed on its date: Closing soon"
    ]
    deadline = datetime.now() + timedelta(seconds=15)
    while not notices:
        assert datetime.now() < deadline
        setup.smtp.wait_for(0, timeout=0.05)
        notices = [
            m
            for m in setup.smtp.received
            if m.message["Subject"] == "Closed on its date: Closing soon"
        ]
    assert "0 of 1 respondents" in notices[0].text


def _thank_you_mail(setup: Setup, respondent_id: str) -> list[MailMessage]:
    with unit_of_work(setup.server.app.state.runtime.database.engine) as session:
        return list(
            session.exec(
                select(MailMessage).where(
                    MailMessage.respondent_id == respondent_id,
                    MailMessage.template == "respondent_thanks",
                )
            )
        )


def test_a_thank_you_with_the_link_goes_once_to_those_who_ask(
    setup: Setup, api: httpx.Client
) -> None:
    aid = create_assessment(api)["id"]
    ivy, jo = person("Ivy"), person("Jo")
    kim = {"name": "Kim", "attributes": {"role": "manager"}}  # no e-mail
    people = invite(api, aid, ivy, jo, kim)  # links only: no invitation mail
    for one in people:
        expect(save_answers(api, aid, one["id"], FULL_ANSWERS), 200)
    paths = [one["invite_url"].removeprefix("https://opsmaturity.test") for one in people]
    offer = 'name="thanks" value="yes">'  # unticked
    browser = httpx.Client(base_url=setup.server.url, timeout=30)

    def submit(path: str, **fields: str) -> httpx.Response:
        review = browser.get(f"{path}/review")
        token = CSRF.search(review.text)
        assert review.status_code == 200 and token is not None
        done = browser.post(f"{path}/submit", data={"csrf_token": token.group(1), **fields})
        assert done.status_code == 303 and done.headers["location"] == f"{path}/done"
        return review

    first = submit(paths[0], thanks="yes")
    assert offer in first.text and "E-mail me a thank-you with my link" in first.text
    assert offer not in browser.get(f"{paths[0]}/review").text  # asked already
    submit(paths[0], thanks="yes")  # submitted again, the box posted again: still once
    assert offer in submit(paths[1]).text  # Jo leaves it unticked
    assert offer not in submit(paths[2]).text  # Kim has no e-mail to send it to
    [queued] = _thank_you_mail(setup, people[0]["id"])
    assert queued.to_address == ivy["email"] and queued.dedupe_key == f"thanks:{people[0]['id']}"
    [mail] = to(setup.smtp, ivy["email"])
    assert mail.message["Subject"] == "Thank you: Q1 review"
    assert f"https://opsmaturity.test{paths[0]}/done" in mail.text
    done = browser.get(f"{paths[0]}/done")
    assert done.status_code == 200 and f'href="{paths[0]}/review"' in done.text
    browser.close()
    assert _thank_you_mail(setup, people[1]["id"]) == []
    assert _thank_you_mail(setup, people[2]["id"]) == []
    listed = expect(api.get(f"/api/v1/assessments/{aid}/respondents"), 200)["respondents"]
    assert [one["status"] for one in listed] == ["submitted"] * 3
    setup.smtp.wait_for(0, timeout=0.5)
    assert [m for m in setup.smtp.received if jo["email"] in m.recipients] == []
