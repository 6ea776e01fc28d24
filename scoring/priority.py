"""A model's own priority formula: a small arithmetic language, parsed and evaluated here.

A library may declare how its actions are ranked (`priority: {formula: ...}` in
recommendations.yaml); without a declaration the formula is DEFAULT_FORMULA, today's
impact × (1 + gap) × weight ÷ effort.

Why a formula and not a weight table: published maturity models rank by arithmetic on stage
levels. OWASP SAMM weighs a stream by ((1 + target - current)^2 - 1) over the largest such value
of any stream, a curve that a table of weights per level or per gap would have to spell out point
by point for every stage model. A formula states it as the model's authors publish it, and a
consultant can check it against their text.

Why not Python's eval: a library is data written outside the codebase, and eval runs code, even
with its builtins taken away. The grammar here has numbers, the four operations, powers,
parentheses and the names in FIGURES, and nothing else: no calls, attributes, strings or
comparisons, so a formula can only compute a number.

    formula := sum
    sum     := product (("+" | "-") product)*
    product := signed (("*" | "/") signed)*
    signed  := "-" signed | power
    power   := atom ("^" whole number from 0 to 9)?
    atom    := number | name | "(" sum ")"

Numbers are written with digits and an optional decimal point (2, 0.5). An exponent is a whole
number, so every value stays a real number, and powers are not chained, since a reader may take
a ^ b ^ c either way. As in mathematics, -gap ^ 2 is -(gap ^ 2).

What each name holds for an action (scoring/recommend.py computes them):

    impact, effort  1, 2, 3 for low, medium, high; medium (2) when the action states none
    gap             stages from the dimension's current stage to the stage the action aims at
    weight          the dimension's weight over the mean weight of the dimensions
    current         the dimension's stage index (0: the first stage)
    target          current + gap: the stage index the action aims at
    max_gap         the largest gap of any dimension, and at least 1

max_gap is what lets a formula divide by its largest value over the dimensions without a
second, per-dimension language: SAMM's (1 + gap)^2 - 1 grows with the gap, so its largest value
over the streams is (1 + max_gap)^2 - 1.

An action for which the formula has no finite value (it divides by zero, or overflows) gets
priority 0: the model gives no reason to do it ahead of anything.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

__all__ = ["DEFAULT_FORMULA", "FIGURES", "MAX_LENGTH", "Formula", "parse_formula"]

DEFAULT_FORMULA = "impact * (1 + gap) * weight / effort"
FIGURES = ("impact", "effort", "gap", "weight", "current", "target", "max_gap")
MAX_EXPONENT = 9
MAX_LENGTH = 300
MAX_NESTING = 20  # parentheses and signs inside one another; keeps evaluation's recursion shallow

_SYMBOL = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<other>\S))", re.ASCII
)


@dataclass(frozen=True, slots=True)
class _Number:
    value: float


@dataclass(frozen=True, slots=True)
class _Name:
    name: str


@dataclass(frozen=True, slots=True)
class _Negated:
    operand: _Node


@dataclass(frozen=True, slots=True)
class _Power:
    base: _Node
    exponent: int


@dataclass(frozen=True, slots=True)
class _Operation:
    operator: str  # one of + - * /
    left: _Node
    right: _Node


_Node: TypeAlias = _Number | _Name | _Negated | _Power | _Operation


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed priority formula: its text, the names it uses (in order of first use), its tree."""

    text: str
    names: tuple[str, ...]
    tree: _Node
    evaluate: _Evaluate = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "evaluate", _compiled(self.tree))

    def value(self, figures: Mapping[str, float]) -> float:
        """The formula's value for one action's figures; 0 where it has no finite value."""
        try:
            result = self.evaluate(figures)
        except (ZeroDivisionError, OverflowError):
            return 0.0
        return result if math.isfinite(result) else 0.0


def parse_formula(text: str) -> Formula:
    """Parse a priority formula; raises ValueError saying what is wrong and at which character."""
    if len(text) > MAX_LENGTH:
        raise ValueError(f"a formula has at most {MAX_LENGTH} characters")
    parser = _Parser(text)
    tree = parser.sum()
    kind, symbol, position = parser.peek()
    if kind != "end":
        raise ValueError(f"unexpected '{symbol}' at character {position + 1}")
    return Formula(text, tuple(dict.fromkeys(parser.names)), tree)


class _Parser:
    """Recursive descent over the grammar in the module docstring, one symbol of look-ahead."""

    def __init__(self, text: str) -> None:
        self.symbols: list[tuple[str, str, int]] = []
        for match in _SYMBOL.finditer(text):
            kind = match.lastgroup
            assert kind is not None  # every alternative is a named group
            self.symbols.append((kind, match.group(kind), match.start(kind)))
        self.symbols.append(("end", "", len(text)))
        self.index = 0
        self.names: list[str] = []
        self.nesting = 0

    def peek(self) -> tuple[str, str, int]:
        return self.symbols[self.index]

    def take(self) -> tuple[str, str, int]:
        symbol = self.symbols[self.index]
        self.index += 1
        return symbol

    def at_operator(self, operators: str) -> bool:
        kind, symbol, _ = self.peek()
        return kind == "other" and symbol in operators

    def sum(self) -> _Node:
        node = self.product()
        while self.at_operator("+-"):
            operator = self.take()[1]
            node = _Operation(operator, node, self.product())
        return node

    def product(self) -> _Node:
        node = self.signed()
        while self.at_operator("*/"):
            operator = self.take()[1]
            node = _Operation(operator, node, self.signed())
        return node

    def signed(self) -> _Node:
        if self.at_operator("-"):
            position = self.take()[2]
            return _Negated(self.nested(self.signed, position))
        return self.power()

    def nested(self, parse: Callable[[], _Node], position: int) -> _Node:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ValueError(f"nested more than {MAX_NESTING} deep at character {position + 1}")
        node = parse()
        self.nesting -= 1
        return node

    def power(self) -> _Node:
        base = self.atom()
        if not self.at_operator("^"):
            return base
        self.take()
        kind, symbol, position = self.take()
        if kind != "number" or "." in symbol or int(symbol) > MAX_EXPONENT:
            raise ValueError(
                f"an exponent is a whole number from 0 to {MAX_EXPONENT}; found '{symbol}' at "
                f"character {position + 1}"
            )
        if self.at_operator("^"):
            raise ValueError(
                f"powers are not chained: write (a ^ b) ^ c; found '^' at character "
                f"{self.peek()[2] + 1}"
            )
        return _Power(base, int(symbol))

    def atom(self) -> _Node:
        kind, symbol, position = self.take()
        if kind == "number":
            return _Number(float(symbol))
        if kind == "name":
            if symbol not in FIGURES:
                raise ValueError(f"unknown name '{symbol}'; names: {', '.join(FIGURES)}")
            self.names.append(symbol)
            return _Name(symbol)
        if kind == "other" and symbol == "(":
            node = self.nested(self.sum, position)
            kind, symbol, position = self.take()
            if kind != "other" or symbol != ")":
                raise ValueError(f"expected ')' at character {position + 1}")
            return node
        raise ValueError(f"expected a number, a name or '(' at character {position + 1}")


_Evaluate = Callable[[Mapping[str, float]], float]
_OPERATORS: Mapping[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _compiled(node: _Node) -> _Evaluate:
    """The tree as nested closures, built once per formula: a ranking evaluates it for every
    applicable action of every team."""
    if isinstance(node, _Number):
        number = node.value
        return lambda figures: number
    if isinstance(node, _Name):
        name = node.name
        return lambda figures: float(figures[name])
    if isinstance(node, _Negated):
        operand = _compiled(node.operand)
        return lambda figures: -operand(figures)
    if isinstance(node, _Power):
        base, exponent = _compiled(node.base), node.exponent
        return lambda figures: float(base(figures) ** exponent)
    left, right, apply = _compiled(node.left), _compiled(node.right), _OPERATORS[node.operator]
    return lambda figures: apply(left(figures), right(figures))
