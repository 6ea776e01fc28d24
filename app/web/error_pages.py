"""The page a browser sees when something goes wrong: what happened, and where to go next."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from app.web.templating import render_page

__all__ = ["render_error_page"]

_ADVICE = {
    403: ("Reload the page and try again: what you saved before is safe.",),
    404: (
        "Check that the link is complete: links are long, and some mail programs cut them.",
        "If you were invited to an assessment, ask the person who invited you for a new link.",
    ),
    410: ("Contact the person who invited you if you still need to answer.",),
    429: ("For your security, sign-in is paused for a while after several failed attempts.",),
}
_HEADINGS = {
    403: "This form has expired",
    404: "This page or link does not work",
    405: "This page cannot do that",
    409: "This cannot be done right now",
    422: "Some details need a change",
    429: "Too many attempts",
    500: "Something went wrong",
}


def render_error_page(request: Request, status: int, title: str, detail: str | None) -> Response:
    heading = _HEADINGS.get(status, title)
    in_console = request.url.path.startswith("/console")
    context = {
        "title": heading,
        "heading": heading,
        "detail": detail if detail and detail != title else (title if heading != title else None),
        "advice": _ADVICE.get(status, ()),
        "back_href": "/console" if in_console else "/",
        "back_label": "Back to the console" if in_console else "Go to the home page",
    }
    return render_page(request, "error.html", context, status=status)
