"""What text a person may store: the one rule for every name, title and free-text answer.

Refused: control characters (C0, DEL and C1; a multi-line text keeps tab, line feed and
carriage return), unpaired surrogates, and the bidirectional overrides and isolates
(U+202A–U+202E, U+2066–U+2069) that make text read differently from how it is stored.
Everything else is kept exactly as typed: emoji, combining marks, right-to-left scripts,
and markup, which is escaped where it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from pydantic import AfterValidator, Field

from app.services.errors import FieldProblem, InvalidInputError

__all__ = [
    "MULTI_LINE_PATTERN",
    "SINGLE_LINE_PATTERN",
    "MultiLineText",
    "SingleLineText",
    "refuse_bad_text",
    "text_field_problems",
    "text_problem",
]

# Character classes written as escapes, which Python's re and ECMA-262 (JSON Schema) read alike.
_BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
_SINGLE_LINE_CONTROLS = r"\u0000-\u001f\u007f-\u009f"
_MULTI_LINE_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
_SURROGATES = r"\ud800-\udfff"
_SINGLE_LINE_REFUSED = re.compile(f"[{_SINGLE_LINE_CONTROLS}{_SURROGATES}{_BIDI_CONTROLS}]")
_MULTI_LINE_REFUSED = re.compile(f"[{_MULTI_LINE_CONTROLS}{_SURROGATES}{_BIDI_CONTROLS}]")
# The same rule as JSON Schema patterns, so the OpenAPI description says what the server
# accepts. Surrogates are left out: JSON text holds them only as escapes, which the API refuses
# while it parses (app/api/strict_json.py), and a pattern without the `u` flag would read them
# as halves of every emoji.
SINGLE_LINE_PATTERN = f"^[^{_SINGLE_LINE_CONTROLS}{_BIDI_CONTROLS}]*$"
MULTI_LINE_PATTERN = f"^[^{_MULTI_LINE_CONTROLS}{_BIDI_CONTROLS}]*$"


def _kind(character: str) -> str:
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return "an unpaired surrogate"
    if code >= 0x2000:
        return "a bidirectional override or isolate control"
    if character in "\t\n\r":
        return "a tab or line break, allowed only in multi-line answers"
    return "a control character"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` may not be stored, or None when it may."""
    found = (_MULTI_LINE_REFUSED if multiline else _SINGLE_LINE_REFUSED).search(value)
    if found is None:
        return None
    character = found.group()
    return f"contains U+{ord(character):04X}, {_kind(character)}; remove it"


def text_field_problems(
    fields: Mapping[str, str | None], *, multiline: bool = False
) -> list[FieldProblem]:
    """One problem per field (a dotted path) whose text breaks the rule; None is skipped."""
    problems = []
    for field, value in fields.items():
        problem = None if value is None else text_problem(value, multiline=multiline)
        if problem is not None:
            problems.append(FieldProblem(field, problem))
    return problems


def refuse_bad_text(fields: Mapping[str, str | None], *, multiline: bool = False) -> None:
    """Raise InvalidInputError naming every field whose text breaks the rule."""
    problems = text_field_problems(fields, multiline=multiline)
    if problems:
        raise InvalidInputError(problems)


def _single_line(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _multi_line(value: str) -> str:
    problem = text_problem(value, multiline=True)
    if problem is not None:
        raise ValueError(problem)
    return value


# For request models: pydantic reports the problem at the field's location, and the JSON Schema
# carries the pattern (documentation only: the validator is the one check).
SingleLineText = Annotated[
    str, AfterValidator(_single_line), Field(json_schema_extra={"pattern": SINGLE_LINE_PATTERN})
]
MultiLineText = Annotated[
    str, AfterValidator(_multi_line), Field(json_schema_extra={"pattern": MULTI_LINE_PATTERN})
]
