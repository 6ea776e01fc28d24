"""One Settings object, read from the environment (prefix OPSMATURITY_) and passed to create_app."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_QUESTIONNAIRES_DIR", "DEVELOPMENT_SECRET", "Settings"]

DEFAULT_QUESTIONNAIRES_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPSMATURITY_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default="sqlite:///./data/opsmaturity.db",
        validation_alias=AliasChoices("OPSMATURITY_DATABASE_URL", "DATABASE_URL"),
    )
    questionnaires_dir: Path = DEFAULT_QUESTIONNAIRES_DIR
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = DEVELOPMENT_SECRET
    # Webhooks (docs/webhooks.md). The delivery worker runs inside the web process unless
    # turned off here, e.g. when `opsmaturity worker` runs in processes of its own.
    webhooks_worker_in_process: bool = True
    # Receivers on private, loopback or link-local addresses are refused unless allowed
    # (self-hosted receivers, tests).
    webhooks_allow_private_addresses: bool = False
    webhooks_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhooks_max_attempts: int = Field(default=15, ge=1, le=50)
    # Retry n waits base * 2**(n-1), at most the maximum, less up to half of it for jitter.
    webhooks_retry_base_seconds: float = Field(default=30.0, gt=0)
    webhooks_retry_max_seconds: float = Field(default=6 * 3600.0, gt=0)
    webhooks_poll_interval_seconds: float = Field(default=1.0, gt=0)
    # Cookies marked Secure; unset: Secure unless base_url is plain http on a loopback host.
    secure_cookies: bool | None = None
    # On first start, with no workspace yet, create a demo workspace and print how to sign in.
    # Unset: only in the development environment.
    demo_workspace: bool | None = None

    @property
    def creates_demo_workspace(self) -> bool:
        if self.demo_workspace is not None:
            return self.demo_workspace
        return self.environment == "development"

    @property
    def cookies_are_secure(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        parts = urlsplit(self.base_url)
        return not (parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS)

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                "set OPSMATURITY_SECRET_KEY: the development secret is refused in production"
            )
        return self
