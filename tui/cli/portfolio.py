"""``docket portfolio rank|select|frontier``: the proposals ranked by value, the best set
within the budget and people (with how robust it is to the criteria's weights), and the
efficient frontier.

Each command calls :mod:`docket.models.portfolio.analysis` and prints the result; no rule
lives here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

import click

from docket.exports.tabular.chart import frontier_chart
from docket.exports.tabular.lists.selection import (
    CHOSEN,
    FRONTIER,
    FRONTIER_CSV,
    PEOPLE,
    RANK,
    SHIFTS,
    UNCLASSIFIED,
    YEARS,
    smallest_change,
    unestablished,
)
from docket.exports.tabular.tables import write_json
from docket.models.portfolio import analysis
from docket.models.portfolio.candidates import DEFAULT_STATUSES
from docket.tui.cli.emit import declared_table, emit
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import a_number, format_option
from docket.tui.cli.session import Session, pass_session

F = TypeVar("F", bound=Callable[..., Any])


def _statuses(default: str) -> Callable[[F], F]:
    return click.option(
        "--status",
        "statuses",
        multiple=True,
        metavar="STATUS",
        help=f"proposals of this status (repeat for more; default {default})",
    )


def _limits(command: F) -> F:
    command = click.option(
        "--people",
        multiple=True,
        metavar="ROLE=N",
        help="at most N people of ROLE in any month (repeat per role; default: no limit)",
    )(command)
    return click.option(
        "--budget",
        multiple=True,
        metavar="FY=AMOUNT",
        help="the budget of a fiscal year (repeat per year; default: the budget lines)",
    )(command)


@contextlib.contextmanager
def _solver_quiet(session: Session) -> Iterator[None]:
    """HiGHS may print a line of its own to the process's standard output in the middle of
    a long solve; keep it out of what the command prints (JSON must stay JSON)."""
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else -1
    except (OSError, ValueError):
        fd = -1
    if fd < 0:
        yield
        return
    session.out.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


@verbs()
def portfolio() -> None:
    """Rank proposals, choose the best set within the budget, draw the efficient frontier."""


@portfolio.command("rank")
@_statuses("all")
@format_option("table", "json", "csv")
@pass_session
def rank(session: Session, statuses: tuple[str, ...], fmt: str) -> None:
    """Proposals by value (the reviewers' mean scores weighted by the criteria), with the
    spread of their scores."""
    rows = analysis.ranking(statuses)
    emit(session, fmt, rows, RANK.cli)


@portfolio.command("select")
@_limits
@_statuses(", ".join(DEFAULT_STATUSES))
@format_option("table", "json", "csv")
@pass_session
def select(
    session: Session,
    budget: tuple[str, ...],
    people: tuple[str, ...],
    statuses: tuple[str, ...],
    fmt: str,
) -> None:
    """The set of proposals of most value within the budget and people, and how robust
    it is to the criteria's weights.

    Within the budget of each fiscal year and the people of each role in each month,
    honouring dependencies and mandatory proposals; then how far each criterion's weight
    can move before the set changes."""
    with _solver_quiet(session):
        facts = analysis.select_portfolio(session.ctx, budget, people, statuses or None)
    if fmt == "json":
        write_json(facts, session.out)
        return
    if fmt == "csv":
        emit(session, fmt, facts["chosen"], CHOSEN.cli)
        return
    session.print(_selection_text(facts))


def _selection_text(facts: analysis.SelectionFacts) -> str:
    """The selection as a report: the set, the years, the people, the robustness."""
    chosen = facts["chosen"]
    lines = [
        f"{len(chosen)} of {facts['candidates']} proposals chosen, total value {facts['value']}"
        f" ({facts['solver']}: {facts['status']})",
        "",
        declared_table(CHOSEN.cli, chosen) if chosen else "(none chosen)",
        "",
        declared_table(YEARS.cli, facts["years"]) if facts["years"] else "(no costs)",
    ]
    if facts["people"]:
        lines += ["", declared_table(PEOPLE.cli, facts["people"])]
    for code, why in facts["blocked"].items():
        lines.append(f"cannot be chosen: {code} {why}")
    if facts["approved"]:
        lines.append(
            "approved, so chosen as commitments (like mandatory ones): "
            + ", ".join(facts["approved"])
        )
    lines += ["", *_robustness_text(facts["robustness"])]
    return "\n".join(lines)


def _robustness_text(found: analysis.RobustnessFacts) -> list[str]:
    span = int(Decimal(found["span"]) * 100)
    lines = [
        "robustness: each criterion's weight moved alone, the others rescaled to sum 1;"
        f" in, out and on the line across weights up to {span} % either way"
    ]
    if not found["criteria"]:
        return [*lines, "(no criteria: every value is 0)"]
    change, unknown = smallest_change(found), unestablished(found)
    lines += [said for said in (change, unknown) if said]
    lines.append(declared_table(SHIFTS.cli, found["criteria"]))
    if found["classified"]:
        lines += [
            f"always in: {', '.join(found['always_in']) or '-'}",
            f"never in: {', '.join(found['never_in']) or '-'}",
            f"on the line: {', '.join(found['on_the_line']) or '-'}",
        ]
    else:
        lines.append(UNCLASSIFIED)
    lines.append(
        f"({found['solves']} re-solves"
        + ("" if found["proven"] else "; some not proven optimal in the time")
        + ("" if found["complete"] else "; not every criterion searched in the time")
        + ")"
    )
    return lines


@portfolio.command("frontier")
@_limits
@_statuses(", ".join(DEFAULT_STATUSES))
@click.option("--steps", type=a_number("steps", 1, 100), default=10, show_default=True)
@format_option("table", "json", "csv")
@pass_session
def frontier(
    session: Session,
    budget: tuple[str, ...],
    people: tuple[str, ...],
    statuses: tuple[str, ...],
    steps: int,
    fmt: str,
) -> None:
    """The best value at each level of the budget (its shape across years kept), drawn."""
    with _solver_quiet(session):
        points = analysis.portfolio_frontier(session.ctx, budget, people, statuses or None, steps)
    if fmt == "csv":  # one cell each: "2027=700000.00 2028=350000.00", "P-01 P-03"
        flat = [
            {
                **p,
                "budgets": " ".join(f"{y}={a}" for y, a in p["budgets"].items()),
                "codes": " ".join(p["codes"]),
            }
            for p in points
        ]
        emit(session, fmt, flat, FRONTIER_CSV)
        return
    if fmt != "table":
        emit(session, fmt, points, FRONTIER_CSV)
        return
    drawn = [(Decimal(p["budget"]), Decimal(p["value"]), p["given"]) for p in points]
    session.print(frontier_chart(drawn))
    session.print()
    session.print(declared_table(FRONTIER.cli, points))
    of = "the budget given" if any(p["given"] for p in points) else "every candidate's cost"
    session.print(f"share of budget: the point's budget as a share of {of} (1 = all of it)")
