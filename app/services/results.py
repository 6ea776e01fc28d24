"""Results of an assessment: scored from the answers of respondents who submitted.

Respondents still in progress do not count (their answers may be half-way); the
`participation` block shows how many have submitted, and `results.completeness` how complete
the counted answers are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment
from app.persistence.loop_reads import LoopReads
from app.repositories import assessments as assessment_rows
from app.repositories import clients as client_rows
from app.repositories import respondents as respondent_rows
from app.repositories.results_checks import find_key_and_results_versions
from app.result_view import assessment_json
from app.services.assessments import get_assessment, pinned_package, stored_targets
from app.services.authentication import Principal, principal_of_api_key
from app.services.credentials import split_api_key
from app.services.errors import NotFoundError, ResultsNotReadyError
from app.services.flat_fields import flat_fields
from app.services.results_cache import CachedResults, ResultsCache
from app.services.results_csv import render_results_csv
from scoring import AssessmentResult, Package, RespondentAnswers, score_assessment

__all__ = [
    "ResultsCsv",
    "assessment_results",
    "cached_results",
    "flat_assessment_results",
    "results_csv",
    "score_stored_assessment",
]


@dataclass(frozen=True, slots=True)
class ResultsCsv:
    text: str
    filename: str


def assessment_results(
    *,
    session: Session,
    catalog: Catalog,
    cache: ResultsCache,
    workspace_id: str,
    assessment_id: str,
) -> CachedResults:
    """The nested results view and its JSON; ResultsNotReadyError until someone submits.
    Served from the cache while the assessment's (and its baseline's) results version holds."""
    versions = assessment_rows.results_versions(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    if versions is None:
        raise NotFoundError("assessment", assessment_id)
    cached = cache.get((assessment_id, *versions))
    if cached is not None:
        return cached
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    baseline = _baseline(session, assessment)
    key = (
        assessment.id,
        assessment.results_version,
        None if baseline is None else baseline.id,
        None if baseline is None else baseline.results_version,
    )
    package, result = _score(session, catalog, assessment, baseline)
    view = {
        "assessment": _assessment_summary(session, assessment),
        "participation": _participation(session, assessment),
        "results": assessment_json(package, result),
    }
    entry = CachedResults(
        view,
        json.dumps(view, ensure_ascii=False).encode(),
        json.dumps(flat_fields(view), ensure_ascii=False, separators=(",", ":")).encode(),
    )
    cache.put(key, entry)
    return entry


async def cached_results(
    *, reads: LoopReads, cache: ResultsCache, credential: str, assessment_id: str
) -> tuple[Principal, CachedResults] | None:
    """The results cached for the assessment's current versions, checked in one query run from
    the event loop that also authenticates the API key (AuthenticationError when it is unknown
    or revoked; NotFoundError when the assessment is not in its workspace). None when the
    credential is no API key or nothing is cached yet: then `assessment_results` answers."""
    prefix = split_api_key(credential)
    if prefix is None:
        return None
    found = await find_key_and_results_versions(reads, prefix=prefix, assessment_id=assessment_id)
    caller = principal_of_api_key(credential, None if found is None else found.key)
    if found is None or found.versions is None:
        raise NotFoundError("assessment", assessment_id)
    entry = cache.get((assessment_id, *found.versions))
    return None if entry is None else (caller, entry)


def flat_assessment_results(
    *,
    session: Session,
    catalog: Catalog,
    cache: ResultsCache,
    workspace_id: str,
    assessment_id: str,
) -> dict[str, str | int | float | None]:
    """The CRM-friendly flat fields of the results (see app/services/flat_fields.py)."""
    entry = assessment_results(
        session=session,
        catalog=catalog,
        cache=cache,
        workspace_id=workspace_id,
        assessment_id=assessment_id,
    )
    return flat_fields(entry.view)


def results_csv(
    *, session: Session, catalog: Catalog, workspace_id: str, assessment_id: str
) -> ResultsCsv:
    """Team and group rows; a self-assessment's own row too (never per-respondent rows of a team)."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    package, result = _score(session, catalog, assessment, _baseline(session, assessment))
    body = render_results_csv(package, result, self_assessment=assessment.kind == "self")
    return ResultsCsv(body, f"{assessment.id}-results.csv")


def score_stored_assessment(
    session: Session, catalog: Catalog, assessment: Assessment
) -> tuple[Package, AssessmentResult]:
    """Score an assessment's submitted answers with its targets and baseline: what results,
    CSV and reports all show. Raises ResultsNotReadyError before the first submission."""
    return _score(session, catalog, assessment, _baseline(session, assessment))


def _baseline(session: Session, assessment: Assessment) -> Assessment | None:
    if assessment.baseline_assessment_id is None:
        return None
    return assessment_rows.get_assessment(
        session,
        workspace_id=assessment.workspace_id,
        assessment_id=assessment.baseline_assessment_id,
    )


def _score(
    session: Session, catalog: Catalog, assessment: Assessment, baseline: Assessment | None
) -> tuple[Package, AssessmentResult]:
    package = pinned_package(catalog, assessment)
    respondents = _submitted(session, assessment)
    if not respondents:
        counts = respondent_rows.count_by_status(session, assessment_id=assessment.id)
        raise ResultsNotReadyError(
            f"no respondent has submitted yet ({sum(counts.values())} invited); "
            "results count submitted respondents only"
        )
    baseline_result = None
    if baseline is not None:
        baseline_respondents = _submitted(session, baseline)
        if baseline_respondents:
            baseline_result = score_assessment(
                pinned_package(catalog, baseline),
                baseline_respondents,
                anonymity_k=baseline.anonymity_k,
            )
    result = score_assessment(
        package,
        respondents,
        targets=stored_targets(assessment),
        baseline=baseline_result,
        anonymity_k=assessment.anonymity_k,
    )
    return package, result


def _submitted(session: Session, assessment: Assessment) -> list[RespondentAnswers]:
    return [
        RespondentAnswers(row.respondent_id, row.answers, row.attributes, row.erased)
        for row in respondent_rows.submitted_answers(session, assessment_id=assessment.id)
    ]


def _assessment_summary(session: Session, assessment: Assessment) -> dict[str, Any]:
    client = client_rows.get_client(
        session, workspace_id=assessment.workspace_id, client_id=assessment.client_id
    )
    return {
        "id": assessment.id,
        "title": assessment.title,
        "status": assessment.status,
        "client_id": assessment.client_id,
        "client_external_ref": None if client is None else client.external_ref,
        "baseline_assessment_id": assessment.baseline_assessment_id,
        "results_version": assessment.results_version,
        "updated_at": assessment.updated_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }


def _participation(session: Session, assessment: Assessment) -> dict[str, Any]:
    counts = respondent_rows.count_by_status(session, assessment_id=assessment.id)
    return {
        "total": sum(counts.values()),
        "invited": counts.get("invited", 0),
        "in_progress": counts.get("in_progress", 0),
        "submitted": counts.get("submitted", 0),
        "counted": "submitted respondents only",
    }
