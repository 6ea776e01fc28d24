"""A model's Core table, typed: for statements that skip the ORM (hot reads, bulk updates,
joins of plain columns)."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

__all__ = ["table_of"]


def table_of(model: type[SQLModel]) -> Table:
    """The table that `model` (a SQLModel class with `table=True`) is mapped to. SQLModel
    sets `__table__` at class creation but does not declare it, so type checkers cannot
    see it."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table
