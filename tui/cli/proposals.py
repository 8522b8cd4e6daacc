"""``docket proposal ...``: portfolio intake from the command line.

Each command calls :mod:`docket.models.portfolio.proposals` (intake, the case by fiscal
year, needs, dependencies) or :mod:`docket.models.portfolio.funding` (decisions, turning an
approved proposal into a program); the arithmetic of ``show`` is
:mod:`docket.models.portfolio.business_case`. The discount rate is the config's.
"""

from __future__ import annotations

import click

from docket.exports.tabular.lists.portfolio import (
    CASE_ROUNDING,
    CASE_YEARS,
    NEEDS,
    PROPOSALS,
    case_summary,
    plain,
)
from docket.exports.tabular.tables import write_json
from docket.models.portfolio import funding, needs, proposals
from docket.models.portfolio.business_case import FORMULA, cents
from docket.models.portfolio.proposals import ProposalFacts
from docket.tui.cli.emit import declared_table, emit
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session

FIELDS = ("title", "sponsor", "program", "mandatory", "problem", "objectives", "risks")


@verbs()
def proposal() -> None:
    """Proposals: intake, business case, needs, dependencies, decisions."""


@proposal.command("add")
@click.argument("code")
@click.argument("title")
@click.option("--sponsor", metavar="WHO")
@click.option("--program", metavar="CODE", help="the program it would belong to")
@click.option("--problem", default="")
@click.option("--objectives", default="")
@click.option("--risks", default="")
@click.option("--mandatory", is_flag=True, help="a mandate: any selection includes it")
@pass_session
def add_a_proposal(session: Session, code: str, title: str, **fields: str | bool | None) -> None:
    """Add a proposal, in draft (prints its code)."""
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    made = proposals.add_proposal(session.ctx, code, title, **given)
    session.print(made.code)


@proposal.command("edit")
@click.argument("code")
@click.option("--title")
@click.option("--sponsor", metavar="WHO", help="'' for nobody")
@click.option("--program", metavar="CODE", help="'' for none")
@click.option("--mandatory", metavar="yes|no")
@click.option("--problem")
@click.option("--objectives")
@click.option("--risks")
@pass_session
def edit_proposal(session: Session, code: str, **fields: str | None) -> None:
    """Change a proposal (not yet decided)."""
    changed = proposals.update_proposal(session.ctx, code, **edits(fields, FIELDS))
    session.print(f"proposal {changed.code} changed")


@proposal.command("list")
@click.option("--status")
@click.option("--program", metavar="CODE")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_proposals(session: Session, status: str | None, program: str | None, fmt: str) -> None:
    """Proposals by code, with their case's costs, benefits and NPV."""
    rows = proposals.proposals_facts(session.config.discount_rate, status, program)
    if fmt == "table":
        emit(session, fmt, rows, PROPOSALS.cli)
    else:
        emit(session, fmt, rows, list(ProposalFacts.__annotations__))


@proposal.command("show")
@click.argument("code")
@format_option("table", "json")
@as_of_option
@pass_session
def show(session: Session, code: str, fmt: str) -> None:
    """A proposal, its business case year by year with the formula, its figures."""
    detail = needs.proposal_detail(code, session.config.discount_rate)
    if fmt == "json":
        write_json(plain(detail), session.out)
        return
    p = detail["proposal"]
    say = session.print
    say(f"{p['code']}  {p['title']}")
    say(f"status: {p['status']}" + (f" ({p['reason']})" if p["reason"] else ""))
    for label, value in (
        ("program", p["program"]), ("sponsor", p["sponsor"]),
        ("mandatory", "yes" if p["mandatory"] else None), ("decision", p["decision"]),
        ("became program", p["became"]), ("problem", detail["problem"]),
        ("objectives", detail["objectives"]), ("risks", detail["risks"]),
        ("depends on", ", ".join(detail["depends_on"])),
        ("needed by", ", ".join(detail["needed_by"])),
    ):  # fmt: skip
        if value:
            say(f"{label}: {value}")
    case = detail["case"]
    say()
    say("business case")
    if not case["years"]:
        say("(no fiscal years yet: docket proposal year CODE FY --capital ... --savings ...)")
    else:
        say(f"r = {case['rate']}")
        for line in FORMULA:
            say(f"  {line}")
        say(declared_table(list(CASE_YEARS.cli), plain(case["years"])))
        for line in CASE_ROUNDING:
            say(line)
        for label, value in case_summary(case):
            say(f"{label}: {value}")
    if detail["needs"]:
        say()
        say("people needed")
        emit(session, "table", needs.need_runs(detail["needs"]), NEEDS.cli)


def _mover(name: str, status: str, about: str) -> None:
    """Declare ``proposal NAME CODE [--reason]``, which moves the proposal to ``status``
    (the model checks the move is allowed from where it stands)."""

    @proposal.command(name, help=about)
    @click.argument("code")
    @click.option("--reason", default="")
    @pass_session
    def move(session: Session, code: str, reason: str) -> None:
        moved = proposals.move(session.ctx, code, status, reason)
        session.print(f"proposal {moved.code}: {moved.status}")


_mover("submit", "submitted", "Submit a draft (or a deferred proposal, again).")
_mover("review", "in review", "Take a submitted proposal into review.")
_mover("withdraw", "draft", "Take a submitted proposal back to draft.")


@proposal.command("decide")
@click.argument("code")
@click.argument("outcome", metavar="approved|deferred|rejected")
@click.option("--reason", required=True)
@click.option("--analysis", help="the analysis used (default: the ranking by value now)")
@click.option("--by", metavar="WHO", help="who decided (default: you; someone else records you "
              "as having entered it)")  # fmt: skip
@pass_session
def decide(
    session: Session, code: str, outcome: str, reason: str, analysis: str | None, by: str | None
) -> None:
    """Decide on a proposal in review; recorded as a decision in its program."""
    decided = funding.decide(session.ctx, code, outcome, reason, analysis, by)
    session.print(
        f"proposal {decided.code}: {decided.status} (decision {decided.__data__['decision']})"
    )


@proposal.command("year")
@click.argument("code")
@click.argument("fiscal_year", metavar="FY")
@click.option("--capital", metavar="AMOUNT")
@click.option("--operating", metavar="AMOUNT")
@click.option("--savings", metavar="AMOUNT", help="hard savings")
@click.option("--avoidance", metavar="AMOUNT", help="cost avoidance")
@click.option("--remove", is_flag=True, help="take the year out of the case")
@pass_session
def year(
    session: Session, code: str, fiscal_year: str, remove: bool, **amounts: str | None
) -> None:
    """Set a fiscal year of the business case (amounts left out keep their value)."""
    if remove:
        proposals.remove_year(session.ctx, code, fiscal_year)
        session.print(f"proposal {code.upper()}: FY{fiscal_year} removed")
        return
    edits(amounts, ("capital", "operating", "savings", "avoidance"))
    row = proposals.set_year(session.ctx, code, fiscal_year, **amounts)
    session.print(
        f"proposal {code.upper()} FY{row.fiscal_year}: capital {cents(row.capital)}, operating "
        f"{cents(row.operating)}, savings {cents(row.hard_savings)}, avoidance "
        f"{cents(row.cost_avoidance)}"
    )


@proposal.command("need")
@click.argument("code")
@click.argument("role")
@click.argument("month", metavar="MONTH|FIRST..LAST")
@click.argument("people")
@click.option("--new-role", is_flag=True, help="ROLE is a role no proposal needs yet")
@pass_session
def need(session: Session, code: str, role: str, month: str, people: str, new_role: bool) -> None:
    """People of a role needed in a month or run of months (0 takes it away)."""
    stored, count = needs.set_need(session.ctx, code, role, month, people, new_role)
    session.print(f"proposal {code.upper()}: {stored} {people} in {count} month(s)")


@proposal.command("depends")
@click.argument("code")
@click.option("--on", "on", required=True, metavar="OTHER")
@click.option("--remove", is_flag=True, help="no longer depends on it")
@pass_session
def depends(session: Session, code: str, on: str, remove: bool) -> None:
    """CODE can be funded only with OTHER funded too (a loop is refused)."""
    if remove:
        needs.remove_dependency(session.ctx, code, on)
        session.print(f"proposal {code.upper()} no longer depends on {on.upper()}")
        return
    made = needs.add_dependency(session.ctx, code, on)
    session.print(f"proposal {made.proposal.code} depends on {made.needs.code}")


@proposal.command("to-program")
@click.argument("code")
@click.argument("new_code", metavar="NEWCODE")
@click.option("--name", help="default: the proposal's title")
@pass_session
def to_program(session: Session, code: str, new_code: str, name: str | None) -> None:
    """Turn an approved proposal into a program, its budget lines and a milestone per fiscal
    year from the case (no assignments: the case names roles, not people)."""
    drafted = funding.draft_program(session.ctx, code, new_code, name)
    session.print(
        f"program {drafted.program.code} made from proposal {code.upper()} with "
        f"{drafted.budget_lines} budget line(s) and {len(drafted.milestones)} milestone(s)"
    )
    for m in drafted.milestones:
        session.print(f"  milestone #{m.id} {m.baseline.isoformat()}  {m.title}")
    session.print(funding.NO_ASSIGNMENTS)
