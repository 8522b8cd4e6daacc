"""``docket criteria ...``: the office's criteria for proposals, weighted directly or by
pairwise comparison (the analytic hierarchy process, in
:mod:`docket.models.portfolio.criteria`)."""

from __future__ import annotations

import click

from docket.exports.tabular.columns import keys
from docket.exports.tabular.lists.portfolio import CRITERIA, plain
from docket.exports.tabular.tables import write_json
from docket.models.portfolio import criteria as domain
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import verbs
from docket.tui.cli.output import table
from docket.tui.cli.params import as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session


@verbs()
def criteria() -> None:
    """Criteria proposals are scored on, and their weights."""


@criteria.command("add")
@click.argument("name")
@click.option("--description", default="")
@click.option("--weight", default="0", show_default=True, metavar="NUMBER")
@pass_session
def add_a_criterion(session: Session, name: str, description: str, weight: str) -> None:
    """Add a criterion."""
    made = domain.add_criterion(session.ctx, name, description, weight)
    session.print(f"criterion {made.name} added")


@criteria.command("edit")
@click.argument("name")
@click.option("--name", "new_name", help="a new name")
@click.option("--description")
@pass_session
def edit_criterion(
    session: Session, name: str, new_name: str | None, description: str | None
) -> None:
    """Rename a criterion or change its description."""
    changes = edits({"name": new_name, "description": description}, ("name", "description"))
    made = domain.update_criterion(session.ctx, name, **changes)
    session.print(f"criterion {made.name} changed")


@criteria.command("retire")
@click.argument("name")
@click.option("--undo", is_flag=True, help="bring a retired criterion back")
@pass_session
def retire(session: Session, name: str, undo: bool) -> None:
    """Retire a criterion: it weighs nothing and takes no scores (its scores are kept)."""
    made = domain.update_criterion(session.ctx, name, active="yes" if undo else "no")
    session.print(f"criterion {made.name} {'active' if made.active else 'retired'}")


@criteria.command("list")
@click.option("--all", "everything", is_flag=True, help="retired ones too")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_criteria(session: Session, everything: bool, fmt: str) -> None:
    """Criteria by name: weight as entered, share in use (weights normalised)."""
    rows = domain.criteria_facts(include_retired=everything)
    if fmt == "table":
        emit(session, fmt, rows, CRITERIA.cli)
    else:
        emit(session, fmt, rows, list(rows[0]) if rows else keys(CRITERIA.cli))


@criteria.command("weight")
@click.argument("name")
@click.argument("weight", metavar="NUMBER")
@pass_session
def weight(session: Session, name: str, weight: str) -> None:
    """Set a criterion's weight directly (weights in use are normalised to sum to 1)."""
    made = domain.update_criterion(session.ctx, name, weight=weight)
    session.print(f"criterion {made.name}: weight {made.weight}")


@criteria.command("compare")
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@click.argument("ratio", metavar="RATIO")
@pass_session
def compare(session: Session, first: str, second: str, ratio: str) -> None:
    """A is RATIO times as important as B (1/9 to 9, Saaty's scale)."""
    row = domain.compare(session.ctx, first, second, ratio)
    made = domain.comparison_weights()
    done = len(made["criteria"]) * (len(made["criteria"]) - 1) // 2 - len(made["missing"])
    session.print(f"recorded: {domain.comparison_said(row)}")
    session.print(f"compared; {done} of {done + len(made['missing'])} pairs compared")
    if made["consistent"] is False:
        session.print(f"warning: CR is now {made['cr']}, over 0.10")
        _revise(session, made)


@criteria.command("weights")
@format_option("table", "json")
@pass_session
def weights(session: Session, fmt: str) -> None:
    """The comparison matrix and the AHP weights, lambda_max, CI and CR."""
    facts = domain.comparison_weights()
    if fmt == "json":
        write_json(plain(facts), session.out)
        return
    names = facts["criteria"]
    if names:
        # the criteria numbered, so the matrix fits: row i, column j is how much i outweighs j
        numbers = [str(i) for i in range(1, len(names) + 1)]
        rows = [
            [f"{i} {n}", *row] for i, n, row in zip(numbers, names, facts["matrix"], strict=True)
        ]
        session.print(table(["criterion", *numbers], rows))
    for a, b in facts["missing"]:
        session.print(f"not compared: {a} / {b}")
    if facts["weights"]:
        in_use = facts["in_use"]
        session.print(
            table(
                ["criterion", "derived", "in use"],
                [[n, str(w), str(in_use.get(n, ""))] for n, w in facts["weights"].items()],
            )
        )
        lam, ci, ri, cr = facts["lambda_max"], facts["ci"], facts["ri"], facts["cr"]
        session.print(f"lambda_max {lam}  CI {ci}  RI {ri}  CR {cr}")
    session.print(facts["verdict"])
    _revise(session, facts)
    if facts["in_use_derived"]:
        session.print("in use: the derived weights")
    elif facts["in_use_derived"] is False:
        session.print(
            "in use: the 'in use' column (not the derived ones: run "
            "`docket criteria apply-comparisons`)"
        )
    elif facts["in_use"]:
        shown = ", ".join(f"{n} {w}" for n, w in facts["in_use"].items())
        session.print(f"in use: {shown} (the criteria's own weights; none derived yet)")


def _revise(session: Session, facts: domain.AhpFacts) -> None:
    """Name the comparisons most at odds with the derived weights, to revise first."""
    if facts["to_revise"]:
        session.print("most inconsistent, to revise first:")
    for r in facts["to_revise"]:
        session.print(
            f"  {r['first']} / {r['second']}: entered {r['entered']}, the weights imply "
            f"{r['implied']} (off x{r['off']})"
        )


@criteria.command("apply-comparisons")
@click.option("--even-if-inconsistent", is_flag=True, help="apply although CR is over 0.10")
@pass_session
def apply_comparisons(session: Session, even_if_inconsistent: bool) -> None:
    """Store the AHP weights as the criteria's weights (audited)."""
    facts = domain.apply_comparisons(session.ctx, even_if_inconsistent=even_if_inconsistent)
    shown = ", ".join(f"{n} {w}" for n, w in facts["weights"].items())
    session.print(f"weights applied: {shown} (CR {facts['cr']})")
