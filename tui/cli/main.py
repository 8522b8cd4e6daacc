"""The ``docket`` command line: the same domain operations as the app, for scripts and quick work.

Exit status: 0 done, 1 the operation failed (a conflict, a database problem), 2 bad usage or
input, 130 interrupted. Every error is one line on stderr, never a traceback (``--debug`` or
``DOCKET_DEBUG`` shows it). Commands other than the app itself never import Textual, so they
start quickly; each command's module is imported only when that command runs.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO, cast

import click
import peewee

from docket.models.core import inputs
from docket.models.core.clock import from_environment
from docket.models.core.errors import DatabaseError, DocketError
from docket.models.core.files import OutputExists
from docket.tui.cli.groups import Registry
from docket.tui.cli.output import SafeOutput
from docket.tui.cli.session import Session

# Every command: its name, and the module and attribute of its click command. A command
# module is imported only when its command runs (or help lists every command); the order
# here is the order help lists them in.
COMMANDS: dict[str, str] = {
    "init": "docket.tui.cli.admin:init",
    "demo": "docket.tui.cli.admin:demo",
    "today": "docket.tui.cli.today:today",
    "program": "docket.tui.cli.programs:program",
    "person": "docket.tui.cli.people:person",
    "group": "docket.tui.cli.people:group",
    "action": "docket.tui.cli.actions:action",
    "user": "docket.tui.cli.accounts:user",
    "history": "docket.tui.cli.audit:history",
    "backup": "docket.tui.cli.admin:backup",
    "check": "docket.tui.cli.audit:check",
    "witness": "docket.tui.cli.audit:witness",
    "milestone": "docket.tui.cli.milestones:milestone",
    "meeting": "docket.tui.cli.meetings:meeting",
    "invite": "docket.tui.cli.invites:invite",
    "calendar": "docket.tui.cli.invites:calendar",
    "import": "docket.tui.cli.imports:import_",
    "comms": "docket.tui.cli.comms:comms",
    "digest": "docket.tui.cli.comms:digest",
    "vendor": "docket.tui.cli.contractors:vendor",
    "contract": "docket.tui.cli.contractors:contract",
    "expenditure": "docket.tui.cli.contractors:expenditure",
    "solicitation": "docket.tui.cli.solicitations:solicitation",
    "bid": "docket.tui.cli.solicitations:bid",
    "award": "docket.tui.cli.solicitations:award_command",
    "assignment": "docket.tui.cli.assignments:assignment",
    "allocation": "docket.tui.cli.assignments:allocation",
    "risk": "docket.tui.cli.governance:risk",
    "issue": "docket.tui.cli.governance:issue",
    "decision": "docket.tui.cli.governance:decision",
    "change": "docket.tui.cli.governance:change",
    "budget": "docket.tui.cli.budgets:budget",
    "cost": "docket.tui.cli.budgets:cost",
    "metric": "docket.tui.cli.budgets:metric",
    "proposal": "docket.tui.cli.proposals:proposal",
    "criteria": "docket.tui.cli.criteria:criteria",
    "score": "docket.tui.cli.scores:score",
    "portfolio": "docket.tui.cli.portfolio:portfolio",
    "boardpack": "docket.tui.cli.boardpack:boardpack",
    "changes": "docket.tui.cli.changes:changes",
    "migrate": "docket.tui.cli.migrate:migrate",
}


class Interrupted(Exception):
    """Ctrl-C while a command ran (carried past click, which would print to sys.stderr)."""


class PipeClosed(Exception):
    """The reader of the output went away (``docket action list | head``)."""


class Docket(Registry):
    """The root command: hands an interruption or a closed pipe to :func:`run` as they are."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted from None
        except BrokenPipeError:
            raise PipeClosed from None


@click.group(
    cls=Docket,
    lazy=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("--db", metavar="PATH", help="database file (else DOCKET_DB, config, data directory)")
@click.option("--debug", is_flag=True, help="show the traceback of an unexpected failure")
@click.option(
    "--demo",
    is_flag=True,
    help="with no database of your own, use the demo one in your data directory",
)
@click.version_option(package_name="docket", prog_name="docket")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool, demo: bool) -> int | None:
    """Run an IT program office from the terminal.

    With no command: the app in a terminal, else Today as text.
    """
    del debug  # read by run(), before anything is parsed
    if not gc.isenabled():
        # start-up is over (docket.tui.start paused the collector): what it made lives as
        # long as the process, so the collector's passes in the command's work skip it
        gc.freeze()
        gc.enable()
    session = ctx.find_object(Session)
    assert session is not None  # run() gives it
    session.database_option = db
    session.demo = demo
    if ctx.invoked_subcommand is not None:
        return None
    if session.out.isatty() and sys.stdin.isatty():
        return _open_app(session)
    # piped or scripted: the Today view as text, as `docket today` prints it
    from docket.tui.cli.today import show_today

    session.open()
    show_today(session, program=None, fmt="text")
    return None


def _open_app(session: Session) -> int:
    """``docket`` with no command: the app, on the same database the commands would use."""
    from docket.tui.store import app_context, start

    ctx = app_context(
        clock=session.clock,
        user=session.ctx.actor,
        tz=session.ctx.tz,
        day_first=session.ctx.day_first,
        decimal_comma=session.ctx.decimal_comma,
    )
    # the database opens and Today is read while Textual loads (issue 22: launch speed)
    store = start(session.database_target(), ctx)  # a file, or a PostgreSQL URL
    from docket.tui.app import DocketApp

    app = DocketApp(store.path, store=store)
    app.run()
    return 0


# where a failure docket did not foresee should be reported
REPORT_TO = "run it again with --debug and report the output to your docket maintainers"


def run(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    # whatever a command prints, stored text included, reaches the terminal made safe
    out, err = cast(TextIO, SafeOutput(out)), cast(TextIO, SafeOutput(err))
    debug = "--debug" in argv or os.environ.get("DOCKET_DEBUG", "") not in ("", "0")
    try:
        for number, word in enumerate(argv, start=1):
            inputs.valid_utf8(f"argument {number}", word)
        # "now" for the whole run: DOCKET_NOW when set, read once, here
        session = Session(out, err, clock=from_environment())
        # click writes --help, --version and completion scripts to sys.stdout
        with contextlib.redirect_stdout(out):
            status = cli.main(list(argv), prog_name="docket", standalone_mode=False, obj=session)
        return status if isinstance(status, int) else 0
    except click.UsageError as exc:
        err.write(usage_error(exc) + "\n")
        return 2
    except click.ClickException as exc:
        err.write(f"docket: {_one_line(exc.format_message())}\n")
        return exc.exit_code
    except OutputExists as exc:  # the command line replaces a file only when told to
        err.write(f"docket: {exc}, or add --force to replace it\n")
        return exc.exit_status
    except DocketError as exc:
        err.write(f"docket: {exc}\n")
        return exc.exit_status
    except peewee.OperationalError as exc:
        err.write(f"docket: {DatabaseError(f'database error: {exc}')}\n")
        return 1
    except (Interrupted, KeyboardInterrupt, click.Abort):
        err.write("docket: interrupted\n")
        return 130
    except (PipeClosed, BrokenPipeError):
        return 0
    except SystemExit as exc:  # shell completion ends this way
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
        _say_fault_notes(err)


def usage_error(exc: click.UsageError) -> str:
    """click's usage error as docket says one: ``docket: action add: missing argument
    'TITLE' (see 'docket action add --help')``."""
    path = exc.ctx.command_path if exc.ctx is not None else "docket"
    where = path.removeprefix("docket").strip()
    if isinstance(exc, click.NoSuchOption):
        message = f"no such option: {exc.option_name}"
        if exc.possibilities:
            message += f"; did you mean {exc.possibilities[0]}?"
    else:
        message = _one_line(exc.format_message()).removesuffix(".")
        message = message[:1].lower() + message[1:]
    return f"docket: {where + ': ' if where else ''}{message} (see '{path} --help')"


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _say_witness_notice(err: TextIO) -> None:
    """A witness that could not be kept after a write is said once (the write stands)."""
    # only a run that wrote has loaded the witness module: --help, --version and a command
    # that failed early have nothing to say, and need not import it (nor the schema) for that
    witness = sys.modules.get("docket.models.audit.witness")
    if witness is None:
        return
    notice = witness.take_notice()
    if notice:
        err.write(f"docket: {notice}\n")


def _say_fault_notes(err: TextIO) -> None:
    """What docket got over on PostgreSQL (a connection lost and made again, a change the
    server says it saved), a line each (models/core/engine_faults.py)."""
    faults = sys.modules.get("docket.models.core.engine_faults")  # loaded by a server's run
    for line in faults.take_notes() if faults is not None else []:
        err.write(f"docket: {line}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """The ``docket`` console script."""
    return run(sys.argv[1:] if argv is None else argv, sys.stdout, sys.stderr)
