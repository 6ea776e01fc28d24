"""Closing on the close date, and the notice to the consultants (a `MailSchedule` the mail
worker runs each round).

The close date is enforced here, by the schedule, rather than wherever "open" is checked:
one place changes the status, so closing by date does what closing by hand does (webhook
assessment.completed with reason `closed`, the audit log, the rendered PDF) in the same
transaction as the notice. The worker polls every few seconds, so answers saved in those
seconds after the date are still taken; a deployment with no mail worker running does not
close by date, as it sends no mail either (docs/deployment.md).

The owners and consultants of the workspace are told once when every respondent has
submitted, and once when the close date closed the assessment (unless they were told of
everyone submitting already)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog
from app.repositories import reminders as reminder_rows
from app.services.assessments import change_assessment_status
from app.services.mail_outbox import MailSender
from app.services.respondent_mail import queue_completion_notice

__all__ = ["CLOSED_BY_DATE_ACTOR", "ClosingSchedule"]

CLOSED_BY_DATE_ACTOR = "schedule:close-date"


class ClosingSchedule:
    def __init__(self, *, catalog: Catalog) -> None:
        self._catalog = catalog

    def due(self, session: Session, now: datetime) -> bool:
        return bool(
            reminder_rows.assessments_past_close(session, now=now)
            or reminder_rows.completed_without_notice(session)
        )

    def queue(self, session: Session, now: datetime, sender: MailSender) -> int:
        queued = 0
        for assessment in reminder_rows.assessments_past_close(session, now=now):
            told_already = assessment.completion_notice_at is not None
            closed = change_assessment_status(
                session=session,
                workspace_id=assessment.workspace_id,
                actor=CLOSED_BY_DATE_ACTOR,
                assessment_id=assessment.id,
                action="close",
                now=now,
                catalog=self._catalog,
            )
            if not told_already:
                queued += queue_completion_notice(
                    session=session, sender=sender, assessment=closed, reason="closed", now=now
                )
        for assessment in reminder_rows.completed_without_notice(session):
            queued += queue_completion_notice(
                session=session,
                sender=sender,
                assessment=assessment,
                reason="all_submitted",
                now=now,
            )
            reminder_rows.mark_notice_sent(session, assessment_id=assessment.id, now=now)
        return queued
