"""``docket history``, ``docket check`` and ``docket witness``: who changed what, and whether
the audit chain still holds.

The rules live in :mod:`docket.models.audit`; these commands print what it finds.
"""

from __future__ import annotations

import click

from docket.exports.tabular.tables import write_json
from docket.tui.cli.groups import command
from docket.tui.cli.output import clean, clean_lines
from docket.tui.cli.params import an_id, format_option
from docket.tui.cli.session import Session, pass_session


@command("history")
@click.argument("kind")
@click.argument("record", metavar="ID", type=an_id("id"))
@format_option("text", "json")
@pass_session
def history(session: Session, kind: str, record: int, fmt: str) -> None:
    """Every change to a record: who, when, old and new.

    KIND is action, milestone, person, program, group, ...
    """
    from docket.models.audit.history import readable_history

    changes = readable_history(kind, record)
    if fmt == "json":
        write_json(changes, session.out)
        return
    if not changes:
        session.print(f"no recorded changes to {kind} {record}")
        return
    for change in changes:
        note = f" ({clean(change['note'])})" if change["note"] else ""
        said = clean(f"{change['at']}  {change['actor']}  {change['action']}")
        session.print(f"{said}{note}")
        for line in change["said"]:
            # a long value whole, its own line breaks kept, under the field it belongs to
            session.print("    " + clean_lines(line).replace("\n", "\n      "))


@command("check")
@click.option(
    "--witness",
    "witnesses",
    multiple=True,
    metavar="FILE",
    help="also check another member's witnesses (what 'docket witness' printed for them)",
)
@pass_session
def check(session: Session, witnesses: tuple[str, ...]) -> int:
    """Check the database's integrity."""
    from pathlib import Path

    from docket.models.audit.check import record, run_check
    from docket.models.core.database import SCHEMA_VERSION
    from docket.models.core.fields import to_utc_text

    report = run_check([Path(name) for name in witnesses])
    kept = record(report, at=to_utc_text(session.ctx.now()), by=session.ctx.actor)
    path = session.database_target()
    for note in report.notes:
        session.err.write(f"docket: note: {clean(note)}\n")
    for problem in report.problems:
        session.err.write(f"docket: {clean(problem)}\n")
    if not kept:
        session.err.write(
            f"docket: the result could not be kept in {path} (the app will not warn)\n"
        )
    if not report.ok:
        more = report.total - len(report.problems)
        also = f" (the first {len(report.problems)} listed)" if more else ""
        session.err.write(f"docket: {report.total} problem(s) in {path}{also}\n")
        return 1
    last, digest = report.head
    session.print(
        f"{path}: ok (schema version {SCHEMA_VERSION}; {report.entries:,} audit entries chained,"
        f" the last {last} with hash {digest[:16]})"
    )
    return 0


@command("witness")
@click.option(
    "--forget",
    is_flag=True,
    help="drop your witnesses of this database (after you made it anew or restored it)",
)
@pass_session
def witness(session: Session, forget: bool) -> None:
    """Print your witnesses of the audit chain, for a check.

    JSON, for another member's 'docket check --witness'.
    """
    import json

    from docket.models.audit import witness as witnesses

    path = session.database_target()
    if forget:
        gone = witnesses.forget(path)
        said = "dropped" if gone else "you held no"
        session.print(f"{said} witnesses of {path} ({witnesses.witness_path(path)})")
        return
    held = witnesses.export(path, session.ctx.actor)
    session.print(json.dumps(held, indent=1))
    if not held["witnesses"]:
        session.err.write(
            f"docket: you hold no witnesses of {path} yet (one is kept after each change "
            "you make)\n"
        )
