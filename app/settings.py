"""One Settings object, read from the environment (prefix OPSMATURITY_) and passed to create_app."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_QUESTIONNAIRES_DIR", "DEVELOPMENT_SECRET", "Settings"]

DEFAULT_QUESTIONNAIRES_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
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

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                "set OPSMATURITY_SECRET_KEY: the development secret is refused in production"
            )
        return self
