"""Shared building blocks of the definition models: frozen, strict, with stable ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "HASHED_WHEN_SET",
    "ID_PATTERN",
    "DefinitionModel",
    "Fraction01",
    "Id",
    "PositiveWeight",
    "Version",
]

ID_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
Fraction01 = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
PositiveWeight = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]


class DefinitionModel(BaseModel):
    """Base for every definition model: immutable, and unknown keys are errors, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class _HashedWhenSet:
    """Field marker: left out of a package's content hash while the field holds its default.

    Every field added to a definition format after packages were published carries it, so that a
    package which does not use the field keeps the hash its stored assessments were created with
    (scoring/package.py `content_hash`).
    """

    def __repr__(self) -> str:
        return "HASHED_WHEN_SET"


HASHED_WHEN_SET = _HashedWhenSet()
