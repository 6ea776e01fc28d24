"""Disclosure control of group figures: complementary (secondary) suppression.

A published group figure is a mean with its count, so it is an equation: n × mean = the sum of its
members' values. Anyone may add and subtract such equations, so the sums they can compute are
those of every set whose indicator vector lies in the rational span of the published rows. A
figure set is safe when no non-empty set of fewer than k respondents is in that span (the team
itself is always published). This is the linear-disclosure model of tabular data protection
(Hundepool et al., Statistical Disclosure Control, Wiley 2012, chapter 5; Cox, 1980).

Groups below k are suppressed first (primary suppression). Finding the fewest further cells to
withhold is NP-hard (Kelly, Golden and Assad, 1992), so a declared greedy heuristic is used:
while some small set can be computed, withhold the smallest published group (ties: the one listed
last) whose removal stops that set from being computed, or else the smallest group outright.
Every step is checked exactly, in whole-number arithmetic, so the result is safe whatever the
heuristic's choices; only how much is withheld depends on them.

The exact check: respondents who sit in exactly the same published rows form an atom, and every
vector in the span is constant on atoms. A set of atoms is computable iff its indicator is
orthogonal to the null space of the rows, i.e. the null-space coordinates of its atoms add up to
zero. Sets of fewer than k respondents are made of atoms smaller than k, and are searched
exhaustively up to `SEARCH_LIMIT` steps; a search that reaches the limit counts as a disclosure,
so the answer errs towards withholding.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TypeVar

__all__ = ["SEARCH_LIMIT", "computable_small_set", "publishable_cells"]

SEARCH_LIMIT = 20_000

Key = TypeVar("Key", bound=Hashable)
Members = frozenset[int]


def publishable_cells(
    team: Members, cells: Sequence[tuple[Key, Members]], k: int
) -> tuple[Key, ...]:
    """The keys of the cells that may be published beside the team, in their given order.

    `cells` are candidate groups (each a set of respondent indices within `team`); a cell
    smaller than k is never published, and further cells are withheld until no set of fewer
    than k respondents can be computed from the team and the published cells.
    """
    published = [(key, members & team) for key, members in cells if len(members & team) >= k]
    while published:
        small = computable_small_set(team, [m for _, m in published], k)
        if small is None:
            break
        published.pop(_cell_to_withhold(team, published, small))
    return tuple(key for key, _ in published)


def _cell_to_withhold(
    team: Members, published: Sequence[tuple[Key, Members]], small: Members
) -> int:
    order = sorted(range(len(published)), key=lambda i: (len(published[i][1]), -i))
    for index in order:
        rest = [m for i, (_, m) in enumerate(published) if i != index]
        if not _in_span([team, *rest], small, team):
            return index
    return order[0]


def computable_small_set(team: Members, rows: Sequence[Members], k: int) -> Members | None:
    """A non-empty set of fewer than k respondents whose sum the team and `rows` give away,
    or None. Rows are subsets of `team`; the team row is always included."""
    if not team:
        return None
    all_rows = [team, *rows]
    atoms, signatures = _atoms(team, all_rows)
    if not any(len(atom) < k for atom in atoms):
        return None
    coordinates = _null_space_coordinates(_incidence(signatures, len(all_rows)), len(atoms))
    small = sorted(
        (i for i, atom in enumerate(atoms) if len(atom) < k), key=lambda i: len(atoms[i])
    )
    found = _zero_sum_subset(small, [len(a) for a in atoms], coordinates, k)
    if found is None:
        return None
    return frozenset().union(*(atoms[i] for i in found))


def _atoms(team: Members, rows: Sequence[Members]) -> tuple[list[Members], list[int]]:
    """Respondents grouped by the rows they sit in, and each group's rows as bits (row r is
    bit r)."""
    signatures = dict.fromkeys(sorted(team), 0)
    for position, row in enumerate(rows):
        bit = 1 << position
        for member in row:
            if member in signatures:
                signatures[member] |= bit
    by_signature: dict[int, set[int]] = {}
    for member, signature in signatures.items():
        by_signature.setdefault(signature, set()).add(member)
    return [frozenset(members) for members in by_signature.values()], list(by_signature)


def _incidence(signatures: Sequence[int], rows: int) -> list[list[int]]:
    """The 0/1 matrix of rows (first `rows` bits) against atoms."""
    return [[(signature >> row) & 1 for signature in signatures] for row in range(rows)]


def _rref(matrix: list[list[int]], width: int) -> tuple[list[list[int]], list[int]]:
    """Reduced row echelon form in whole numbers (each pivot the only non-zero entry of its
    column, rows divided by their greatest common divisor) and each row's pivot column.
    Exact, like rational elimination, and many times faster than `Fraction`."""
    rows = [row[:] for row in matrix]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead_row = rows[rank]
        lead = lead_row[column]
        for r in range(len(rows)):
            factor = rows[r][column]
            if r != rank and factor:
                combined = [a * lead - factor * b for a, b in zip(rows[r], lead_row, strict=True)]
                divisor = math.gcd(*combined)
                rows[r] = [v // divisor for v in combined] if divisor > 1 else combined
        pivots.append(column)
        rank += 1
    return rows[:rank], pivots


def _null_space_coordinates(matrix: list[list[int]], width: int) -> list[tuple[int, ...]]:
    """For each column (atom), its entries in a basis of the null space, in whole numbers: a
    set of atoms is in the row space iff these add up to zero over the set."""
    reduced, pivots = _rref(matrix, width)
    free = [c for c in range(width) if c not in pivots]
    scale = math.lcm(*(abs(row[c]) for row, c in zip(reduced, pivots, strict=True))) or 1
    coordinates: list[tuple[int, ...]] = [()] * width
    for column in free:
        coordinates[column] = tuple(scale * (f == column) for f in free)
    for row, column in zip(reduced, pivots, strict=True):
        unit = scale // row[column]  # exact: the pivot divides the scale
        coordinates[column] = tuple(-row[f] * unit for f in free)
    return coordinates


def _zero_sum_subset(
    candidates: list[int],
    sizes: list[int],
    coordinates: list[tuple[int, ...]],
    k: int,
) -> tuple[int, ...] | None:
    """A non-empty subset of candidate atoms, fewer than k respondents in all, whose null-space
    coordinates add up to zero; the first candidate alone when the search reaches its limit.

    Candidates are in increasing size. Each step of the depth-first search looks up the one atom
    that would complete the current choice (its coordinates the negated running total), so the
    search only branches where at least two more atoms still fit."""
    by_coordinates: dict[tuple[int, ...], list[int]] = {}
    for position, atom in enumerate(candidates):
        by_coordinates.setdefault(coordinates[atom], []).append(position)
    steps = 0

    def search(
        start: int, chosen: tuple[int, ...], total: tuple[int, ...], size: int
    ) -> tuple[int, ...] | None:
        nonlocal steps
        for position in by_coordinates.get(tuple(-t for t in total), ()):
            if position >= start and size + sizes[candidates[position]] < k:
                return (*chosen, candidates[position])
        for position in range(start, len(candidates)):
            atom = candidates[position]
            if size + 2 * sizes[atom] >= k:
                break  # no room for this atom and a later, no smaller one
            steps += 1
            if steps > SEARCH_LIMIT:
                return (candidates[0],)
            summed = tuple(a + b for a, b in zip(total, coordinates[atom], strict=True))
            deeper = search(position + 1, (*chosen, atom), summed, size + sizes[atom])
            if deeper is not None:
                return deeper
        return None

    width = len(coordinates[0]) if coordinates else 0
    return search(0, (), (0,) * width, 0)


def _in_span(rows: Sequence[Members], target: Members, team: Members) -> bool:
    """Whether the indicator of `target` is a rational combination of the rows: it reduces to
    zero against their echelon form (forward elimination only, in whole numbers)."""
    _, signatures = _atoms(team, [*rows, target])
    *matrix, target_row = _incidence(signatures, len(rows) + 1)
    basis: list[tuple[int, list[int]]] = []  # (pivot column, row)

    def reduced(vector: list[int]) -> list[int]:
        for column, row in basis:
            factor = vector[column]
            if factor:
                lead = row[column]
                vector = [a * lead - factor * b for a, b in zip(vector, row, strict=True)]
        return vector

    for row in matrix:
        vector = reduced(row)
        column = next((c for c, v in enumerate(vector) if v), None)
        if column is not None:
            divisor = math.gcd(*vector)
            basis.append((column, [v // divisor for v in vector]))
    return not any(reduced(target_row))
