"""Domain errors of the application. They know nothing of HTTP: app/problems.py maps them.

DomainError
├── AuthenticationError          no credential, or an unknown or revoked one
├── PermissionDeniedError        a valid credential that may not do this
├── NotFoundError                no such resource in the caller's workspace
├── ConflictError                the resource's state forbids the action
│   ├── AssessmentStateError     e.g. answers to a closed assessment
│   ├── ResultsNotReadyError     no respondent has submitted yet
│   └── IdempotencyInProgressError
└── InvalidInputError            input that does not fit; `problems` names each field
    └── IdempotencyKeyReusedError
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AssessmentStateError",
    "AuthenticationError",
    "ConflictError",
    "DomainError",
    "FieldProblem",
    "IdempotencyInProgressError",
    "IdempotencyKeyReusedError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "ResultsNotReadyError",
]


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """`field` is a dotted path into the request body, e.g. `answers.plan_horizon`."""

    field: str
    message: str
    respondent: str | None = None


class DomainError(Exception):
    """Base of every error a service raises on purpose."""


class AuthenticationError(DomainError):
    pass


class PermissionDeniedError(DomainError):
    pass


class NotFoundError(DomainError):
    def __init__(self, resource: str, resource_id: str) -> None:
        self.resource = resource
        self.resource_id = resource_id
        super().__init__(f"no {resource} {resource_id!r} in this workspace")


class ConflictError(DomainError):
    pass


class AssessmentStateError(ConflictError):
    pass


class ResultsNotReadyError(ConflictError):
    pass


class IdempotencyInProgressError(ConflictError):
    pass


class InvalidInputError(DomainError):
    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))


class IdempotencyKeyReusedError(InvalidInputError):
    pass
