"""``docket score ...``: a reviewer's scores of proposals, under their own account.

There is no option to name a reviewer: the reviewer is the account running the command
(:mod:`docket.models.portfolio.scoring`), so nobody scores for someone else.
"""

from __future__ import annotations

import click

from docket.exports.tabular.columns import keys
from docket.exports.tabular.lists.portfolio import SCORES
from docket.models.portfolio import scoring
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import an_id, as_of_option, format_option
from docket.tui.cli.session import Session, pass_session


@verbs()
def score() -> None:
    """Your scores of proposals on the criteria (0 to 10)."""


@score.command("proposal")
@click.argument("code")
@click.argument("criterion")
@click.argument("value", metavar="SCORE")
@click.option("--comment", help="why (left out: keeps your earlier comment)")
@pass_session
def score_a_proposal(
    session: Session, code: str, criterion: str, value: str, comment: str | None
) -> None:
    """Score a proposal on a criterion, 0 to 10, as yourself."""
    made = scoring.score_proposal(session.ctx, code, criterion, value, comment)
    session.print(f"{made.proposal.code} / {made.criterion.name}: {made.score} by {made.reviewer}")


@score.command("withdraw")
@click.argument("item", metavar="ID", type=an_id("id"))
@pass_session
def withdraw(session: Session, item: int) -> None:
    """Take back one of your scores."""
    scoring.withdraw_score(session.ctx, item)
    session.print(f"score {item} withdrawn")


@score.command("list")
@click.option("--mine", is_flag=True, help="only your scores")
@click.option("--proposal", metavar="CODE")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_scores(session: Session, mine: bool, proposal: str | None, fmt: str) -> None:
    """Scores by proposal, criterion and reviewer."""
    rows = scoring.list_scores(session.ctx.actor if mine else None, proposal)
    if fmt == "table":
        emit(session, fmt, rows, SCORES.cli)
    else:
        emit(session, fmt, rows, list(rows[0]) if rows else keys(SCORES.cli))
