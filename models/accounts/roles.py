"""Who may do what: an account's role, and the check every write makes.

Roles: **admin** (everything, and managing accounts), **editor** (reads and writes),
**viewer** (reads only). An account the database does not list is an editor: on a shared
host the operating system's group already decides who can open the file at all, and
listing accounts is how an office narrows that down (viewers) or hands out admin.
"""

from __future__ import annotations

from docket.models.core.context import Context
from docket.models.core.errors import PermissionDenied
from docket.models.core.schema import ROLES, UserAccount

DEFAULT_ROLE = "editor"


def role_of(account: str) -> str:
    """The role of a Unix account in this database."""
    user = UserAccount.get_or_none(UserAccount.account == account)
    return str(user.role) if user is not None else DEFAULT_ROLE


def can_write(account: str) -> bool:
    """Whether the account may change anything."""
    return role_of(account) != "viewer"


def require_writer(ctx: Context) -> None:
    """Refuse a write by a viewer, plainly."""
    if not can_write(ctx.actor):
        raise PermissionDenied(
            f"read-only: your account {ctx.actor} is a viewer of this database; "
            "an admin can make you an editor with 'docket user add'"
        )


def require_admin(ctx: Context) -> None:
    """Refuse an admin-only operation to anyone else."""
    if role_of(ctx.actor) != "admin":
        raise PermissionDenied(
            f"only an admin can do this; your account {ctx.actor} is {role_of(ctx.actor)}"
        )


__all__ = ["ROLES", "can_write", "require_admin", "require_writer", "role_of"]
