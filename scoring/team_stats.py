"""How far a team's reading of each dimension can be trusted: spread, agreement, interval,
borderline and contested.

A dimension is *contested* when its respondents fall into camps: its agreement level is weak or
none (after the spread caps of scoring/agreement.py) and the respondents' own dimension scores
sit in at least two different stages (by thresholds). A team whose scores all lie within one
stage band is therefore never contested, and a unanimous team never is. A contested dimension's
stage is read together with `stage_span`, the lowest and highest stage its respondents reach.

A score is *borderline* when its 95 % interval (scoring/intervals.py) reaches into another stage.

Under a stage model without thresholds nothing is placed in a stage: the intervals stay, but no
score is borderline (`borderline` None), none is contested and there is no `stage_span`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.agreement import AgreementLevel, Observed, agreement_level, rwg_star_j, spread
from scoring.intervals import ScoreInterval, score_interval
from scoring.package import Package
from scoring.respondent import RespondentResult
from scoring.results import ScoreSummary
from scoring.rollup import raw_ceiling, to_display
from scoring.stages import threshold_index

__all__ = [
    "CONTESTED_LEVELS",
    "DimensionStats",
    "OverallStats",
    "dimension_stats",
    "overall_stats",
]

CONTESTED_LEVELS: frozenset[AgreementLevel] = frozenset({"weak", "none"})


@dataclass(frozen=True, slots=True)
class DimensionStats:
    """Spread of respondents' dimension scores (display scale) and the dimension's agreement.

    `agreement` is r*wg(J) over the dimension's items; `agreement_level` its label after the
    spread caps. `interval` is None below two respondents, and `borderline` then too; under a
    model without thresholds `borderline` is None and `stage_span` too.
    """

    dimension_id: str
    n: int
    mean: Decimal | None
    sd: float | None
    minimum: Decimal | None
    maximum: Decimal | None
    agreement: float | None
    agreement_level: AgreementLevel | None
    interval: ScoreInterval | None
    borderline: bool | None
    contested: bool
    stage_span: tuple[int, int] | None  # lowest and highest stage index of respondents' scores


@dataclass(frozen=True, slots=True)
class OverallStats:
    """The overall score's interval over respondents, and the contested dimensions it rests on."""

    n: int
    interval: ScoreInterval | None
    borderline: bool | None
    contested_dimensions: tuple[str, ...]


def _interval(
    package: Package,
    values: Sequence[float],
    centre: float | None,
    ceiling: float,
    thresholds: tuple[Decimal, ...],
) -> tuple[ScoreInterval | None, bool | None]:
    bounds = None if centre is None else score_interval(values, centre, lowest=0.0, highest=ceiling)
    if bounds is None:
        return None, None
    low, high = to_display(package, bounds[0]), to_display(package, bounds[1])
    interval = ScoreInterval(len(values), low, high, bounds[2])
    if not package.places_stages:
        return interval, None
    return interval, threshold_index(low, thresholds) != threshold_index(high, thresholds)


def dimension_stats(
    package: Package,
    raws: Mapping[str, Sequence[float]],
    items: Mapping[str, Sequence[tuple[Observed, int | None]]],
) -> dict[str, DimensionStats]:
    """Per top-level dimension; `raws` holds each dimension's raw scores of the respondents
    who have one, `items` each dimension's item spreads and distinct values."""
    result = {}
    unit = float(to_display(package, 1.0) - to_display(package, 0.0))
    places = package.places_stages
    for dimension in package.questionnaire.dimensions:
        dimension_raws = raws[dimension.id]
        observed = spread(dimension_raws)
        thresholds = package.dimension_thresholds[dimension.id]
        ceiling = raw_ceiling(package, dimension)
        if observed is None:
            result[dimension.id] = DimensionStats(
                dimension.id, 0, None, None, None, None, None, None, None, None, False, None
            )
            continue
        agreement = rwg_star_j(items.get(dimension.id, ()))
        level = agreement_level(
            agreement,
            sd_share=observed.sd / ceiling,
            range_share=observed.range / ceiling,
        )
        minimum = to_display(package, observed.minimum)
        maximum = to_display(package, observed.maximum)
        low_stage = threshold_index(minimum, thresholds)
        high_stage = threshold_index(maximum, thresholds)
        interval, borderline = _interval(
            package, dimension_raws, observed.mean, ceiling, thresholds
        )
        result[dimension.id] = DimensionStats(
            dimension_id=dimension.id,
            n=observed.n,
            mean=to_display(package, observed.mean),
            sd=observed.sd * unit,
            minimum=minimum,
            maximum=maximum,
            agreement=agreement,
            agreement_level=level,
            interval=interval,
            borderline=borderline,
            contested=places and level in CONTESTED_LEVELS and low_stage != high_stage,
            stage_span=(low_stage, high_stage) if places else None,
        )
    return result


def overall_stats(
    package: Package,
    respondents: Sequence[RespondentResult],
    summary: ScoreSummary,
    dimensions: Mapping[str, DimensionStats],
) -> OverallStats:
    """The interval of the team's overall score, centred on it, from respondents' overall scores."""
    raws = [r.overall.raw for r in respondents if r.overall.raw is not None]
    interval, borderline = _interval(
        package,
        raws,
        summary.overall.raw,
        raw_ceiling(package, None),
        package.overall_thresholds,
    )
    contested = tuple(d.id for d in package.questionnaire.dimensions if dimensions[d.id].contested)
    return OverallStats(len(raws), interval, borderline, contested)
