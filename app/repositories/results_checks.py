"""The one query behind a cached results read: the caller's API key and the results
versions of the assessment it asks for, scoped by the key's workspace."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select

from app.models import ApiKey, Assessment
from app.models.tables import table_of
from app.persistence.loop_reads import LoopReads
from app.repositories.workspaces import KeyCredentials

__all__ = ["KeyAndResultsVersions", "find_key_and_results_versions"]

ResultsVersions = tuple[int, str | None, int | None]


@dataclass(frozen=True, slots=True)
class KeyAndResultsVersions:
    key: KeyCredentials
    # (results version, baseline id, baseline's results version); None: no such assessment
    # in the key's workspace.
    versions: ResultsVersions | None


_KEY = table_of(ApiKey)
_ASSESSMENT = table_of(Assessment).alias("asked")
_BASELINE = table_of(Assessment).alias("baseline")

# Built once: LoopReads compiles it once per database.
_KEY_AND_VERSIONS = (
    select(
        _KEY.c.id,
        _KEY.c.workspace_id,
        _KEY.c.prefix,
        _KEY.c.secret_hash,
        _KEY.c.last_used_at,
        _KEY.c.revoked_at,
        _ASSESSMENT.c.results_version,
        _BASELINE.c.id,
        _BASELINE.c.results_version,
    )
    .select_from(
        _KEY.outerjoin(
            _ASSESSMENT,
            and_(
                _ASSESSMENT.c.id == bindparam("assessment_id"),
                _ASSESSMENT.c.workspace_id == _KEY.c.workspace_id,
            ),
        ).outerjoin(
            _BASELINE,
            and_(
                _BASELINE.c.id == _ASSESSMENT.c.baseline_assessment_id,
                _BASELINE.c.workspace_id == _ASSESSMENT.c.workspace_id,
            ),
        )
    )
    .where(_KEY.c.prefix == bindparam("prefix"))
)


async def find_key_and_results_versions(
    reads: LoopReads, *, prefix: str, assessment_id: str
) -> KeyAndResultsVersions | None:
    """None when no key has `prefix`."""
    row = await reads.first(_KEY_AND_VERSIONS, {"prefix": prefix, "assessment_id": assessment_id})
    if row is None:
        return None
    key = KeyCredentials(
        id=row[0],
        workspace_id=row[1],
        prefix=row[2],
        secret_hash=row[3],
        last_used_at=row[4],
        revoked_at=row[5],
    )
    version, baseline_id, baseline_version = row[6:]
    versions = None if version is None else (version, baseline_id, baseline_version)
    return KeyAndResultsVersions(key, versions)
