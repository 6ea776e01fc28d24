"""An answer save is the service's hottest write: it reads and locks in one statement and
writes in as few as the change needs, on both databases. A round trip more per save costs
the API a share of its throughput (bench/api_bench.py), so the count is pinned here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event

from app.models import utc_now
from app.persistence.steps import run_in_session
from app.persistence.unit_of_work import unit_of_work
from app.services.answers import RespondentAnswersState, invited_save, save_answers
from app.services.credentials import hash_secret
from app.services.errors import AuthenticationError, NotFoundError
from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, expect
from tests.integration.flow import save_answers as save_through_api


@contextmanager
def statements_of_this_thread(engine: Engine) -> Iterator[list[str]]:
    """The SQL verbs this thread sends (the server's own threads keep working meanwhile)."""
    thread = threading.get_ident()
    verbs: list[str] = []

    def note(*arguments: Any) -> None:
        statement: str = arguments[2]
        if threading.get_ident() == thread:
            verbs.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield verbs
    finally:
        event.remove(engine, "before_cursor_execute", note)


WRITES_OF = {"sqlite": ["SELECT", "DELETE", "INSERT", "UPDATE"], "postgresql": ["SELECT", "WITH"]}


def test_a_save_reads_once_and_writes_only_what_changed(workspace: Workspace) -> None:
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person = add_respondents(api, assessment_id, "manager")[0]
    first = {"plan_horizon": "month", "plan_slack": "some", "late_share": 20}
    expect(
        save_through_api(api, assessment_id, person["id"], first, token=person["invite_token"]), 200
    )
    app_state = workspace.server.app.state

    with (
        statements_of_this_thread(app_state.runtime.database.engine) as verbs,
        unit_of_work(app_state.runtime.database.engine, writes=True) as session,
    ):
        state = save_answers(
            session=session,
            catalog=app_state.runtime.catalog,
            workspace_id=workspace.id,
            actor=f"respondent:{person['id']}",
            by_consultant=False,
            assessment_id=assessment_id,
            respondent_id=person["id"],
            # one changed, one new, one removed, one unchanged
            changes={
                "plan_horizon": "week",
                "manual_hours": 3,
                "plan_slack": None,
                "late_share": 20,
            },
            submit=False,
            now=utc_now(),
        )

    expected_answers = {"plan_horizon": "week", "late_share": 20, "manual_hours": 3}
    assert dict(state.answers) == expected_answers
    # BEGIN IMMEDIATE on SQLite is the write lock, not a query. PostgreSQL writes in one
    # statement (WITH removed, written UPDATE respondent).
    assert [verb for verb in verbs if verb != "BEGIN"] == WRITES_OF[
        app_state.runtime.database.engine.dialect.name
    ]
    saved = expect(
        api.get(f"/api/v1/assessments/{assessment_id}/respondents/{person['id']}/answers"), 200
    )
    assert saved["answers"] == expected_answers and saved["status"] == "in_progress"


def test_a_first_save_of_a_respondent_with_no_answers(workspace: Workspace) -> None:
    """The read joins the answers outward: a respondent with none is still found."""
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person = add_respondents(api, assessment_id, "manager")[0]
    response = save_through_api(
        api, assessment_id, person["id"], {"plan_horizon": "week"}, token=person["invite_token"]
    )
    assert expect(response, 200)["answers"] == {"plan_horizon": "week"}


def test_an_invite_token_is_checked_by_the_read_that_locks(workspace: Workspace) -> None:
    """A save by an invite token makes no query of its own to authenticate it; an unknown
    token or another respondent's is still refused, and nothing changes."""
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person, other = add_respondents(api, assessment_id, "manager", "manager")
    app_state = workspace.server.app.state

    def save(token: str, respondent_id: str) -> RespondentAnswersState:
        invited = invited_save(
            catalog=app_state.runtime.catalog,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            changes={"plan_horizon": "week"},
            submit=False,
            now=utc_now(),
        )
        with unit_of_work(app_state.runtime.database.engine, writes=True) as session:
            return run_in_session(session, invited(hash_secret(token)))

    with statements_of_this_thread(app_state.runtime.database.engine) as verbs:
        state = save(person["invite_token"], person["id"])
    assert state.workspace_id == workspace.id and dict(state.answers) == {"plan_horizon": "week"}
    queries = [verb for verb in verbs if verb != "BEGIN"]
    assert queries[0] == "SELECT" and queries.count("SELECT") == 1, verbs

    with pytest.raises(AuthenticationError):
        save("om_inv_" + "x" * 43, person["id"])
    with pytest.raises(NotFoundError):
        save(other["invite_token"], person["id"])
    with pytest.raises(NotFoundError):
        save(person["invite_token"], person["id"] + "x")
    untouched = expect(
        api.get(f"/api/v1/assessments/{assessment_id}/respondents/{other['id']}/answers"), 200
    )
    assert untouched["answers"] == {} and untouched["status"] == "invited"
