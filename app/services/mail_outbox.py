"""The mail outbox: a message is rendered and written in the transaction of its cause (an
invitation, a reminder, a password reset), so it goes out exactly when the change is kept;
mail workers (app/mail/worker.py) claim due messages, hand each over and settle the attempt
with the backoff that webhook deliveries use (app/services/retries.py).

A message is never sent inline in a request: a relay that is down delays mail, it never
fails a request or loses a message."""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlmodel import Session

from app.mail.addresses import normalised_address
from app.mail.messages import OutgoingMail
from app.mail.rendering import render_mail
from app.mail.transport import HandOver
from app.models import MailAttempt, MailMessage, Workspace, new_id
from app.reports.branding import DEFAULT_PRIMARY_COLOUR
from app.repositories import mail as mail_rows
from app.services.errors import FieldProblem, InvalidInputError
from app.services.retries import RetryPolicy, settle
from app.settings import Settings
from app.text_rules import text_problem

__all__ = [
    "MailSender",
    "claim_mail",
    "mail_due",
    "queue_mail",
    "settle_mail",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MailSender:
    """Who mail comes from, and the address its links start with."""

    from_address: str
    base_url: str

    @classmethod
    def of(cls, settings: Settings) -> MailSender:
        return cls(from_address=settings.mail_from, base_url=settings.base_url.rstrip("/"))

    @property
    def domain(self) -> str:
        return parseaddr(self.from_address)[1].rpartition("@")[2] or "localhost"


def queue_mail(
    *,
    session: Session,
    sender: MailSender,
    workspace_id: str | None,
    to_address: str,
    to_name: str,
    template: str,
    context: Mapping[str, object],
    now: datetime,
    dedupe_key: str | None = None,
    respondent_id: str | None = None,
    skip_undeliverable: bool = False,
) -> MailMessage | None:
    """Render `template` for one recipient and queue it, due now. The template's context
    gets `workspace_name`, `brand_colour` and `base_url` too. With a `dedupe_key` that was
    queued before (a reminder step already sent), nothing is queued and None is returned.

    Refused with InvalidInputError: an address mail cannot go to (`email`), a name or a
    rendered subject with a line break or control character (`name`, `subject`): nothing
    reaches a header that could add headers of its own. With `skip_undeliverable` (mail that
    nobody is waiting on: a reminder, a notice, a reset link) a refused message is left out,
    logged, and None is returned, so one stored address cannot stop the rest."""
    problems = []
    try:
        address = normalised_address(to_address)
    except ValueError as error:
        problems.append(FieldProblem("email", str(error)))
    name_problem = text_problem(to_name)
    if name_problem is not None:
        problems.append(FieldProblem("name", name_problem))
    if problems:
        _refused(problems, template, skip_undeliverable)
        return None
    if dedupe_key is not None and mail_rows.dedupe_key_taken(session, dedupe_key):
        return None
    workspace = session.get(Workspace, workspace_id) if workspace_id is not None else None
    rendered = render_mail(
        template,
        {
            **context,
            "workspace_name": workspace.name if workspace else "OpsMaturity",
            "brand_colour": (workspace.brand_colour if workspace else None)
            or DEFAULT_PRIMARY_COLOUR,
            "base_url": sender.base_url,
        },
    )
    subject_problem = text_problem(rendered.subject)
    if subject_problem is not None:
        _refused([FieldProblem("subject", subject_problem)], template, skip_undeliverable)
        return None
    mail_id = new_id("mail")
    return mail_rows.add_message(
        session,
        MailMessage(
            id=mail_id,
            workspace_id=workspace_id,
            respondent_id=respondent_id,
            template=template,
            message_id=f"<{mail_id}@{sender.domain}>",
            dedupe_key=dedupe_key,
            from_address=sender.from_address,
            reply_to=workspace.mail_reply_to if workspace else None,
            to_address=address,
            to_name=to_name.strip(),
            subject=rendered.subject,
            text_body=rendered.text,
            html_body=rendered.html,
            next_attempt_at=now,
            created_at=now,
        ),
    )


def _refused(problems: list[FieldProblem], template: str, skip: bool) -> None:
    if not skip:
        raise InvalidInputError(problems)
    logger.warning(
        "%s mail left out: %s", template, "; ".join(f"{p.field} {p.message}" for p in problems)
    )


def mail_due(*, session: Session, now: datetime) -> bool:
    return mail_rows.any_due_message(session, now=now)


def claim_mail(
    *, session: Session, now: datetime, limit: int, lease: timedelta
) -> list[OutgoingMail]:
    """Claim up to `limit` due messages for one attempt each, for `lease` (longer than a
    hand-over can take)."""
    return mail_rows.claim_due_messages(
        session, now=now, lease_until=now + lease, limit=limit, claim_token=uuid.uuid4().hex
    )


def settle_mail(
    *,
    session: Session,
    claimed: OutgoingMail,
    outcome: HandOver,
    policy: RetryPolicy,
    now: datetime,
    rng: random.Random | None = None,
) -> str:
    """Log the attempt and decide the message's status: "sent", "pending" (due again after
    the backoff) or "failed"; "lost" when the claim had lapsed."""
    settled = settle(
        attempt=claimed.attempt,
        succeeded=outcome.succeeded,
        final=outcome.final,
        policy=policy,
        now=now,
        rng=rng,
    )
    status = "sent" if settled.status == "succeeded" else settled.status
    finished = mail_rows.finish_attempt(
        session,
        claim_token=claimed.claim_token,
        attempt=MailAttempt(
            message_id=claimed.id,
            attempt=claimed.attempt,
            started_at=outcome.started_at,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
        ),
        status=status,
        next_attempt_at=settled.next_attempt_at,
        sent_at=now if status == "sent" else None,
    )
    return status if finished else "lost"
