"""Erasure on request: a respondent's (or a self-assessment lead's) personal data goes from
every place the service keeps it, in one transaction.

What goes: the name, e-mail and attributes ("about you" answers) on the respondent; their
free-text answers; their lead (name, company, e-mail, consent); their mail (rows, and the
.eml copies in the mail folder); their link (a new random token hash, so the old link stops
at once, and no sealed copy); and every mention of them in webhook event bodies, audit event
details (values replaced by "[erased]"), stored idempotent responses (deleted: a retry of
such a request runs again) and cached reports of their assessment (deleted: rendered again
on the next download).

What happens to their scored answers:
- kept, as an anonymous contribution to the team's figures, when they had submitted and the
  team's submitted respondents reach the assessment's k (the anonymity rule still hides
  every person): "anonymised";
- otherwise removed with the respondent, and the results rescored (a self-assessment is one
  person's: its whole assessment goes): "removed".
An audit event (`respondent.erased`, naming no one) and a webhook (`respondent.erased`)
record it. Database backups taken earlier keep what they held: docs/api.md ("Erasure on
request") says so.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.catalog import Catalog
from app.mail.transport import MailFolder
from app.models import Assessment, Respondent
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import erasure as erasure_rows
from app.repositories import respondents as respondent_rows
from app.services.credentials import hash_secret
from app.services.errors import NotFoundError
from app.services.leads import lead_of
from app.services.respondents import remove_respondent
from app.services.webhook_events import record_event
from scoring.questionnaire import ItemKind

__all__ = ["ERASED", "Erasure", "ErasurePreview", "erase_respondent", "erasure_preview"]

ERASED = "[erased]"
_PERSON_KEYS = frozenset({"attributes", "lead"})


@dataclass(frozen=True, slots=True)
class Erasure:
    """`mode`: "anonymised" (scored answers kept, anonymous) or "removed"."""

    respondent_id: str
    assessment_id: str
    mode: str
    mail_ids: tuple[str, ...]
    assessment_gone: bool = False  # a self-assessment goes as a whole


@dataclass(frozen=True, slots=True)
class _Person:
    respondent_id: str
    exact: frozenset[str]  # values that are the person's own (name, e-mail, free text)
    addresses: frozenset[str]

    @property
    def needles(self) -> list[str]:
        """What a stored text holds where it mentions them: each value as typed and as JSON
        writes it (escaped, and ASCII-escaped)."""
        found = {self.respondent_id}
        for value in self.exact:
            found |= {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
        return sorted(found)

    def scrub(self, value: Any) -> Any:
        """`value` (parsed JSON) with the person's values replaced and their attributes and
        lead emptied wherever an object names them."""
        if isinstance(value, str):
            mentions = value in self.exact or any(a in value for a in self.addresses)
            return ERASED if mentions else value
        if isinstance(value, list):
            return [self.scrub(entry) for entry in value]
        if isinstance(value, dict):
            theirs = self.respondent_id in (value.get("respondent_id"), value.get("id"))
            return {
                key: (None if key == "lead" else {})
                if theirs and key in _PERSON_KEYS and entry
                else self.scrub(entry)
                for key, entry in value.items()
            }
        return value


def _person(
    session: Session, catalog: Catalog, assessment: Assessment, respondent: Respondent
) -> tuple[_Person, list[str]]:
    """Who they are, and the ids of their free-text answers."""
    answers = respondent_rows.answers_of(session, respondent_id=respondent.id)
    package = catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    text_items = [
        item_id
        for item_id, value in answers.items()
        if item_id in package.items
        and package.items[item_id].kind is ItemKind.TEXT
        and isinstance(value, str)
    ]
    values = {respondent.name or "", respondent.email or ""}
    values |= {answers[item_id].strip() for item_id in text_items}
    addresses = {respondent.email or ""}
    lead = lead_of(session, respondent_id=respondent.id)
    if lead is not None:
        values |= {lead.name, lead.company, lead.email}
        addresses.add(lead.email)
    # Very short values ("A", "ok") would match half the database: they are erased where
    # they sit on the person's own rows, not searched for elsewhere.
    exact = frozenset(value for value in values if len(value.strip()) >= 3)
    return _Person(respondent.id, exact, frozenset(a for a in addresses if a)), text_items


def _scrub_mentions(session: Session, workspace_id: str, person: _Person) -> None:
    needles = person.needles
    for event in erasure_rows.events_mentioning(
        session, workspace_id=workspace_id, needles=needles
    ):
        body = json.loads(event.body)
        event.body = json.dumps(person.scrub(body), ensure_ascii=False, separators=(",", ":"))
        session.add(event)
    for logged in erasure_rows.audit_events_mentioning(
        session, workspace_id=workspace_id, needles=needles
    ):
        logged.detail = person.scrub(dict(logged.detail))
        session.add(logged)
    erasure_rows.delete_idempotency_records_mentioning(
        session, workspace_id=workspace_id, needles=needles
    )


def _anonymise(
    session: Session, respondent: Respondent, text_items: Iterable[str], now: datetime
) -> None:
    respondent.name = None
    respondent.email = None
    respondent.attributes = {}
    respondent.invite_token_hash = hash_secret(secrets.token_urlsafe(32))  # nobody holds it
    respondent.invite_token_sealed = None
    respondent.thanks_requested = False
    respondent.erased_at = now
    respondent.updated_at = now
    session.add(respondent)
    erasure_rows.delete_answers(session, respondent_id=respondent.id, item_ids=list(text_items))


def _mode(session: Session, assessment: Assessment, respondent: Respondent) -> str:
    """ "anonymised" when their submitted answers may stay in the team's figures (the team's
    submitted respondents reach k), else "removed"."""
    submitted = respondent_rows.count_by_status(session, assessment_id=assessment.id).get(
        "submitted", 0
    )
    keeps_answers = (
        assessment.kind != "self"
        and respondent.status == "submitted"
        and submitted >= assessment.anonymity_k
    )
    return "anonymised" if keeps_answers else "removed"


@dataclass(frozen=True, slots=True)
class ErasurePreview:
    """What the console's confirmation says before an erasure."""

    name: str | None
    email: str | None
    self_assessment: bool
    mode: str
    messages: int


def _found(
    session: Session, workspace_id: str, assessment_id: str, respondent_id: str
) -> tuple[Assessment, Respondent]:
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    respondent = respondent_rows.get_respondent(
        session, workspace_id=workspace_id, assessment_id=assessment_id, respondent_id=respondent_id
    )
    if assessment is None or respondent is None:
        raise NotFoundError("respondent", respondent_id)
    return assessment, respondent


def erasure_preview(
    *, session: Session, workspace_id: str, assessment_id: str, respondent_id: str
) -> ErasurePreview:
    assessment, respondent = _found(session, workspace_id, assessment_id, respondent_id)
    lead = lead_of(session, respondent_id=respondent_id)
    addresses = [a for a in (respondent.email, lead.email if lead else None) if a]
    mail = erasure_rows.mail_of(
        session, workspace_id=workspace_id, respondent_id=respondent_id, addresses=addresses
    )
    return ErasurePreview(
        name=respondent.name or (lead.name if lead else None),
        email=respondent.email or (lead.email if lead else None),
        self_assessment=assessment.kind == "self",
        mode=_mode(session, assessment, respondent),
        messages=len(mail),
    )


def erase_respondent(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    respondent_id: str,
    now: datetime,
    mail_folder: MailFolder | None = None,
) -> Erasure:
    """Erase one respondent's personal data (see the module docstring). NotFoundError for a
    respondent not in this workspace's assessment."""
    assessment, respondent = _found(session, workspace_id, assessment_id, respondent_id)
    person, text_items = _person(session, catalog, assessment, respondent)
    mail_ids = erasure_rows.mail_of(
        session,
        workspace_id=workspace_id,
        respondent_id=respondent_id,
        addresses=sorted(person.addresses),
    )
    erasure_rows.delete_mail(session, mail_ids=mail_ids)
    _scrub_mentions(session, workspace_id, person)
    erasure_rows.delete_cached_reports(session, assessment_id=assessment_id)
    mode = _mode(session, assessment, respondent)
    if mode == "anonymised":
        _anonymise(session, respondent, text_items, now)
        assessment_rows.mark_assessment_changed(session, assessment_id=assessment_id, now=now)
    elif assessment.kind == "self":
        assessment_rows.delete_assessment(session, assessment)
    else:
        remove_respondent(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            actor=actor,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            now=now,
        )
    detail: Mapping[str, Any] = {"assessment_id": assessment_id, "mode": mode}
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="respondent.erased",
        subject_type="respondent",
        subject_id=respondent_id,
        detail=dict(detail),
    )
    record_event(
        session=session,
        workspace_id=workspace_id,
        event_type="respondent.erased",
        data={**detail, "respondent_id": respondent_id, "erased_at": now},
        now=now,
    )
    session.flush()
    if mail_folder is not None:
        mail_folder.remove(mail_ids)
    return Erasure(respondent_id, assessment_id, mode, tuple(mail_ids), assessment.kind == "self")
