"""Mail templates: `<name>.subject.txt`, `<name>.txt` and `<name>.html` in app/mail/templates.

The HTML extends `_layout.html` (the workspace's name and colour) and is autoescaped, so a
personal message or a name holding markup arrives as text; the plain-text parts are not
escaped (they are not HTML). An undefined variable is an error, never an empty gap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

__all__ = ["TEMPLATES_DIR", "RenderedMail", "render_mail", "template_names"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@cache
def _environments() -> tuple[Environment, Environment]:
    loader = FileSystemLoader(TEMPLATES_DIR)
    text = Environment(
        loader=loader,
        autoescape=False,  # noqa: S701 - plain text, never read as HTML
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    html = Environment(loader=loader, autoescape=True, undefined=StrictUndefined)
    return text, html


def template_names() -> frozenset[str]:
    """The mail templates there are: every name with all three parts."""
    return frozenset(
        path.name.removesuffix(".subject.txt")
        for path in TEMPLATES_DIR.glob("*.subject.txt")
        if (TEMPLATES_DIR / path.name.replace(".subject.txt", ".txt")).is_file()
        and (TEMPLATES_DIR / path.name.replace(".subject.txt", ".html")).is_file()
    )


def render_mail(template: str, context: Mapping[str, object]) -> RenderedMail:
    """The three parts of `template` filled from `context`. The subject is stripped of the
    white space around it; a line break inside it (from a value in the context) is left for
    the caller to refuse."""
    if template not in template_names():
        raise LookupError(f"no mail template {template!r}")
    text, html = _environments()
    subject = text.get_template(f"{template}.subject.txt").render(context)
    return RenderedMail(
        subject=subject.strip(),
        text=text.get_template(f"{template}.txt").render(context),
        html=html.get_template(f"{template}.html").render(context),
    )
