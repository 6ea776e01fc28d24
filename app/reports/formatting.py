"""How numbers and dates read in a report: one place, so every section agrees."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from scoring import Package

__all__ = [
    "DASH",
    "date_text",
    "mend_folded_hyphens",
    "percent_text",
    "score_text",
    "signed_text",
    "unit_text",
]

DASH = "–"

# A YAML folded paragraph that wraps at a hyphen ("early-" / "warning") reads back as
# "early- warning". Published packages keep their text (their content hash pins it), so the
# report mends it; a suspended hyphen ("short- and long-term") is left alone.
_FOLDED_HYPHEN = re.compile(r"(?<=[A-Za-z])- (?!(?:and|or|nor|to)\b)(?=[a-z])")


def mend_folded_hyphens(text: str) -> str:
    """Reads "early- warning" as "early-warning", where a folded line broke a hyphenated word."""
    return _FOLDED_HYPHEN.sub("-", text)


def score_text(score: Decimal | float | None) -> str:
    if score is None:
        return DASH
    return str(score) if isinstance(score, Decimal) else f"{score:.1f}"


def percent_text(share: float | None) -> str:
    """A 0..1 share as a whole percentage."""
    return DASH if share is None else f"{share * 100:.0f}%"


def unit_text(package: Package, value: float | None) -> str:
    """An item's 0..1 value as the report shows item scores: 0 to 100, or the value itself (0
    to 1) when the package scores in points, so that items and dimensions share a unit."""
    if value is None:
        return DASH
    return f"{value:.2f}" if package.rollups.in_points else f"{value * 100:.0f}"


def signed_text(change: Decimal | None) -> str:
    if change is None:
        return DASH
    return f"+{change}" if change > 0 else ("±0" if change == 0 else f"−{-change}")


def date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
