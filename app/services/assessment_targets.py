"""Editing an assessment's targets from the console: the form, filled with the targets it holds
and offering its pinned questionnaire's stages and items only, and the form's answer saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment
from app.services.assessments import (
    get_assessment,
    pinned_package,
    stored_targets,
    update_assessment_targets,
)
from app.services.errors import InvalidInputError
from app.services.target_form import (
    TargetChoices,
    TargetForm,
    form_of_targets,
    target_choices,
    targets_from_form,
)

__all__ = ["TargetsPage", "save_target_form", "targets_page"]


@dataclass(frozen=True, slots=True)
class TargetsPage:
    assessment: Assessment
    choices: TargetChoices
    form: TargetForm  # the stored targets, or the form as typed after a refusal


def targets_page(
    *, session: Session, catalog: Catalog, workspace_id: str, assessment_id: str
) -> TargetsPage:
    """The target form of an assessment, filled with the targets it holds."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    package = pinned_package(catalog, assessment)
    return TargetsPage(
        assessment,
        target_choices(package),
        form_of_targets(package.id, stored_targets(assessment)),
    )


def save_target_form(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    form: TargetForm,
    now: datetime,
) -> Assessment:
    """Replace the assessment's targets with the form's. InvalidInputError names every field
    that does not fit, by the form's own names; then nothing is saved."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    targets, problems = targets_from_form(pinned_package(catalog, assessment), form)
    if problems:
        raise InvalidInputError(problems)
    return update_assessment_targets(
        session=session,
        catalog=catalog,
        workspace_id=workspace_id,
        actor=actor,
        assessment_id=assessment_id,
        targets=targets,
        now=now,
    )
