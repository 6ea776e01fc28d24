"""Webhook events: built from the change that causes them and written to the outbox in the
same transaction, so there is never an event without its change nor a change without its
event. The delivery worker (app/webhooks) sends them later.

Every payload has the Standard Webhooks shape, with a version:
`{"type": …, "timestamp": …, "version": 1, "data": {…}}`. An event is stored only when an
enabled endpoint of the workspace subscribes to its type, and its data (which may need the
results to be scored) is built only then.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, WebhookDelivery, WebhookEndpoint, WebhookEvent, utc_now
from app.repositories import assessments as assessment_rows
from app.repositories import clients as client_rows
from app.repositories import respondents as respondent_rows
from app.repositories import webhooks as webhook_rows
from app.services.errors import ConflictError, NotFoundError

__all__ = [
    "EVENT_TYPES",
    "PAYLOAD_VERSION",
    "assessment_event_data",
    "record_answers_events",
    "record_assessment_event",
    "record_event",
    "record_removal_events",
    "record_report_ready",
    "record_status_events",
]

PAYLOAD_VERSION = 1

EVENT_TYPES: Mapping[str, str] = {
    "respondent.invited": "A respondent was given an invite link (by e-mail, or to pass on)",
    "respondent.reminded": "A reminder went to a respondent who has not submitted",
    "respondent.submitted": "A respondent submitted their answers for the first time",
    "respondent.erased": "A respondent's personal data was erased on request",
    "assessment.completed": "Every invited respondent has submitted, or the assessment was closed",
    "assessment.scored": "The results changed: a submission, or a change by or the removal of a submitted respondent",
    "report.ready": "A report was rendered and can be downloaded",
    "self_assessment.submitted": "Someone completed a self-assessment",
    "workspace.member_added": "A colleague joined the workspace",
}

EventData = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return _timestamp(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _subscribers(
    session: Session,
    workspace_id: str,
    event_type: str,
    enabled: Sequence[WebhookEndpoint] | None = None,
) -> list[WebhookEndpoint]:
    """The enabled endpoints subscribed to `event_type`; `enabled`, when given, are the
    workspace's enabled endpoints as already read in this transaction."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    if enabled is None:
        enabled = webhook_rows.enabled_endpoints(session, workspace_id=workspace_id)
    return [endpoint for endpoint in enabled if event_type in endpoint.event_types]


def record_event(
    *,
    session: Session,
    workspace_id: str,
    event_type: str,
    data: EventData,
    now: datetime | None = None,
    enabled: Sequence[WebhookEndpoint] | None = None,
) -> WebhookEvent | None:
    """Write an event, and a delivery to each enabled endpoint subscribed to its type, in the
    caller's transaction (flushed, never committed here). `data` may be a function that
    builds the data: it is called only when some endpoint subscribes. Returns the event,
    or None when nobody subscribes. `data` must be JSON-serializable (datetimes become
    ISO 8601 in UTC). `enabled`: the workspace's enabled endpoints, when the caller has
    read them already."""
    endpoints = _subscribers(session, workspace_id, event_type, enabled)
    if not endpoints:
        return None
    moment = now or utc_now()
    payload = {
        "type": event_type,
        "timestamp": _timestamp(moment),
        "version": PAYLOAD_VERSION,
        "data": dict(data() if callable(data) else data),
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    event = WebhookEvent(workspace_id=workspace_id, type=event_type, body=body, created_at=moment)
    deliveries = [
        WebhookDelivery(
            workspace_id=workspace_id,
            endpoint_id=endpoint.id,
            event_id=event.id,
            next_attempt_at=moment,
            created_at=moment,
        )
        for endpoint in endpoints
    ]
    webhook_rows.add_event(session, event, deliveries)
    return event


def _flat_fields(
    session: Session, catalog: Catalog | None, assessment: Assessment
) -> dict[str, Any] | None:
    """The CRM fields of GET …/results?format=flat; None while there are no results."""
    # Imported here: app.services.results imports app.services.assessments, which records
    # events through this module.
    from app.services.results import flat_assessment_results
    from app.services.results_cache import ResultsCache

    if catalog is None:
        return None
    try:
        return flat_assessment_results(
            session=session,
            catalog=catalog,
            cache=ResultsCache(max_entries=1),
            workspace_id=assessment.workspace_id,
            assessment_id=assessment.id,
        )
    except ConflictError:  # no submission yet, or the pinned questionnaire is gone
        return None


def assessment_event_data(
    *, session: Session, catalog: Catalog | None, assessment: Assessment
) -> dict[str, Any]:
    """The data every assessment event carries: ids, the client's `external_ref`, and the
    flat CRM fields (`fields`, null until someone has submitted)."""
    client = client_rows.get_client(
        session, workspace_id=assessment.workspace_id, client_id=assessment.client_id
    )
    return {
        "assessment_id": assessment.id,
        "title": assessment.title,
        "status": assessment.status,
        "client_id": assessment.client_id,
        "external_ref": None if client is None else client.external_ref,
        "results_version": assessment.results_version,
        "fields": _flat_fields(session, catalog, assessment),
    }


def _data_of(
    session: Session,
    catalog: Catalog | None,
    assessment: Assessment,
    extra: Mapping[str, Any] | None = None,
    extra_fields: Mapping[str, Any] | None = None,
) -> Callable[[], dict[str, Any]]:
    """Build the data once, on first use, for every event of one change."""
    built: dict[str, Any] = {}

    def build() -> dict[str, Any]:
        if not built:
            built.update(
                assessment_event_data(session=session, catalog=catalog, assessment=assessment)
            )
            if extra_fields and built["fields"] is not None:
                built["fields"] = {**built["fields"], **extra_fields}
        return {**built, **(extra or {})}

    return build


def record_assessment_event(
    *,
    session: Session,
    catalog: Catalog | None,
    workspace_id: str,
    event_type: str,
    assessment_id: str,
    extra: Mapping[str, Any] | None = None,
    extra_fields: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> WebhookEvent | None:
    """Record an event about an assessment with the standard assessment data plus `extra`
    (e.g. `{"respondent_id": …}` for self_assessment.submitted), and `extra_fields` added
    to its flat CRM fields (a lead's)."""
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    if assessment is None:
        raise NotFoundError("assessment", assessment_id)
    return record_event(
        session=session,
        workspace_id=workspace_id,
        event_type=event_type,
        data=_data_of(session, catalog, assessment, extra, extra_fields),
        now=now,
    )


def _everyone_submitted(session: Session, assessment_id: str) -> bool:
    counts = respondent_rows.count_by_status(session, assessment_id=assessment_id)
    total = sum(counts.values())
    return total > 0 and counts.get("submitted", 0) == total


def record_answers_events(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    respondent_id: str,
    first_submission: bool,
    results_changed: bool,
    now: datetime,
) -> None:
    """After a save of answers: respondent.submitted on a respondent's first submission,
    assessment.scored when the results changed, and assessment.completed when the first
    submission was the last one missing. The workspace's endpoints are read once, and the
    assessment only when some endpoint subscribes."""
    if not (first_submission or results_changed):
        return
    enabled = webhook_rows.enabled_endpoints(session, workspace_id=workspace_id)
    if not enabled:
        return

    def event_data() -> dict[str, Any]:
        assessment = assessment_rows.get_assessment(
            session, workspace_id=workspace_id, assessment_id=assessment_id
        )
        if assessment is None:  # pragma: no cover - the caller holds its lock
            raise NotFoundError("assessment", assessment_id)
        return assessment_event_data(session=session, catalog=catalog, assessment=assessment)

    data = _built_once(event_data)
    if first_submission:

        def submitted() -> dict[str, Any]:
            return {**data(), "respondent_id": respondent_id, "submitted_at": now}

        record_event(
            session=session,
            workspace_id=workspace_id,
            event_type="respondent.submitted",
            data=submitted,
            now=now,
            enabled=enabled,
        )
    if results_changed:
        _record_scored(session, workspace_id, data, now, enabled)
    if first_submission:
        _complete_if_everyone_submitted(session, workspace_id, assessment_id, data, now, enabled)


def record_removal_events(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    removed_had_submitted: bool,
    now: datetime,
) -> None:
    """After a respondent is removed: assessment.scored when they had submitted (their
    answers leave the results); otherwise assessment.completed when everyone left has
    submitted and the assessment is open (closing completed a closed one)."""
    enabled = webhook_rows.enabled_endpoints(session, workspace_id=workspace_id)
    if not enabled:
        return
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    if assessment is None:  # pragma: no cover - the caller found the respondent in it
        raise NotFoundError("assessment", assessment_id)
    data = _built_once(
        lambda: assessment_event_data(session=session, catalog=catalog, assessment=assessment)
    )
    if removed_had_submitted:
        _record_scored(session, workspace_id, data, now, enabled)
    elif assessment.status == "open":
        _complete_if_everyone_submitted(session, workspace_id, assessment_id, data, now, enabled)


def _record_scored(
    session: Session,
    workspace_id: str,
    data: Callable[[], dict[str, Any]],
    now: datetime,
    enabled: Sequence[WebhookEndpoint],
) -> None:
    record_event(
        session=session,
        workspace_id=workspace_id,
        event_type="assessment.scored",
        data=data,
        now=now,
        enabled=enabled,
    )


def _complete_if_everyone_submitted(
    session: Session,
    workspace_id: str,
    assessment_id: str,
    data: Callable[[], dict[str, Any]],
    now: datetime,
    enabled: Sequence[WebhookEndpoint],
) -> None:
    """assessment.completed (reason all_submitted) when an endpoint subscribes and every
    respondent has now submitted."""
    if _subscribers(session, workspace_id, "assessment.completed", enabled) and (
        _everyone_submitted(session, assessment_id)
    ):
        record_event(
            session=session,
            workspace_id=workspace_id,
            event_type="assessment.completed",
            data=lambda: {**data(), "reason": "all_submitted"},
            now=now,
            enabled=enabled,
        )


def _built_once(build: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    built: dict[str, Any] = {}

    def once() -> dict[str, Any]:
        if not built:
            built.update(build())
        return dict(built)

    return once


def record_status_events(
    *,
    session: Session,
    catalog: Catalog | None,
    assessment: Assessment,
    action: Literal["open", "close", "reopen"],
    now: datetime,
) -> None:
    """After a status change: closing completes the assessment (assessment.completed with
    reason "closed"), unless every respondent had submitted, which completed it already."""
    if action != "close" or not _subscribers(
        session, assessment.workspace_id, "assessment.completed"
    ):
        return
    if _everyone_submitted(session, assessment.id):
        return
    data = _data_of(session, catalog, assessment, {"reason": "closed"})
    record_event(
        session=session,
        workspace_id=assessment.workspace_id,
        event_type="assessment.completed",
        data=data,
        now=now,
    )


_REPORT_PATHS = {
    "pdf": "report.pdf",
    "pdf-ua": "report.pdf?tagged=true",
    "html": "report.html",
}


def record_report_ready(
    *,
    session: Session,
    catalog: Catalog | None,
    base_url: str,
    workspace_id: str,
    assessment_id: str,
    results_version: int,
    report_format: str,
    now: datetime,
) -> None:
    """A report was rendered and stored: report.ready with its format and download URL
    (which needs the API key, like every API call)."""
    path = _REPORT_PATHS.get(report_format, f"report.{report_format}")
    record_assessment_event(
        session=session,
        catalog=catalog,
        workspace_id=workspace_id,
        event_type="report.ready",
        assessment_id=assessment_id,
        extra={
            "format": report_format,
            "report_url": f"{base_url.rstrip('/')}/api/v1/assessments/{assessment_id}/{path}",
            "results_version": results_version,
        },
        now=now,
    )
