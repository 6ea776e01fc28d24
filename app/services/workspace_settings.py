"""A workspace's settings: its branding (name, primary colour, logo) on reports and public
pages, the slug of its public self-assessment link, its mail, its lead form and its time
zone. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from sqlmodel import Session

from app.mail.addresses import normalised_address
from app.models import Workspace
from app.reports.branding import BrandingError, check_colour, check_firm_name, check_logo
from app.repositories import audit
from app.repositories import workspaces as workspace_rows
from app.services.errors import FieldProblem, InvalidInputError, NotFoundError
from app.services.reminder_steps import time_zone_problem
from app.services.self_assessments import PUBLIC_SLUG_PATTERN
from app.text_rules import text_field_problems

__all__ = [
    "BrandingChange",
    "chosen_colour",
    "get_workspace_settings",
    "remove_logo",
    "time_zone_names",
    "update_branding",
    "update_lead_form",
    "update_mail_reply_to",
    "update_public_link",
    "update_time_zone",
]


@dataclass(frozen=True, slots=True)
class BrandingChange:
    """The branding form as sent: `logo` None (or empty) keeps the current logo."""

    name: str
    brand_colour: str
    logo: bytes | None = None


def chosen_colour(*, typed: str, picked: str, shown: str) -> str:
    """The form has a colour picker and a text field for the same colour: the text wins when
    it was edited, otherwise the picker (so either works without script)."""
    if typed.strip().lower() != shown.strip().lower() or not picked:
        return typed
    return picked


def get_workspace_settings(*, session: Session, workspace_id: str) -> Workspace:
    return _workspace(session, workspace_id)


def update_branding(
    *, session: Session, workspace_id: str, actor: str, change: BrandingChange
) -> Workspace:
    """Set the name (shown as the firm on reports), the primary colour and, when one is
    sent, the logo; InvalidInputError names every refused field."""
    workspace = _workspace(session, workspace_id)
    problems = []
    name = colour = logo = None
    try:
        name = check_firm_name(change.name)
    except BrandingError as error:
        problems.append(FieldProblem("name", str(error)))
    problems += text_field_problems({"name": name})
    try:
        colour = check_colour(change.brand_colour)
    except BrandingError as error:
        problems.append(FieldProblem("brand_colour", str(error)))
    if change.logo:
        try:
            logo = check_logo(change.logo)
        except BrandingError as error:
            problems.append(FieldProblem("logo", str(error)))
    if problems or name is None or colour is None:
        raise InvalidInputError(problems)
    changed = [
        field
        for field, old, new in (
            ("name", workspace.name, name),
            ("brand_colour", workspace.brand_colour, colour),
        )
        if old != new
    ]
    workspace.name = name
    workspace.brand_colour = colour
    if logo is not None:
        workspace.logo = logo.content
        workspace.logo_media_type = logo.media_type
        changed.append("logo")
    _save(session, workspace, actor, "workspace.branding_updated", {"fields": changed})
    return workspace


def remove_logo(*, session: Session, workspace_id: str, actor: str) -> Workspace:
    workspace = _workspace(session, workspace_id)
    if workspace.logo is not None:
        workspace.logo = None
        workspace.logo_media_type = None
        _save(session, workspace, actor, "workspace.logo_removed", {})
    return workspace


def update_public_link(*, session: Session, workspace_id: str, actor: str, slug: str) -> Workspace:
    """Publish the self-assessment link /s/<slug>, or unpublish it with an empty slug.
    A slug that does not fit the pattern, or that another workspace uses, is refused."""
    workspace = _workspace(session, workspace_id)
    wanted = slug.strip().lower() or None
    if wanted is not None:
        if not PUBLIC_SLUG_PATTERN.fullmatch(wanted):
            raise InvalidInputError(
                [
                    FieldProblem(
                        "public_slug",
                        "use 3 to 60 lower-case letters, digits and hyphens, "
                        "starting and ending with a letter or digit",
                    )
                ]
            )
        holder = workspace_rows.find_published_workspace(session, wanted)
        if holder is not None and holder.id != workspace.id:
            raise InvalidInputError(
                [FieldProblem("public_slug", "this link is taken; choose another")]
            )
    if wanted != workspace.public_slug:
        action = "workspace.link_published" if wanted else "workspace.link_unpublished"
        workspace.public_slug = wanted
        _save(session, workspace, actor, action, {"slug": wanted})
    return workspace


def update_mail_reply_to(
    *, session: Session, workspace_id: str, actor: str, reply_to: str
) -> Workspace:
    """Where replies to the workspace's mail go (the Reply-To of invitations and reminders);
    empty: no Reply-To. An address mail cannot go to is refused."""
    workspace = _workspace(session, workspace_id)
    wanted = None
    if reply_to.strip():
        try:
            wanted = normalised_address(reply_to)
        except ValueError as error:
            raise InvalidInputError([FieldProblem("mail_reply_to", str(error))]) from None
    if wanted != workspace.mail_reply_to:
        workspace.mail_reply_to = wanted
        _save(session, workspace, actor, "workspace.mail_reply_to_changed", {})
    return workspace


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zone names the settings form offers, sorted (read once: the zone
    database does not change while the server runs)."""
    return tuple(sorted(available_timezones()))


def update_time_zone(
    *, session: Session, workspace_id: str, actor: str, time_zone: str
) -> Workspace:
    """Set the workspace's time zone (an IANA name, e.g. Europe/Berlin), in which close
    dates and reminder days are counted; a name zoneinfo does not know is refused."""
    workspace = _workspace(session, workspace_id)
    wanted = time_zone.strip()
    problem = time_zone_problem(wanted)
    if problem is not None:
        raise InvalidInputError([FieldProblem("time_zone", problem)])
    if wanted != workspace.time_zone:
        old = workspace.time_zone
        workspace.time_zone = wanted
        _save(session, workspace, actor, "workspace.time_zone_changed", {"from": old, "to": wanted})
    return workspace


MAX_CONSENT_WORDING = 2000


def update_lead_form(
    *, session: Session, workspace_id: str, actor: str, enabled: bool, consent_wording: str
) -> Workspace:
    """Switch the public self-assessment's lead form on or off, with the consent wording a
    person agrees to when they leave their details (required to switch it on; multi-line,
    kept exactly as written, stored with each lead)."""
    workspace = _workspace(session, workspace_id)
    wording = consent_wording.strip()
    problems = text_field_problems({"lead_consent_wording": wording}, multiline=True)
    if len(wording) > MAX_CONSENT_WORDING:
        problems.append(
            FieldProblem("lead_consent_wording", f"use at most {MAX_CONSENT_WORDING} characters")
        )
    if enabled and not wording:
        problems.append(
            FieldProblem(
                "lead_consent_wording",
                "write what people agree to when they leave their details, e.g. who may "
                "contact them about what",
            )
        )
    if problems:
        raise InvalidInputError(problems)
    changed = (enabled, wording or None) != (
        workspace.lead_form_enabled,
        workspace.lead_consent_wording,
    )
    if changed:
        workspace.lead_form_enabled = enabled
        workspace.lead_consent_wording = wording or None
        _save(session, workspace, actor, "workspace.lead_form_changed", {"enabled": enabled})
    return workspace


def _workspace(session: Session, workspace_id: str) -> Workspace:
    workspace = workspace_rows.get_workspace(session, workspace_id)
    if workspace is None:
        raise NotFoundError("workspace", workspace_id)
    return workspace


def _save(
    session: Session, workspace: Workspace, actor: str, action: str, detail: dict[str, object]
) -> None:
    session.add(workspace)
    session.flush()
    audit.record_audit_event(
        session,
        workspace_id=workspace.id,
        actor=actor,
        action=action,
        subject_type="workspace",
        subject_id=workspace.id,
        detail=dict(detail),
    )
