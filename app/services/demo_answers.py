"""How the demo's respondents answer (app/services/demo_workspace.py): generated
deterministically (seeded, no clock) from the loaded package. Item ids, options, bands and
conditions come from the questionnaire, so editing its content never breaks the demo. Only
dimension ids and role ids shape the story below, and an id that disappears is skipped.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

from scoring import Item, ItemKind, Package, normalise_answers

__all__ = ["demo_answers"]

SEED = "opsmaturity-demo-1"

# The team's true level per dimension on 0..1, (first round, second round). After the first
# round a weekly rhythm and a scorecard lift the operations side, so the team moves from the
# "firefighting" quadrant to "efficient but stalled"; ownership, priorities and alignment,
# where the team disagrees, lag behind, and trust has not caught up yet. A dimension not
# listed here gets a seeded level instead.
LEVELS: Mapping[str, tuple[float, float]] = {
    "firefighting": (0.29, 0.40),
    "ownership": (0.36, 0.47),
    "cadence": (0.44, 0.58),
    "priorities": (0.35, 0.45),
    "process": (0.33, 0.48),
    "visibility": (0.31, 0.50),
    "alignment": (0.38, 0.43),
    "trust": (0.38, 0.39),
}
# How each role sees a dimension: executives believe priorities and ownership are settled;
# the managers and staff who live with them do not, and see less alignment at the top.
ROLE_BIAS: Mapping[str, Mapping[str, float]] = {
    "executive": {"ownership": 0.22, "priorities": 0.22, "alignment": 0.12, "cadence": 0.04},
    "senior_manager": {"ownership": 0.06, "priorities": 0.05},
    "manager": {"ownership": -0.15, "priorities": -0.15, "alignment": -0.08},
    "individual_contributor": {
        "ownership": -0.13,
        "priorities": -0.12,
        "alignment": -0.14,
        "visibility": -0.05,
    },
}
# Share of "don't know" where an item allows it: people further from the top see less.
UNSURE_SHARE: Mapping[str, float] = {
    "executive": 0.02,
    "senior_manager": 0.04,
    "manager": 0.06,
    "individual_contributor": 0.12,
}
NA_SHARE = 0.05
COMMENT_SHARE = 0.45
PERSON_SPREAD = 0.05  # how lenient or harsh one person is overall
ITEM_SPREAD = 0.07  # how much easier or harder one item is than its dimension
ANSWER_NOISE = 0.12
YES_NO_DISSENT = 0.1

# Optional free-text answers, per round: what people at a food manufacturer would write.
COMMENTS: tuple[tuple[str, ...], tuple[str, ...]] = (
    (
        "One list of priorities that everybody can see, and the discipline to say no to the rest.",
        "Agree who owns customer escalations, so it is not always the same three people.",
        "Plan retailer promotions with operations before sales promises them to the customer.",
        "Stop starting new projects before the last ones are finished.",
        "One set of numbers for the weekly review; we spend half of it arguing whose are right.",
        "Keep some time free to fix the problems that come back on every shift.",
        "Write down how line changeovers are done; it depends on who is on shift.",
        "Leaders should tell us the same story after a decision, not three versions of it.",
    ),
    (
        "The weekly meeting helps; now we need to keep it when a big order goes wrong.",
        "Priorities are clearer at the top than on the floor. Explain what we are not doing.",
        "Owners are named now, but they still need the authority to pull people in.",
        "Fewer urgent requests from sales jumping the production plan without a decision.",
        "Make it safe to say early that a delivery date will slip.",
        "Finish the scorecard so we stop building our own spreadsheets.",
        "Hand-offs between planning and the factory floor still lose things every week.",
    ),
)


def demo_answers(
    package: Package, *, role: str | None, round_number: int, respondent_key: str
) -> dict[str, object]:
    """One respondent's answers to every shown item of `package`, valid for its item kinds:
    drawn around each dimension's level in this round (0 first, 1 second), shifted by the
    role's view, seeded by `respondent_key`, so the same call always gives the same answers."""
    rng = _seeded(f"{round_number}:{respondent_key}")
    leniency = rng.gauss(0.0, PERSON_SPREAD)
    bias = ROLE_BIAS.get(role or "", {})
    unsure = UNSURE_SHARE.get(role or "", 0.05)
    answers: dict[str, object] = {}
    for item in package.items.values():
        if item.show_if is not None:
            shown_now = normalise_answers(package, answers)[item.id].status != "hidden"
            if not shown_now:
                continue
        dimension_id = package.item_dimension[item.id]
        seen = (  # how people in this role see the item
            _dimension_level(dimension_id, round_number)
            + bias.get(dimension_id, 0.0)
            + _seeded(f"item:{item.id}").gauss(0.0, ITEM_SPREAD)
        )
        level = seen + leniency + rng.gauss(0.0, ANSWER_NOISE)
        if item.kind is ItemKind.YES_NO:
            # A fact rather than a rating: answered as the role sees it, now and then not.
            level = 1.0 - seen if rng.random() < YES_NO_DISSENT else seen
        answer = _answer(package, item, min(1.0, max(0.0, level)), round_number, unsure, rng)
        if answer is not None:
            answers[item.id] = answer
    return answers


def _answer(
    package: Package,
    item: Item,
    level: float,
    round_number: int,
    unsure: float,
    rng: random.Random,
) -> object | None:
    """An answer to one item near `level` (0..1 after reverse keying); None leaves it out."""
    if item.kind is ItemKind.TEXT:
        if item.required or rng.random() < COMMENT_SHARE:
            return rng.choice(COMMENTS[min(round_number, 1)])[: item.max_length]
        return None
    if item.allow_na and rng.random() < NA_SHARE:
        return "na"
    if item.allow_dont_know and rng.random() < unsure:
        return "dont_know"
    if item.kind is ItemKind.MULTI_CHOICE:
        return _choices(package, item, level, rng)
    if item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE):
        return _number(item, level, rng)
    keyed = {
        option: 1.0 - value if item.reverse else value
        for option, value in package.option_values[item.id].items()
    }
    return min(keyed, key=lambda option: (abs(keyed[option] - level), option))


def _choices(package: Package, item: Item, level: float, rng: random.Random) -> list[str]:
    """Options whose values add up close to the level; the exclusive one (e.g. "none of
    these") alone when nothing fits."""
    values = package.option_values[item.id]
    wanted = 1.0 - level if item.reverse else level
    candidates = [option.id for option in item.options if not option.exclusive]
    rng.shuffle(candidates)
    chosen: list[str] = []
    total = 0.0
    for option in candidates:
        if abs(total + values[option] - wanted) < abs(total - wanted):
            chosen.append(option)
            total += values[option]
    exclusive = [option.id for option in item.options if option.exclusive]
    return chosen or exclusive[:1]


def _number(item: Item, level: float, rng: random.Random) -> int | None:
    """A whole number inside the band whose value is nearest the level (and inside min..max)."""
    low, high = item.min, item.max
    if item.kind is ItemKind.PERCENTAGE:
        low = 0.0 if low is None else low
        high = 100.0 if high is None else high
    ranges: list[tuple[float, int, int]] = []  # (keyed value, first, last whole number)
    previous: float | None = None  # the band below ends here (inclusive)
    for band in item.bands:
        top = band.max if band.max is not None else high
        if top is not None and high is not None:
            top = min(top, high)
        last = None if top is None else math.floor(top)
        if previous is not None:
            first = math.floor(previous) + 1
        elif low is not None:
            first = math.ceil(low)
        else:
            first = (0 if last is None else last) - 10  # open below: a few under the top
        if low is not None:
            first = max(first, math.ceil(low))
        last = first + 10 if last is None else last  # open above: a few over the bottom
        if first <= last:
            ranges.append((1.0 - band.value if item.reverse else band.value, first, last))
        previous = band.max
    if not ranges:
        return None
    _, first, last = min(ranges, key=lambda r: abs(r[0] - level))
    return rng.randint(first, last)


def _seeded(name: str) -> random.Random:
    """A generator seeded by a name: string seeds hash the same in every process."""
    return random.Random(f"{SEED}:{name}")  # noqa: S311 - demo data must repeat; nothing secret


def _dimension_level(dimension_id: str, round_number: int) -> float:
    levels = LEVELS.get(dimension_id)
    if levels is not None:
        return levels[min(round_number, 1)]
    base = _seeded(f"level:{dimension_id}").uniform(0.32, 0.42)
    return base + 0.06 * min(round_number, 1)
