"""The `opsmaturity` command line: each command lives in its own module and registers here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app.cli import (
    admin_commands,
    db_commands,
    definition_commands,
    report_command,
    score_command,
    serve_command,
    worker_command,
)

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opsmaturity", description="Operational-maturity diagnostic."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (
        serve_command,
        definition_commands,
        score_command,
        report_command,
        db_commands,
        admin_commands,
        worker_command,
    ):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        code: int = arguments.handler(arguments)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
