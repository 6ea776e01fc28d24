"""The default rate limits meet an office, on SQLite and PostgreSQL: a leadership team of 30
answers together from one address (behind a trusted proxy), as sized in
app/observability/rate_limits.py.

The limiter's clock is held still, so that every request of a test falls into one minute:
the strictest case (a session compressed into a minute), and no test depends on how long
its requests take.
"""

from __future__ import annotations

import math
import re
import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.observability.rate_limit_counts import MemoryCounts
from app.observability.rate_limits import RateLimitMiddleware
from app.settings import Settings
from tests.integration.conftest import Workspace, new_workspace
from tests.integration.databases import fresh_database
from tests.integration.flow import add_respondents, create_assessment, expect
from tests.integration.live_server import LiveServer, running_server

OFFICE_SIZE = 30
PER_LINK: int = Settings.model_fields["rate_limit_respondent_per_minute"].default
PER_ADDRESS: int = Settings.model_fields["rate_limit_respondent_address_per_minute"].default
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# What one respondent's browser sends for the example package, page by page: app.js autosaves
# each change (a changed mind, each box ticked), then "Save and continue" posts the page.
PAGES: list[list[tuple[str, dict[str, str | list[str]]]]] = [
    [
        ("plan_horizon", {"a.plan_horizon": "week"}),
        ("plan_horizon", {"a.plan_horizon": "month"}),  # a changed mind
        ("plan_slack", {"a.plan_slack": "some"}),
        ("late_share", {"a.late_share": "20"}),
        ("missed_reviewed", {"a.missed_reviewed": "yes"}),
        ("review_depth", {"a.review_depth": "cause"}),
    ],
    [
        ("tools_in_use", {"a.tools_in_use": ["tracker"], "m.tools_in_use": "1"}),
        ("tools_in_use", {"a.tools_in_use": ["tracker", "runbook"], "m.tools_in_use": "1"}),
        ("manual_hours", {"a.manual_hours": "3"}),
        ("tool_owner", {"a.tool_owner": "volunteer"}),
    ],
    [
        ("weekly_review", {"a.weekly_review": "weekly"}),
        ("meeting_load", {"a.meeting_load": "some"}),
        ("improvement_idea", {"a.improvement_idea": "Fewer status meetings"}),
    ],
]
# welcome; per page its GET, autosaves and POST; review; submit; thank-you
REQUESTS_PER_SESSION = 1 + sum(len(page) + 2 for page in PAGES) + 3


class StillClock:
    """The limiter's clock: still, until a test moves it to a minute of its own."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def next_minute(self) -> None:
        """One second into a minute whose previous minute no test counted in."""
        self.now = (math.floor(self.now / 60) + 2) * 60 + 1.0


def rate_limit_counts(app: FastAPI) -> MemoryCounts:
    for middleware in app.user_middleware:
        if middleware.cls is RateLimitMiddleware:
            counts = middleware.kwargs["counts"]
            assert isinstance(counts, MemoryCounts)
            return counts
    raise AssertionError("no rate limits on this app")


@pytest.fixture(scope="module")
def office_server(
    backend: str, tmp_path_factory: pytest.TempPathFactory, questionnaires_dir: Path
) -> Iterator[tuple[LiveServer, StillClock]]:
    """The default limits, counted in this process, behind a trusted proxy on loopback."""
    clock = StillClock()
    with fresh_database(backend, tmp_path_factory.mktemp(f"office-{backend}")) as url:
        settings = Settings(
            environment="test",
            database_url=url,
            questionnaires_dir=questionnaires_dir,
            base_url="http://127.0.0.1",
            secure_cookies=False,
            trusted_proxies="127.0.0.1",
        )
        with running_server(settings) as live:
            rate_limit_counts(live.app).clock = clock
            yield live, clock


@dataclass(frozen=True)
class Office:
    workspace: Workspace
    assessment_id: str
    respondent_ids: list[str]
    tokens: list[str]  # each respondent's invite token, in the same order

    def submitted(self) -> int:
        path = f"/api/v1/assessments/{self.assessment_id}/respondents"
        people = expect(self.workspace.api.get(path), 200)["respondents"]
        return sum(person["status"] == "submitted" for person in people)


@pytest.fixture
def office(office_server: tuple[LiveServer, StillClock]) -> Iterator[Office]:
    """A workspace with an open assessment for its 30 respondents, in a minute of this test's
    own."""
    server, clock = office_server
    clock.next_minute()
    workspace = new_workspace(server, "Office firm")
    assessment = create_assessment(workspace.api, status="open")
    people = add_respondents(workspace.api, assessment["id"], *["executive"] * OFFICE_SIZE)
    yield Office(
        workspace,
        assessment["id"],
        [person["id"] for person in people],
        [person["invite_url"].rsplit("/", 1)[1] for person in people],
    )
    workspace.api.close()


def office_address() -> str:
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def browser(server: LiveServer, address: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"X-Forwarded-For": address}, timeout=60)


def answer_the_questionnaire(server: LiveServer, address: str, token: str) -> list[int]:
    """One respondent's whole session as their browser sends it; the status of each request."""
    base = f"/r/{token}"
    statuses: list[int] = []

    with browser(server, address) as client:

        def sent(response: httpx.Response) -> httpx.Response:
            statuses.append(response.status_code)
            return response

        def follow(response: httpx.Response) -> httpx.Response:
            assert response.status_code == 303, (response.status_code, response.text[:300])
            return sent(client.get(response.headers["location"]))

        sent(client.get(base))
        page = sent(client.get(f"{base}/page/1"))
        for number, changes in enumerate(PAGES, start=1):
            match = CSRF.search(page.text)
            assert match, (page.status_code, page.text[:300])
            token_field = match.group(1)
            form: dict[str, str | list[str]] = {"csrf_token": token_field, "go": "next"}
            for item, fields in changes:
                saved = sent(
                    client.post(
                        f"{base}/autosave",
                        data={"item": item, **fields},
                        headers={"X-CSRF-Token": token_field, "Accept": "application/json"},
                    )
                )
                assert saved.status_code == 429 or saved.json()["saved"], saved.text
                form.update(fields)
            page = follow(sent(client.post(f"{base}/page/{number}", data=form)))
        assert page.url.path == f"{base}/review", page.url
        submit_form = {"csrf_token": CSRF.search(page.text).group(1)}  # type: ignore[union-attr]
        done = follow(sent(client.post(f"{base}/submit", data=submit_form)))
        assert "Thank you" in done.text
    assert len(statuses) == REQUESTS_PER_SESSION
    return statuses


def answer_together(server: LiveServer, address: str, tokens: list[str]) -> list[list[int]]:
    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        return list(
            pool.map(lambda token: answer_the_questionnaire(server, address, token), tokens)
        )


def test_the_arithmetic_of_the_defaults() -> None:
    """The sizing in app/observability/rate_limits.py: a whole session of the example package
    by all 30 in one minute stays below the address's ceiling, and one session below a link's."""
    assert REQUESTS_PER_SESSION == 23
    assert OFFICE_SIZE * REQUESTS_PER_SESSION < PER_ADDRESS
    assert REQUESTS_PER_SESSION < PER_LINK


def test_thirty_respondents_in_one_office_answer_together_without_a_refusal(
    office_server: tuple[LiveServer, StillClock], office: Office
) -> None:
    server, _ = office_server
    sessions = answer_together(server, office_address(), office.tokens)
    refused = [status for statuses in sessions for status in statuses if status == 429]
    assert refused == []
    assert office.submitted() == OFFICE_SIZE


def test_one_hammered_link_is_refused_while_the_office_answers(
    office_server: tuple[LiveServer, StillClock], office: Office
) -> None:
    """A link reloaded in a loop is refused once past its own limit, on its pages, its
    autosave and the API with its token; its refused requests do not spend the address's
    allowance, so the other 29 answer without a refusal."""
    server, _ = office_server
    hammered, colleagues = office.tokens[0], office.tokens[1:]
    address = office_address()
    hammering = 5 * PER_LINK
    # Were refused requests counted for the address, the colleagues would meet its ceiling.
    assert len(colleagues) * REQUESTS_PER_SESSION + hammering > PER_ADDRESS
    with browser(server, address) as loop:
        statuses = [loop.get(f"/r/{hammered}").status_code for _ in range(hammering)]
        assert statuses == [200] * PER_LINK + [429] * (hammering - PER_LINK)
        page = loop.get(f"/r/{hammered}/page/1")
        assert page.status_code == 429
        assert 1 <= int(page.headers["retry-after"]) <= 2 * 60  # the hammering pushed it on
        assert "This link was used for many requests" in page.text
        autosave = loop.post(f"/r/{hammered}/autosave", headers={"Accept": "application/json"})
        assert autosave.status_code == 429
        assert autosave.json()["saved"] is False
        # The API counts the token as the same link.
        own_answers = (
            f"/api/v1/assessments/{office.assessment_id}/respondents/"
            f"{office.respondent_ids[0]}/answers"
        )
        api = loop.get(own_answers, headers={"Authorization": f"Bearer {hammered}"})
        assert api.status_code == 429
        assert api.headers["content-type"].startswith("application/problem+json")
        assert api.json()["detail"].startswith("This link sent more than")
        colleague_answers = (
            f"/api/v1/assessments/{office.assessment_id}/respondents/"
            f"{office.respondent_ids[1]}/answers"
        )
        colleague = loop.get(
            colleague_answers, headers={"Authorization": f"Bearer {colleagues[0]}"}
        )
        assert colleague.status_code == 200, colleague.text

    sessions = answer_together(server, address, colleagues)
    assert [s for statuses in sessions for s in statuses if s == 429] == []
    assert office.submitted() == len(colleagues)


def test_the_address_ceiling_refuses_many_links_from_one_address(
    office_server: tuple[LiveServer, StillClock],
) -> None:
    """Requests spread over many links (a scraper trying made-up links) meet the address's
    ceiling; another address is not affected."""
    server, clock = office_server
    clock.next_minute()
    address = office_address()
    with browser(server, address) as scraper:
        for n in range(PER_ADDRESS):
            assert scraper.get(f"/r/om_inv_made_up_{n}").status_code == 404
        refused = scraper.get("/r/om_inv_made_up_again")
        assert refused.status_code == 429
        assert "from your network" in refused.text
    with browser(server, office_address()) as neighbour:
        assert neighbour.get("/r/om_inv_made_up_again").status_code == 404
