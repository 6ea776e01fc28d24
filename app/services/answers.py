"""Answers: saved item by item as a respondent goes, merged, checked, and finally submitted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Respondent
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import respondents as respondent_rows
from app.services.assessments import pinned_package
from app.services.errors import AssessmentStateError, NotFoundError
from app.services.webhook_events import record_answers_events
from scoring import normalise_answers

__all__ = ["RespondentAnswersState", "read_answers", "save_answers"]


@dataclass(frozen=True, slots=True)
class RespondentAnswersState:
    respondent: Respondent
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
    # The shared lock on the assessment keeps a close from committing while a save runs, so
    # nothing changes once an assessment is closed; the respondent's own lock serialises
    # that respondent's saves, so merges never interleave.
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id, lock="share"
    )
    if assessment is None:
        raise NotFoundError("assessment", assessment_id)
    respondent = respondent_rows.get_respondent(
        session,
        workspace_id=workspace_id,
        assessment_id=assessment_id,
        respondent_id=respondent_id,
        lock=True,
    )
    if respondent is None:
        raise NotFoundError("respondent", respondent_id)
    if assessment.status != "open":
        reason = (
            "closed: answers can no longer change"
            if assessment.status == "closed"
            else "a draft: it is not open for answers yet"
        )
        raise AssessmentStateError(f"the assessment is {reason}")
    package = pinned_package(catalog, assessment)
    existing = respondent_rows.answers_of(session, respondent_id=respondent.id)
    merged = dict(existing)
    for item_id, value in changes.items():
        if value is None:
            merged.pop(item_id, None)
        else:
            merged[item_id] = value
    normalise_answers(package, merged)
    respondent_rows.write_answers(
        session, respondent_id=respondent.id, existing=existing, changes=changes, now=now
    )
    counted_before = respondent.status == "submitted"
    submitted_at: datetime | None = now
    status = "submitted"
    if not submit:
        status = "in_progress" if respondent.status == "invited" else respondent.status
        submitted_at = respondent.submitted_at
    respondent_rows.record_progress(
        session, respondent, status=status, submitted_at=submitted_at, now=now
    )
    if counted_before or submit:
        assessment_rows.mark_assessment_changed(session, assessment_id=assessment.id, now=now)
    record_answers_events(
        session=session,
        catalog=catalog,
        assessment=assessment,
        respondent_id=respondent.id,
        first_submission=submit and not counted_before,
        results_changed=(submit and not counted_before) or (counted_before and merged != existing),
        now=now,
    )
    if by_consultant:
        audit.record_audit_event(
            session,
            workspace_id=workspace_id,
            actor=actor,
            action="answers.submitted" if submit else "answers.saved",
            subject_type="respondent",
            subject_id=respondent.id,
            detail={"items": sorted(changes)},
        )
    return RespondentAnswersState(respondent, merged, len(package.items))


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
    return RespondentAnswersState(respondent, saved, len(package.items))
