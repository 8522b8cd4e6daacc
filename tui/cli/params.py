"""What command modules declare their options with: bounded numbers, ``--format``,
``--force``, and the fields an edit command was given.

A number is checked by the domain's input rules (:mod:`docket.models.core.inputs`), so a
refusal names the field and the range the way the app says it, with exit status 2.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from docket.models.core import inputs
from docket.models.core.errors import DocketError, ValidationError
from docket.tui.cli.session import Session

F = TypeVar("F", bound=Callable[..., Any])


class UsageError(DocketError):
    """The command line asks for something that cannot go together (exit status 2); said
    as the message alone, unlike click's usage errors, which point at ``--help``."""

    exit_status = 2


if TYPE_CHECKING:
    NumberType = click.ParamType[int, str | int]
else:  # click before 8.4 has no type parameters at runtime (pyproject asks for 8.1 or later)
    NumberType = click.ParamType


class WholeNumber(NumberType):
    """A whole number from ``minimum`` to ``maximum``; a refusal names ``field``."""

    def __init__(self, field: str, minimum: int, maximum: int, metavar: str = "N") -> None:
        self.field = field
        self.minimum = minimum
        self.maximum = maximum
        self.name = metavar

    def convert(
        self, value: str | int, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        return inputs.whole_number(self.field, value, minimum=self.minimum, maximum=self.maximum)


def a_number(field: str, minimum: int, maximum: int) -> WholeNumber:
    """A whole number within bounds."""
    return WholeNumber(field, minimum, maximum)


def an_id(field: str) -> WholeNumber:
    """A record's id (1 to the largest integer SQLite stores)."""
    return WholeNumber(field, 1, inputs.MAX_INTEGER, "ID")


def a_count(field: str) -> WholeNumber:
    """How many (at least 1)."""
    return WholeNumber(field, 1, inputs.MAX_INTEGER)


def a_window(field: str) -> WholeNumber:
    """A number of days, up to a hundred years."""
    return WholeNumber(field, 0, inputs.MAX_DAYS, "DAYS")


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format``, one of ``choices``, defaulting to the first; the command gets ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="output format",
    )


def force_option(command: F) -> F:
    """``--force``: replace an output file that exists (by rename, never writing through it)."""
    return click.option("--force", is_flag=True, help="replace the output file if it exists")(
        command
    )


def program_and_status(command: F) -> F:
    """``--program CODE`` and ``--status``: what a list of a program's records is narrowed by."""
    command = click.option("--status")(command)
    return click.option("--program", metavar="CODE")(command)


def edits(
    values: Mapping[str, Any], fields: Sequence[str], *, more: Sequence[str] = ()
) -> dict[str, Any]:
    """The ``fields`` an edit command was given, from its options' ``values`` (an option
    left out is None). With none of them, nor any of ``more`` (options that change something
    else), the error names every option the command takes."""
    changes = {name: values[name] for name in fields if values[name] is not None}
    if not changes and all(values[name] in (None, (), []) for name in more):
        options = ", ".join(_option(name) for name in (*fields, *more))
        raise ValidationError("edit", f"nothing to change; give at least one of {options}")
    return changes


def _option(name: str) -> str:
    """How the user types the option that fills ``name`` in the running command."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        for param in ctx.command.params:
            if param.name == name and param.opts:
                return param.opts[0]
    return "--" + name.replace("_", "-")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Keep ``--as-of`` for the session, which binds the past state when it opens the
    database (the date is read then, against "today" in the user's zone)."""
    if value is not None:
        session = ctx.find_object(Session)
        if session is not None:
            session.as_of = value


def as_of_option(command: F) -> F:
    """``--as-of DATE``: a report as the database was at the end of that day, rebuilt from
    the audit log (:mod:`docket.models.audit.as_of`); "today" is that day. The command does
    not see the option: the session binds the past state for it."""
    return click.option(
        "--as-of",
        metavar="DATE",
        expose_value=False,
        callback=_as_of,
        help="as the database was at the end of DATE (from the audit log)",
    )(command)
