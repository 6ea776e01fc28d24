"""The security headers every response carries, pages and API alike.

Pages set their own Content-Security-Policy (app/web/page_security.py), as do the HTML report
(HTML_REPORT_POLICY) and the API's documentation pages (app/api_docs.py); any other response
gets a policy that allows nothing. A policy or header a response already has is kept. HSTS
goes out when the request came over TLS (to us, or to a trusted proxy that says so) or the
service's public address is https.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = [
    "API_CONTENT_SECURITY_POLICY",
    "SHARED_HEADERS",
    "STRICT_TRANSPORT_SECURITY",
    "SecurityHeaders",
]

API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
SHARED_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # Respondent links carry their token in the path: never send it on as a referrer.
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeaders:
    """Which headers to add to a response, given its request."""

    def __init__(self, *, base_url: str) -> None:
        self.always_hsts = urlsplit(base_url).scheme == "https"

    def add_to(self, headers: list[tuple[bytes, bytes]], *, secure: bool) -> None:
        present = {name.lower() for name, _ in headers}
        headers.extend(item for item in SHARED_HEADERS if item[0] not in present)
        if b"content-security-policy" not in present:
            headers.append((b"content-security-policy", API_CONTENT_SECURITY_POLICY.encode()))
        if (secure or self.always_hsts) and b"strict-transport-security" not in present:
            headers.append((b"strict-transport-security", STRICT_TRANSPORT_SECURITY.encode()))
