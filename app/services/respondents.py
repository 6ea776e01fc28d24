"""Respondents of an assessment: invited with a one-time invite URL, listed with progress."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, Respondent
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import respondents as respondent_rows
from app.repositories import webhooks as webhook_rows
from app.services.assessments import get_assessment, pinned_package
from app.services.credentials import hash_secret, new_invite_token
from app.services.errors import AssessmentStateError, FieldProblem, InvalidInputError, NotFoundError
from app.services.respondent_mail import RespondentMailer, check_personal_message, queue_invite
from app.services.webhook_events import (
    assessment_event_data,
    record_event,
    record_removal_events,
)
from app.text_rules import text_field_problems
from scoring import AnswerProgress, Package, answer_progress, check_attributes

__all__ = [
    "InvitedRespondent",
    "NewRespondent",
    "add_respondents",
    "invite_url",
    "list_respondents",
    "record_respondent_events",
    "remove_respondent",
]


@dataclass(frozen=True, slots=True)
class NewRespondent:
    name: str | None
    email: str | None
    attributes: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class InvitedRespondent:
    """`invite_token` and `invite_url` exist only in this answer; the database keeps a hash."""

    respondent: Respondent
    invite_token: str
    invite_url: str
    progress: AnswerProgress  # none answered yet
    mailed: bool = False  # the invitation was queued to their e-mail


def invite_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/r/{token}"


def add_respondents(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    respondents: Sequence[NewRespondent],
    base_url: str,
    now: datetime,
    mailer: RespondentMailer | None = None,
    send_invites: bool = False,
    personal_message: str = "",
) -> list[InvitedRespondent]:
    """Invite respondents (all or none): attributes are checked against the questionnaire.
    Each gets a link (returned once) and `invited_at`; with `mailer`, the link is also kept
    sealed for reminders, and with `send_invites` the invitation (with `personal_message`)
    is queued to every respondent who has an e-mail. respondent.invited for each."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    if assessment.status == "closed":
        raise AssessmentStateError("the assessment is closed; reopen it to add respondents")
    package = pinned_package(catalog, assessment)
    problems = [
        FieldProblem(f"respondents[{index}].{field}", message)
        for index, new in enumerate(respondents)
        for field, message in _respondent_problems(package, new)
    ]
    if send_invites:
        try:
            personal_message = check_personal_message(personal_message)
        except InvalidInputError as error:
            problems += error.problems
    if problems:
        raise InvalidInputError(problems)
    invited = []
    for position, new in enumerate(respondents):
        token = new_invite_token()
        added_at = now + timedelta(microseconds=position)  # listed in the order given
        row = Respondent(
            workspace_id=workspace_id,
            assessment_id=assessment.id,
            name=new.name,
            email=new.email,
            attributes=dict(new.attributes),
            invite_token_hash=hash_secret(token),
            created_at=added_at,
            updated_at=now,
            invited_at=now,
        )
        if mailer is not None:
            row.invite_token_sealed = mailer.keys.seal_token(token, respondent_id=row.id)
        invited.append(
            InvitedRespondent(row, token, invite_url(base_url, token), answer_progress(package, {}))
        )
    respondent_rows.add_respondents(session, (i.respondent for i in invited))
    assessment_rows.mark_assessment_changed(session, assessment_id=assessment.id, now=now)
    assessment.completion_notice_at = None  # a new completion is told again
    session.add(assessment)
    for index, one in enumerate(invited):
        mailed = (
            send_invites
            and mailer is not None
            and queue_invite(
                session=session,
                mailer=mailer,
                catalog=catalog,
                assessment=assessment,
                respondent=one.respondent,
                token=one.invite_token,
                personal_message=personal_message,
                now=now,
            )
        )
        invited[index] = replace(one, mailed=mailed)
    record_respondent_events(
        session=session,
        catalog=catalog,
        assessment=assessment,
        event_type="respondent.invited",
        extras=[
            {"respondent_id": i.respondent.id, "invited_at": now, "by_email": i.mailed}
            for i in invited
        ],
        now=now,
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="respondents.added",
        subject_type="assessment",
        subject_id=assessment.id,
        detail={"respondent_ids": [i.respondent.id for i in invited]},
    )
    return invited


def record_respondent_events(
    *,
    session: Session,
    catalog: Catalog,
    assessment: Assessment,
    event_type: str,
    extras: Sequence[Mapping[str, object]],
    now: datetime,
) -> None:
    """One event per respondent (respondent.invited, respondent.reminded): each `extra`
    (with its `respondent_id`) added to the assessment's data, which is built once."""
    enabled = webhook_rows.enabled_endpoints(session, workspace_id=assessment.workspace_id)
    if not enabled or not extras:
        return
    base: dict[str, Any] = {}

    def data_with(extra: Mapping[str, object]) -> Callable[[], dict[str, Any]]:
        def build() -> dict[str, Any]:
            if not base:
                base.update(
                    assessment_event_data(session=session, catalog=catalog, assessment=assessment)
                )
            return {**base, **extra}

        return build

    for extra in extras:
        record_event(
            session=session,
            workspace_id=assessment.workspace_id,
            event_type=event_type,
            data=data_with(extra),
            now=now,
            enabled=enabled,
        )


def _respondent_problems(package: Package, new: NewRespondent) -> list[tuple[str, str]]:
    fields = {"name": new.name, "email": new.email}
    fields |= {f"attributes.{key}": value for key, value in new.attributes.items()}
    problems = [(p.field, p.message) for p in text_field_problems(fields)]
    return problems + [(p.field, p.message) for p in check_attributes(package, new.attributes)]


@dataclass(frozen=True, slots=True)
class RespondentProgress:
    respondent: Respondent
    progress: AnswerProgress  # counted as the pages count (scoring.answer_progress)


def list_respondents(
    *, session: Session, catalog: Catalog, workspace_id: str, assessment_id: str
) -> list[RespondentProgress]:
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    package = pinned_package(catalog, assessment)
    rows = respondent_rows.list_respondents(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    return [RespondentProgress(r.respondent, answer_progress(package, r.answers)) for r in rows]


def remove_respondent(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    respondent_id: str,
    now: datetime,
) -> None:
    """Remove a respondent and their answers; their invite stops working. Webhooks hear of
    it when the results or the assessment's completion change (record_removal_events)."""
    respondent = respondent_rows.get_respondent(
        session, workspace_id=workspace_id, assessment_id=assessment_id, respondent_id=respondent_id
    )
    if respondent is None:
        raise NotFoundError("respondent", respondent_id)
    had_submitted = respondent.status == "submitted"
    respondent_rows.delete_respondent(session, respondent)
    assessment_rows.mark_assessment_changed(session, assessment_id=assessment_id, now=now)
    record_removal_events(
        session=session,
        catalog=catalog,
        workspace_id=workspace_id,
        assessment_id=assessment_id,
        removed_had_submitted=had_submitted,
        now=now,
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="respondent.removed",
        subject_type="respondent",
        subject_id=respondent_id,
        detail={"assessment_id": assessment_id},
    )
