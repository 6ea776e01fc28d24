"""Reminders to respondents who have not submitted: on the assessment's schedule (a
`MailSchedule` the mail worker runs each round; app/services/reminder_steps.py says when
each step falls due) and by hand from the console or the API.

Each respondent gets each step at most once: the step is part of the message's dedupe key
(`reminder:<respondent id>:<step>`), which the outbox holds unique, so two workers, a
restart or a double click cannot send it twice. A reminder by hand is the step
`manual-<date>` (the workspace's date): one a day at most."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, Respondent, Workspace
from app.repositories import audit
from app.repositories import reminders as reminder_rows
from app.services.assessments import get_assessment
from app.services.closing_schedule import ClosingSchedule
from app.services.errors import AssessmentStateError
from app.services.link_keys import LinkKeys, link_keys_for
from app.services.mail_outbox import MailSender
from app.services.reminder_steps import due_step, reminder_steps, zone_of
from app.services.respondent_mail import RespondentMailer, queue_reminder
from app.services.respondents import record_respondent_events
from app.settings import Settings

__all__ = [
    "ReminderSchedule",
    "remind_unfinished",
    "respondent_mail_schedules",
    "unfinished_count",
]


@dataclass(frozen=True, slots=True)
class _Due:
    respondent: Respondent
    assessment: Assessment
    workspace: Workspace
    step: str

    @property
    def dedupe_key(self) -> str:
        return f"reminder:{self.respondent.id}:{self.step}"


def _queue_all(
    session: Session, catalog: Catalog, mailer: RespondentMailer, due: list[_Due], now: datetime
) -> int:
    """Queue each reminder and record respondent.reminded for those queued."""
    reminded: dict[str, list[_Due]] = defaultdict(list)
    for one in due:
        if queue_reminder(
            session=session,
            mailer=mailer,
            catalog=catalog,
            assessment=one.assessment,
            respondent=one.respondent,
            workspace=one.workspace,
            step=one.step,
            now=now,
        ):
            reminded[one.assessment.id].append(one)
    for group in reminded.values():
        record_respondent_events(
            session=session,
            catalog=catalog,
            assessment=group[0].assessment,
            event_type="respondent.reminded",
            extras=[
                {"respondent_id": one.respondent.id, "step": one.step, "reminded_at": now}
                for one in group
            ],
            now=now,
        )
    return sum(len(group) for group in reminded.values())


class ReminderSchedule:
    """The scheduled reminder steps of every open team assessment (a MailSchedule)."""

    def __init__(self, *, catalog: Catalog, keys: LinkKeys) -> None:
        self._catalog = catalog
        self._keys = keys

    def _due(self, session: Session, now: datetime) -> list[_Due]:
        wanted = []
        for respondent, assessment, workspace in reminder_rows.remindable_respondents(session):
            if respondent.invited_at is None:  # pragma: no cover - the query leaves them out
                continue
            if assessment.closes_at is not None and now >= assessment.closes_at:
                continue  # closing, not reminding: the closing schedule takes it
            step = due_step(
                reminder_steps(
                    invited_at=respondent.invited_at,
                    closes_at=assessment.closes_at,
                    days=assessment.reminder_days,
                    before_close=assessment.remind_before_close,
                    zone=zone_of(workspace.time_zone),
                ),
                now,
            )
            if step is not None:
                wanted.append(_Due(respondent, assessment, workspace, step.name))
        taken = reminder_rows.taken_dedupe_keys(session, {one.dedupe_key for one in wanted})
        return [one for one in wanted if one.dedupe_key not in taken]

    def due(self, session: Session, now: datetime) -> bool:
        return bool(self._due(session, now))

    def queue(self, session: Session, now: datetime, sender: MailSender) -> int:
        mailer = RespondentMailer(sender, self._keys)
        return _queue_all(session, self._catalog, mailer, self._due(session, now), now)


def unfinished_count(*, session: Session, workspace_id: str, assessment_id: str) -> int:
    """How many respondents a reminder by hand would go to now."""
    return len(
        reminder_rows.remindable_respondents(
            session, workspace_id=workspace_id, assessment_id=assessment_id
        )
    )


def remind_unfinished(
    *,
    session: Session,
    catalog: Catalog,
    mailer: RespondentMailer,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    now: datetime,
) -> int:
    """Remind, now, every invited respondent of the assessment who has an e-mail, has not
    submitted and has not opted out; returns how many reminders were queued (someone
    reminded by hand earlier the same day is not reminded again)."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    if assessment.status != "open":
        raise AssessmentStateError("only an open assessment's respondents can be reminded")
    rows = reminder_rows.remindable_respondents(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    due = [
        _Due(
            respondent,
            assessment,
            workspace,
            f"manual-{now.astimezone(zone_of(workspace.time_zone)).date().isoformat()}",
        )
        for respondent, _, workspace in rows
    ]
    queued = _queue_all(session, catalog, mailer, due, now)
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="respondents.reminded",
        subject_type="assessment",
        subject_id=assessment_id,
        detail={"reminded": queued},
    )
    return queued


def respondent_mail_schedules(
    catalog: Catalog, settings: Settings
) -> tuple[ClosingSchedule, ReminderSchedule]:
    """What the mail worker runs each round, closing first: an assessment past its close
    date is closed before anyone is reminded of it."""
    return (
        ClosingSchedule(catalog=catalog),
        ReminderSchedule(catalog=catalog, keys=link_keys_for(settings.secret_key)),
    )
