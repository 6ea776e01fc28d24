"""The results of a team assessment as the console shows them: the report's own view model
(so the page and the PDF always agree), how firm the reading is (findings, contested and
borderline stages, intervals), the round it is compared with, and before anyone has
submitted, how far the respondents have got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment
from app.reports.view_model import ReportView
from app.repositories import assessments as assessment_rows
from app.repositories import respondents as respondent_rows
from app.services.assessment_reports import assessment_report_view
from app.services.assessments import get_assessment
from app.services.errors import ResultsNotReadyError
from app.services.results import score_stored_assessment
from app.team_reading import TeamReading, team_reading

__all__ = ["ComparedRound", "TeamResults", "team_results"]


@dataclass(frozen=True, slots=True)
class ComparedRound:
    """The baseline: the earlier round that the change column compares with."""

    id: str
    title: str
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class TeamResults:
    assessment: Assessment
    view: ReportView | None  # None: nobody has submitted yet
    reading: TeamReading | None  # None with the view
    baseline: ComparedRound | None
    respondents: int
    in_progress: int
    submitted: int

    @property
    def completion_percent(self) -> int:
        return round(100 * self.submitted / self.respondents) if self.respondents else 0


def team_results(
    *, session: Session, catalog: Catalog, workspace_id: str, assessment_id: str
) -> TeamResults:
    """Scores, disagreement and role breakdowns of the submitted respondents, with the
    comparison to the baseline round; `view` is None until someone submits."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    try:
        view: ReportView | None = assessment_report_view(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            assessment_id=assessment_id,
            variant="team",
        )
    except ResultsNotReadyError:
        view = None
    reading = None
    if view is not None:
        # Scored a second time: the report's view model does not hand its result back.
        package, result = score_stored_assessment(session, catalog, assessment)
        reading = team_reading(package, result)
    baseline = None
    if assessment.baseline_assessment_id is not None:
        row = assessment_rows.get_assessment(
            session, workspace_id=workspace_id, assessment_id=assessment.baseline_assessment_id
        )
        if row is not None:
            baseline = ComparedRound(row.id, row.title, row.created_at, row.closed_at)
    counts = respondent_rows.count_by_status(session, assessment_id=assessment.id)
    return TeamResults(
        assessment=assessment,
        view=view,
        reading=reading,
        baseline=baseline,
        respondents=sum(counts.values()),
        in_progress=counts.get("in_progress", 0),
        submitted=counts.get("submitted", 0),
    )
