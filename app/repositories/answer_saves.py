"""SQL of an answer save, the hottest write of the service, as steps (app/persistence/steps.py):
the locking read that finds the respondent, and the statements that write their answers.
Plain Core statements, built once with bound parameters, so each save skips the ORM and the
building of its SQL."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, text, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session

from app.models import Answer, Assessment, Respondent
from app.models.columns import UtcDateTime
from app.models.tables import table_of
from app.persistence.steps import Execute, Rows

__all__ = [
    "AnswerTarget",
    "answer_changes",
    "answer_target",
    "keep_loaded_respondent_in_step",
    "lock_target_by_link",
    "lock_target_in_workspace",
    "lock_target_of_invitee",
]

_ANSWER = table_of(Answer)
_RESPONDENT = table_of(Respondent)
_ASSESSMENT = table_of(Assessment)


def _lock_answer_target_where(*respondent_found_by: Any) -> Any:
    """The locking read of a save (see AnswerTarget below), for the respondent found by
    `respondent_found_by`."""
    return (
        select_columns(
            _RESPONDENT.c.id,
            _RESPONDENT.c.assessment_id,
            _RESPONDENT.c.status,
            _RESPONDENT.c.submitted_at,
            _ASSESSMENT.c.status,
            _ASSESSMENT.c.questionnaire_id,
            _ASSESSMENT.c.questionnaire_version,
            _ASSESSMENT.c.content_hash,
            _RESPONDENT.c.workspace_id,
            _ANSWER.c.item_id,
            _ANSWER.c.value,
        )
        .select_from(
            _RESPONDENT.join(
                _ASSESSMENT,
                and_(
                    _ASSESSMENT.c.id == _RESPONDENT.c.assessment_id,
                    _ASSESSMENT.c.workspace_id == _RESPONDENT.c.workspace_id,
                ),
            ).outerjoin(_ANSWER, _ANSWER.c.respondent_id == _RESPONDENT.c.id)
        )
        .where(*respondent_found_by)
        # The assessment first, as every writer of both takes them. SQLite has one writer at
        # a time (BEGIN IMMEDIATE) and needs no row locks.
        .suffix_with(
            "FOR KEY SHARE OF assessment FOR NO KEY UPDATE OF respondent", dialect="postgresql"
        )
    )


_BY_TOKEN = _RESPONDENT.c.invite_token_hash == bindparam("invite_token_hash")
_IN_ASSESSMENT = (
    _RESPONDENT.c.assessment_id == bindparam("assessment_id"),
    _RESPONDENT.c.id == bindparam("respondent_id"),
)
_LOCK_ANSWER_TARGET = {
    "workspace_id": _lock_answer_target_where(
        _RESPONDENT.c.workspace_id == bindparam("workspace_id"), *_IN_ASSESSMENT
    ),
    "invite_token_hash": _lock_answer_target_where(_BY_TOKEN, *_IN_ASSESSMENT),
}
# The respondent's own pages know only the token in their link.
_LOCK_ANSWER_TARGET_BY_LINK = _lock_answer_target_where(_BY_TOKEN)

_REMOVE_ANSWERS = delete(_ANSWER).where(
    _ANSWER.c.respondent_id == bindparam("respondent_id"),
    _ANSWER.c.item_id.in_(bindparam("item_ids", expanding=True)),
)


def _upsert_answers(dialect_insert: Any) -> Any:
    """New answers and changed ones in one statement (one round trip for all of them)."""
    statement = dialect_insert(_ANSWER)
    return statement.on_conflict_do_update(
        index_elements=[_ANSWER.c.respondent_id, _ANSWER.c.item_id],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )


_UPSERT_ANSWERS = {
    "postgresql": _upsert_answers(postgresql_insert),
    "sqlite": _upsert_answers(sqlite_insert),
}
_RECORD_PROGRESS = (
    update(_RESPONDENT)
    .where(_RESPONDENT.c.id == bindparam("respondent_id"))
    .values(
        status=bindparam("status"),
        submitted_at=bindparam("submitted_at"),
        updated_at=bindparam("now"),
    )
)
# On PostgreSQL a save's writes are one statement: one round trip, where executemany would
# take psycopg's pipeline, which costs more CPU than the trips it saves. The values arrive
# as JSON text, as SQLAlchemy's JSON type would send them; the rows of data-modifying CTEs
# are disjoint (removed items have no value), as PostgreSQL requires.
_SAVE_ANSWER_CHANGES_POSTGRESQL = text(
    """
    WITH removed AS (
        DELETE FROM answer
        WHERE respondent_id = :respondent_id AND item_id = ANY(CAST(:removed_items AS text[]))
    ), written AS (
        INSERT INTO answer (respondent_id, item_id, value, updated_at)
        SELECT :respondent_id, item_id, CAST(value AS json), :now
        FROM unnest(CAST(:written_items AS text[]), CAST(:written_values AS text[]))
            AS change (item_id, value)
        ON CONFLICT (respondent_id, item_id)
        DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
    )
    UPDATE respondent SET status = :status, submitted_at = :submitted_at, updated_at = :now
    WHERE id = :respondent_id
    """
).bindparams(bindparam("now", type_=UtcDateTime()), bindparam("submitted_at", type_=UtcDateTime()))


@dataclass(frozen=True, slots=True)
class AnswerTarget:
    """A respondent whose answers are being saved, and what the save needs of the assessment."""

    respondent_id: str
    assessment_id: str
    status: str
    submitted_at: datetime | None
    assessment_status: str
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    workspace_id: str
    answers: Mapping[str, Any]  # item id -> saved value


# The locking reads: the respondent with their assessment and saved answers, in one statement
# that on PostgreSQL also locks both rows: the respondent's (FOR NO KEY UPDATE), so that one
# respondent's saves run one after another and their merges never interleave; the
# assessment's (FOR KEY SHARE), so that many saves run together and a status change (FOR
# UPDATE) never slips between them. `answer_target` reads their rows.


def lock_target_in_workspace(*, workspace_id: str, assessment_id: str, respondent_id: str) -> Rows:
    """The respondent in the assessment, looked for in `workspace_id`."""
    values = {
        "workspace_id": workspace_id,
        "assessment_id": assessment_id,
        "respondent_id": respondent_id,
    }
    return Rows(_LOCK_ANSWER_TARGET["workspace_id"], values)


def lock_target_of_invitee(
    *, invite_token_hash: str, assessment_id: str, respondent_id: str
) -> Rows:
    """The respondent in the assessment, as the holder of the invite token with this hash:
    the statement authenticates the token too."""
    values = {
        "invite_token_hash": invite_token_hash,
        "assessment_id": assessment_id,
        "respondent_id": respondent_id,
    }
    return Rows(_LOCK_ANSWER_TARGET["invite_token_hash"], values)


def lock_target_by_link(*, invite_token_hash: str) -> Rows:
    """The respondent whose link holds the token (the respondent's own pages)."""
    return Rows(_LOCK_ANSWER_TARGET_BY_LINK, {"invite_token_hash": invite_token_hash})


def answer_target(rows: Sequence[Sequence[Any]]) -> AnswerTarget | None:
    """The target found by a locking read; None when it found no respondent."""
    if not rows:
        return None
    # One row per saved answer (one row with no answer when there are none).
    answers = {row[9]: row[10] for row in rows if row[9] is not None}
    first = rows[0]
    return AnswerTarget(
        respondent_id=first[0],
        assessment_id=first[1],
        status=first[2],
        submitted_at=first[3],
        assessment_status=first[4],
        questionnaire_id=first[5],
        questionnaire_version=first[6],
        content_hash=first[7],
        workspace_id=first[8],
        answers=answers,
    )


def answer_changes(
    dialect: str,
    *,
    respondent_id: str,
    existing: Mapping[str, Any],
    changes: Mapping[str, Any],
    status: str,
    submitted_at: datetime | None,
    now: datetime,
) -> list[Execute]:
    """The statements that apply changes to one respondent's saved answers (a value sets it,
    None removes it, an unchanged value is left alone) and set the respondent's status and
    times. The caller holds the respondent's row lock, so `existing` is current. On
    PostgreSQL it is one statement."""
    removed = [item for item, value in changes.items() if value is None and item in existing]
    written = {
        item: value
        for item, value in changes.items()
        if value is not None and (item not in existing or existing[item] != value)
    }
    progress = {
        "respondent_id": respondent_id,
        "status": status,
        "submitted_at": submitted_at,
        "now": now,
    }
    if dialect == "postgresql":
        values = {
            **progress,
            "removed_items": removed,
            "written_items": list(written),
            "written_values": [json.dumps(value) for value in written.values()],
        }
        return [Execute(_SAVE_ANSWER_CHANGES_POSTGRESQL, [values])]
    steps = []
    if removed:
        steps.append(
            Execute(_REMOVE_ANSWERS, [{"respondent_id": respondent_id, "item_ids": removed}])
        )
    if written:
        rows = [
            {"respondent_id": respondent_id, "item_id": item, "value": value, "updated_at": now}
            for item, value in written.items()
        ]
        steps.append(Execute(_UPSERT_ANSWERS[dialect], rows))
    steps.append(Execute(_RECORD_PROGRESS, [progress]))
    return steps


def keep_loaded_respondent_in_step(
    session: Session,
    *,
    respondent_id: str,
    status: str,
    submitted_at: datetime | None,
    now: datetime,
) -> None:
    """After a save in `session`: a Respondent row the session has loaded (a page holding
    the respondent) takes the saved status and times."""
    if not len(session.identity_map):  # empty on the API's path: skip building the key
        return
    loaded = session.identity_map.get(identity_key(Respondent, respondent_id))
    if loaded is not None:
        values = {"status": status, "submitted_at": submitted_at, "updated_at": now}
        for name, value in values.items():
            set_committed_value(loaded, name, value)
