"""The anonymity threshold k a person may set: a whole number from 3 to 100.

A group smaller than k is never shown on its own. With k=2 either member of a pair reads
the other's answers from the pair's figures, and k=1 shows each person alone, so every input
channel (API bodies, answers files, the services behind the console) takes k through this
one rule. Strictly an integer: `true`, "3" and 3.0 are refused rather than read as numbers.
Self-assessments are exempt: one person reads their own answers, scored with k=1
(app/services/self_assessments.py), and no person sets their k.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

__all__ = ["MAX_ANONYMITY_K", "MIN_ANONYMITY_K", "AnonymityK", "anonymity_k_problem"]

MIN_ANONYMITY_K = 3
MAX_ANONYMITY_K = 100


def _what_was_given(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "text (write the number without quotes)"
    if isinstance(value, float):
        return "a decimal number"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


def _explain(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """pydantic's own messages ("Input should be a valid integer" for "3") say too little."""
    try:
        return handler(value)
    except ValidationError as error:
        kind = error.errors()[0]["type"]
        if kind == "greater_than_equal":
            message = (
                f"must be at least {MIN_ANONYMITY_K}, not {value}: "
                "a smaller group could single out one person"
            )
        elif kind == "less_than_equal":
            message = f"must be at most {MAX_ANONYMITY_K}, not {value}"
        else:
            message = (
                f"must be a whole number from {MIN_ANONYMITY_K} to {MAX_ANONYMITY_K}, "
                f"not {_what_was_given(value)}"
            )
        raise PydanticCustomError("anonymity_k", message) from None


AnonymityK = Annotated[
    int,
    Field(strict=True, ge=MIN_ANONYMITY_K, le=MAX_ANONYMITY_K),
    WrapValidator(_explain),
]
"""Use as a pydantic field's type; the JSON Schema says integer, minimum 3, maximum 100."""

_ANONYMITY_K = TypeAdapter(AnonymityK)


def anonymity_k_problem(value: object) -> str | None:
    """Why `value` may not be an assessment's or a workspace's k, or None when it may."""
    try:
        _ANONYMITY_K.validate_python(value)
    except ValidationError as error:
        return str(error.errors()[0]["msg"])
    return None
