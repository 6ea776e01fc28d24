"""What the console's confirmation pages name before a deletion: the client or assessment,
and how many assessments, respondents and answers go with it. The deletion itself is the
API's own (app/services/clients.py, app/services/assessments.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.models import Assessment, Client
from app.repositories import deletion_scope as scope_rows
from app.repositories.deletion_scope import DeletionScope
from app.services.assessments import get_assessment
from app.services.clients import get_client

__all__ = [
    "AssessmentDeletion",
    "ClientDeletion",
    "DeletionScope",
    "assessment_deletion",
    "client_deletion",
]


@dataclass(frozen=True, slots=True)
class ClientDeletion:
    client: Client
    scope: DeletionScope


@dataclass(frozen=True, slots=True)
class AssessmentDeletion:
    assessment: Assessment
    client_name: str
    scope: DeletionScope


def client_deletion(*, session: Session, workspace_id: str, client_id: str) -> ClientDeletion:
    """The client and what deleting it takes with it; NotFoundError for another workspace's."""
    client = get_client(session=session, workspace_id=workspace_id, client_id=client_id)
    scope = scope_rows.client_deletion_scope(
        session, workspace_id=workspace_id, client_id=client.id
    )
    return ClientDeletion(client, scope)


def assessment_deletion(
    *, session: Session, workspace_id: str, assessment_id: str
) -> AssessmentDeletion:
    """The assessment and what deleting it takes with it (its respondents and their answers);
    NotFoundError for another workspace's."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    client = get_client(session=session, workspace_id=workspace_id, client_id=assessment.client_id)
    scope = scope_rows.assessment_deletion_scope(
        session, workspace_id=workspace_id, assessment_id=assessment.id
    )
    return AssessmentDeletion(assessment, client.name, scope)
