"""A respondent's link after the first invitation: issued again (the old link stops working
at once, the answers stay), the respondent's opt-out of reminders, and a team copied from
an earlier round as respondents not invited yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Respondent, Workspace
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import respondents as respondent_rows
from app.repositories import workspaces as workspace_rows
from app.services.assessments import get_assessment, pinned_package
from app.services.credentials import hash_secret, new_invite_token
from app.services.errors import AssessmentStateError, NotFoundError
from app.services.respondent_mail import RespondentMailer, check_personal_message, queue_invite
from app.services.respondents import InvitedRespondent, invite_url, record_respondent_events
from scoring import answer_progress, check_attributes

__all__ = ["OptOutPage", "copy_team", "opt_out", "opt_out_page", "reissue_link"]


def reissue_link(
    *,
    session: Session,
    catalog: Catalog,
    mailer: RespondentMailer,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    respondent_id: str,
    send_invite: bool,
    personal_message: str,
    now: datetime,
) -> InvitedRespondent:
    """A new invite link for a respondent, keeping their answers: the old link stops working
    when this commits. With `send_invite`, it is e-mailed too. Also how a respondent copied
    from an earlier round is invited for the first time."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    respondent = respondent_rows.get_respondent(
        session, workspace_id=workspace_id, assessment_id=assessment_id, respondent_id=respondent_id
    )
    if respondent is None:
        raise NotFoundError("respondent", respondent_id)
    if assessment.status == "closed":
        raise AssessmentStateError("the assessment is closed; reopen it to send links")
    if send_invite:
        personal_message = check_personal_message(personal_message)
    first_invitation = respondent.invited_at is None
    token = new_invite_token()
    respondent.invite_token_hash = hash_secret(token)
    respondent.invite_token_sealed = mailer.keys.seal_token(token, respondent_id=respondent.id)
    respondent.invited_at = now
    respondent.updated_at = now
    session.add(respondent)
    session.flush()
    mailed = send_invite and queue_invite(
        session=session,
        mailer=mailer,
        catalog=catalog,
        assessment=assessment,
        respondent=respondent,
        token=token,
        personal_message=personal_message,
        now=now,
    )
    record_respondent_events(
        session=session,
        catalog=catalog,
        assessment=assessment,
        event_type="respondent.invited",
        extras=[{"respondent_id": respondent.id, "invited_at": now, "by_email": mailed}],
        now=now,
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="respondent.invited" if first_invitation else "respondent.link_reissued",
        subject_type="respondent",
        subject_id=respondent.id,
        detail={"assessment_id": assessment_id, "by_email": mailed},
    )
    package = pinned_package(catalog, assessment)
    progress = answer_progress(
        package, respondent_rows.answers_of(session, respondent_id=respondent.id)
    )
    return InvitedRespondent(
        respondent, token, invite_url(mailer.sender.base_url, token), progress, mailed
    )


@dataclass(frozen=True, slots=True)
class OptOutPage:
    workspace: Workspace
    assessment_title: str
    opted_out_at: datetime | None


def _holder(*, session: Session, mailer: RespondentMailer, token: str) -> Respondent:
    """The respondent an opt-out link names; NotFoundError for any other token."""
    respondent_id = mailer.keys.opt_out_respondent(token)
    respondent = None if respondent_id is None else session.get(Respondent, respondent_id)
    if respondent is None:
        raise NotFoundError("opt-out link", token[:40])
    return respondent


def opt_out_page(*, session: Session, mailer: RespondentMailer, token: str) -> OptOutPage:
    """What the opt-out page shows; NotFoundError for a token that names nobody."""
    respondent = _holder(session=session, mailer=mailer, token=token)
    workspace = workspace_rows.get_workspace(session, respondent.workspace_id)
    assessment = assessment_rows.get_assessment(
        session, workspace_id=respondent.workspace_id, assessment_id=respondent.assessment_id
    )
    if workspace is None or assessment is None:  # pragma: no cover - cascades remove them
        raise NotFoundError("opt-out link", token[:40])
    return OptOutPage(workspace, assessment.title, respondent.mail_opt_out_at)


def opt_out(*, session: Session, mailer: RespondentMailer, token: str, now: datetime) -> OptOutPage:
    """Record that the respondent wants no more reminders (once: a second visit keeps the
    first time)."""
    respondent = _holder(session=session, mailer=mailer, token=token)
    if respondent.mail_opt_out_at is None:
        respondent.mail_opt_out_at = now
        session.add(respondent)
        audit.record_audit_event(
            session,
            workspace_id=respondent.workspace_id,
            actor=f"respondent:{respondent.id}",
            action="respondent.mail_opted_out",
            subject_type="respondent",
            subject_id=respondent.id,
            detail={"assessment_id": respondent.assessment_id},
        )
        session.flush()
    return opt_out_page(session=session, mailer=mailer, token=token)


def copy_team(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    from_assessment_id: str,
    now: datetime,
) -> int:
    """Copy the respondents of an earlier round (names, e-mails, the attributes that the new
    round's questionnaire still knows) into this one, not invited yet: the consultant edits
    the list, then sends the invitations. Returns how many were copied."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    earlier = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=from_assessment_id
    )
    package = pinned_package(catalog, assessment)
    rows = respondent_rows.list_respondents(
        session, workspace_id=workspace_id, assessment_id=earlier.id
    )
    copies = []
    for position, row in enumerate(rows):
        old = row.respondent
        added_at = now + timedelta(microseconds=position)  # listed in the earlier order
        refused = {p.field for p in check_attributes(package, old.attributes)}
        attributes = {
            key: value
            for key, value in old.attributes.items()
            if f"attributes.{key}" not in refused
        }
        copies.append(
            Respondent(
                workspace_id=workspace_id,
                assessment_id=assessment.id,
                name=old.name,
                email=old.email,
                attributes=attributes,
                # A token nobody holds: the respondent is reached once a link is issued.
                invite_token_hash=hash_secret(new_invite_token()),
                created_at=added_at,
                updated_at=added_at,
            )
        )
    if copies:
        respondent_rows.add_respondents(session, copies)
        assessment_rows.mark_assessment_changed(session, assessment_id=assessment.id, now=now)
        audit.record_audit_event(
            session,
            workspace_id=workspace_id,
            actor=actor,
            action="respondents.copied",
            subject_type="assessment",
            subject_id=assessment.id,
            detail={"from_assessment_id": earlier.id, "respondent_ids": [r.id for r in copies]},
        )
    return len(copies)
