"""``docket action ...``: action items from the command line.

Each command calls one operation of :mod:`docket.models.actions.items` and prints its result;
no rule lives here.
"""

from __future__ import annotations

from typing import Any

import click

from docket.exports.tabular.columns import flexible as shortened
from docket.exports.tabular.columns import headings
from docket.exports.tabular.lists.actions import ACTIONS, line_cells
from docket.exports.tabular.tables import write_json
from docket.models.actions import items as actions
from docket.tui.cli.emit import emit, emit_csv
from docket.tui.cli.groups import verbs
from docket.tui.cli.output import clean, clean_lines, write_table
from docket.tui.cli.params import a_count, a_window, an_id, as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session

PRIORITIES = "low, normal, high or urgent"


@verbs()
def action() -> None:
    """Action items."""


@action.command("add")
@click.argument("title")
@click.option("--owner", metavar="WHO")
@click.option("--due", metavar="WHEN")
@click.option("--program", metavar="CODE")
@click.option("--priority", default="normal", show_default=True, help=PRIORITIES)
@click.option("--notes", default="")
@pass_session
def add(
    session: Session,
    title: str,
    owner: str | None,
    due: str | None,
    program: str | None,
    priority: str,
    notes: str,
) -> None:
    """Add an action item (prints its id)."""
    item = actions.add_action(
        session.ctx, title, owner=owner, due=due, program=program, priority=priority, notes=notes
    )
    session.print(str(item.id))


@action.command("list")
@click.option("--program", metavar="CODE")
@click.option("--owner", metavar="WHO")
@click.option(
    "--status",
    default="active",
    show_default=True,
    help="open, in progress, blocked, done, cancelled, active, closed, all",
)
@click.option("--overdue", is_flag=True)
@click.option("--due-within", type=a_window("due within"), metavar="DAYS")
@click.option("--search", metavar="TEXT")
@click.option(
    "--sort", default="due", show_default=True, help="due, priority, owner, program or created"
)
@click.option("--limit", type=a_count("limit"))
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_actions(session: Session, fmt: str, **options: Any) -> None:
    """List action items."""
    flt = actions.ActionFilter(**options)
    if fmt == "table":
        _table(session, flt)
        return
    found = actions.list_actions(session.ctx, flt)
    if fmt == "csv":
        emit_csv(session, "actions", found)
        return
    today = session.ctx.today()
    rows = [actions.action_facts(i, today) for i in found]
    emit(session, fmt, rows, ACTIONS.cli)


def _table(session: Session, flt: actions.ActionFilter) -> None:
    """The list as a table, streamed from tuples of the shown columns (never model objects,
    never all held at once): a list of a million items takes no more memory than one."""
    today = session.ctx.today()
    rows = (line_cells(line, today) for line in actions.action_lines(session.ctx, flt))
    columns = ACTIONS.cli
    if not write_table(headings(columns), rows, session.out, flexible=shortened(columns)):
        session.print("(none)")


@action.command("done")
@click.argument("ids", nargs=-1, required=True, type=an_id("id"))
@pass_session
def done(session: Session, ids: tuple[int, ...]) -> None:
    """Mark action items done."""
    _set_status(session, ids, "done")


@action.command("cancel")
@click.argument("ids", nargs=-1, required=True, type=an_id("id"))
@pass_session
def cancel(session: Session, ids: tuple[int, ...]) -> None:
    """Cancel action items."""
    _set_status(session, ids, "cancelled")


def _set_status(session: Session, ids: tuple[int, ...], status: str) -> None:
    for item in actions.set_status(session.ctx, list(ids), status):
        session.print(f"#{item.id} {status}: {item.title}")


@action.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--title")
@click.option("--status")
@click.option("--owner", metavar="WHO", help="'' for nobody")
@click.option("--due", metavar="WHEN", help="'' for none")
@click.option("--program", metavar="CODE", help="'' for none")
@click.option("--priority", help=PRIORITIES)
@click.option("--notes")
@pass_session
def edit(session: Session, item: int, **fields: str | None) -> None:
    """Change an action item."""
    changes = edits(fields, ("title", "status", "owner", "due", "program", "priority", "notes"))
    # "" clears an optional field: --owner "" leaves the item without an owner
    # read and written in one transaction (version None): no conflict the user did not cause
    updated = actions.update_action(session.ctx, item, None, **changes)
    session.print(f"#{updated.id} updated (version {updated.version})")


@action.command("show")
@click.argument("item", metavar="ID", type=an_id("id"))
@format_option("text", "json")
@as_of_option
@pass_session
def show(session: Session, item: int, fmt: str) -> None:
    """Show one action item."""
    facts = actions.action_facts(actions.get_action(item), session.ctx.today())
    if fmt == "json":
        write_json(facts, session.out)
        return
    width = max(len(k) for k in facts)
    for key, value in facts.items():
        # notes keep their line breaks, under the value's column; other values are one line
        shown = clean_lines(value) if key == "notes" else clean(value)
        session.print(f"{key:<{width}}  {shown.replace(chr(10), chr(10) + ' ' * (width + 2))}")
