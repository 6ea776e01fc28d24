"""Respondents typed into the console: one by one, or pasted as CSV with a header row
`name,email,<attribute ids…>`. Pure functions: text in, respondents or problems out.

An attribute's value may be given by its id or its label, in any case (`manager`, `Manager`).
Every problem of a paste is reported at once, each with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.services.errors import FieldProblem
from app.services.respondents import NewRespondent
from app.text_rules import text_field_problems
from scoring.questionnaire import Attribute

__all__ = [
    "CSV_FIELD",
    "MAX_PASTED_RESPONDENTS",
    "ParsedRespondents",
    "parse_respondent_csv",
    "read_respondent",
]

CSV_FIELD = "csv"
MAX_PASTED_RESPONDENTS = 500
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MAX_NAME = 200
_MAX_EMAIL = 320


@dataclass(frozen=True, slots=True)
class ParsedRespondents:
    respondents: tuple[NewRespondent, ...]
    problems: tuple[FieldProblem, ...]


def read_respondent(
    attributes: Sequence[Attribute], *, name: str, email: str, values: Mapping[str, str]
) -> tuple[NewRespondent | None, list[FieldProblem]]:
    """One respondent from the add form; problems are named `name`, `email`, `attr.<id>`."""
    problems = [
        FieldProblem(field, message)
        for field, message in _person_problems(name.strip(), email.strip())
    ]
    chosen, attribute_problems = _attribute_values(attributes, values)
    problems += [FieldProblem(f"attr.{key}", message) for key, message in attribute_problems]
    if problems:
        return None, problems
    return NewRespondent(name.strip(), email.strip() or None, chosen), []


def parse_respondent_csv(text: str, attributes: Sequence[Attribute]) -> ParsedRespondents:
    """Respondents from pasted CSV. The header names the columns: `name` is required,
    `email` optional, then the questionnaire's attribute ids (required ones must be there)."""
    reader = csv.reader(io.StringIO(text.rstrip()))
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    except csv.Error as error:
        return _refused([f"line {reader.line_num}: {error}"])
    if header is None:
        return _refused(["paste a header row (name,email,…) and one row per respondent"])
    columns = [cell.strip().lower() for cell in header]
    problems = _header_problems(columns, attributes, reader.line_num)
    if problems:
        return _refused(problems)
    respondents: list[NewRespondent] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(respondents) >= MAX_PASTED_RESPONDENTS:
                problems.append(f"paste at most {MAX_PASTED_RESPONDENTS} respondents at a time")
                break
            found, row_problems = _row(columns, row, attributes)
            problems += [f"line {line}: {message}" for message in row_problems]
            if found is not None:
                respondents.append(found)
    except csv.Error as error:
        problems.append(f"line {reader.line_num}: {error}")
    if not respondents and not problems:
        problems.append("add at least one row below the header")
    if problems:
        return _refused(problems)
    return ParsedRespondents(tuple(respondents), ())


def _refused(messages: Sequence[str]) -> ParsedRespondents:
    return ParsedRespondents((), tuple(FieldProblem(CSV_FIELD, m) for m in messages))


def _header_problems(
    columns: Sequence[str], attributes: Sequence[Attribute], line: int
) -> list[str]:
    known = {"name", "email"} | {a.id for a in attributes}
    expected = ",".join(["name", "email", *(a.id for a in attributes)])
    problems = []
    if "name" not in columns:
        problems.append(f"line {line}: the header row needs a “name” column, e.g. {expected}")
    unknown = [c for c in columns if c not in known]
    if unknown:
        problems.append(
            f"line {line}: unknown column(s) {', '.join(unknown) or '(empty)'}; use {expected}"
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        problems.append(f"line {line}: column(s) {', '.join(repeated)} appear more than once")
    missing = [a.id for a in attributes if a.required and a.id not in columns]
    if missing:
        problems.append(f"line {line}: add the required column(s) {', '.join(missing)}")
    return problems


def _row(
    columns: Sequence[str], row: Sequence[str], attributes: Sequence[Attribute]
) -> tuple[NewRespondent | None, list[str]]:
    if len(row) != len(columns):
        return None, [f"expected {len(columns)} values (as in the header), found {len(row)}"]
    cells = {column: cell.strip() for column, cell in zip(columns, row, strict=True)}
    name, email = cells.get("name", ""), cells.get("email", "")
    problems = [message for _, message in _person_problems(name, email)]
    values = {key: value for key, value in cells.items() if key not in ("name", "email")}
    chosen, attribute_problems = _attribute_values(attributes, values)
    problems += [message for _, message in attribute_problems]
    if problems:
        return None, problems
    return NewRespondent(name, email or None, chosen), []


def _person_problems(name: str, email: str) -> list[tuple[str, str]]:
    problems = [
        (p.field, f"the {p.field} {p.message}")
        for p in text_field_problems({"name": name, "email": email})
    ]
    if problems:
        return problems
    if not name:
        problems.append(("name", "enter the respondent's name"))
    elif len(name) > _MAX_NAME:
        problems.append(("name", f"the name is longer than {_MAX_NAME} characters"))
    if email and (len(email) > _MAX_EMAIL or not _EMAIL.fullmatch(email)):
        problems.append(("email", f"“{email}” is not an email address like name@example.com"))
    return problems


def _attribute_values(
    attributes: Sequence[Attribute], values: Mapping[str, str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Attribute id -> value id, from values given by id or label; blanks are left out."""
    chosen: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for attribute in attributes:
        given = values.get(attribute.id, "").strip()
        if not given:
            if attribute.required:
                problems.append((attribute.id, f"choose a {attribute.label.lower()}"))
            continue
        match = next(
            (
                value.id
                for value in attribute.values
                if given.lower() in (value.id.lower(), value.label.lower())
            ),
            None,
        )
        if match is None:
            allowed = ", ".join(value.id for value in attribute.values)
            problems.append((attribute.id, f"{attribute.label} “{given}” is not one of {allowed}"))
        else:
            chosen[attribute.id] = match
    return chosen, problems
