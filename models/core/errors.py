"""The errors docket reports to people: one base class, one message, no traceback.

Every failure a user can cause or meet is a ``DocketError``; its ``str`` is the message
shown on stderr or in a dialog. Subclasses say what kind of failure it is, so the command
line can pick an exit status and the app a dialog.
"""

from __future__ import annotations


class DocketError(Exception):
    """A failure with a message meant for the person at the keyboard."""

    exit_status = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DocketError):
    """Input that is not what a field expects; names the field and what was expected."""

    exit_status = 2

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class NotFoundError(DocketError):
    """A record that the input refers to does not exist."""

    exit_status = 2


class ConflictError(DocketError):
    """A write based on a version of a record that someone else has since changed."""

    def __init__(
        self, message: str, *, changed_by: str | None = None, changed_at: str | None = None
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class PermissionDenied(DocketError):
    """The acting account may not do this (role, or file permissions)."""


class DatabaseError(DocketError):
    """The database cannot be opened or used: missing, unreadable, newer, corrupt."""
