"""The public self-assessment as a lead source. A workspace may switch on a lead form (name,
company, e-mail, and consent in the workspace's own words); a person who fills it in agrees
to that wording by ticking it, and the lead is kept with the exact wording and the time.
When they submit, the link to their results and report is e-mailed to them, and the lead
travels in the `self_assessment.submitted` webhook, with CRM flat fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from app.mail.addresses import normalised_address
from app.models import Lead, Workspace
from app.services.errors import FieldProblem, InvalidInputError
from app.services.mail_outbox import MailSender, queue_mail
from app.text_rules import text_field_problems

__all__ = [
    "LeadForm",
    "LeadSubmission",
    "lead_event_data",
    "lead_of",
    "mail_results_link",
    "record_lead",
]


@dataclass(frozen=True, slots=True)
class LeadForm:
    """What the lead form on a self-assessment's last page holds; all of it may be empty."""

    name: str = ""
    company: str = ""
    email: str = ""
    consent: bool = False

    @property
    def filled_in(self) -> bool:
        return bool(self.name.strip() or self.company.strip() or self.email.strip())


@dataclass(frozen=True, slots=True)
class LeadSubmission:
    """The lead form sent with a self-assessment's submission, and where its results are."""

    form: LeadForm
    sender: MailSender
    results_path: str


def _checked(form: LeadForm) -> tuple[str, list[FieldProblem]]:
    problems = text_field_problems({"lead.name": form.name, "lead.company": form.company})
    problems += [
        FieldProblem(f"lead.{field}", "use at most 200 characters")
        for field, value in (("name", form.name), ("company", form.company))
        if len(value.strip()) > 200
    ]
    email = ""
    if not form.email.strip():
        problems.append(FieldProblem("lead.email", "give the e-mail your report should go to"))
    else:
        try:
            email = normalised_address(form.email)
        except ValueError as error:
            problems.append(FieldProblem("lead.email", str(error)))
    if not form.consent:
        problems.append(
            FieldProblem("lead.consent", "tick the box to agree, or leave the form empty")
        )
    return email, problems


def record_lead(
    *, session: Session, workspace: Workspace, respondent_id: str, form: LeadForm, now: datetime
) -> Lead | None:
    """Keep the lead of a self-assessment being submitted, or nothing when the form is off
    or left empty. InvalidInputError (fields `lead.*`) for a form filled in part, without consent or
    with an address mail cannot go to."""
    if not workspace.lead_form_enabled or not workspace.lead_consent_wording:
        return None
    if not form.filled_in and not form.consent:
        return None
    email, problems = _checked(form)
    if problems:
        raise InvalidInputError(problems)
    lead = Lead(
        workspace_id=workspace.id,
        respondent_id=respondent_id,
        name=form.name.strip(),
        company=form.company.strip(),
        email=email,
        consent_wording=workspace.lead_consent_wording,
        consented_at=now,
        created_at=now,
    )
    session.add(lead)
    session.flush()
    return lead


def lead_of(session: Session, *, respondent_id: str) -> Lead | None:
    return session.exec(select(Lead).where(Lead.respondent_id == respondent_id)).first()


def lead_event_data(lead: Lead | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(`lead` in the event's data, its CRM flat fields): null and no fields without one."""
    if lead is None:
        return {"lead": None}, {}
    consented_at = lead.consented_at.isoformat().replace("+00:00", "Z")
    return (
        {
            "lead": {
                "name": lead.name,
                "company": lead.company,
                "email": lead.email,
                "consent_wording": lead.consent_wording,
                "consented_at": consented_at,
            }
        },
        {
            "opsmaturity_lead_name": lead.name,
            "opsmaturity_lead_company": lead.company,
            "opsmaturity_lead_email": lead.email,
            "opsmaturity_lead_consented_at": consented_at,
        },
    )


def mail_results_link(
    *,
    session: Session,
    sender: MailSender,
    lead: Lead,
    questionnaire_title: str,
    results_path: str,
    now: datetime,
) -> None:
    """E-mail the lead the private link to their results and report."""
    queue_mail(
        session=session,
        sender=sender,
        workspace_id=lead.workspace_id,
        to_address=lead.email,
        to_name=lead.name,
        template="self_assessment_results",
        context={
            "name": lead.name,
            "questionnaire_title": questionnaire_title,
            "results_url": f"{sender.base_url}{results_path}",
        },
        now=now,
        respondent_id=lead.respondent_id,
        skip_undeliverable=True,
    )
