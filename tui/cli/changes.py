"""``docket changes``: what changed in a period ("since the last board"), as text or JSON.

The changes are found by :func:`docket.models.portfolio.changes_since.changes_since`; this
module only lays them out.
"""

from __future__ import annotations

from decimal import Decimal

import click

from docket.exports.tabular.tables import write_json
from docket.models.portfolio.changes_since import (
    ChangesSince,
    MilestoneMove,
    RiskEvent,
    changes_since,
)
from docket.tui.cli.groups import command
from docket.tui.cli.output import clean
from docket.tui.cli.params import format_option
from docket.tui.cli.session import Session, pass_session


@command("changes")
@click.option("--since", required=True, metavar="DATE", help="first day of the period")
@click.option("--until", metavar="DATE", help="last day of the period (default today)")
@click.option("--program", metavar="CODE", help="a program and those under it")
@format_option("text", "json")
@pass_session
def changes(session: Session, since: str, until: str | None, program: str | None, fmt: str) -> None:
    """What changed between two days: milestones moved, RAG, risks, budget, decisions."""
    found = changes_since(session.ctx, since, until, program=program)
    if fmt == "json":
        write_json(found, session.out)
        return
    for line in changes_text(found):
        session.print(line)


def _money(value: str | None) -> str:
    return "-" if value is None else f"{Decimal(value):,}"


def _signed(value: str) -> str:
    amount = Decimal(value)
    return f"{'+' if amount > 0 else ''}{amount:,}"


def _days(days: int | None) -> str:
    if days is None:
        return ""
    return f" ({'+' if days > 0 else ''}{days}d)"


def _moved(m: MilestoneMove) -> str:
    if m["field"] == "actual" and m["from_day"] is None:
        return f"done on {m['to_day']}"
    return f"{m['field']} {m['from_day'] or '-'} -> {m['to_day'] or '-'}{_days(m['days'])}"


def _section(title: str, lines: list[str], count: int | None = None) -> list[str]:
    shown = len(lines) if count is None else count
    return ["", f"{title}: {shown}", *(lines or ["  nothing"])]


def _risk(r: RiskEvent, what: str) -> str:
    moved = r["from_score"] is not None and r["from_score"] != r["to_score"]
    score = f"{r['from_score']} -> {r['to_score']}" if moved else str(r["to_score"])
    return (
        f"  {r['day']}  {clean(r['program'])}  #{r['risk_id']} {clean(r['title'])}: {what} {score}"
    )


def changes_text(found: ChangesSince) -> list[str]:
    """The changes as lines of text, one section a kind."""
    scope = f" in {found['program']} and below" if found["program"] else ""
    lines = [f"Changes from {found['since']} to {found['until']}{scope}"]
    moves = [
        f"  {m['day']}  {clean(m['program'])}  #{m['milestone_id']} {clean(m['title'])}: "
        + _moved(m)
        + (f"; {clean(m['reason'])}" if m["reason"] else "")
        for m in found["milestones"]
    ]
    lines += _section("Milestones moved", moves)
    rags = [
        f"  {r['day']}  {clean(r['program'])}: {r['from_rag'] or '-'} -> {r['to_rag']}"
        + (f"; {clean(r['note'])}" if r["note"] else "")
        for r in found["rag"]
    ]
    lines += _section("RAG changes", rags)
    lines += _section("Risks opened", [_risk(r, "score") for r in found["risks_opened"]])
    lines += _section("Risks closed", [_risk(r, "closed, score") for r in found["risks_closed"]])
    lines += _section("Risks re-scored", [_risk(r, "score") for r in found["risks_rescored"]])
    budget = [
        f"  {b['day']}  {clean(b['program'])}  FY{b['fiscal_year']} {clean(b['name'])}: "
        f"{b['field'].replace('_', ' ')} {_money(b['from_amount'])} -> "
        f"{_money(b['to_amount'])} ({_signed(b['change'])} {b['currency']})"
        + (f"; {clean(b['note'])}" if b["note"] else "")
        for b in found["budget"]
    ]
    lines += _section("Budget lines changed", budget)
    spend = [
        f"  {clean(s['program'])}  {_money(s['total'])} {s['currency']} "
        f"(costs {_money(s['costs'])}, contracts {_money(s['expenditures'])}; {s['count']} items)"
        for s in found["spend"]
    ]
    spend += [f"  total  {_money(t)} {c}" for c, t in found["spend_totals"].items()]
    lines += _section("Spend recorded", spend, len(found["spend"]))
    decisions = [
        f"  {d['decided_on']}  {clean(d['program'])}  {clean(d['title'])}"
        + (f" ({clean(d['decided_by'])})" if d["decided_by"] else "")
        for d in found["decisions"]
    ]
    lines += _section("Decisions taken", decisions)
    return lines
