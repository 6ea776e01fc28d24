"""A workspace whose every free-text field holds markup, quotes and template syntax, built
through the console forms and the API of a live server, with checks that a page shows such
text as text."""

from __future__ import annotations

import html
import io
import re
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx
from markupsafe import escape
from pypdf import PdfReader

from tests.integration.console_session import (
    PASSWORD,
    add_failed_delivery,
    new_owner,
    open_self_assessment,
    signed_in,
)
from tests.integration.flow import FULL_ANSWERS, create_assessment, expect, save_answers
from tests.integration.live_server import LiveServer

__all__ = [
    "MARKUP",
    "TEMPLATES",
    "HostileWorld",
    "assert_inert_page",
    "assert_shown_as_text",
    "build_hostile_world",
    "build_owner",
    "hostile",
    "pdf_text",
    "squeezed",
]

# Breaks out of an attribute, a tag and a textarea; runs script if it is ever markup.
MARKUP = "\"><img src=x onerror=alert(1)><script>alert(1)</script></textarea>'"
# Jinja, JavaScript template literals and Ruby/Pug interpolation: never evaluated.
TEMPLATES = "{{7*7}}{% raw %}${7*7}#{7*7}"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
INVITE = re.compile(r'value="https://opsmaturity\.test(/r/om_inv_[^"]+)"')


def hostile(label: str) -> str:
    """A label (to tell fields apart) with markup, template syntax and a javascript: URL."""
    return f"{label} {MARKUP}{TEMPLATES} javascript:alert(1)"


@dataclass
class HostileWorld:
    """A signed-in console of a workspace full of hostile text, and where it is shown."""

    server: LiveServer
    browser: httpx.Client
    api: httpx.Client
    workspace_id: str
    texts: dict[str, str]
    assessment_id: str
    respondent_links: list[str]
    endpoint_id: str
    self_link: str
    slug: str
    csrf_token: str

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        return self.browser.post(
            path, data={"csrf_token": self.csrf_token, **(data or {})}, **kwargs
        )

    def close(self) -> None:
        self.browser.close()
        self.api.close()


def _csrf(page: httpx.Response) -> str:
    match = CSRF.search(page.text)
    assert match, page.text[:500]
    return match.group(1)


def build_owner(server: LiveServer) -> dict[str, str]:
    """A new workspace's owner: the email and password of the sign-in form."""
    _, email, _ = new_owner(server, "Sign-in test firm", owner_name=hostile("Owner"))
    return {"email": email, "password": PASSWORD}


def build_hostile_world(server: LiveServer) -> HostileWorld:
    texts = {
        "firm": hostile("Firm"),
        "client": hostile("Client"),
        "industry": f"Industry {MARKUP}",
        "external_ref": f"ref-{uuid.uuid4().hex[:6]} {MARKUP}",
        "title": hostile("Title"),
        "name": hostile("Person"),
        "email": f'"><svg/onload=alert(1)>{uuid.uuid4().hex[:6]}@client.example',
        "idea": hostile("Idea"),
        "key_name": hostile("Key"),
        "description": hostile("Hook"),
        "url": 'https://hooks.example.com/in?q="><script>alert(1)</script>',
        "error": hostile("Refused"),
    }
    console = signed_in(server, "Plain name before branding", owner_name=hostile("Owner"))
    browser, api, workspace_id, token = (
        console.browser,
        console.api,
        console.workspace_id,
        console.csrf_token,
    )

    def post(path: str, data: dict[str, Any]) -> httpx.Response:
        return browser.post(path, data={"csrf_token": token, **data})

    branded = post("/console/settings/branding", {"name": texts["firm"], "brand_colour": "#1f4e79"})
    assert branded.status_code == 303, branded.text
    slug = f"hostile-{uuid.uuid4().hex[:8]}"
    assert post("/console/settings/public-link", {"public_slug": slug}).status_code == 303
    client = expect(
        api.post(
            "/api/v1/clients",
            json={
                "name": texts["client"],
                "industry": texts["industry"],
                "external_ref": texts["external_ref"],
            },
        ),
        201,
    )
    assessment_id = create_assessment(api, client["id"], title=texts["title"])["id"]
    people = [
        {"name": texts["name"], "email": texts["email"], "attributes": {"role": "manager"}},
        {"name": "Second person", "attributes": {"role": "manager"}},
        {"name": "Third person", "attributes": {"role": "manager"}},
        {"name": "Fourth person", "attributes": {"role": "manager"}},
    ]
    created = expect(
        api.post(f"/api/v1/assessments/{assessment_id}/respondents", json={"respondents": people}),
        201,
    )["respondents"]
    links = []
    for person in created:
        answers = {**FULL_ANSWERS, "improvement_idea": texts["idea"]}
        expect(
            save_answers(
                api,
                assessment_id,
                person["id"],
                answers,
                submit=person["name"] != texts["name"],
                token=person["invite_token"],
            ),
            200,
        )
        links.append("/r/" + person["invite_url"].rsplit("/", 1)[1])
    assert post("/console/api-keys", {"name": texts["key_name"]}).status_code == 200
    hook = post(
        "/console/webhooks",
        {
            "url": texts["url"],
            "description": texts["description"],
            "event_types": ["report.ready"],
        },
    )
    assert hook.status_code == 200, hook.text
    endpoint_id = next(
        e["id"]
        for e in expect(api.get("/api/v1/webhook-endpoints"), 200)["items"]
        if e["description"] == texts["description"]
    )
    assert post(f"/console/webhooks/{endpoint_id}/disable", {}).status_code == 303
    add_failed_delivery(
        server.app.state.runtime.database.engine,
        workspace_id,
        endpoint_id,
        event_type="report.ready",
        error=texts["error"],
    )
    self_link = _self_assessment(server, api, workspace_id, texts["idea"])
    return HostileWorld(
        server,
        browser,
        api,
        workspace_id,
        texts,
        assessment_id,
        links,
        endpoint_id,
        self_link,
        slug,
        token,
    )


def _self_assessment(server: LiveServer, api: httpx.Client, workspace_id: str, idea: str) -> str:
    """A self-assessment (as the public link starts one), answered on its pages and submitted."""
    client_id = expect(api.post("/api/v1/clients", json={"name": "Online self-assessments"}), 201)
    assessment_id = open_self_assessment(server, workspace_id, client_id["id"])
    body = {"respondents": [{"attributes": {"role": "executive"}}]}
    (person,) = expect(
        api.post(f"/api/v1/assessments/{assessment_id}/respondents", json=body), 201
    )["respondents"]
    base = "/r/" + person["invite_url"].rsplit("/", 1)[1]
    with httpx.Client(base_url=server.url, timeout=60) as visitor:
        token = _csrf(visitor.get(base))
        for item, value in {**FULL_ANSWERS, "improvement_idea": idea}.items():
            form: dict[str, Any] = {"item": item, f"a.{item}": value}
            if isinstance(value, list):
                form[f"m.{item}"] = "1"
            saved = visitor.post(f"{base}/autosave", data=form, headers={"X-CSRF-Token": token})
            assert saved.status_code == 200, (item, saved.text)
        submitted = visitor.post(f"{base}/submit", data={"csrf_token": token})
        assert submitted.headers["location"] == f"{base}/results", submitted.text
    return base


class _ActiveParts(HTMLParser):
    """Everything in a page that could run script or load from elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                text.startswith("javascript:") or text == "x"
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script":
            source = dict(attrs).get("src") or ""
            if not source.startswith("/static/app.js?v="):
                self.found.append(f"<script src={source!r}>")
        if tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag}>")


def assert_inert_page(page: str, where: str) -> None:
    """No event handler, javascript: link or foreign script anywhere in the page."""
    parser = _ActiveParts()
    parser.feed(page)
    parser.close()
    assert parser.found == [], f"{where}: {parser.found}"
    assert MARKUP not in page, f"{where}: the markup came through unescaped"


def assert_shown_as_text(page: str, text: str, where: str) -> None:
    """`text` is in the page exactly as typed once entities are decoded, and escaped in the
    source; template syntax was not evaluated."""
    assert str(escape(text)) in page, f"{where}: {text[:20]!r}… is not shown escaped"
    assert text in html.unescape(page), where


def pdf_text(pdf: bytes) -> str:
    """The PDF's text without white space: lines may break after a `/`, so spaces and line
    ends are left out when looking for a text (see `squeezed`)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return squeezed(" ".join(page.extract_text() for page in pages))


def squeezed(text: str) -> str:
    return "".join(text.split())
