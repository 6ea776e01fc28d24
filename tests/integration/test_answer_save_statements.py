"""An answer save is the service's hottest write: it reads and locks in one statement and
writes in as few as the change needs, on both databases. A round trip more per save costs
the API a share of its throughput (bench/api_bench.py), so the count is pinned here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from app.models import utc_now
from app.repositories.transaction import transaction
from app.services.answers import save_answers
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
        statements_of_this_thread(app_state.engine) as verbs,
        transaction(app_state.engine, writes=True) as session,
    ):
        state = save_answers(
            session=session,
            catalog=app_state.catalog,
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
    # BEGIN IMMEDIATE on SQLite is the write lock, not a query.
    assert [verb for verb in verbs if verb != "BEGIN"] == ["SELECT", "DELETE", "INSERT", "UPDATE"]
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
