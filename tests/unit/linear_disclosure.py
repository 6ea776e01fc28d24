"""An attacker's check of published group figures, written apart from scoring/disclosure.py.

Each published figure (a mean with its count) is an equation: n × mean = the sum of its members'
values. A set of respondents is given away when its indicator is a rational combination of the
published rows. This module finds such a set of fewer than k respondents, or shows there is none:

- by rank: the indicator is in the span iff appending it to the rows does not raise their rank
  (exact Gaussian elimination over `Fraction`); used for every set when the sets are few, and
  to confirm any set found otherwise;
- for larger teams, by the null space: a vector is in the row space iff it is orthogonal to every
  null-space vector, so a set is given away iff its members' null-space coordinates add up to
  zero. Sets of up to four respondents are searched completely by meeting in the middle (singles
  and pairs against singles and pairs), so k may be at most 5.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction

__all__ = ["EXHAUSTIVE_SETS", "RowSpace", "small_set_given_away"]

EXHAUSTIVE_SETS = 400
"""Up to this many candidate sets, every one is checked by rank."""

Vector = tuple[int, ...]


class RowSpace:
    """The rational span of 0/1 rows over `width` respondents, in reduced row echelon form."""

    def __init__(self, rows: Iterable[Iterable[int]], width: int) -> None:
        self.width = width
        pivots: list[int] = []
        matrix = []
        for row in rows:
            members = set(row)
            matrix.append([Fraction(1 if i in members else 0) for i in range(width)])
        rank = 0
        for column in range(width):
            pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
            if pivot is None:
                continue
            matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
            lead = matrix[rank][column]
            matrix[rank] = [value / lead if value else value for value in matrix[rank]]
            for r, other in enumerate(matrix):
                if r != rank and other[column]:
                    factor = other[column]
                    matrix[r] = [
                        a - factor * b if b else a for a, b in zip(other, matrix[rank], strict=True)
                    ]
            pivots.append(column)
            rank += 1
        self.reduced = matrix[:rank]
        self.pivots = pivots

    @property
    def rank(self) -> int:
        return len(self.pivots)

    def contains(self, members: Iterable[int]) -> bool:
        """Whether the indicator of `members` is in the span (the rank would not rise)."""
        target = [Fraction(0)] * self.width
        for i in members:
            target[i] = Fraction(1)
        for row, column in zip(self.reduced, self.pivots, strict=True):
            if target[column]:
                factor = target[column]
                target = [a - factor * b if b else a for a, b in zip(target, row, strict=True)]
        return not any(target)

    def null_coordinates(self) -> list[Vector]:
        """Per respondent, its entries in an integer basis of the null space."""
        free = [c for c in range(self.width) if c not in set(self.pivots)]
        basis: list[list[Fraction]] = []
        for f in free:
            vector = [Fraction(0)] * self.width
            vector[f] = Fraction(1)
            for row, column in zip(self.reduced, self.pivots, strict=True):
                vector[column] = -row[f]
            basis.append(vector)
        scaled = []
        for vector in basis:
            scale = math.lcm(*(v.denominator for v in vector))
            scaled.append([int(v * scale) for v in vector])
        return [tuple(vector[i] for vector in scaled) for i in range(self.width)]


def _candidate_count(width: int, k: int) -> int:
    return sum(math.comb(width, size) for size in range(1, k))


def small_set_given_away(
    width: int,
    rows: Sequence[Iterable[int]],
    k: int,
    *,
    exhaustive_sets: int = EXHAUSTIVE_SETS,
) -> frozenset[int] | None:
    """A non-empty set of fewer than k of the respondents 0..width-1 whose sum the rows give
    away, or None; smallest sets are looked for first."""
    space = RowSpace(rows, width)
    if _candidate_count(width, k) <= exhaustive_sets:
        for size in range(1, k):
            for chosen in itertools.combinations(range(width), size):
                if space.contains(chosen):
                    return frozenset(chosen)
        return None
    for i in range(width):  # singletons by rank, always
        if space.contains((i,)):
            return frozenset((i,))
    if k - 1 > 4:
        raise ValueError("the null-space search covers sets of up to four respondents")
    for found in _zero_sums(space.null_coordinates(), k - 1):
        assert space.contains(found), f"null-space search and rank disagree on {sorted(found)}"
        return found
    return None


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _negate(a: Vector) -> Vector:
    return tuple(-x for x in a)


def _zero_sums(coordinates: Sequence[Vector], largest: int) -> Iterator[frozenset[int]]:
    """Sets of 1..`largest` (at most 4) respondents whose coordinates add up to zero."""
    singles: dict[Vector, list[int]] = {}
    for i, c in enumerate(coordinates):
        singles.setdefault(c, []).append(i)
    zero = tuple(0 for _ in coordinates[0]) if coordinates else ()
    for i in singles.get(zero, []):
        yield frozenset((i,))
    pairs: dict[Vector, list[tuple[int, int]]] = {}
    for i, j in itertools.combinations(range(len(coordinates)), 2):
        total = _add(coordinates[i], coordinates[j])
        pairs.setdefault(total, []).append((i, j))
        if largest >= 2 and total == zero:
            yield frozenset((i, j))
    if largest >= 3:
        for total, found in pairs.items():
            for i, j in found:
                for m in singles.get(_negate(total), []):
                    if m not in (i, j):
                        yield frozenset((i, j, m))
                        break
    if largest >= 4:
        for total, found in pairs.items():
            others = pairs.get(_negate(total), [])
            for i, j in found:
                # at most 2 × width pairs share a member with (i, j), so this stops early
                for m, n in others:
                    if len({i, j, m, n}) == 4:
                        yield frozenset((i, j, m, n))
                        break
