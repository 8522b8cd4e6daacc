"""The ``docket`` command line: the same domain operations as the app, for scripts and quick work.

Exit status: 0 done, 1 the operation failed (a conflict, a database problem), 2 bad usage or
input. Every error is one line on stderr, never a traceback. Commands other than the app
itself never import Textual, so they start quickly.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO, cast

import peewee

from docket.models.accounts.identity import current_account
from docket.models.core import inputs
from docket.models.core.clock import zone
from docket.models.core.config import Config, demo_database_path, load_config, resolve_database
from docket.models.core.context import Context
from docket.models.core.errors import DatabaseError, DocketError, ValidationError
from docket.models.core.files import OutputExists
from docket.tui.cli.output import SafeOutput

Handler = Callable[["Session", argparse.Namespace], int]


class Session:
    """What a command runs with: the parsed options, the config, a context, an open database."""

    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.config: Config = load_config()
        self.ctx = Context(
            actor=current_account(),
            tz=zone(self.config.timezone),
            day_first=self.config.day_first,
            decimal_comma=self.config.decimal_comma,
        )
        self.db: peewee.SqliteDatabase | None = None

    def database_path(self) -> Path:
        """The database this command works on."""
        if getattr(self.args, "demo", False):
            return _demo_or_own(self)
        return resolve_database(self.args.db, config=self.config).path

    def open(self) -> None:
        """Open the database (upgrading an older schema, with a backup, as the design says)."""
        from docket.models.core.database import open_database

        self.db = open_database(self.database_path())

    def print(self, text: str = "") -> None:
        self.out.write(text + "\n")


def _demo_or_own(session: Session) -> Path:
    """The user's own database when they have one; else the demo one, built the first time."""
    own = resolve_database(None, config=session.config)
    if own.source != "the user data directory" or own.path.exists():
        return own.path
    path = demo_database_path()
    if not path.exists():
        from docket.models.core.database import init_database
        from docket.models.demo.builder import build_demo

        init_database(path, actor=session.ctx.actor)
        build_demo(session.ctx, size="small", seed=1)
        session.err.write(f"docket: made a demo database at {path}\n")
    return path


class UsageError(DocketError):
    """The command line itself is wrong: an unknown command, a missing argument."""

    exit_status = 2


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, with exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(
            f"{self.prog.removeprefix('docket ')}: {message} (see '{self.prog} --help')"
        )

    def _print_message(self, message: str, file: Any = None) -> None:
        # --help and --version go to the session's output, so tests and pipes see them
        if message:
            (_OUTPUT[-1] if _OUTPUT else sys.stdout).write(message)


_OUTPUT: list[TextIO] = []


def a_number(field: str, minimum: int, maximum: int) -> Callable[[str], int]:
    """An option's type: a whole number within bounds, checked by the domain's input rules
    (a refusal names ``field`` and the range, with exit status 2)."""

    def convert(typed: str) -> int:
        return inputs.whole_number(field, typed, minimum=minimum, maximum=maximum)

    convert.__name__ = field
    return convert


def an_id(field: str) -> Callable[[str], int]:
    """A record's id (1 to the largest integer SQLite stores)."""
    return a_number(field, 1, inputs.MAX_INTEGER)


def a_count(field: str) -> Callable[[str], int]:
    """How many (at least 1)."""
    return a_number(field, 1, inputs.MAX_INTEGER)


def a_window(field: str) -> Callable[[str], int]:
    """A number of days, up to a hundred years."""
    return a_number(field, 0, inputs.MAX_DAYS)


def verbs(sub: Any, name: str, help_text: str) -> Any:
    """A command with verbs (``docket NAME VERB ...``); returns the parser to add verbs to.

    Several modules may add verbs to one command (``docket import csv`` and ``docket import
    ics``): a second call for a name returns the verbs the first one made.
    """
    existing = sub.choices.get(name)
    if existing is not None:
        return existing._subparsers._group_actions[0]
    parser = sub.add_parser(name, help=help_text, description=help_text)
    return parser.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=Parser)


def edits(
    args: argparse.Namespace, fields: Sequence[str], *, more: Sequence[str] = ()
) -> dict[str, Any]:
    """The fields an edit command was given (``--title X``; an option left out is None).
    With none of them, nor any of ``more`` (options that change something else), the error
    names every option the command takes."""
    changes = {name: getattr(args, name) for name in fields if getattr(args, name) is not None}
    if not changes and all(getattr(args, name) in (None, []) for name in more):
        options = ", ".join("--" + name.replace("_", "-") for name in (*fields, *more))
        raise ValidationError("edit", f"nothing to change; give at least one of {options}")
    return changes


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format``, defaulting to the first choice."""
    parser.add_argument("--format", choices=choices, default=choices[0], help="output format")


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The whole command line, for ``--help`` and for dispatch.

    Given the arguments being run, command modules are imported only until one provides
    their command, so starting one command does not grow with every module docket gains.
    """
    from docket.tui.cli import commands

    parser = Parser(prog="docket", description="Run an IT program office from the terminal.")
    parser.add_argument(
        "--db", metavar="PATH", help="database file (else DOCKET_DB, config, data directory)"
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected failure"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="with no database of your own, use the demo one in your data directory",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser(
        "init", help="create a database, or upgrade an older one (after a backup copy)"
    )
    p.add_argument(
        "--shared",
        metavar="DIR",
        help="a database in DIR for every account of --group, and the system config to it",
    )
    p.add_argument(
        "--group", metavar="GROUP", help="with --shared: the Unix group that works in it"
    )
    p.add_argument(
        "--me",
        metavar="'NAME <EMAIL>'",
        help="the person your account is (found by e-mail, or added); asked in a terminal",
    )
    p.set_defaults(handler=commands.init, needs_db=False)

    p = sub.add_parser("demo", help="fill an empty database with a demo program office")
    p.add_argument("--size", choices=("small", "large"), default="small")
    p.add_argument(
        "--seed",
        type=a_number("seed", 0, 2**32 - 1),
        default=1,
        help="the same seed gives the same data",
    )
    p.set_defaults(handler=commands.demo, needs_db=False)

    p = sub.add_parser("today", help="what needs attention today")
    p.add_argument("--program", metavar="CODE")
    add_format(p, "text", "json")
    p.set_defaults(handler=commands.today)

    programs = verbs(sub, "program", "programs of the portfolio")
    p = programs.add_parser("add", help="add a program")
    p.add_argument("code", help="short code such as ERP")
    p.add_argument("name")
    p.add_argument("--parent", metavar="CODE")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--rag", choices=("green", "amber", "red"), default="green")
    p.add_argument("--note", default="", help="RAG note")
    p.add_argument("--objective", default="")
    p.set_defaults(handler=commands.program_add)
    p = programs.add_parser("list", help="list programs")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=commands.program_list)
    p = programs.add_parser("edit", help="change a program: name, owner, RAG and note, ...")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name")
    p.add_argument("--owner", metavar="WHO", help="'' for nobody")
    p.add_argument("--rag", choices=("green", "amber", "red"))
    p.add_argument("--note", help="RAG note")
    p.add_argument("--objective")
    p.add_argument("--parent", metavar="CODE", help="'' for none")
    p.set_defaults(handler=commands.program_edit)

    people = verbs(sub, "person", "the directory of people")
    p = people.add_parser("add", help="add a person")
    p.add_argument("name")
    p.add_argument("--email")
    p.add_argument("--org", dest="organization")
    p.add_argument("--title")
    p.add_argument("--phone")
    p.add_argument("--tz", dest="timezone", metavar="AREA/CITY")
    p.add_argument("--kind", default="staff", help="staff, stakeholder or contractor")
    p.add_argument("--account", help="their Unix account on this host")
    p.set_defaults(handler=commands.person_add)
    p = people.add_parser("list", help="list or find people")
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--kind")
    p.add_argument("--limit", type=a_count("limit"))
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=commands.person_list)
    p = people.add_parser("edit", help="change a person's details")
    p.add_argument("who", metavar="WHO", help="name, e-mail, account or #id")
    p.add_argument("--name")
    p.add_argument("--email", help="'' for none")
    p.add_argument("--org", dest="organization")
    p.add_argument("--title")
    p.add_argument("--phone")
    p.add_argument("--tz", dest="timezone", metavar="AREA/CITY")
    p.add_argument("--kind", help="staff, stakeholder or contractor")
    p.add_argument("--account", help="their Unix account on this host; '' for none")
    p.set_defaults(handler=commands.person_edit)
    p = people.add_parser(
        "merge", help="make a duplicate into one person: every reference to GONE moves to KEEP"
    )
    p.add_argument("keep", metavar="KEEP", help="the person to keep")
    p.add_argument("gone", metavar="GONE", help="the duplicate, deleted once moved")
    p.set_defaults(handler=commands.person_merge)
    p = people.add_parser("delete", help="delete a person nothing refers to")
    p.add_argument("who", metavar="WHO", help="name, e-mail, account or #id")
    p.set_defaults(handler=commands.person_delete)

    groups = verbs(sub, "group", "groups of people (distribution lists)")
    p = groups.add_parser("add", help="add a group")
    p.add_argument("name")
    p.add_argument("--member", action="append", default=[], metavar="WHO")
    p.add_argument("--description", default="")
    p.set_defaults(handler=commands.group_add)
    p = groups.add_parser("list", help="list groups")
    add_format(p, "table", "json")
    p.set_defaults(handler=commands.group_list)
    p = groups.add_parser("members", help="show a group's members, or add and remove some")
    p.add_argument("name")
    p.add_argument("--add", action="append", default=[], metavar="WHO")
    p.add_argument("--remove", action="append", default=[], metavar="WHO")
    add_format(p, "table", "json")
    p.set_defaults(handler=commands.group_members)

    actions = verbs(sub, "action", "action items")
    p = actions.add_parser("add", help="add an action item (prints its id)")
    p.add_argument("title")
    _action_fields(p)
    p.set_defaults(handler=commands.action_add)
    p = actions.add_parser("list", help="list action items")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument(
        "--status",
        default="active",
        help="open, in progress, blocked, done, cancelled, active, closed, all",
    )
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--due-within", type=a_window("due within"), metavar="DAYS")
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--sort", default="due", help="due, priority, owner, program or created")
    p.add_argument("--limit", type=a_count("limit"))
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=commands.action_list)
    p = actions.add_parser("done", help="mark action items done")
    p.add_argument("ids", nargs="+", type=an_id("id"), metavar="ID")
    p.set_defaults(handler=commands.action_done)
    p = actions.add_parser("cancel", help="cancel action items")
    p.add_argument("ids", nargs="+", type=an_id("id"), metavar="ID")
    p.set_defaults(handler=commands.action_cancel)
    p = actions.add_parser("edit", help="change an action item")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--title")
    p.add_argument("--status")
    _action_fields(p, defaults=False)
    p.set_defaults(handler=commands.action_edit)
    p = actions.add_parser("show", help="show one action item")
    p.add_argument("id", type=an_id("id"))
    add_format(p, "text", "json")
    p.set_defaults(handler=commands.action_show)

    users = verbs(sub, "user", "accounts and their roles: admin, editor, viewer")
    p = users.add_parser("add", help="give a Unix account a role (admins only)")
    p.add_argument("account")
    p.add_argument("--role", required=True, choices=("admin", "editor", "viewer"))
    p.add_argument(
        "--person",
        metavar="WHO",
        help="the person the account stands for: 'Name <email>' (found or added), a name, #id",
    )
    p.set_defaults(handler=commands.user_add)
    p = users.add_parser(
        "edit", help="change a listed account's role (admins) or its person (also your own)"
    )
    p.add_argument("account")
    p.add_argument("--role", choices=("admin", "editor", "viewer"))
    p.add_argument("--person", metavar="WHO", help="'Name <email>', a name or #id; '' for nobody")
    p.set_defaults(handler=commands.user_edit)
    p = users.add_parser("list", help="the accounts this database lists")
    add_format(p, "table", "json")
    p.set_defaults(handler=commands.user_list)

    p = sub.add_parser("history", help="every change to a record: who, when, old and new")
    p.add_argument("kind", help="action, milestone, person, program, group, ...")
    p.add_argument("id", type=an_id("id"))
    add_format(p, "text", "json")
    p.set_defaults(handler=commands.history)

    p = sub.add_parser("backup", help="copy the database to FILE, safely while others work")
    p.add_argument("file", metavar="FILE")
    add_force(p)
    p.set_defaults(handler=commands.backup)

    p = sub.add_parser("check", help="check the database's integrity")
    p.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="FILE",
        help="also check another member's witnesses (what 'docket witness' printed for them)",
    )
    p.set_defaults(handler=commands.check)

    p = sub.add_parser("witness", help="print your witnesses of the audit chain, for a check")
    p.add_argument(
        "--forget",
        action="store_true",
        help="drop your witnesses of this database (after you made it anew or restored it)",
    )
    p.set_defaults(handler=commands.witness)

    milestones = verbs(sub, "milestone", "milestones: baseline, forecast, actual")
    p = milestones.add_parser("add", help="add a milestone")
    p.add_argument("program", metavar="CODE")
    p.add_argument("title")
    p.add_argument("--baseline", required=True, metavar="WHEN")
    p.add_argument("--forecast", metavar="WHEN")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--deliverable", default="")
    p.add_argument("--criteria", dest="acceptance_criteria", default="")
    p.add_argument(
        "--after",
        type=an_id("after"),
        action="append",
        default=[],
        metavar="ID",
        help="a predecessor milestone",
    )
    p.set_defaults(handler=commands.milestone_add)
    p = milestones.add_parser("list", help="list milestones with slip and status")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--status", help="done, late, at risk or on track")
    p.add_argument("--due-within", type=a_window("due within"), metavar="DAYS")
    p.add_argument("--limit", type=a_count("limit"))
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=commands.milestone_list)
    p = milestones.add_parser("edit", help="change a milestone (moving a date needs --reason)")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--title")
    p.add_argument("--baseline", metavar="WHEN")
    p.add_argument("--forecast", metavar="WHEN")
    p.add_argument("--actual", metavar="WHEN")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--reason")
    p.set_defaults(handler=commands.milestone_edit)
    p = milestones.add_parser("done", help="mark a milestone done")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--on", metavar="WHEN", help="the actual date (default today)")
    p.set_defaults(handler=commands.milestone_done)

    wanted = _command_of(parser, argv) if argv is not None else None
    for name in COMMAND_MODULES:
        if wanted is not None and wanted in sub.choices:
            break
        importlib.import_module(name).register(sub)
    return parser


def _command_of(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` (None for none, or for ``--help`` before it)."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if not word.startswith("-"):
            return word
        action = parser._option_string_actions.get(word.split("=", 1)[0])
        if action is not None and action.nargs != 0 and "=" not in word:
            next(words, None)  # the option's value
    return None


# Modules of docket.tui that add commands of their own: each has ``register(sub)``, which adds
# its parsers (with ``verbs`` and ``add_format``) and their handlers.
COMMAND_MODULES: tuple[str, ...] = (
    "docket.tui.cli.meetings",
    "docket.tui.cli.imports",
    "docket.tui.cli.comms",
    "docket.tui.cli.contractors",
    "docket.tui.cli.governance",
)


def add_force(p: argparse.ArgumentParser) -> None:
    """``--force``: replace an output file that exists (by rename, never writing through it)."""
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")


def _action_fields(p: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--due", metavar="WHEN")
    p.add_argument("--program", metavar="CODE")
    p.add_argument(
        "--priority", default="normal" if defaults else None, help="low, normal, high or urgent"
    )
    p.add_argument("--notes", default="" if defaults else None)


# where a failure docket did not foresee should be reported
REPORT_TO = "run it again with --debug and report the output to your docket maintainers"


def run(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    # whatever a command prints, stored text included, reaches the terminal made safe
    out, err = cast(TextIO, SafeOutput(out)), cast(TextIO, SafeOutput(err))
    debug = "--debug" in argv or os.environ.get("DOCKET_DEBUG", "") not in ("", "0")
    _OUTPUT.append(out)
    try:
        for number, word in enumerate(argv, start=1):
            inputs.valid_utf8(f"argument {number}", word)
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        session = Session(args, out, err)
        if args.command is None:
            if out.isatty() and sys.stdin.isatty():
                return _open_app(session)
            # piped or scripted: the Today view as text, as `docket today` prints it
            from docket.tui.cli import commands

            args.format = "text"
            args.program = None
            session.open()
            return commands.today(session, args)
        if getattr(args, "needs_db", True):
            session.open()
        handler: Handler = args.handler
        return handler(session, args)
    except OutputExists as exc:  # the command line replaces a file only when told to
        err.write(f"docket: {exc}, or add --force to replace it\n")
        return exc.exit_status
    except DocketError as exc:
        err.write(f"docket: {exc}\n")
        return exc.exit_status
    except peewee.OperationalError as exc:
        err.write(f"docket: {DatabaseError(f'database error: {exc}')}\n")
        return 1
    except KeyboardInterrupt:
        err.write("docket: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except Exception as exc:
        # a failure nothing foresaw: one line saying what failed (the traceback with --debug),
        # never a traceback a user has to read
        if debug:
            raise
        err.write(f"docket: unexpected failure ({type(exc).__name__}: {exc}); {REPORT_TO}\n")
        return 1
    finally:
        _say_witness_notice(err)
        _OUTPUT.pop()


def _say_witness_notice(err: TextIO) -> None:
    """A witness that could not be kept after a write is said once (the write stands)."""
    from docket.models.audit.witness import take_notice

    notice = take_notice()
    if notice:
        err.write(f"docket: {notice}\n")


def _open_app(session: Session) -> int:
    """``docket`` with no command: the app, on the same database the commands would use."""
    from docket.tui.app import DocketApp

    app = DocketApp(
        session.database_path(),
        user=session.ctx.actor,
        tz=session.ctx.tz,
        day_first=session.ctx.day_first,
        decimal_comma=session.ctx.decimal_comma,
    )
    app.run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The ``docket`` console script."""
    return run(sys.argv[1:] if argv is None else argv, sys.stdout, sys.stderr)
