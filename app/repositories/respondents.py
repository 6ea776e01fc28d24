"""SQL for respondents and their answers. Every query is scoped by workspace."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, text, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from app.models import Answer, Assessment, Respondent
from app.models.columns import UtcDateTime
from app.persistence.postgres_loop import LoopTransaction

__all__ = [
    "AnswerTarget",
    "InviteHolder",
    "RespondentWithProgress",
    "SubmittedAnswers",
    "add_respondents",
    "answers_of",
    "count_by_status",
    "delete_respondent",
    "find_respondent_by_invite_hash",
    "get_respondent",
    "list_respondents",
    "lock_answer_target",
    "lock_answer_target_by_link",
    "lock_invited_answer_target",
    "save_answer_changes",
    "save_answer_changes_on_postgresql",
    "submitted_answers",
]


@dataclass(frozen=True, slots=True)
class RespondentWithProgress:
    respondent: Respondent
    answered_items: int


@dataclass(frozen=True, slots=True)
class SubmittedAnswers:
    respondent_id: str
    attributes: Mapping[str, str]
    answers: Mapping[str, Any]


def add_respondents(session: Session, respondents: Iterable[Respondent]) -> None:
    session.add_all(list(respondents))
    session.flush()


def get_respondent(
    session: Session,
    *,
    workspace_id: str,
    assessment_id: str,
    respondent_id: str,
    lock: bool = False,
) -> Respondent | None:
    """With `lock`, hold the row (FOR NO KEY UPDATE on PostgreSQL) so that saves of one
    respondent's answers run one after another and their merges never interleave."""
    statement = select(Respondent).where(
        Respondent.workspace_id == workspace_id,
        Respondent.assessment_id == assessment_id,
        Respondent.id == respondent_id,
    )
    if lock:
        statement = statement.with_for_update(key_share=True)
    return session.exec(statement).first()


@dataclass(frozen=True, slots=True)
class InviteHolder:
    """What authentication needs of the respondent an invite token belongs to."""

    id: str
    workspace_id: str
    assessment_id: str


def find_respondent_by_invite_hash(session: Session, token_hash: str) -> InviteHolder | None:
    row = session.connection().execute(_FIND_BY_INVITE_HASH, {"token_hash": token_hash}).first()
    return None if row is None else InviteHolder(*row)


def list_respondents(
    session: Session, *, workspace_id: str, assessment_id: str
) -> list[RespondentWithProgress]:
    answered = (
        select(Answer.respondent_id, func.count().label("answered"))
        .group_by(col(Answer.respondent_id))
        .subquery()
    )
    statement = (
        select(Respondent, func.coalesce(answered.c.answered, 0))
        .outerjoin(answered, answered.c.respondent_id == Respondent.id)
        .where(Respondent.workspace_id == workspace_id, Respondent.assessment_id == assessment_id)
        .order_by(col(Respondent.created_at), col(Respondent.id))
    )
    return [RespondentWithProgress(row[0], int(row[1])) for row in session.exec(statement).all()]


def count_by_status(session: Session, *, assessment_id: str) -> dict[str, int]:
    statement = (
        select(Respondent.status, func.count())
        .where(Respondent.assessment_id == assessment_id)
        .group_by(col(Respondent.status))
    )
    return {status: int(count) for status, count in session.exec(statement).all()}


def delete_respondent(session: Session, respondent: Respondent) -> None:
    """Their answers go with them (ON DELETE CASCADE)."""
    session.delete(respondent)
    session.flush()


# Plain Core statements for the answer-saving path, the hottest write of the service: built
# once with bound parameters, so each save skips the ORM and the building of its SQL.
_ANSWER = Answer.__table__  # type: ignore[attr-defined]
_RESPONDENT = Respondent.__table__  # type: ignore[attr-defined]
_ASSESSMENT = Assessment.__table__  # type: ignore[attr-defined]

_FIND_BY_INVITE_HASH = select_columns(
    _RESPONDENT.c.id, _RESPONDENT.c.workspace_id, _RESPONDENT.c.assessment_id
).where(_RESPONDENT.c.invite_token_hash == bindparam("token_hash"))


def _lock_answer_target_where(*respondent_found_by: Any) -> Any:
    """The locking read of a save (see lock_answer_target), for the respondent found by
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

_ANSWERS_OF = select_columns(_ANSWER.c.item_id, _ANSWER.c.value).where(
    _ANSWER.c.respondent_id == bindparam("respondent_id")
)
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


def lock_answer_target(
    session: Session,
    *,
    assessment_id: str,
    respondent_id: str,
    workspace_id: str | None = None,
    invite_token_hash: str | None = None,
) -> AnswerTarget | None:
    """The respondent with their assessment and saved answers, in one statement that on
    PostgreSQL also locks both rows: the respondent's (FOR NO KEY UPDATE), so that one
    respondent's saves run one after another and their merges never interleave; the
    assessment's (FOR KEY SHARE), so that many saves run together and a status change
    (FOR UPDATE) never slips between them.

    The respondent is looked for in `workspace_id`, or (exactly one of the two) as the holder
    of the invite token with `invite_token_hash`: the same statement then authenticates the
    token. None when no such respondent is in the assessment."""
    if (workspace_id is None) == (invite_token_hash is None):
        raise TypeError("give exactly one of workspace_id and invite_token_hash")
    found_by, value = (
        ("workspace_id", workspace_id)
        if invite_token_hash is None
        else ("invite_token_hash", invite_token_hash)
    )
    rows = (
        session.connection()
        .execute(
            _LOCK_ANSWER_TARGET[found_by],
            {found_by: value, "assessment_id": assessment_id, "respondent_id": respondent_id},
        )
        .all()
    )
    return _answer_target(rows)


async def lock_invited_answer_target(
    transaction: LoopTransaction, *, invite_token_hash: str, assessment_id: str, respondent_id: str
) -> AnswerTarget | None:
    """lock_answer_target for the holder of an invite token, from the event loop."""
    rows = await transaction.rows(
        _LOCK_ANSWER_TARGET["invite_token_hash"],
        {
            "invite_token_hash": invite_token_hash,
            "assessment_id": assessment_id,
            "respondent_id": respondent_id,
        },
    )
    return _answer_target(rows)


async def lock_answer_target_by_link(
    transaction: LoopTransaction, *, invite_token_hash: str
) -> AnswerTarget | None:
    """lock_answer_target for the respondent whose link holds the token, from the loop."""
    rows = await transaction.rows(
        _LOCK_ANSWER_TARGET_BY_LINK, {"invite_token_hash": invite_token_hash}
    )
    return _answer_target(rows)


def _answer_target(rows: Sequence[Sequence[Any]]) -> AnswerTarget | None:
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


def answers_of(session: Session, *, respondent_id: str) -> dict[str, Any]:
    """Item id -> saved value."""
    rows = session.connection().execute(_ANSWERS_OF, {"respondent_id": respondent_id})
    return {item_id: value for item_id, value in rows}


def save_answer_changes(
    session: Session,
    *,
    respondent_id: str,
    existing: Mapping[str, Any],
    changes: Mapping[str, Any],
    status: str,
    submitted_at: datetime | None,
    now: datetime,
) -> None:
    """Apply changes to one respondent's saved answers (a value sets it, None removes it, an
    unchanged value is left alone) and set the respondent's status and times. The caller
    holds the respondent's row lock, so `existing` is current. On PostgreSQL it is one
    statement; a row the session has loaded (a page holding the respondent) is kept in step."""
    connection = session.connection()
    change = _AnswerChange(respondent_id, existing, changes, status, submitted_at, now)
    if connection.dialect.name == "postgresql":
        connection.execute(_SAVE_ANSWER_CHANGES_POSTGRESQL, change.postgresql_values())
    else:
        if change.removed:
            connection.execute(
                _REMOVE_ANSWERS, {"respondent_id": respondent_id, "item_ids": change.removed}
            )
        if change.written:
            connection.execute(
                _UPSERT_ANSWERS[connection.dialect.name],
                [
                    {
                        "respondent_id": respondent_id,
                        "item_id": item,
                        "value": value,
                        "updated_at": now,
                    }
                    for item, value in change.written.items()
                ],
            )
        connection.execute(_RECORD_PROGRESS, change.progress())
    loaded = (
        session.identity_map.get(identity_key(Respondent, respondent_id))
        if len(session.identity_map)  # empty on the API's path: skip building the key
        else None
    )
    if loaded is not None:
        values = {"status": status, "submitted_at": submitted_at, "updated_at": now}
        for name, value in values.items():
            set_committed_value(loaded, name, value)


async def save_answer_changes_on_postgresql(
    transaction: LoopTransaction,
    *,
    respondent_id: str,
    existing: Mapping[str, Any],
    changes: Mapping[str, Any],
    status: str,
    submitted_at: datetime | None,
    now: datetime,
) -> None:
    """save_answer_changes from the event loop (PostgreSQL only)."""
    change = _AnswerChange(respondent_id, existing, changes, status, submitted_at, now)
    await transaction.execute(_SAVE_ANSWER_CHANGES_POSTGRESQL, change.postgresql_values())


class _AnswerChange:
    """What a save writes: answers removed, answers new or changed, the respondent's progress."""

    def __init__(
        self,
        respondent_id: str,
        existing: Mapping[str, Any],
        changes: Mapping[str, Any],
        status: str,
        submitted_at: datetime | None,
        now: datetime,
    ) -> None:
        self.respondent_id = respondent_id
        self.removed = [
            item_id for item_id, value in changes.items() if value is None and item_id in existing
        ]
        self.written = {
            item_id: value
            for item_id, value in changes.items()
            if value is not None and (item_id not in existing or existing[item_id] != value)
        }
        self.status = status
        self.submitted_at = submitted_at
        self.now = now

    def progress(self) -> dict[str, Any]:
        return {
            "respondent_id": self.respondent_id,
            "status": self.status,
            "submitted_at": self.submitted_at,
            "now": self.now,
        }

    def postgresql_values(self) -> dict[str, Any]:
        return {
            **self.progress(),
            "removed_items": self.removed,
            "written_items": list(self.written),
            "written_values": [json.dumps(value) for value in self.written.values()],
        }


def submitted_answers(session: Session, *, assessment_id: str) -> Sequence[SubmittedAnswers]:
    """Attributes and answers of every submitted respondent, in a stable order."""
    respondents = session.exec(
        select(Respondent)
        .where(Respondent.assessment_id == assessment_id, Respondent.status == "submitted")
        .order_by(col(Respondent.created_at), col(Respondent.id))
    ).all()
    if not respondents:
        return []
    answers: dict[str, dict[str, Any]] = {r.id: {} for r in respondents}
    rows = session.exec(select(Answer).where(col(Answer.respondent_id).in_(list(answers)))).all()
    for answer in rows:
        answers[answer.respondent_id][answer.item_id] = answer.value
    return [SubmittedAnswers(r.id, dict(r.attributes), answers[r.id]) for r in respondents]
