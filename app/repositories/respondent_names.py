"""SQL for the names of an assessment's submitted respondents, as individual reports print
them. Every query is scoped by workspace."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import Respondent

__all__ = ["submitted_respondent_names"]


def submitted_respondent_names(
    session: Session, *, workspace_id: str, assessment_id: str
) -> list[str | None]:
    """One statement; in the order the scored respondents come (submitted_answers)."""
    return list(
        session.exec(
            select(Respondent.name)
            .where(
                col(Respondent.workspace_id) == workspace_id,
                col(Respondent.assessment_id) == assessment_id,
                col(Respondent.status) == "submitted",
            )
            .order_by(col(Respondent.created_at), col(Respondent.id))
        ).all()
    )
