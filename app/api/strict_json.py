"""The API's routes read JSON strictly and refuse text that may not be stored in parameters.

Python's json module accepts what JSON does not (NaN, Infinity), turns 1e309 into infinity,
keeps the last of two equal keys, decodes an escaped unpaired surrogate (`"\\ud800"`) into a
string that cannot be encoded again, and fails with RecursionError or ValueError on very deep
nesting and very long integers. Here each of those is refused as invalid JSON (422, naming
the problem and where it is), as I-JSON (RFC 7493) asks, so nothing after parsing (a model, a
service, a problem that echoes a key) ever holds such text. Path and query parameters follow
app/text_rules.py.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import ConfigDict
from starlette.requests import Request
from starlette.responses import Response

from app.services.errors import InvalidInputError
from app.text_rules import text_field_problems

__all__ = ["MAX_JSON_DEPTH", "STRICT_BODY", "StrictJsonRoute", "parse_strict_json"]

MAX_JSON_DEPTH = 32
# The config of every request body model: a field the model lacks is refused, and so is a
# value of another JSON type than the one the description gives (false for 0, "3" for 3, 1
# for true), which pydantic would otherwise convert.
STRICT_BODY = ConfigDict(extra="forbid", strict=True)
# JSON text carries a surrogate only as an escape; one that pairs decodes to a single character.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused(json.JSONDecodeError):
    """FastAPI reports a JSONDecodeError as a 422 validation error naming the body."""

    def __init__(self, message: str, text: str = "") -> None:
        super().__init__(message, text, 0)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"the key {key!r} appears more than once in one object")
            seen.add(key)
    return found


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is too large")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError as error:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise _Refused(f"an integer with {len(text)} digits is too long") from error


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    deepest, pending = 0, [(value, 1)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                children = current.values() if isinstance(current, dict) else current
                pending.extend((child, depth + 1) for child in children)
    return deepest


def _refuse_lone_surrogates(value: Any, where: str) -> None:
    """Depth-first in document order, so the first one named is the first one sent; `where`
    is the path in the style of the problem's fields (`answers.x`, `respondents[0]`)."""
    if isinstance(value, str):
        found = _LONE_SURROGATE.search(value)
        if found is not None:
            place = f"the text at {where}" if where else "the text"
            raise _Refused(f"{place} holds {_surrogate(found.group())}")
    elif isinstance(value, dict):
        for key, child in value.items():
            found = _LONE_SURROGATE.search(key)
            if found is not None:
                place = f" in {where}" if where else ""
                raise _Refused(f"the key {key!r}{place} holds {_surrogate(found.group())}")
            _refuse_lone_surrogates(child, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _refuse_lone_surrogates(child, f"{where}[{index}]")


def _surrogate(character: str) -> str:
    return f"U+{ord(character):04X}, an unpaired surrogate, which is not Unicode text; remove it"


def parse_strict_json(body: bytes) -> Any:
    """The JSON document in `body`; json.JSONDecodeError names what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Refused(f"the body is not UTF-8 (byte {error.start})") from error
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_float=_finite,
            parse_int=_integer,
            parse_constant=_no_constant,
        )
    except RecursionError as error:
        raise _Refused(f"nested deeper than {MAX_JSON_DEPTH} levels") from error
    if _depth(value) > MAX_JSON_DEPTH:
        raise _Refused(f"nested deeper than {MAX_JSON_DEPTH} levels")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):  # else no surrogate: skip the walk
        _refuse_lone_surrogates(value, "")
    return value


class _StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_strict_json(await self.body())
        return self._json


def _refuse_bad_parameters(request: Request, query_names: frozenset[str]) -> None:
    fields = {f"path.{name}": str(value) for name, value in request.path_params.items()}
    fields |= {
        f"query.{name}": value
        for name, value in request.query_params.multi_items()
        if name in query_names  # others are ignored, so never stored
    }
    problems = text_field_problems(fields)
    if problems:
        raise InvalidInputError(problems)


def _query_names(dependant: Dependant) -> set[str]:
    names = {parameter.alias for parameter in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


class StrictJsonRoute(APIRoute):
    """The route class of every API router."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        query_names = frozenset(_query_names(self.dependant))

        async def strict_handler(request: Request) -> Response:
            _refuse_bad_parameters(request, query_names)
            return await handler(_StrictJsonRequest(request.scope, request.receive))

        return strict_handler
