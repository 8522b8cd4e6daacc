"""``docket milestone ...``: milestones with their baseline, forecast, actual and slip.

Each command calls one operation of :mod:`docket.models.milestones.schedule`; no rule lives here.
"""

from __future__ import annotations

import click

from docket.exports.tabular.lists.milestones import MILESTONES
from docket.models.milestones import schedule as milestones
from docket.tui.cli.emit import emit, emit_csv
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import a_count, a_window, an_id, as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session


@verbs()
def milestone() -> None:
    """Milestones: baseline, forecast, actual."""


@milestone.command("add")
@click.argument("program", metavar="CODE")
@click.argument("title")
@click.option("--baseline", required=True, metavar="WHEN")
@click.option("--forecast", metavar="WHEN")
@click.option("--owner", metavar="WHO")
@click.option("--deliverable", default="")
@click.option("--criteria", "acceptance_criteria", default="")
@click.option(
    "--after",
    multiple=True,
    type=an_id("after"),
    metavar="ID",
    help="a predecessor milestone",
)
@pass_session
def add(
    session: Session,
    program: str,
    title: str,
    baseline: str,
    forecast: str | None,
    owner: str | None,
    deliverable: str,
    acceptance_criteria: str,
    after: tuple[int, ...],
) -> None:
    """Add a milestone (prints its id)."""
    added = milestones.add_milestone(
        session.ctx,
        program,
        title,
        baseline,
        forecast=forecast,
        owner=owner,
        deliverable=deliverable,
        acceptance_criteria=acceptance_criteria,
        predecessors=list(after),
    )
    session.print(str(added.id))


@milestone.command("list")
@click.option("--program", metavar="CODE")
@click.option("--owner", metavar="WHO")
@click.option("--status", help="done, late, at risk or on track")
@click.option("--due-within", type=a_window("due within"), metavar="DAYS")
@click.option("--limit", type=a_count("limit"))
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_milestones(
    session: Session,
    program: str | None,
    owner: str | None,
    status: str | None,
    due_within: int | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List milestones with slip and status."""
    flt = milestones.MilestoneFilter(
        program=program, owner=owner, status=status, due_within=due_within, limit=limit
    )
    found = milestones.list_milestones(session.ctx, flt)
    if fmt == "csv":
        emit_csv(session, "milestones", found)
        return
    today = session.ctx.today()
    rows = [milestones.milestone_facts(m, today) for m in found]
    emit(session, fmt, rows, MILESTONES.cli)


@milestone.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--title")
@click.option("--baseline", metavar="WHEN")
@click.option("--forecast", metavar="WHEN")
@click.option("--actual", metavar="WHEN")
@click.option("--owner", metavar="WHO")
@click.option("--reason")
@pass_session
def edit(session: Session, item: int, reason: str | None, **fields: str | None) -> None:
    """Change a milestone (moving a date needs --reason)."""
    changes = edits(fields, ("title", "baseline", "forecast", "actual", "owner"))
    updated = milestones.update_milestone(session.ctx, item, None, reason=reason, **changes)
    facts = milestones.milestone_facts(updated, session.ctx.today())
    session.print(
        f"#{updated.id} updated: forecast {facts['forecast']}, "
        f"slip {facts['slip_days']:+d} days, {facts['status']}"
    )


@milestone.command("done")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--on", metavar="WHEN", help="the actual date (default today)")
@pass_session
def done(session: Session, item: int, on: str | None) -> None:
    """Mark a milestone done."""
    finished = milestones.complete_milestone(session.ctx, item, None, actual=on)
    session.print(f"#{finished.id} done on {finished.actual}")
