"""Answers: saved item by item as a respondent goes, merged, checked, and finally submitted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlmodel import Session

from app.catalog import Catalog
from app.persistence.postgres_loop import LoopTransaction, LoopTransactions, RowLockBusyError
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import respondents as respondent_rows
from app.repositories.respondents import AnswerTarget
from app.services.assessments import pinned_package
from app.services.authentication import invite_principal
from app.services.errors import AssessmentStateError, NotFoundError
from app.services.webhook_events import record_answers_events
from app.text_rules import text_problem
from scoring import AnswerError, AnswerProblem, Package, normalise_answers

__all__ = [
    "InvitedSave",
    "RespondentAnswersState",
    "read_answers",
    "save_answers",
    "save_in_progress_on_loop",
    "save_invited_answers",
]


@dataclass(frozen=True, slots=True)
class RespondentAnswersState:
    respondent_id: str
    assessment_id: str
    workspace_id: str
    status: str
    submitted_at: datetime | None
    answers: Mapping[str, Any]
    item_count: int


def save_answers(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    by_consultant: bool,
    assessment_id: str,
    respondent_id: str,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> RespondentAnswersState:
    """Merge `changes` into the respondent's saved answers (None removes an answer) and, with
    `submit`, mark the respondent complete.

    The merged answers are checked by the scoring engine first: one bad value refuses the
    whole save (AnswerError naming `answers.<item_id>`) and nothing saved changes. Answers
    can change only while the assessment is open. Submitted respondents count in results;
    their later saves (while open) change the results too.
    """
    # Locked (see lock_answer_target): nothing changes once an assessment is closed, and
    # one respondent's merges never interleave.
    target = respondent_rows.lock_answer_target(
        session, workspace_id=workspace_id, assessment_id=assessment_id, respondent_id=respondent_id
    )
    if target is None:
        _raise_not_found(session, workspace_id, assessment_id, respondent_id)
    return _save_to(
        session=session,
        catalog=catalog,
        target=target,
        actor=actor,
        by_consultant=by_consultant,
        changes=changes,
        submit=submit,
        now=now,
    )


def save_invited_answers(
    *,
    session: Session,
    catalog: Catalog,
    invite_token_hash: str,
    assessment_id: str,
    respondent_id: str,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> RespondentAnswersState:
    """save_answers acting as the holder of an invite token, who may reach only their own
    respondent: the statement that locks the respondent also authenticates the token, so
    the hottest write of the API makes no query of its own for it. AuthenticationError when
    the token is unknown or revoked, NotFoundError when it is another respondent's."""
    target = respondent_rows.lock_answer_target(
        session,
        invite_token_hash=invite_token_hash,
        assessment_id=assessment_id,
        respondent_id=respondent_id,
    )
    if target is None:
        invite_principal(session=session, token_hash=invite_token_hash)  # raises if unknown
        raise NotFoundError("respondent", respondent_id)
    return _save_to(
        session=session,
        catalog=catalog,
        target=target,
        actor=f"respondent:{target.respondent_id}",
        by_consultant=False,
        changes=changes,
        submit=submit,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class InvitedSave:
    """A save by the holder of an invite token: tried `on_loop` first where the app has
    transactions on the event loop, else `in_session` (AuthenticatedWork.run_as_invitee)."""

    catalog: Catalog
    assessment_id: str
    respondent_id: str
    changes: Mapping[str, Any]
    submit: bool
    now: datetime

    def in_session(self, session: Session, invite_token_hash: str) -> RespondentAnswersState:
        return save_invited_answers(
            session=session,
            catalog=self.catalog,
            invite_token_hash=invite_token_hash,
            assessment_id=self.assessment_id,
            respondent_id=self.respondent_id,
            changes=self.changes,
            submit=self.submit,
            now=self.now,
        )

    async def on_loop(
        self, transactions: LoopTransactions, invite_token_hash: str
    ) -> RespondentAnswersState | None:
        """save_in_progress_on_loop for this save. Refused answers raise as in a session."""

        async def lock(transaction: LoopTransaction) -> AnswerTarget | None:
            return await respondent_rows.lock_invited_answer_target(
                transaction,
                invite_token_hash=invite_token_hash,
                assessment_id=self.assessment_id,
                respondent_id=self.respondent_id,
            )

        saved = await save_in_progress_on_loop(
            transactions=transactions,
            catalog=self.catalog,
            lock=lock,
            changes_of=lambda _package: self.changes,
            submit=self.submit,
            now=self.now,
        )
        return None if saved is None else saved[0]


async def save_in_progress_on_loop(
    *,
    transactions: LoopTransactions,
    catalog: Catalog,
    lock: Callable[[LoopTransaction], Awaitable[AnswerTarget | None]],
    changes_of: Callable[[Package], Mapping[str, Any] | None],
    submit: bool,
    now: datetime,
) -> tuple[RespondentAnswersState, Package] | None:
    """From the event loop (app/persistence/postgres_loop.py), the save that writes the respondent's own
    rows and nothing more: a change of answers while in progress, the most common write of
    all. `lock` finds and locks the respondent (None: not found); `changes_of` reads the
    changes against their questionnaire (None: none to save). Refused answers raise as in a
    session. None, with nothing written, for any other save (a first or a final one, one
    that changes results), or when another transaction holds the respondent's row for long:
    the caller then saves in a session, in a database thread."""

    async def save(transaction: LoopTransaction) -> tuple[RespondentAnswersState, Package] | None:
        target = await lock(transaction)
        if target is None:
            return None
        package = _open_package(catalog, target)
        changes = changes_of(package)
        if changes is None:
            return None
        plan = _plan_save(package=package, target=target, changes=changes, submit=submit, now=now)
        if not plan.writes_only_respondent:
            return None
        await respondent_rows.save_answer_changes_on_postgresql(
            transaction,
            respondent_id=target.respondent_id,
            existing=target.answers,
            changes=changes,
            status=plan.state.status,
            submitted_at=plan.state.submitted_at,
            now=now,
        )
        return plan.state, package

    try:
        return await transactions.run(save)
    except RowLockBusyError:
        return None


@dataclass(frozen=True, slots=True)
class _SavePlan:
    """A save checked and merged, before anything is written."""

    state: RespondentAnswersState  # as it will be once saved
    first_submission: bool
    results_changed: bool
    assessment_changed: bool  # its results version moves

    @property
    def writes_only_respondent(self) -> bool:
        """Nothing but the respondent's answers and progress changes."""
        return not (self.first_submission or self.results_changed or self.assessment_changed)


def _open_package(catalog: Catalog, target: AnswerTarget) -> Package:
    """The questionnaire that answers are checked against, while the assessment takes them."""
    if target.assessment_status != "open":
        reason = (
            "closed: answers can no longer change"
            if target.assessment_status == "closed"
            else "a draft: it is not open for answers yet"
        )
        raise AssessmentStateError(f"the assessment is {reason}")
    return pinned_package(catalog, target)


def _plan_save(
    *,
    package: Package,
    target: AnswerTarget,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> _SavePlan:
    _refuse_bad_text(changes)
    existing = target.answers
    merged = dict(existing)
    for item_id, value in changes.items():
        if value is None:
            merged.pop(item_id, None)
        else:
            merged[item_id] = value
    normalise_answers(package, merged)
    counted_before = target.status == "submitted"
    submitted_at: datetime | None = now
    status = "submitted"
    if not submit:
        status = "in_progress" if target.status == "invited" else target.status
        submitted_at = target.submitted_at
    state = RespondentAnswersState(
        target.respondent_id,
        target.assessment_id,
        target.workspace_id,
        status,
        submitted_at,
        merged,
        len(package.items),
    )
    first_submission = submit and not counted_before
    return _SavePlan(
        state=state,
        first_submission=first_submission,
        results_changed=first_submission or (counted_before and merged != existing),
        # The results version keys every cached view of the results, which shows the
        # participation counts too: a change of status moves them.
        assessment_changed=counted_before or submit or status != target.status,
    )


def _save_to(
    *,
    session: Session,
    catalog: Catalog,
    target: AnswerTarget,
    actor: str,
    by_consultant: bool,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> RespondentAnswersState:
    """The save proper, once its respondent is found and locked."""
    plan = _plan_save(
        package=_open_package(catalog, target),
        target=target,
        changes=changes,
        submit=submit,
        now=now,
    )
    state = plan.state
    respondent_rows.save_answer_changes(
        session,
        respondent_id=state.respondent_id,
        existing=target.answers,
        changes=changes,
        status=state.status,
        submitted_at=state.submitted_at,
        now=now,
    )
    if plan.assessment_changed:
        assessment_rows.mark_assessment_changed(session, assessment_id=state.assessment_id, now=now)
    record_answers_events(
        session=session,
        catalog=catalog,
        workspace_id=state.workspace_id,
        assessment_id=state.assessment_id,
        respondent_id=state.respondent_id,
        first_submission=plan.first_submission,
        results_changed=plan.results_changed,
        now=now,
    )
    if by_consultant:
        audit.record_audit_event(
            session,
            workspace_id=state.workspace_id,
            actor=actor,
            action="answers.submitted" if submit else "answers.saved",
            subject_type="respondent",
            subject_id=state.respondent_id,
            detail={"items": sorted(changes)},
        )
    return state


def _raise_not_found(
    session: Session, workspace_id: str, assessment_id: str, respondent_id: str
) -> NoReturn:
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    if assessment is None:
        raise NotFoundError("assessment", assessment_id)
    raise NotFoundError("respondent", respondent_id)


def _refuse_bad_text(changes: Mapping[str, Any]) -> None:
    """Free-text answers follow app/text_rules.py (line breaks and tabs allowed)."""
    problems = [
        AnswerProblem(None, f"answers.{item_id}", problem)
        for item_id, value in changes.items()
        if isinstance(value, str) and (problem := text_problem(value, multiline=True))
    ]
    if problems:
        raise AnswerError(problems)


def read_answers(
    *, session: Session, catalog: Catalog, workspace_id: str, assessment_id: str, respondent_id: str
) -> RespondentAnswersState:
    """A respondent's saved answers, e.g. to resume a questionnaire."""
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    respondent = respondent_rows.get_respondent(
        session, workspace_id=workspace_id, assessment_id=assessment_id, respondent_id=respondent_id
    )
    if assessment is None or respondent is None:
        raise NotFoundError("respondent", respondent_id)
    saved = respondent_rows.answers_of(session, respondent_id=respondent.id)
    package = pinned_package(catalog, assessment)
    return RespondentAnswersState(
        respondent.id,
        respondent.assessment_id,
        respondent.workspace_id,
        respondent.status,
        respondent.submitted_at,
        saved,
        len(package.items),
    )
