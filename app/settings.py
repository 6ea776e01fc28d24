"""One Settings object, read from the environment (prefix OPSMATURITY_) and passed to create_app."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_QUESTIONNAIRES_DIR", "DEVELOPMENT_SECRET", "Settings"]

DEFAULT_QUESTIONNAIRES_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind
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
    # The public address: invite and resume links start with it. Unset, it is where `serve`
    # listens (on a wildcard address, the loopback one), so `serve --port` keeps links working.
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
    # Mail (docs/mail.md): invitations, reminders, password resets. With no relay host, every
    # message is written as an .eml file to mail_folder instead, and listed in the console.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    # starttls: upgrade a plain connection (port 587); tls: TLS from the start (port 465);
    # none: no encryption, for a relay on this machine or a private network only.
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "OpsMaturity <no-reply@localhost>"
    mail_folder: Path = Path("./data/mail")
    # The mail worker runs inside the web process unless turned off (as for webhooks).
    mail_worker_in_process: bool = True
    mail_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    mail_max_attempts: int = Field(default=10, ge=1, le=50)
    # Retry n waits base * 2**(n-1), at most the maximum, less up to half of it for jitter.
    mail_retry_base_seconds: float = Field(default=60.0, gt=0)
    mail_retry_max_seconds: float = Field(default=3600.0, gt=0)
    mail_poll_interval_seconds: float = Field(default=5.0, gt=0)
    # Cookies marked Secure; unset: Secure unless base_url is plain http on a loopback host.
    secure_cookies: bool | None = None
    # On first start, with no workspace yet, create a demo workspace and print how to sign in.
    # Unset: only in the development environment.
    demo_workspace: bool | None = None
    # Larger request bodies are refused with 413 (app/api/body_limit.py); a logo is at most
    # 512 KB, so 1 MiB leaves room for every form and API request.
    max_request_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # A self-assessment started this many days ago and never submitted counts as archived in
    # the console: no longer listed with the recent ones, still listed under "Archived", and
    # its private link still resumes it.
    self_assessment_archive_after_days: int = Field(default=14, ge=1, le=3650)

    # Operations (README "Operations"). Log lines as JSON objects or as text; unset: JSON in
    # production, text otherwise.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # /metrics asks for this bearer token; unset: it answers loopback clients only.
    metrics_token: SecretStr | None = None
    # Proxies (CIDRs, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed.
    trusted_proxies: str = ""
    # Requests per minute (sized in app/observability/rate_limits.py for 30 people answering
    # together from one office): per API key on the API; per client address on API calls
    # without a working credential; per invite link on its pages, autosave, report and API
    # calls, and per client address over every link; per client address on sign-in,
    # first-run setup and self-assessment starts. OPSMATURITY_RATE_LIMITS=off turns them off.
    rate_limits: bool = True
    rate_limit_api_per_minute: int = Field(default=600, ge=1)
    rate_limit_public_per_minute: int = Field(default=300, ge=1)
    rate_limit_respondent_per_minute: int = Field(default=120, ge=1)
    rate_limit_respondent_address_per_minute: int = Field(default=1200, ge=1)
    rate_limit_entry_per_minute: int = Field(default=60, ge=1)
    # Rate-limit counts shared by every worker and host; unset: each process counts alone.
    redis_url: str | None = None

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

    @property
    def log_format_in_use(self) -> Literal["json", "text"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.environment == "production" else "text"

    @property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return _networks(self.trusted_proxies)

    @model_validator(mode="after")
    def _base_url_follows_the_address(self) -> Settings:
        if "base_url" not in self.model_fields_set:
            host = "127.0.0.1" if self.host in _WILDCARD_HOSTS else self.host
            host = f"[{host}]" if ":" in host else host
            self.base_url = f"http://{host}:{self.port}"
        return self

    @field_validator("mail_from")
    @classmethod
    def _mail_from_is_an_address(cls, value: str) -> str:
        from app.mail.addresses import sender_problem

        problem = sender_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: str) -> str:
        _networks(value)  # ValueError names the entry that is not an address or CIDR
        return value

    @model_validator(mode="after")
    def _a_relay_needs_a_real_sender(self) -> Settings:
        if self.smtp_host and self.mail_from.rstrip(">").endswith("@localhost"):
            raise ValueError(
                "set OPSMATURITY_MAIL_FROM to an address the relay accepts mail from: "
                "no relay sends mail from @localhost"
            )
        return self

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                "set OPSMATURITY_SECRET_KEY: the development secret is refused in production"
            )
        return self


def _networks(text: str) -> tuple[IPv4Network | IPv6Network, ...]:
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if entry:
            try:
                networks.append(ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or CIDR") from None
    return tuple(networks)
