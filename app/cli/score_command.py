"""`opsmaturity score ANSWERS_FILE`: score an answers file offline and print the results."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.answers_file import AnswersDocument, AnswersFileError, read_answers_file
from app.catalog import CatalogError, UnknownQuestionnaireError, find_package
from app.cli.score_table import render_table
from app.result_view import assessment_json
from app.settings import DEFAULT_QUESTIONNAIRES_DIR
from scoring import AnswerError, AssessmentResult, DefinitionError, Package, score_assessment

__all__ = ["register", "score_answers_file"]


def register(commands: Any) -> None:
    score = commands.add_parser("score", help="score an answers file (YAML or JSON) offline")
    score.add_argument("answers_file", type=Path, metavar="ANSWERS_FILE")
    score.add_argument("--format", choices=("table", "json"), default="table")
    score.add_argument(
        "--baseline", type=Path, metavar="FILE", help="an earlier answers file to compare with"
    )
    score.add_argument(
        "--questionnaires",
        type=Path,
        default=DEFAULT_QUESTIONNAIRES_DIR,
        metavar="DIR",
        help="folder of questionnaire packages (default: questionnaires/)",
    )
    score.set_defaults(handler=run_score)


class CommandError(Exception):
    """Problems to print one per line before exiting non-zero."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


def score_answers_file(
    path: Path, questionnaires: Path, baseline_path: Path | None = None
) -> tuple[Package, AssessmentResult]:
    """Read, check and score an answers file (and its baseline). Raises CommandError."""
    baseline = None
    if baseline_path is not None:
        _, baseline = _score_one(questionnaires, baseline_path, None)
    return _score_one(questionnaires, path, baseline)


def _score_one(
    questionnaires: Path, path: Path, baseline: AssessmentResult | None
) -> tuple[Package, AssessmentResult]:
    try:
        document: AnswersDocument = read_answers_file(path)
        package = find_package(questionnaires, document.questionnaire_id, document.version)
        result = score_assessment(
            package,
            document.respondent_answers,
            targets=document.target_stages,
            baseline=baseline,
            anonymity_k=document.anonymity_k,
        )
    except AnswersFileError as error:
        raise CommandError([str(error)]) from error
    except UnknownQuestionnaireError as error:
        raise CommandError([f"{path}: {error}"]) from error
    except (CatalogError, DefinitionError) as error:
        raise CommandError([str(problem) for problem in error.problems]) from error
    except AnswerError as error:
        raise CommandError([f"{path}: {problem}" for problem in error.problems]) from error
    return package, result


def run_score(arguments: argparse.Namespace) -> int:
    try:
        package, result = score_answers_file(
            arguments.answers_file, arguments.questionnaires, arguments.baseline
        )
    except CommandError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return 1
    if arguments.format == "json":
        print(
            json.dumps(
                assessment_json(package, result, include_respondents=True),
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(render_table(package, result))
    return 0
