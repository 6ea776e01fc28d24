"""`opsmaturity admin`: create a workspace with its owner; add a user to a workspace with a
role; create, list and revoke API keys; reset a console user's password."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from typing import Any

__all__ = ["register"]


def register(commands: Any) -> None:
    admin = commands.add_parser("admin", help="workspaces, API keys and console users")
    subjects = admin.add_subparsers(dest="admin_subject", required=True, metavar="SUBJECT")

    workspace = subjects.add_parser("workspace", help="workspaces")
    workspace_actions = workspace.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = workspace_actions.add_parser("create", help="create a workspace and its owner user")
    create.add_argument("name")
    create.add_argument("--owner-email", required=True)
    create.add_argument("--owner-name", required=True)
    _password_option(create, "the owner's password")
    create.set_defaults(handler=run_create_workspace)

    user = subjects.add_parser("user", help="console users")
    user_actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    user_create = user_actions.add_parser(
        "create",
        help="add a user to a workspace with a role (a new account, or one that exists)",
    )
    user_create.add_argument("email")
    user_create.add_argument("--workspace", required=True, metavar="WORKSPACE_ID")
    user_create.add_argument("--name", default="", help="the name of a new account")
    user_create.add_argument(
        "--role", choices=("owner", "consultant", "viewer"), default="consultant"
    )
    _password_option(user_create, "the password of a new account")
    user_create.set_defaults(handler=run_create_user)
    reset = user_actions.add_parser(
        "reset-password", help="give a user a new password and sign them out everywhere"
    )
    reset.add_argument("email")
    _password_option(reset, "the new password")
    reset.set_defaults(handler=run_reset_password)

    api_key = subjects.add_parser("api-key", help="API keys of a workspace")
    key_actions = api_key.add_subparsers(dest="action", required=True, metavar="ACTION")
    key_create = key_actions.add_parser("create", help="create a key (shown once)")
    key_create.add_argument("--workspace", required=True, metavar="WORKSPACE_ID")
    key_create.add_argument(
        "--name", required=True, help="what the key is for, e.g. 'HubSpot sync'"
    )
    key_create.add_argument("--quiet", action="store_true", help="print only the key")
    key_create.set_defaults(handler=run_create_key)
    key_list = key_actions.add_parser("list", help="list keys (prefixes only)")
    key_list.add_argument("--workspace", required=True, metavar="WORKSPACE_ID")
    key_list.set_defaults(handler=run_list_keys)
    key_revoke = key_actions.add_parser("revoke", help="revoke a key by its id or prefix")
    key_revoke.add_argument("key", metavar="KEY_ID_OR_PREFIX")
    key_revoke.add_argument("--workspace", required=True, metavar="WORKSPACE_ID")
    key_revoke.set_defaults(handler=run_revoke_key)


def _password_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"read {what} from standard input (default: generate and print one)",
    )


def _password(arguments: argparse.Namespace, prompt: str) -> tuple[str, bool]:
    """The password to set, and whether it was generated (and must be shown once)."""
    if not arguments.password_stdin:
        return secrets.token_urlsafe(18), True
    if sys.stdin.isatty():
        return getpass.getpass(prompt), False
    return sys.stdin.readline().rstrip("\n"), False


def _engine() -> Any:
    from app.persistence.engine import make_engine
    from app.settings import Settings

    return make_engine(Settings().database_url)


def _fail(error: Exception) -> int:
    print(f"opsmaturity admin: {error}", file=sys.stderr)
    return 1


def run_create_workspace(arguments: argparse.Namespace) -> int:
    from app.models import utc_now
    from app.persistence.unit_of_work import unit_of_work
    from app.services.admin import create_workspace
    from app.services.console_accounts import MIN_PASSWORD_LENGTH
    from app.services.errors import DomainError, FieldProblem, InvalidInputError

    password, generated = _password(arguments, "Owner password: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        # The console's own rule: the owner signs in there with this password.
        problem = FieldProblem("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
        return _fail(InvalidInputError([problem]))
    engine = _engine()
    try:
        with unit_of_work(engine, writes=True) as session:
            workspace, owner = create_workspace(
                session=session,
                name=arguments.name,
                owner_email=arguments.owner_email,
                owner_name=arguments.owner_name,
                owner_password=password,
                now=utc_now(),
            )
    except DomainError as error:
        return _fail(error)
    finally:
        engine.dispose()
    print(f"workspace {workspace.id}  {workspace.name}")
    print(f"owner     {owner.id}  {owner.email}")
    if generated:
        print(f"password  {password}  (shown once)")
    return 0


def run_create_user(arguments: argparse.Namespace) -> int:
    from app.models import utc_now
    from app.persistence.unit_of_work import unit_of_work
    from app.services.admin import add_workspace_user
    from app.services.errors import DomainError

    password, generated = _password(arguments, "Password (of a new account): ")
    engine = _engine()
    try:
        with unit_of_work(engine, writes=True) as session:
            user, created = add_workspace_user(
                session=session,
                workspace_id=arguments.workspace,
                email=arguments.email,
                name=arguments.name.strip() or arguments.email.strip().lower(),
                role=arguments.role,
                password=password,
                now=utc_now(),
            )
    except DomainError as error:
        return _fail(error)
    finally:
        engine.dispose()
    print(f"user      {user.id}  {user.email}  {arguments.role} of {arguments.workspace}")
    if created and generated:
        print(f"password  {password}  (shown once)")
    elif not created:
        print("account   existing: their password stays")
    return 0


def run_reset_password(arguments: argparse.Namespace) -> int:
    from app.persistence.unit_of_work import unit_of_work
    from app.services.console_accounts import reset_password
    from app.services.errors import DomainError

    password, generated = _password(arguments, "New password: ")
    engine = _engine()
    try:
        with unit_of_work(engine, writes=True) as session:
            user_id = reset_password(session=session, email=arguments.email, new_password=password)
    except DomainError as error:
        return _fail(error)
    finally:
        engine.dispose()
    print(f"user      {user_id}  {arguments.email.strip().lower()}  (signed out everywhere)")
    if generated:
        print(f"password  {password}  (shown once)")
    return 0


def run_create_key(arguments: argparse.Namespace) -> int:
    from app.models import utc_now
    from app.persistence.unit_of_work import unit_of_work
    from app.services.admin import create_api_key
    from app.services.errors import DomainError

    engine = _engine()
    try:
        with unit_of_work(engine, writes=True) as session:
            api_key, secret = create_api_key(
                session=session,
                workspace_id=arguments.workspace,
                name=arguments.name,
                now=utc_now(),
            )
    except DomainError as error:
        return _fail(error)
    finally:
        engine.dispose()
    if arguments.quiet:
        print(secret)
    else:
        print(f"api key {api_key.id}  prefix {api_key.prefix}  {api_key.name}")
        print(f"{secret}")
        print("Store it now: it is shown only once.", file=sys.stderr)
    return 0


def run_list_keys(arguments: argparse.Namespace) -> int:
    from app.persistence.unit_of_work import unit_of_work
    from app.services.admin import list_api_keys
    from app.services.errors import DomainError

    engine = _engine()
    try:
        with unit_of_work(engine) as session:
            keys = list_api_keys(session=session, workspace_id=arguments.workspace)
    except DomainError as error:
        return _fail(error)
    finally:
        engine.dispose()
    print(f"{'id':<36}  {'prefix':<18}  {'status':<8}  {'last used':<20}  name")
    for key in keys:
        state = "revoked" if key.revoked_at else "active"
        last = key.last_used_at.strftime("%Y-%m-%d %H:%M:%S") if key.last_used_at else "never"
        print(f"{key.id:<36}  {key.prefix:<18}  {state:<8}  {last:<20}  {key.name}")
    return 0


def run_revoke_key(arguments: argparse.Namespace) -> int:
    from app.models import utc_now
    from app.persistence.unit_of_work import unit_of_work
    from app.services.admin import revoke_api_key
    from app.services.errors import DomainError

    engine = _engine()
    try:
        with unit_of_work(engine, writes=True) as session:
            key = revoke_api_key(
                session=session, workspace_id=arguments.workspace, key=arguments.key, now=utc_now()
            )
    except DomainError as error:
        return _fail(error)
    finally:
        engine.dispose()
    print(f"revoked {key.prefix} at {key.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
    return 0
