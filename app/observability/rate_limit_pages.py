"""What a rate-limited caller sees: problem details on the API, a page in a browser."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from app.problems import problem_response
from app.web.page_security import CONTENT_SECURITY_POLICY
from app.web.templating import render_page

__all__ = ["rate_limited_page", "rate_limited_problem"]

RATE_LIMITED_TYPE = "urn:opsmaturity:problem:rate-limited"


def rate_limited_problem(request: Request, detail: str, headers: Mapping[str, str]) -> Response:
    return problem_response(
        request,
        status=429,
        title="Too many requests",
        type_uri=RATE_LIMITED_TYPE,
        detail=detail,
        headers=headers,
    )


def rate_limited_page(
    request: Request, retry_after: int, headers: Mapping[str, str], *, per_address: bool = True
) -> Response:
    """The 429 page. `per_address`: the client's network sent too much (several people may
    share it); otherwise this one link did (a reload loop, many tabs)."""
    wait = "a minute" if retry_after >= 60 else f"{retry_after} seconds"
    if per_address:
        detail = f"Many requests came from your network in a short time. Please wait {wait}, "
        advice: tuple[str, ...] = (
            "Nothing you saved before is lost.",
            "If many people share your network, for example in a workshop, they may be "
            "counted together: try again in a moment.",
        )
    else:
        detail = f"This link was used for many requests in a short time. Please wait {wait}, "
        advice = (
            "Nothing you saved before is lost.",
            "If the questionnaire is open in several tabs or windows, keep one.",
        )
    context = {
        "title": "Too many requests",
        "heading": "Too many requests",
        "detail": detail + "then try again.",
        "advice": advice,
        "back_href": _way_back(request.method, request.url.path),
        "back_label": "Try again",
    }
    # Served before the page middleware runs, so it brings the page policy itself.
    page_headers = {**headers, "Content-Security-Policy": CONTENT_SECURITY_POLICY}
    return render_page(request, "error.html", context, status=429, headers=page_headers)


def _way_back(method: str, path: str) -> str:
    """A page to try again from: the page itself, or for a form post the page of the form."""
    if method == "GET" or path.startswith("/console/"):
        return path
    if path.startswith("/r/"):
        return "/".join(path.split("/")[:3])
    return path.removesuffix("start").rstrip("/") or "/"
