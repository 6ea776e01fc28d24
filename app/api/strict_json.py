"""The API's routes read JSON strictly and refuse text that may not be stored in parameters.

Python's json module accepts what JSON does not (NaN, Infinity), turns 1e309 into infinity,
keeps the last of two equal keys, and fails with RecursionError or ValueError on very deep
nesting and very long integers. Here each of those is refused as invalid JSON (422, naming
the problem), and path and query parameters follow app/text_rules.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from app.services.errors import InvalidInputError
from app.text_rules import text_field_problems

__all__ = ["MAX_JSON_DEPTH", "StrictJsonRoute", "parse_strict_json"]

MAX_JSON_DEPTH = 32


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
