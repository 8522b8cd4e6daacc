"""Who may do what: an account's role, and the check every write makes.

Roles: **admin** (everything, and managing accounts), **editor** (reads and writes),
**viewer** (reads only). An account the database does not list is an editor: on a shared
host the operating system's group already decides who can open the file at all, and
listing accounts is how an office narrows that down (viewers) or hands out admin. On
PostgreSQL the server's roles decide instead, and these checks ask about the session user
(:mod:`docket.models.core.engine_roles`): they say a refusal plainly, the server enforces it.
"""

from __future__ import annotations

from docket.models.core import engine
from docket.models.core.context import Context
from docket.models.core.errors import PermissionDenied
from docket.models.core.schema import ROLES, UserAccount

DEFAULT_ROLE = "editor"


def role_of(account: str) -> str:
    """The role of an account in this database: on SQLite as listed (else the default); on
    PostgreSQL as the server's roles give it (none of them: a viewer, who cannot write)."""
    if engine.is_postgres():
        from docket.models.core.engine_roles import server_role

        return server_role(account) or "viewer"
    user = UserAccount.get_or_none(UserAccount.account == account)
    return str(user.role) if user is not None else DEFAULT_ROLE


def can_write(account: str) -> bool:
    """Whether the account may change anything."""
    return role_of(account) != "viewer"


def acting(ctx: Context) -> str:
    """Whose role a check asks about: on PostgreSQL the session user, whom the server
    checks whatever the client says; on SQLite the context's account."""
    return engine.acting_account(ctx.actor)


def require_writer(ctx: Context) -> None:
    """Refuse a write by a viewer, plainly."""
    account = acting(ctx)
    if not can_write(account):
        raise PermissionDenied(
            f"read-only: your account {account} is a viewer of this database; "
            "an admin can make you an editor with 'docket user add'"
        )


def require_admin(ctx: Context) -> None:
    """Refuse an admin-only operation to anyone else."""
    account = acting(ctx)
    role = role_of(account)
    if role != "admin":
        raise PermissionDenied(f"only an admin can do this; your account {account} is {role}")


__all__ = ["ROLES", "can_write", "require_admin", "require_writer", "role_of"]
