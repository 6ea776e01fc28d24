"""Statements that the event loop's own connections run (app/persistence/loop_reads.py,
app/persistence/postgres_loop.py): compiled once per dialect, and run on the driver's connection with
SQLAlchemy's type processing of parameters and columns (UTC timestamps, say) but without
its work on every execution. Rows come out as SQLAlchemy would give them, as tuples."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

__all__ = ["CompiledStatement", "CompiledStatements", "Row"]

Row = Sequence[Any]
Processor = Callable[[Any], Any]


class CompiledStatement:
    """A statement compiled for one dialect, with its parameters in the driver's form."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        assert isinstance(statement, ClauseElement)
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self._names = compiled.positiontup  # None where parameters go by name
        self._binds: dict[str, Processor] = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }
        columns = getattr(statement, "selected_columns", ())
        self._columns: list[tuple[int, Processor]] = [
            (index, processor)
            for index, column in enumerate(columns)
            if (processor := column.type.dialect_impl(dialect).result_processor(dialect, None))
            is not None
        ]

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        if self._binds:
            values = {
                name: self._binds[name](value) if name in self._binds else value
                for name, value in values.items()
            }
        return dict(values) if self._names is None else [values[name] for name in self._names]

    def row(self, row: Row) -> Row:
        if not self._columns:
            return tuple(row)
        values = list(row)
        for index, processor in self._columns:
            values[index] = processor(values[index])
        return tuple(values)


class CompiledStatements:
    """Each statement compiled once, on first use."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._compiled: dict[int, tuple[Executable, CompiledStatement]] = {}

    def of(self, statement: Executable) -> CompiledStatement:
        # Keyed by identity: the hot statements are module constants, built once.
        found = self._compiled.get(id(statement))
        if found is None or found[0] is not statement:
            found = (statement, CompiledStatement(statement, self._dialect))
            self._compiled[id(statement)] = found
        return found[1]
