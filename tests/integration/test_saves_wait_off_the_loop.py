"""A save that has to wait for a lock held elsewhere waits in a database thread: the event
loop goes on serving everyone else. On SQLite an invite-token save runs from the event loop
itself when the write lock is free (app/persistence/sqlite_loop.py); taken by another connection, the
save gives up there at once and waits in a thread. On PostgreSQL an invite-token save in
progress runs over the loop's own connections (app/persistence/postgres_loop.py), and a row lock held
by another transaction makes it give its connection back after a moment and wait in a
thread."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
from sqlalchemy import event

from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, expect
from tests.integration.flow import save_answers as save_through_api


def _hold_the_lock(connection: Any, dialect: str, respondent_id: str) -> None:
    cursor = connection.cursor()
    if dialect == "sqlite":
        cursor.execute("BEGIN IMMEDIATE")  # the database's write lock
    else:
        cursor.execute("SELECT 1 FROM respondent WHERE id = %s FOR UPDATE", (respondent_id,))


def test_a_save_waiting_for_a_lock_holds_up_no_other_request(workspace: Workspace) -> None:
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person = add_respondents(api, assessment_id, "manager")[0]
    token = person["invite_token"]
    expect(save_through_api(api, assessment_id, person["id"], {"late_share": 20}, token=token), 200)
    engine = workspace.server.app.state.runtime.database.engine
    saved: list[httpx.Response] = []

    def save() -> None:
        with httpx.Client(base_url=workspace.server.url, timeout=60) as respondent:
            saved.append(
                save_through_api(
                    respondent,
                    assessment_id,
                    person["id"],
                    {"plan_horizon": "week"},
                    token=token,
                )
            )

    holder = engine.raw_connection()
    try:
        _hold_the_lock(holder, engine.dialect.name, person["id"])
        saving = threading.Thread(target=save)
        saving.start()
        time.sleep(0.5)  # time for the save to reach the lock (no figure is asserted)
        # Served while the save waits: a loop stuck in SQLite's busy handler would answer
        # only once the lock was let go, long after this client gives up.
        with httpx.Client(
            base_url=workspace.server.url, headers=api.headers, timeout=5
        ) as impatient:
            expect(impatient.get("/healthz"), 200)
            expect(impatient.get(f"/api/v1/assessments/{assessment_id}"), 200)
        assert saving.is_alive(), "the save did not wait for the lock"
    finally:
        holder.rollback()
        holder.close()
    saving.join(timeout=60)
    expected = {"late_share": 20, "plan_horizon": "week"}
    assert expect(saved[0], 200)["answers"] == expected
    answers = expect(
        api.get(f"/api/v1/assessments/{assessment_id}/respondents/{person['id']}/answers"), 200
    )
    assert answers["answers"] == expected


def test_on_sqlite_an_invite_save_runs_inline_in_the_loop(workspace: Workspace) -> None:
    api = workspace.api
    assessment_id = create_assessment(api)["id"]
    person = add_respondents(api, assessment_id, "manager")[0]
    state = workspace.server.app.state
    if state.runtime.database.engine.dialect.name != "sqlite":
        assert state.runtime.database.inline_engine is None
        return
    on_the_loop: list[str] = []

    def note(*arguments: Any) -> None:
        on_the_loop.append(arguments[2].split(None, 1)[0].upper())

    event.listen(state.runtime.database.inline_engine, "before_cursor_execute", note)
    try:
        expect(
            save_through_api(
                api,
                assessment_id,
                person["id"],
                {"plan_horizon": "week"},
                token=person["invite_token"],
            ),
            200,
        )
        # An API key's save is no short write: it runs in a thread.
        expect(save_through_api(api, assessment_id, person["id"], {"plan_slack": "some"}), 200)
    finally:
        event.remove(state.runtime.database.inline_engine, "before_cursor_execute", note)
    assert on_the_loop[:2] == ["BEGIN", "SELECT"] and on_the_loop.count("SELECT") == 1, on_the_loop
