"""The newest version of every shipped package does not cue its answers (docs/authoring.md,
"Writing options that do not cue the answer"): comparable option lengths, one condition per
option, a mix of display directions, reverse-keyed stems, and a computed time estimate that any
stated one agrees with.

Versions published before these rules are frozen: assessments are pinned to them, so their
content cannot change. The flagship is held to counts; the quick check and `example`, being
short, to the same proportions.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator

import pytest

from app.catalog import load_catalog
from scoring import Item, ItemKind, Package
from tests.conftest import QUESTIONNAIRES

FROZEN = {("operational-maturity", "1.0.0"), ("quick-check", "1.0.0"), ("example", "1.0.0")}
BY_PROPORTION = {"quick-check", "example"}

LONGEST_BEST_OPTION = 1.25  # x the median option of the item, in words
JOINS = re.compile(r" and | but | while | as well as |;", re.IGNORECASE)
# (item id, option id) -> why the joining word does not join two conditions
JOIN_EXCEPTIONS: dict[tuple[str, str], str] = {}
BEST_FIRST_SHARE = 0.25  # of the scale items
REVERSE_KEYED_ITEMS = 6  # in the flagship; its share of the flagship's items for short ones
FLAGSHIP_ITEMS = 49
STATED_MINUTES_TOLERANCE = 0.20

CATALOG = load_catalog(QUESTIONNAIRES)


def _newest() -> Iterator[Package]:
    for questionnaire_id in sorted({package.id for package in CATALOG}):
        package = CATALOG.get(questionnaire_id)
        if (package.id, package.version) not in FROZEN:
            yield package


NEWEST = list(_newest())
IDS = [f"{package.id}-{package.version}" for package in NEWEST]


def _scale_items(package: Package) -> list[Item]:
    return [item for item in package.items.values() if item.kind is ItemKind.SCALE]


def _best_first(item: Item) -> bool:
    """Display order runs best first: values rise from first to last and the item is reversed."""
    return item.reverse and not item.negatively_worded


def test_every_shipped_package_has_a_version_held_to_these_rules() -> None:
    assert {package.id for package in NEWEST} == {package.id for package in CATALOG}


@pytest.mark.parametrize("package", NEWEST, ids=IDS)
def test_the_best_option_is_no_longer_than_the_median_option_plus_a_quarter(
    package: Package,
) -> None:
    too_long = []
    for item in _scale_items(package):
        words = [len(option.label.split()) for option in item.options]
        values = list(package.option_values[item.id].values())
        best = values.index(min(values) if item.reverse else max(values))
        if words[best] > statistics.median(words) * LONGEST_BEST_OPTION:
            too_long.append((item.id, words[best], statistics.median(words)))
    assert not too_long


@pytest.mark.parametrize("package", NEWEST, ids=IDS)
def test_an_option_states_one_condition(package: Package) -> None:
    joined = [
        (item.id, option.id, option.label)
        for item in package.items.values()
        for option in item.options
        if JOINS.search(option.label) and (item.id, option.id) not in JOIN_EXCEPTIONS
    ]
    assert not joined


@pytest.mark.parametrize("package", NEWEST, ids=IDS)
def test_option_values_rise_from_first_to_last(package: Package) -> None:
    falling = [
        item.id
        for item in _scale_items(package)
        if list(package.option_values[item.id].values())
        != sorted(package.option_values[item.id].values())
    ]
    assert not falling


@pytest.mark.parametrize("package", NEWEST, ids=IDS)
def test_a_quarter_of_the_scale_items_run_best_first(package: Package) -> None:
    scale = _scale_items(package)
    best_first = [item.id for item in scale if _best_first(item)]
    assert len(best_first) >= BEST_FIRST_SHARE * len(scale), best_first


@pytest.mark.parametrize("package", NEWEST, ids=IDS)
def test_reverse_keyed_stems(package: Package) -> None:
    reverse_keyed = [item.id for item in package.items.values() if item.negatively_worded]
    if package.id in BY_PROPORTION:
        needed = REVERSE_KEYED_ITEMS / FLAGSHIP_ITEMS * len(package.items)
    else:
        needed = REVERSE_KEYED_ITEMS
    assert len(reverse_keyed) >= needed, reverse_keyed


@pytest.mark.parametrize("package", NEWEST, ids=IDS)
def test_an_item_counts_for_direction_or_for_its_stem_not_both(package: Package) -> None:
    both = [item.id for item in _scale_items(package) if item.reverse and item.negatively_worded]
    assert not both


@pytest.mark.parametrize("package", NEWEST, ids=IDS)
def test_a_stated_time_is_within_a_fifth_of_the_computed_one(package: Package) -> None:
    stated = package.questionnaire.estimated_minutes
    computed = package.reading_time.minutes
    if stated is not None:
        assert abs(stated - computed) <= STATED_MINUTES_TOLERANCE * computed, (stated, computed)
