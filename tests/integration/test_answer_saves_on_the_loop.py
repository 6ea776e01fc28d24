"""A respondent changing answers in progress (autosave: the most common write, through the
API with their invite token or from their questionnaire page) is saved by the event loop
itself, with no database thread: on SQLite inline (app/persistence/sqlite_loop.py), on PostgreSQL over
the loop's asyncio connections (app/persistence/postgres_loop.py). A save that does more (a first save,
a submission, a change to counted answers) runs in a database thread on PostgreSQL; either
way its outcome is the same, and refused answers change nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import Engine, event

from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, expect
from tests.integration.flow import save_answers as save_through_api


@contextmanager
def statements_in_threads(engine: Engine) -> Iterator[list[str]]:
    """What the database threads' pool sends, from any thread."""
    sent: list[str] = []

    def note(*arguments: Any) -> None:
        sent.append(arguments[2].split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_save_in_progress_runs_with_no_database_thread(workspace: Workspace) -> None:
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person = add_respondents(api, assessment_id, "manager")[0]
    token = person["invite_token"]
    first = {"plan_horizon": "month", "plan_slack": "some", "late_share": 20}
    expect(save_through_api(api, assessment_id, person["id"], first, token=token), 200)
    engine = workspace.server.app.state.runtime.database.engine

    # One changed, one new (a list), one removed, one unchanged.
    change = {"plan_horizon": "week", "tools_in_use": ["tracker"], "plan_slack": None}
    with statements_in_threads(engine) as in_threads:
        saved = expect(
            save_through_api(
                api, assessment_id, person["id"], {**change, "late_share": 20}, token=token
            ),
            200,
        )
    assert in_threads == []
    expected = {"plan_horizon": "week", "late_share": 20, "tools_in_use": ["tracker"]}
    assert saved["answers"] == expected
    assert (saved["status"], saved["submitted_at"], saved["answered_items"]) == (
        "in_progress",
        None,
        3,
    )
    read_back = expect(
        api.get(f"/api/v1/assessments/{assessment_id}/respondents/{person['id']}/answers"), 200
    )
    assert read_back["answers"] == expected and read_back["status"] == "in_progress"

    # An API key's save is no respondent's autosave: it runs in a thread, and is audited.
    with statements_in_threads(engine) as in_threads:
        expect(save_through_api(api, assessment_id, person["id"], {"plan_slack": "some"}), 200)
    assert in_threads


def test_saves_that_change_results_move_them_and_saves_in_progress_do_not(
    workspace: Workspace,
) -> None:
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    counted, pending = add_respondents(api, assessment_id, "manager", "executive")
    answers = {"plan_horizon": "month", "plan_slack": "some", "late_share": 20}

    def results() -> Any:
        return expect(api.get(f"/api/v1/assessments/{assessment_id}/results"), 200)

    def save(person: dict[str, Any], change: dict[str, Any], *, submit: bool = False) -> Any:
        return expect(
            save_through_api(
                api,
                assessment_id,
                person["id"],
                change,
                submit=submit,
                token=person["invite_token"],
            ),
            200,
        )

    save(counted, answers)
    save(counted, {"late_share": 25})
    assert save(counted, {}, submit=True)["status"] == "submitted"
    save(pending, {"plan_horizon": "none"})
    before = results()

    save(pending, {"plan_horizon": "quarter"})  # not counted: the results stay as they were
    assert results() == before

    resaved = save(counted, {"plan_horizon": "quarter"})  # counted: they change
    assert resaved["status"] == "submitted" and resaved["submitted_at"] is not None
    assert results() != before


def test_refused_answers_change_nothing_and_the_next_save_goes_through(
    workspace: Workspace,
) -> None:
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person = add_respondents(api, assessment_id, "manager")[0]
    token = person["invite_token"]
    expect(save_through_api(api, assessment_id, person["id"], {"late_share": 20}, token=token), 200)

    refused = expect(
        save_through_api(
            api,
            assessment_id,
            person["id"],
            {"late_share": 30, "plan_horizon": "decade"},
            token=token,
        ),
        422,
    )
    assert "answers.plan_horizon" in str(refused)
    saved = expect(
        save_through_api(api, assessment_id, person["id"], {"late_share": 35}, token=token), 200
    )
    assert saved["answers"] == {"late_share": 35}

    expect(api.post(f"/api/v1/assessments/{assessment_id}/close"), 200)
    closed = expect(
        save_through_api(api, assessment_id, person["id"], {"late_share": 40}, token=token), 409
    )
    assert "closed" in closed["detail"]
    read_back = expect(
        api.get(f"/api/v1/assessments/{assessment_id}/respondents/{person['id']}/answers"), 200
    )
    assert read_back["answers"] == {"late_share": 35}


def test_an_autosave_from_the_questionnaire_page_runs_with_no_database_thread(
    workspace: Workspace,
) -> None:
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person = add_respondents(api, assessment_id, "manager")[0]
    link = "/r/" + person["invite_url"].rsplit("/", 1)[1]
    engine = workspace.server.app.state.runtime.database.engine

    with httpx.Client(base_url=workspace.server.url, timeout=30) as browser:
        page = browser.get(f"{link}/page/2")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text[:300]
        headers = {"X-CSRF-Token": found.group(1)}

        def autosave(fields: dict[str, Any]) -> httpx.Response:
            return browser.post(f"{link}/autosave", data=fields, headers=headers)

        first = autosave({"item": "manual_hours", "a.manual_hours": "3"})  # invited: a thread
        assert expect(first, 200)["answered"] == 1
        with statements_in_threads(engine) as in_threads:
            saved = autosave(
                {"item": "tools_in_use", "a.tools_in_use": ["tracker"], "m.tools_in_use": "1"}
            )
        assert in_threads == []
        body = expect(saved, 200)
        assert body["saved"] is True and body["error"] is None and body["answered"] == 2
        assert "review_depth" in body["hidden"]

        refused = autosave({"item": "manual_hours", "a.manual_hours": "-5"})
        assert refused.status_code == 422
        assert refused.json()["saved"] is False and refused.json()["error"]
        unknown = autosave({"item": "no_such_item"})
        assert unknown.status_code == 422 and unknown.json()["error"] == "no such question"

    read_back = expect(
        api.get(f"/api/v1/assessments/{assessment_id}/respondents/{person['id']}/answers"), 200
    )
    assert read_back["answers"] == {"manual_hours": 3, "tools_in_use": ["tracker"]}
    assert read_back["status"] == "in_progress"
