"""Settings read from the environment: the public address follows where `serve` listens
unless it is set."""

from __future__ import annotations

import pytest

from app.settings import Settings


@pytest.mark.parametrize(
    ("host", "port", "base_url"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("::", 9000, "http://127.0.0.1:9000"),
        ("::1", 9000, "http://[::1]:9000"),
        ("assess.internal", 8080, "http://assess.internal:8080"),
    ],
)
def test_an_unset_base_url_is_where_the_service_listens(
    host: str, port: int, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPSMATURITY_BASE_URL", raising=False)
    assert Settings(host=host, port=port).base_url == base_url
    monkeypatch.setenv("OPSMATURITY_HOST", host)
    monkeypatch.setenv("OPSMATURITY_PORT", str(port))
    assert Settings().base_url == base_url


def test_a_base_url_that_is_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(port=9000, base_url="https://assess.example.com").base_url == (
        "https://assess.example.com"
    )
    monkeypatch.setenv("OPSMATURITY_BASE_URL", "https://assess.example.com")
    monkeypatch.setenv("OPSMATURITY_PORT", "9000")
    assert Settings().base_url == "https://assess.example.com"
