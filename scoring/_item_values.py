"""Per-item functions from a raw answer to a keyed value 0..1 (or a message), built once per package.

Each function is specialised to its item's kind, options and bands when the package is built,
so scoring a response does no per-item set-up.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat

from scoring.questionnaire import Item, ItemKind

__all__ = ["ValueFunction", "item_value_function", "shown"]

# (value, None) for a fitting answer (value None for free text), (None, message) otherwise.
ValueFunction = Callable[[object], tuple[float | None, str | None]]


def shown(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _extras(item: Item) -> str:
    words = [
        w for w, allowed in (("na", item.allow_na), ("dont_know", item.allow_dont_know)) if allowed
    ]
    return f" (or {' / '.join(words)})" if words else ""


def item_value_function(item: Item, option_values: Mapping[str, float]) -> ValueFunction:
    """The checking and scoring function of one item, reverse keying included."""
    if item.kind is ItemKind.TEXT:
        return _text_function(item)
    if item.reverse:
        values = {key: 1.0 - value for key, value in option_values.items()}
    else:
        values = dict(option_values)
    extras = _extras(item)
    if item.kind is ItemKind.YES_NO:
        return _yes_no_function(values, extras)
    if item.kind is ItemKind.MULTI_CHOICE:
        exclusive = frozenset(option.id for option in item.options if option.exclusive)
        return _multi_function(dict(option_values), exclusive, item.reverse, extras)
    if item.kind in (ItemKind.SCALE, ItemKind.SINGLE_CHOICE):
        return _choice_function(values, extras)
    return _banded_function(item, extras)


def _text_function(item: Item) -> ValueFunction:
    limit = item.max_length

    def text_value(raw: object) -> tuple[float | None, str | None]:
        if not isinstance(raw, str):
            return None, "expected text"
        if len(raw) > limit:
            return None, f"text is longer than {limit} characters"
        return None, None

    return text_value


def _choice_function(values: dict[str, float], extras: str) -> ValueFunction:
    def choice_value(raw: object) -> tuple[float | None, str | None]:
        value = values.get(raw) if isinstance(raw, str) else None
        if value is None:
            return None, f"{shown(raw)} is not one of the options {list(values)}{extras}"
        return value, None

    return choice_value


def _yes_no_function(values: dict[str, float], extras: str) -> ValueFunction:
    def yes_no_value(raw: object) -> tuple[float | None, str | None]:
        if raw is True or raw == "yes":
            return values["yes"], None
        if raw is False or raw == "no":
            return values["no"], None
        return None, f"expected yes or no{extras}, got {shown(raw)}"

    return yes_no_value


def _multi_function(
    values: dict[str, float], exclusive: frozenset[str], reverse: bool, extras: str
) -> ValueFunction:
    options = frozenset(values)
    value_of = values.__getitem__

    def multi_value(raw: object) -> tuple[float | None, str | None]:
        if type(raw) is not list and (not isinstance(raw, Sequence) or isinstance(raw, str)):
            return None, f"expected a list of options from {list(values)}{extras}"
        try:
            chosen: set[object] | None = set(raw)
        except TypeError:  # an unhashable choice: not an option
            chosen = None
        if chosen is None or not chosen <= options or not all(map(isinstance, raw, repeat(str))):
            unknown = [c for c in raw if not isinstance(c, str) or c not in values]
            listed = ", ".join(shown(u) for u in unknown)
            return None, f"[{listed}] are not options; choose from {list(values)}"
        if len(chosen) != len(raw):
            return None, "an option is chosen twice"
        if exclusive and len(raw) > 1 and not exclusive.isdisjoint(chosen):
            alone = ", ".join(sorted(exclusive.intersection(raw)))
            return None, f"'{alone}' cannot be combined with other options"
        total = min(1.0, sum(map(value_of, raw)))
        return (1.0 - total if reverse else total), None

    return multi_value


def _banded_function(item: Item, extras: str) -> ValueFunction:
    low, high = item.min, item.max
    if item.kind is ItemKind.PERCENTAGE:
        low = 0.0 if low is None else low
        high = 100.0 if high is None else high
    # A number takes the first band whose max it does not exceed; the last band is open. The
    # maxima rise strictly, so that band is found by bisection.
    uppers = [math.inf if band.max is None else band.max for band in item.bands]
    keyed = [1.0 - band.value if item.reverse else band.value for band in item.bands]
    span = f"{low if low is not None else '-inf'}..{high if high is not None else 'inf'}"

    def banded_value(raw: object) -> tuple[float | None, str | None]:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return None, f"expected a number{extras}, got {shown(raw)}"
        number = float(raw)
        if not math.isfinite(number):
            return None, "expected a finite number"
        if (low is not None and number < low) or (high is not None and number > high):
            return None, f"{raw} lies outside {span}"
        return keyed[bisect_left(uppers, number)], None

    return banded_value
