"""Reads YAML text safely and turns syntax errors into one line with the position."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

import yaml

__all__ = ["WrittenDict", "WrittenList", "YamlSyntaxError", "parse_yaml"]

# The tags YAML gives an unquoted scalar it reads as something other than text. PyYAML follows
# YAML 1.1, so besides true/false it reads yes/no/on/off (in any of three casings) as booleans,
# and e.g. 2.10 as the number 2.1.
_READ_AS_NOT_TEXT = frozenset(
    {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
)


class YamlSyntaxError(ValueError):
    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}" if location else problem)


class WrittenDict(dict[Any, Any]):
    """A mapping read from YAML that keeps the text of each value YAML read as a boolean or a
    number, so that a message can say what was written (`No`) and what it became (false)."""

    __slots__ = ("_written",)

    def __init__(self) -> None:
        super().__init__()
        self._written: dict[Hashable, str] = {}

    def written_as(self, key: object) -> str | None:
        """The unquoted text the value at `key` was written as, if YAML read it as not text."""
        return self._written.get(key) if isinstance(key, Hashable) else None


class WrittenList(list[Any]):
    """A list read from YAML that keeps the text of each element YAML read as a boolean or a
    number; see WrittenDict."""

    __slots__ = ("_written",)

    def __init__(self) -> None:
        super().__init__()
        self._written: dict[int, str] = {}

    def written_as(self, key: object) -> str | None:
        return self._written.get(key) if isinstance(key, int) else None


def parse_yaml(text: str, *, keep_written_text: bool = False) -> Any:
    """safe_load (no arbitrary objects); raises YamlSyntaxError("line L, column C", problem).

    With `keep_written_text`, mappings and lists come back as WrittenDict and WrittenList.
    """
    try:
        if keep_written_text:
            return yaml.load(text, Loader=_WrittenTextLoader)  # noqa: S506 - a SafeLoader
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        location = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "unreadable"
        raise YamlSyntaxError(location, f"not valid YAML: {problem}") from error


class _WrittenTextLoader(yaml.SafeLoader):
    """safe_load's loader, building WrittenDict and WrittenList."""


def _read_as_not_text(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.style is None and node.tag in _READ_AS_NOT_TEXT:
        return str(node.value)
    return None


def _construct_mapping(loader: _WrittenTextLoader, node: yaml.MappingNode) -> Iterator[WrittenDict]:
    data = WrittenDict()
    yield data
    data.update(loader.construct_mapping(node))  # also merges `<<` keys into node.value
    for key_node, value_node in node.value:
        written = _read_as_not_text(value_node)
        if written is not None:
            key = loader.construct_object(key_node)
            if isinstance(key, Hashable):
                data._written[key] = written


def _construct_sequence(
    loader: _WrittenTextLoader, node: yaml.SequenceNode
) -> Iterator[WrittenList]:
    data = WrittenList()
    yield data
    data.extend(loader.construct_sequence(node))
    for index, element_node in enumerate(node.value):
        written = _read_as_not_text(element_node)
        if written is not None:
            data._written[index] = written


_WrittenTextLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_WrittenTextLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
