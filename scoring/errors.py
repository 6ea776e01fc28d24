"""Domain errors of the scoring core. They know nothing of HTTP or the command line."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AnswerError", "AnswerProblem", "DefinitionError", "DefinitionProblem", "ScoringError"]


class ScoringError(Exception):
    """Base of every error raised by `scoring`."""


@dataclass(frozen=True, slots=True)
class DefinitionProblem:
    file: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        return f"{where}: {self.message}"


class DefinitionError(ScoringError):
    """A questionnaire package is invalid; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """One bad answer or attribute. `field` names it, e.g. `answers.ff_urgent` or `attributes.role`."""

    respondent: str | None
    field: str
    message: str

    def __str__(self) -> str:
        who = f"respondent {self.respondent}: " if self.respondent else ""
        return f"{who}{self.field}: {self.message}"


class AnswerError(ScoringError):
    """Answers do not fit the questionnaire; `problems` lists each one."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
