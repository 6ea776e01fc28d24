"""Team scores by respondent attribute (role, function, site…), under disclosure control.

A value held by fewer than k respondents is never shown alone; such values are pooled into one
"Other (pooled)" group when the pool reaches k. Then complementary suppression
(scoring/disclosure.py) withholds further groups, across every attribute at once, until no set of
fewer than k respondents can be worked out from the team figures and the groups shown, by
adding and subtracting: within one breakdown (the team minus its groups gives those who did not
say), across breakdowns (role against site) and between the team and its groups. It is decided
for each distinct set of respondents that a column (dimension or overall) is averaged over, and
a group withheld in one column is withheld in all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.disclosure import publishable_cells
from scoring.package import Package
from scoring.respondent import RespondentResult
from scoring.rollup import to_display

__all__ = ["OTHER_GROUP", "AttributeBreakdown", "GroupScores", "attribute_breakdowns"]

# The pool of small groups. Declared values are ids, which start with a letter, so this one can
# never be a declared value (a value called "other" is a group of its own).
OTHER_GROUP = "_other"


@dataclass(frozen=True, slots=True)
class GroupScores:
    """Mean scores of one attribute group; `value` is OTHER_GROUP for pooled small groups."""

    value: str
    label: str
    n: int
    dimensions: Mapping[str, Decimal | None]
    overall: Decimal | None


@dataclass(frozen=True, slots=True)
class AttributeBreakdown:
    """The groups shown for one attribute. `pooled_values` are below k (pooled into OTHER_GROUP or
    not shown); `withheld_values` reach k but are withheld so that no small group can be
    computed from the rest; `unstated` respondents gave no value."""

    attribute_id: str
    label: str
    groups: tuple[GroupScores, ...]
    pooled_values: tuple[str, ...]
    withheld_values: tuple[str, ...]
    unstated: int


Cell = tuple[str, str]  # (attribute id, value or OTHER_GROUP)


def attribute_breakdowns(
    package: Package, respondents: Sequence[RespondentResult], anonymity_k: int
) -> tuple[AttributeBreakdown, ...]:
    """One breakdown per declared attribute, in declaration order."""
    candidates: list[tuple[Cell, list[int]]] = []
    pooled: dict[str, tuple[str, ...]] = {}
    for attribute in package.questionnaire.attributes:
        groups: dict[str, list[int]] = {}
        for index, respondent in enumerate(respondents):
            value = respondent.attributes.get(attribute.id)
            if value is not None:
                groups.setdefault(value, []).append(index)
        small = tuple(sorted(v for v, members in groups.items() if len(members) < anonymity_k))
        pooled[attribute.id] = small
        for value, members in sorted(groups.items()):
            if value not in small:
                candidates.append(((attribute.id, value), members))
        pool = [i for value in small for i in groups[value]]
        if len(pool) >= anonymity_k:
            candidates.append(((attribute.id, OTHER_GROUP), sorted(pool)))
    columns = [d.id for d in package.questionnaire.dimensions]
    shown = _publishable(respondents, columns, candidates, anonymity_k)
    breakdowns = []
    for attribute in package.questionnaire.attributes:
        labels = {v.id: v.label for v in attribute.values}
        cells = [(cell, members) for cell, members in candidates if cell[0] == attribute.id]
        groups_shown = tuple(
            _group(
                package,
                value,
                "Other (pooled)" if value == OTHER_GROUP else labels.get(value, value),
                [respondents[i] for i in members],
            )
            for (_, value), members in cells
            if (attribute.id, value) in shown
        )
        withheld = tuple(value for (_, value), _ in cells if (attribute.id, value) not in shown)
        unstated = sum(1 for r in respondents if r.attributes.get(attribute.id) is None)
        breakdowns.append(
            AttributeBreakdown(
                attribute.id,
                attribute.label,
                groups_shown,
                pooled[attribute.id],
                withheld,
                unstated,
            )
        )
    return tuple(breakdowns)


def _publishable(
    respondents: Sequence[RespondentResult],
    dimension_ids: Sequence[str],
    candidates: Sequence[tuple[Cell, list[int]]],
    anonymity_k: int,
) -> set[Cell]:
    """Cells safe in every column: each column averages over those with a value in it."""
    if not candidates:
        return set()
    columns = {
        frozenset(i for i, r in enumerate(respondents) if r.overall.raw is not None),
        *(
            frozenset(i for i, r in enumerate(respondents) if r.dimension_raws[d] is not None)
            for d in dimension_ids
        ),
    }
    shown = {cell for cell, _ in candidates}
    for team in columns:
        cells = [(cell, frozenset(members)) for cell, members in candidates if cell in shown]
        shown &= set(publishable_cells(team, cells, anonymity_k))
    return shown


def _mean_display(package: Package, values: Sequence[float]) -> Decimal | None:
    return to_display(package, math.fsum(values) / len(values)) if values else None


def _group(
    package: Package, value: str, label: str, members: Sequence[RespondentResult]
) -> GroupScores:
    dimensions = {
        d.id: _mean_display(
            package, [v for r in members if (v := r.dimension_raws[d.id]) is not None]
        )
        for d in package.questionnaire.dimensions
    }
    overall = _mean_display(package, [r.overall.raw for r in members if r.overall.raw is not None])
    return GroupScores(value, label, len(members), dimensions, overall)
