"""``docket vendor scorecard ...``, ``docket vendor show`` and ``docket contract level ...``:
how a vendor performs on its contracts, against the service levels each contract sets.

The groups are added to ``docket vendor`` and ``docket contract``
(:mod:`docket.tui.cli.contractors`); each command calls
:mod:`docket.models.contractors.performance` and prints the result.
"""

from __future__ import annotations

import click

from docket.exports.tabular.lists.performance import (
    SCORECARDS,
    SERVICE_LEVELS,
    below_target_lines,
)
from docket.models.contractors import performance
from docket.models.contractors.contracts import find_vendor, list_vendors
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import command, verbs
from docket.tui.cli.params import as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session


@verbs()
def level() -> None:
    """Service levels a contract commits to (counted by its scorecards)."""


@level.command("add")
@click.argument("number", metavar="CONTRACT")
@click.argument("name")
@click.option("--target", default="", metavar="TEXT", help="e.g. '99.5 % a month'")
@pass_session
def add_level(session: Session, number: str, name: str, target: str) -> None:
    """Add a service level to a contract (prints it, with its id)."""
    made = performance.add_service_level(session.ctx, number, name, target=target)
    aim = f" (target {made.target})" if made.target else ""
    session.print(f"service level #{made.id} on {made.contract.number}: {made.name}{aim}")


@level.command("list")
@click.argument("number", metavar="CONTRACT")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_levels(session: Session, number: str, fmt: str) -> None:
    """A contract's service levels."""
    emit(session, fmt, performance.service_levels(number), SERVICE_LEVELS.cli)


@level.command("edit")
@click.argument("number", metavar="CONTRACT")
@click.argument("name")
@click.option("--name", "new_name", metavar="NAME")
@click.option("--target", metavar="TEXT")
@pass_session
def edit_level(
    session: Session, number: str, name: str, new_name: str | None, target: str | None
) -> None:
    """Change a service level's name or target (NAME is its name now)."""
    changes = edits({"name": new_name, "target": target}, ("name", "target"))
    updated = performance.update_service_level(session.ctx, number, name, **changes)
    session.print(f"service level {updated.id} {updated.name} updated (version {updated.version})")


@verbs()
def scorecard() -> None:
    """Scorecards: a vendor's performance on a contract, period by period."""


@scorecard.command("add")
@click.argument("number", metavar="CONTRACT")
@click.option("--from", "start", required=True, metavar="WHEN", help="the period's first day")
@click.option("--to", "end", required=True, metavar="WHEN", help="the period's last day")
@click.option("--quality", required=True, metavar="1-5")
@click.option("--timeliness", required=True, metavar="1-5")
@click.option("--cost-control", required=True, metavar="1-5")
@click.option("--responsiveness", required=True, metavar="1-5")
@click.option("--levels-met", metavar="N", help="service levels met in the period")
@click.option("--levels-total", metavar="N", help="default: the contract's service levels")
@click.option("--note", default="")
@pass_session
def add_card(
    session: Session,
    number: str,
    start: str,
    end: str,
    quality: str,
    timeliness: str,
    cost_control: str,
    responsiveness: str,
    levels_met: str | None,
    levels_total: str | None,
    note: str,
) -> None:
    """Score a vendor's period on a contract, each aspect 1 (poor) to 5 (excellent)."""
    made = performance.add_scorecard(
        session.ctx, number, start=start, end=end, quality=quality, timeliness=timeliness,
        cost_control=cost_control, responsiveness=responsiveness, levels_met=levels_met,
        levels_total=levels_total, note=note,
    )  # fmt: skip
    row = performance.scorecard_rows([made])[0]
    below = f"; below target: {row['why']}" if row["below_target"] else ""
    session.print(
        f"{made.id}: {row['contract']} {row['start']} to {row['end']},"
        f" overall {row['overall']}{below}"
    )


@scorecard.command("list")
@click.argument("which", metavar="VENDOR|CONTRACT")
@format_option("table", "json")
@as_of_option
@pass_session
def list_cards(session: Session, which: str, fmt: str) -> None:
    """A vendor's (or a contract's) scorecards with each aspect's trend (↑ ↓ =)."""
    rows = performance.scorecards(which)
    emit(session, fmt, rows, SCORECARDS.cli)
    if fmt == "table":
        for line in below_target_lines(rows):
            session.print(line)


@scorecard.command("show")
@click.argument("which", metavar="VENDOR|CONTRACT")
@format_option("text", "json")
@as_of_option
@pass_session
def show_cards(session: Session, which: str, fmt: str) -> None:
    """The latest scorecard of each contract, aspect by aspect against the period before."""
    rows = performance.scorecards(which)
    latest = {r["contract"]: r for r in rows}
    if fmt == "json":
        emit(session, "json", list(latest.values()), [])
        return
    if not latest:
        session.print("no scorecards")
    limits = performance.targets()
    for row in latest.values():
        for line in performance.scorecard_lines(row, limits):
            session.print(line)


@command("show")
@click.argument("which", metavar="VENDOR")
@format_option("text", "json")
@as_of_option
@pass_session
def show_vendor(session: Session, which: str, fmt: str) -> None:
    """A vendor: contact, contracts and its record of performance (scorecards)."""
    found = find_vendor(which)
    facts = next(v for v in list_vendors() if v["id"] == found.id)
    record = performance.vendor_record(found)
    if fmt == "json":
        emit(session, "json", [{**facts, "record": record}], [])
        return
    session.print(f"{facts['name']} (#{facts['id']})")
    session.print(f"  contact:    {facts['contact'] or '-'}")
    session.print(f"  contracts:  {facts['contracts']}")
    if facts["note"]:
        session.print(f"  note:       {facts['note']}")
    session.print(f"  record:     {performance.record_summary(record)}")
