"""Turns pydantic errors into problems a definition author recognises: paths of ids, not
indexes, and what the file's reader made of a value where it is not what the author meant."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import ValidationError

from scoring.errors import DefinitionProblem

__all__ = ["problems_from_validation_error"]

# pydantic's discriminator tags: a step in an error's location that is not a key in the file
_DISCRIMINATOR_TAGS = frozenset({"weakest_link", "requires_items"})
_VERSION_FIELDS = frozenset({"version", "short_form_version"})
_VERSION_NUMBER = re.compile(r"^\d+(\.\d+){0,2}$")


@runtime_checkable
class _KeepsWrittenText(Protocol):
    """A mapping or list whose reader kept the text of each value it read as not text
    (app/yaml_files.py WrittenDict and WrittenList)."""

    def written_as(self, key: object) -> str | None: ...


def problems_from_validation_error(
    error: ValidationError, raw: object, file: str
) -> list[DefinitionProblem]:
    details = error.errors()
    problems = []
    for detail in details:
        loc = detail["loc"]
        if detail["type"] == "too_short" and any(
            other["loc"][: len(loc)] == loc and len(other["loc"]) > len(loc) for other in details
        ):
            # pydantic counts only the elements that passed, so a list with a failing element
            # looks short; that element's own problem says what is wrong. Report the length
            # only when the file itself gives too few, and then the number it gives.
            given = _value_at(raw, loc)[2]
            if not isinstance(given, Sequence) or isinstance(given, str):
                message = detail["msg"]
            elif len(given) >= detail.get("ctx", {}).get("min_length", 0):
                continue
            else:
                message = re.sub(
                    r" after validation, not \d+$", f", not {len(given)}", detail["msg"]
                )
        elif detail["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against the schema)"
        elif detail["type"] == "string_type" and isinstance(detail["input"], bool | int | float):
            message = _read_as_not_text(detail["input"], raw, loc)
        else:
            message = detail["msg"].removeprefix("Value error, ")
        problems.append(DefinitionProblem(file, _readable_location(raw, loc), message))
    return problems


def _read_as_not_text(value: bool | float, raw: object, loc: Sequence[int | str]) -> str:
    """Text was expected and the file gave a boolean or a number: say which, and how to write it."""
    parent, key, _ = _value_at(raw, loc)
    written = parent.written_as(key) if isinstance(parent, _KeepsWrittenText) else None
    if isinstance(value, bool):
        read = "true" if value else "false"
        message = f"read as the boolean {read}"
        if written is not None and written != read:
            message += f" (YAML reads an unquoted {written} as {read})"
        if written is None:
            return f"{message}; write it as a string in quotes"
        return f'{message}; quote it: "{written}"'
    message = f"read as the number {value}"
    if written is not None and written != str(value):
        message += f" (YAML reads an unquoted {written} as {value})"
    text = written if written is not None else str(value)
    if key in _VERSION_FIELDS:
        message += "; write it as a string in the form 1.2.3"
        if _VERSION_NUMBER.match(text):
            parts = text.split(".")
            example = ".".join(parts + ["0"] * (3 - len(parts)))
            message += f', e.g. {key}: "{example}"'
        return message
    return f'{message}; quote it: "{text}"'


def _is_tag(node: object, step: int | str) -> bool:
    return (
        isinstance(step, str)
        and step in _DISCRIMINATOR_TAGS
        and not (isinstance(node, Mapping) and step in node)
    )


def _value_at(raw: object, loc: Sequence[int | str]) -> tuple[object, int | str | None, object]:
    """The container, key and value at `loc` in the file (None where the file has none)."""
    parent: object = None
    key: int | str | None = None
    node: Any = raw
    for step in loc:
        if _is_tag(node, step):
            continue
        parent, key = node, step
        if isinstance(node, Mapping):
            node = node.get(step)
        elif (
            isinstance(step, int)
            and isinstance(node, Sequence)
            and not isinstance(node, str)
            and 0 <= step < len(node)
        ):
            node = node[step]
        else:
            node = None
    return parent, key, node


def _readable_location(raw: object, loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if _is_tag(node, step):
            continue
        if isinstance(step, int) and isinstance(node, Sequence) and not isinstance(node, str):
            element = node[step] if 0 <= step < len(node) else None
            element_id = element.get("id") if isinstance(element, Mapping) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{element_id or step}]"]
            node = element
        elif isinstance(node, Mapping) and isinstance(step, str):
            parts.append(step)
            node = node.get(step)
        else:
            parts.append(str(step))
            node = None
    return ".".join(parts)
