"""The delivery worker's two transactions around each attempt: claim due deliveries, then
settle each attempt (log it; succeeded, retry later, or failed after the last attempt or an
attempt that cannot succeed on retry)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session

from app.models import WebhookAttempt
from app.repositories import webhooks as webhook_rows
from app.repositories.webhooks import ClaimedDelivery
from app.services.retries import RetryPolicy, settle
from app.services.webhook_sender import AttemptOutcome

__all__ = ["claim_deliveries", "deliveries_due", "settle_attempt"]


def deliveries_due(*, session: Session, now: datetime) -> bool:
    """Whether any delivery is due: a read that lets an idle worker skip the claim."""
    return webhook_rows.any_due_delivery(session, now=now)


def claim_deliveries(
    *, session: Session, now: datetime, limit: int, lease: timedelta
) -> list[ClaimedDelivery]:
    """Claim up to `limit` due deliveries for one attempt each, for `lease` (longer than an
    attempt can take); a claim not settled by then expires and the delivery is due again."""
    return webhook_rows.claim_due_deliveries(
        session, now=now, lease_until=now + lease, limit=limit, claim_token=uuid.uuid4().hex
    )


def settle_attempt(
    *,
    session: Session,
    claimed: ClaimedDelivery,
    outcome: AttemptOutcome,
    policy: RetryPolicy,
    now: datetime,
    rng: random.Random | None = None,
) -> str:
    """Log the attempt and decide the delivery's status: "succeeded" on a 2xx answer;
    otherwise "pending" (due again after the backoff) or, after the last attempt or a final
    one (a refused address: retrying cannot help), "failed". "lost" when the claim had
    expired and another worker holds the delivery now."""
    settled = settle(
        attempt=claimed.attempt,
        succeeded=outcome.succeeded,
        final=outcome.final,
        policy=policy,
        now=now,
        rng=rng,
    )
    attempt = WebhookAttempt(
        delivery_id=claimed.delivery_id,
        attempt=claimed.attempt,
        started_at=outcome.started_at,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        error=outcome.error,
        response_excerpt=outcome.response_excerpt,
    )
    finished = webhook_rows.finish_delivery_attempt(
        session,
        claim_token=claimed.claim_token,
        attempt=attempt,
        status=settled.status,
        next_attempt_at=settled.next_attempt_at,
        finished_at=settled.finished_at,
    )
    return settled.status if finished else "lost"
