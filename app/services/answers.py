"""Answers: saved item by item as a respondent goes, merged, checked, and finally submitted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlmodel import Session

from app.catalog import Catalog
from app.persistence.steps import SESSION_NEEDED, InSession, Steps, StepWork, run_in_session
from app.repositories import answer_saves as answer_rows
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import respondents as respondent_rows
from app.repositories.answer_saves import AnswerTarget
from app.services.assessments import pinned_package
from app.services.authentication import invite_principal
from app.services.errors import AssessmentStateError, NotFoundError
from app.services.webhook_events import record_answers_events
from app.text_rules import text_problem
from scoring import (
    AnswerError,
    AnswerProblem,
    AnswerProgress,
    Package,
    answer_progress,
    normalise_answers,
    progress_of_normalised,
)

__all__ = [
    "RespondentAnswersState",
    "invited_save",
    "read_answers",
    "save_answers",
    "save_steps",
]


@dataclass(frozen=True, slots=True)
class RespondentAnswersState:
    respondent_id: str
    assessment_id: str
    workspace_id: str
    status: str
    submitted_at: datetime | None
    answers: Mapping[str, Any]
    progress: AnswerProgress  # the shown items and how many are answered


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
    their later saves (while open) change the results too. `by_consultant`: the save is
    recorded in the audit log as `actor`'s.
    """

    def work(dialect: str) -> Steps[RespondentAnswersState]:
        found = yield answer_rows.lock_target_in_workspace(
            workspace_id=workspace_id, assessment_id=assessment_id, respondent_id=respondent_id
        )
        target = answer_rows.answer_target(found)
        if target is None:
            yield InSession(
                lambda session: _raise_not_found(
                    session, workspace_id, assessment_id, respondent_id
                )
            )
            raise AssertionError("unreachable")
        return (
            yield from save_steps(
                dialect,
                catalog=catalog,
                target=target,
                audit_actor=actor if by_consultant else None,
                changes=changes,
                submit=submit,
                now=now,
            )
        )

    state = run_in_session(session, work)
    answer_rows.keep_loaded_respondent_in_step(
        session,
        respondent_id=state.respondent_id,
        status=state.status,
        submitted_at=state.submitted_at,
        now=now,
    )
    return state


def invited_save(
    *,
    catalog: Catalog,
    assessment_id: str,
    respondent_id: str,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> Callable[[str], StepWork[RespondentAnswersState]]:
    """save_answers acting as the holder of an invite token, given the token's hash, who may
    reach only their own respondent: the statement that locks the respondent also
    authenticates the token, so the hottest write of the API makes no query of its own for
    it. AuthenticationError when the token is unknown or revoked, NotFoundError when it is
    another respondent's."""

    def as_holder_of(invite_token_hash: str) -> StepWork[RespondentAnswersState]:
        def work(dialect: str) -> Steps[RespondentAnswersState]:
            found = yield answer_rows.lock_target_of_invitee(
                invite_token_hash=invite_token_hash,
                assessment_id=assessment_id,
                respondent_id=respondent_id,
            )
            target = answer_rows.answer_target(found)
            if target is None:
                yield InSession(
                    lambda session: _raise_not_invited(session, invite_token_hash, respondent_id)
                )
                raise AssertionError("unreachable")
            return (
                yield from save_steps(
                    dialect,
                    catalog=catalog,
                    target=target,
                    audit_actor=None,
                    changes=changes,
                    submit=submit,
                    now=now,
                )
            )

        return work

    return as_holder_of


def save_steps(
    dialect: str,
    *,
    catalog: Catalog,
    target: AnswerTarget,
    audit_actor: str | None,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> Steps[RespondentAnswersState]:
    """The save proper, once its respondent is found and locked: every way of saving ends
    here. A change of answers while in progress writes the respondent's own rows and nothing
    more, the most common write of all; any other save (a first or a final one, one that
    changes results, a consultant's) also moves the results version, records webhook events
    and the audit log, in the session."""
    plan = _plan_save(
        package=_open_package(catalog, target),
        target=target,
        changes=changes,
        submit=submit,
        now=now,
    )
    needs_session = audit_actor is not None or not plan.writes_only_respondent
    if needs_session:
        yield SESSION_NEEDED
    state = plan.state
    yield from answer_rows.answer_changes(
        dialect,
        respondent_id=state.respondent_id,
        existing=target.answers,
        changes=changes,
        status=state.status,
        submitted_at=state.submitted_at,
        now=now,
    )
    if needs_session:
        # After the respondent's rows: events see the respondent as saved (completion).
        yield InSession(
            lambda session: _record_save(session, catalog, plan, audit_actor, changes, submit, now)
        )
    return state


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
    """The questionnaire that answers are checked against, while the assessment takes them;
    AssessmentStateError when it does not."""
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
    progress = progress_of_normalised(package, normalise_answers(package, merged))
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
        progress,
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


def _record_save(
    session: Session,
    catalog: Catalog,
    plan: _SavePlan,
    audit_actor: str | None,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> None:
    """What a save writes beyond the respondent's rows."""
    state = plan.state
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
    if audit_actor is not None:
        audit.record_audit_event(
            session,
            workspace_id=state.workspace_id,
            actor=audit_actor,
            action="answers.submitted" if submit else "answers.saved",
            subject_type="respondent",
            subject_id=state.respondent_id,
            detail={"items": sorted(changes)},
        )


def _raise_not_invited(session: Session, invite_token_hash: str, respondent_id: str) -> NoReturn:
    invite_principal(session=session, token_hash=invite_token_hash)  # raises if unknown
    raise NotFoundError("respondent", respondent_id)


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
        answer_progress(package, saved),
    )
