"""Mail to respondents and about them: the invitation with their link (and the consultant's
personal message, which is kept on the message only), reminders, the thank-you mail on
submission, and the notice to the workspace's owners and consultants when everyone has
submitted or the close date has passed. Each is queued in the transaction of its cause
(app/services/mail_outbox.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, Respondent, Workspace
from app.repositories import clients as client_rows
from app.repositories import members as member_rows
from app.repositories import respondents as respondent_rows
from app.repositories import workspaces as workspace_rows
from app.services.assessments import pinned_package
from app.services.errors import FieldProblem, InvalidInputError
from app.services.link_keys import LinkKeys, link_keys_for
from app.services.mail_outbox import MailSender, queue_mail
from app.services.reminder_steps import last_open_day, zone_of
from app.settings import Settings
from app.text_rules import text_problem

__all__ = [
    "MAX_PERSONAL_MESSAGE",
    "RespondentMailer",
    "ThanksRequest",
    "check_personal_message",
    "closes_on_text",
    "queue_completion_notice",
    "queue_invite",
    "queue_reminder",
    "queue_thanks",
]

MAX_PERSONAL_MESSAGE = 2000
_NOTICE_ROLES = ("owner", "consultant")


@dataclass(frozen=True, slots=True)
class RespondentMailer:
    """Who respondents' mail comes from, and the keys of the links in it."""

    sender: MailSender
    keys: LinkKeys

    @classmethod
    def of(cls, settings: Settings) -> RespondentMailer:
        return cls(MailSender.of(settings), link_keys_for(settings.secret_key))

    def link(self, token: str) -> str:
        return f"{self.sender.base_url}/r/{token}"

    def opt_out_url(self, respondent_id: str) -> str:
        return f"{self.sender.base_url}/mail/opt-out/{self.keys.opt_out_token(respondent_id)}"


@dataclass(frozen=True, slots=True)
class ThanksRequest:
    """A respondent's "e-mail me a thank-you with my link", ticked when submitting: their
    token (the link in the mail) and who the mail comes from."""

    mailer: RespondentMailer
    token: str


def check_personal_message(message: str) -> str:
    """The personal message as it goes into the mail (several lines allowed), or
    InvalidInputError naming the field `personal_message`."""
    message = message.replace("\r\n", "\n").strip()
    problem = text_problem(message, multiline=True)
    if problem is None and len(message) > MAX_PERSONAL_MESSAGE:
        problem = f"use at most {MAX_PERSONAL_MESSAGE} characters"
    if problem is not None:
        raise InvalidInputError([FieldProblem("personal_message", problem)])
    return message


def closes_on_text(closes_at: datetime | None, workspace: Workspace | None) -> str:
    """The last day answers are taken, in the workspace's time zone: "Friday 12 December
    2026"; "" without a close date. An assessment closing at local midnight is open until
    the end of the day before."""
    if closes_at is None:
        return ""
    local = last_open_day(closes_at, zone_of(workspace.time_zone if workspace else "UTC"))
    return f"{local:%A} {local.day} {local:%B %Y}"


def _respondent_context(
    mailer: RespondentMailer,
    catalog: Catalog,
    assessment: Assessment,
    respondent: Respondent,
    workspace: Workspace | None,
) -> dict[str, object]:
    package = pinned_package(catalog, assessment)
    return {
        "respondent_name": respondent.name or "",
        "assessment_title": assessment.title,
        "questionnaire_title": package.questionnaire.title,
        "minutes": package.reading_time.minutes,
        "closes_on": closes_on_text(assessment.closes_at, workspace),
        "opt_out_url": mailer.opt_out_url(respondent.id),
    }


def _queue_to_respondent(
    session: Session,
    mailer: RespondentMailer,
    catalog: Catalog,
    assessment: Assessment,
    respondent: Respondent,
    workspace: Workspace | None,
    *,
    template: str,
    extra: dict[str, object],
    now: datetime,
    dedupe_key: str | None = None,
) -> bool:
    """Queue `template` to the respondent (who has an e-mail), with the respondent context
    and `extra`; False when nothing was queued. Mail other than the invitation (which the
    consultant is waiting on) leaves out an address that does not pass."""
    queued = queue_mail(
        session=session,
        sender=mailer.sender,
        workspace_id=assessment.workspace_id,
        to_address=respondent.email or "",
        to_name=respondent.name or "",
        template=template,
        context={
            **_respondent_context(mailer, catalog, assessment, respondent, workspace),
            **extra,
        },
        now=now,
        dedupe_key=dedupe_key,
        respondent_id=respondent.id,
        skip_undeliverable=template != "respondent_invite",
    )
    return queued is not None


def queue_invite(
    *,
    session: Session,
    mailer: RespondentMailer,
    catalog: Catalog,
    assessment: Assessment,
    respondent: Respondent,
    token: str,
    personal_message: str,
    now: datetime,
) -> bool:
    """Queue the invitation with the respondent's link; False when they have no e-mail."""
    if not respondent.email:
        return False
    workspace = workspace_rows.get_workspace(session, assessment.workspace_id)
    return _queue_to_respondent(
        session,
        mailer,
        catalog,
        assessment,
        respondent,
        workspace,
        template="respondent_invite",
        extra={"link": mailer.link(token), "personal_message": personal_message},
        now=now,
    )


def queue_reminder(
    *,
    session: Session,
    mailer: RespondentMailer,
    catalog: Catalog,
    assessment: Assessment,
    respondent: Respondent,
    workspace: Workspace | None,
    step: str,
    now: datetime,
) -> bool:
    """Queue a reminder for one step, at most once per respondent and step (its dedupe key);
    False when none was queued: no e-mail, opted out, submitted, or this step went before."""
    if not respondent.email or respondent.mail_opt_out_at is not None:
        return False
    if respondent.status == "submitted":
        return False
    token = mailer.keys.open_token(respondent.invite_token_sealed, respondent_id=respondent.id)
    return _queue_to_respondent(
        session,
        mailer,
        catalog,
        assessment,
        respondent,
        workspace,
        template="respondent_reminder",
        extra={"link": None if token is None else mailer.link(token)},
        now=now,
        dedupe_key=f"reminder:{respondent.id}:{step}",
    )


def queue_thanks(
    *,
    session: Session,
    mailer: RespondentMailer,
    catalog: Catalog,
    assessment: Assessment,
    respondent: Respondent,
    token: str,
    now: datetime,
) -> bool:
    """The thank-you mail with the respondent's own link, once per respondent."""
    if not respondent.email or not respondent.thanks_requested:
        return False
    workspace = workspace_rows.get_workspace(session, assessment.workspace_id)
    self_assessment = assessment.kind == "self"
    path = "results" if self_assessment else "done"
    return _queue_to_respondent(
        session,
        mailer,
        catalog,
        assessment,
        respondent,
        workspace,
        template="respondent_thanks",
        extra={"link": f"{mailer.link(token)}/{path}", "self_assessment": self_assessment},
        now=now,
        dedupe_key=f"thanks:{respondent.id}",
    )


def queue_completion_notice(
    *, session: Session, sender: MailSender, assessment: Assessment, reason: str, now: datetime
) -> int:
    """Tell the workspace's owners and consultants that everyone submitted (`all_submitted`)
    or that the close date passed (`closed`); each at most once per recipient and occasion."""
    counts = respondent_rows.count_by_status(session, assessment_id=assessment.id)
    submitted, invited = counts.get("submitted", 0), sum(counts.values())
    client = client_rows.get_client(
        session, workspace_id=assessment.workspace_id, client_id=assessment.client_id
    )
    occasion = f"{reason}:{submitted}" if reason == "all_submitted" else reason
    queued = 0
    for member in member_rows.list_members(session, workspace_id=assessment.workspace_id):
        if member.role not in _NOTICE_ROLES:
            continue
        message = queue_mail(
            session=session,
            sender=sender,
            workspace_id=assessment.workspace_id,
            to_address=member.email,
            to_name=member.name,
            template="assessment_notice",
            context={
                "recipient_name": member.name,
                "reason": reason,
                "assessment_id": assessment.id,
                "assessment_title": assessment.title,
                "client_name": "" if client is None else client.name,
                "submitted": submitted,
                "invited": invited,
            },
            now=now,
            dedupe_key=f"notice:{assessment.id}:{occasion}:{member.user_id}",
            skip_undeliverable=True,
        )
        queued += message is not None
    return queued
