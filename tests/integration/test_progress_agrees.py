"""A finished respondent's "N of M" is the same in the API's answers, on their questionnaire
pages and in the console (scoring.answer_progress counts for all three), on both databases.

The respondent first says that misses are reviewed and describes the reviews, then changes
their mind: the follow-up about reviews is hidden again, its saved answer is kept but no
longer counts. Tools have no owner to speak of ("not applicable", which counts as answered),
and the optional comment is left empty: 9 of the 10 questions shown."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.integration.console_session import Console, signed_in
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer

SHOWN = 10  # the example's 11 items without the hidden follow-up (review_depth)
ANSWERED = 9  # all shown but the optional comment (improvement_idea)
N_OF_M = re.compile(r"(\d+) of (\d+) questions answered")


@dataclass(frozen=True, slots=True)
class Finished:
    console: Console
    assessment_id: str
    respondent_id: str
    token: str


@pytest.fixture
def finished(server: LiveServer) -> Iterator[Finished]:
    console = signed_in(server)
    aid = create_assessment(console.api, status="open")["id"]
    person = add_respondents(console.api, aid, "manager")[0]
    token = person["invite_token"]
    expect(save_answers(console.api, aid, person["id"], FULL_ANSWERS, token=token), 200)
    changed = {"missed_reviewed": "no", "tool_owner": "na"}
    expect(save_answers(console.api, aid, person["id"], changed, submit=True, token=token), 200)
    yield Finished(console, aid, person["id"], token)
    console.close()


def _answers(finished: Finished) -> dict[str, object]:
    path = (
        f"/api/v1/assessments/{finished.assessment_id}/respondents/{finished.respondent_id}/answers"
    )
    body: dict[str, object] = expect(finished.console.api.get(path), 200)
    return body


def test_the_questionnaire_pages_and_the_console_agree(finished: Finished) -> None:
    saved = _answers(finished)
    assert saved["status"] == "submitted"
    assert saved["answers"] == {**FULL_ANSWERS, "missed_reviewed": "no", "tool_owner": "na"}

    link = f"/r/{finished.token}"
    with httpx.Client(base_url=finished.console.browser.base_url, timeout=30) as respondent:
        # Submitted while the assessment is open: the answers can still be read and changed.
        for path in (f"{link}/review", f"{link}/page/1", f"{link}/page/2"):
            page = respondent.get(path)
            assert page.status_code == 200, path
            assert N_OF_M.findall(page.text) == [(str(ANSWERED), str(SHOWN))], path

    console_page = html.unescape(
        finished.console.browser.get(f"/console/assessments/{finished.assessment_id}").text
    )
    assert f"<td>{ANSWERED} of {SHOWN}</td>" in console_page


def test_the_api_answers_agree(finished: Finished) -> None:
    saved = _answers(finished)
    assert (saved["answered_items"], saved["item_count"]) == (ANSWERED, SHOWN)
