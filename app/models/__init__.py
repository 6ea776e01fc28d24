"""The database tables (SQLModel). Importing this package registers every table on `metadata`."""

from sqlmodel import SQLModel

# Stable constraint names on both databases, so migrations can name what they drop.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from app.models.assessments import Answer, Assessment, Respondent  # noqa: E402
from app.models.clients import Client  # noqa: E402
from app.models.columns import UtcDateTime, new_id, utc_now  # noqa: E402
from app.models.leads import Lead  # noqa: E402
from app.models.mail import MailAttempt, MailMessage  # noqa: E402
from app.models.password_resets import PasswordReset  # noqa: E402
from app.models.records import AuditEvent, IdempotencyRecord  # noqa: E402
from app.models.report_cache import CachedReport, ReportRenderClaim  # noqa: E402
from app.models.tenancy import (  # noqa: E402
    DEFAULT_ANONYMITY_K,
    MEMBER_ROLES,
    ApiKey,
    ColleagueInvitation,
    LoginFailure,
    User,
    WebSession,
    Workspace,
    WorkspaceMember,
)
from app.models.webhooks import (  # noqa: E402
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

metadata = SQLModel.metadata

__all__ = [
    "DEFAULT_ANONYMITY_K",
    "MEMBER_ROLES",
    "Answer",
    "ApiKey",
    "Assessment",
    "AuditEvent",
    "CachedReport",
    "Client",
    "ColleagueInvitation",
    "IdempotencyRecord",
    "Lead",
    "LoginFailure",
    "MailAttempt",
    "MailMessage",
    "PasswordReset",
    "ReportRenderClaim",
    "Respondent",
    "User",
    "UtcDateTime",
    "WebSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "Workspace",
    "WorkspaceMember",
    "metadata",
    "new_id",
    "utc_now",
]
