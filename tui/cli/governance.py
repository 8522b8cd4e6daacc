"""``docket risk|issue|decision|change ...``: the RAID log and change control from the
command line.

Each command calls the modules of :mod:`docket.models.governance` (risks, issues,
decisions, changes) and prints the result; no rule lives here. Budgets, costs and metrics
are in :mod:`docket.tui.cli.budgets`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from docket.exports.tabular.lists.governance import (
    CHANGES,
    DECISIONS,
    ISSUES,
    RISK_HISTORY,
    RISKS,
)
from docket.models.core import inputs
from docket.models.core.errors import ValidationError
from docket.models.governance import risks
from docket.models.governance.changes import add_change, change_facts, decide_change, list_changes
from docket.models.governance.decisions import (
    add_decision,
    decision_facts,
    list_decisions,
    update_decision,
)
from docket.models.governance.entries import on_behalf
from docket.models.governance.issues import add_issue, issue_facts, list_issues, update_issue
from docket.models.governance.risks import (
    RISK_TEXT,
    add_risk,
    list_risks,
    risk_facts,
    score,
    score_history,
    update_risk,
)
from docket.tui.cli.emit import emit, emit_csv, emit_listing
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import (
    a_number,
    an_id,
    as_of_option,
    edits,
    format_option,
    program_and_status,
)
from docket.tui.cli.session import Session, pass_session

F = TypeVar("F", bound=Callable[..., Any])

RISK_FIELDS = ("title", "probability", "impact", "owner", "response_date", "status", *RISK_TEXT)
ISSUE_FIELDS = ("title", "severity", "owner", "due", "status", "description", "link_action")


def _text_options(names: Sequence[str], default: str | None) -> Callable[[F], F]:
    """``--NAME`` for each of ``names`` (the risk's free-text fields: the domain lists them)."""

    def add(command: F) -> F:
        for name in reversed(names):
            command = click.option(f"--{name}", default=default)(command)
        return command

    return add


@verbs()
def risk() -> None:
    """Risks: probability x impact, owner, mitigation, history."""


@risk.command("add")
@click.argument("title")
@click.option("--program", required=True, metavar="CODE")
@click.option("--probability", required=True, metavar="1-5")
@click.option("--impact", required=True, metavar="1-5")
@click.option("--owner", metavar="WHO")
@click.option("--response-date", metavar="WHEN")
@_text_options(RISK_TEXT, default="")
@pass_session
def add_a_risk(
    session: Session,
    title: str,
    program: str,
    probability: str,
    impact: str,
    owner: str | None,
    response_date: str | None,
    **text: str,
) -> None:
    """Add a risk (prints its id)."""
    details = {name: value for name, value in text.items() if value}
    made = add_risk(
        session.ctx, title, program=program, probability=probability, impact=impact,
        owner=owner, response_date=response_date, **details,
    )  # fmt: skip
    session.print(str(made.id))


@risk.command("list")
@program_and_status
@click.option("--min-score", type=a_number("min score", 1, 25), metavar="N")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_the_risks(
    session: Session, program: str | None, status: str | None, min_score: int | None, fmt: str
) -> None:
    """Risks, highest score first."""
    found = list_risks(program, status, min_score)
    if fmt == "csv":
        emit_csv(session, "risks", found)
        return
    rows = [risk_facts(r) for r in found]
    emit_listing(session, fmt, rows, RISKS)


@risk.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--title")
@click.option("--probability")
@click.option("--impact")
@click.option("--owner")
@click.option("--response-date")
@click.option("--status")
@_text_options(RISK_TEXT, default=None)
@pass_session
def edit_risk(session: Session, item: int, **fields: str | None) -> None:
    """Change a risk (a new probability or impact is a new scoring)."""
    changes = edits(fields, RISK_FIELDS)
    changed = update_risk(session.ctx, item, **changes)
    scored = score(changed.probability, changed.impact)
    session.print(f"risk {changed.id}: score {scored}, {changed.status}")


@risk.command("occurred")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--severity", default="high", show_default=True)
@click.option("--due", metavar="WHEN")
@pass_session
def occurred(session: Session, item: int, severity: str, due: str | None) -> None:
    """The risk happened: it becomes an issue."""
    issue_made = risks.risk_occurred(session.ctx, item, severity=severity, due=due)
    session.print(f"risk {item} occurred: issue {issue_made.id}")


@risk.command("history")
@click.argument("item", metavar="ID", type=an_id("id"))
@format_option("table", "json", "csv")
@pass_session
def history(session: Session, item: int, fmt: str) -> None:
    """A risk's scorings over time."""
    rows = score_history(item)
    emit(session, fmt, rows, RISK_HISTORY.cli)


@risk.command("matrix")
@click.option("--program", metavar="CODE")
@as_of_option
@pass_session
def matrix(session: Session, program: str | None) -> None:
    """Open risks by impact and probability (5x5)."""
    cells = risks.risk_matrix(program)
    session.print("impact   probability →")
    session.print("         " + "".join(f"{p:>5}" for p in range(1, 6)))
    for row, impact in zip(cells, range(5, 0, -1), strict=True):
        session.print(f"{impact:>6}   " + "".join(f"{n or '.':>5}" for n in row))


@verbs()
def issue() -> None:
    """Issues: what has gone wrong and who is on it."""


@issue.command("add")
@click.argument("title")
@click.option("--program", required=True, metavar="CODE")
@click.option("--severity", default="medium", show_default=True, help="low, medium, high, critical")
@click.option("--owner", metavar="WHO")
@click.option("--due", metavar="WHEN")
@click.option("--description", default="")
@pass_session
def add_an_issue(
    session: Session,
    title: str,
    program: str,
    severity: str,
    owner: str | None,
    due: str | None,
    description: str,
) -> None:
    """Add an issue (prints its id)."""
    made = add_issue(
        session.ctx, title, program=program, severity=severity, owner=owner, due=due,
        description=description,
    )  # fmt: skip
    session.print(str(made.id))


@issue.command("list")
@program_and_status
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_the_issues(session: Session, program: str | None, status: str | None, fmt: str) -> None:
    """Issues, most severe first."""
    rows = [issue_facts(i) for i in list_issues(program, status)]
    emit_listing(session, fmt, rows, ISSUES)


@issue.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--title")
@click.option("--severity")
@click.option("--owner")
@click.option("--due")
@click.option("--status")
@click.option("--description")
@click.option("--link-action")
@pass_session
def edit_issue(session: Session, item: int, **fields: str | None) -> None:
    """Change an issue; --link-action ID links an action item."""
    update_issue(session.ctx, item, **edits(fields, ISSUE_FIELDS))
    session.print(f"issue {item} changed")


@verbs()
def decision() -> None:
    """Decisions: what was decided, why, by whom, when."""


@decision.command("add")
@click.argument("title")
@click.option("--program", required=True, metavar="CODE")
@click.option("--rationale", default="")
@click.option("--by", metavar="WHO")
@click.option("--on", metavar="WHEN", help="default today")
@click.option("--affects", multiple=True, metavar="KIND:ID", help="milestone:12")
@pass_session
def add_a_decision(
    session: Session,
    title: str,
    program: str,
    rationale: str,
    by: str | None,
    on: str | None,
    affects: tuple[str, ...],
) -> None:
    """Record a decision (prints its id)."""
    records = []
    for typed in affects:
        kind, _, ident = typed.partition(":")
        if not ident.isdigit():
            raise ValidationError(
                "affects", f"expected KIND:ID such as milestone:12, got {typed!r}"
            )
        records.append((kind, inputs.record_id("affects", ident)))
    made = add_decision(
        session.ctx, title, program=program, rationale=rationale, decided_by=by, decided_on=on,
        affects=records,
    )  # fmt: skip
    session.print(str(made.id))


@decision.command("list")
@click.option("--program", metavar="CODE")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_the_decisions(session: Session, program: str | None, fmt: str) -> None:
    """Decisions, newest first."""
    # the table's "by" column says who decided, and who entered it for them
    rows = [decision_facts(d) for d in list_decisions(program)]
    emit_listing(session, fmt, rows, DECISIONS)


@decision.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--title")
@click.option("--rationale")
@click.option("--by", metavar="WHO", help="who decided ('' for nobody named)")
@click.option("--on", metavar="WHEN")
@pass_session
def edit_decision(session: Session, item: int, **fields: str | None) -> None:
    """Change a decision (--by someone else records who entered it)."""
    changes = edits(fields, ("title", "rationale", "by", "on"))
    renamed = {"by": "decided_by", "on": "decided_on"}
    made = update_decision(session.ctx, item, **{renamed.get(k, k): v for k, v in changes.items()})
    facts = decision_facts(made)
    by = on_behalf(facts["decided_by"], facts["entered_by"])
    session.print(f"decision {made.id} changed" + (f": by {by}" if by else ""))


@verbs()
def change() -> None:
    """Change requests: scope, schedule, cost, resources."""


@change.command("add")
@click.argument("title")
@click.option("--program", required=True, metavar="CODE")
@click.option("--kind", required=True, help="scope, schedule, cost or resources")
@click.option("--reason", default="")
@click.option("--impact-days", metavar="N")
@click.option("--impact-amount", metavar="AMOUNT")
@click.option("--requested-by", metavar="WHO")
@click.option(
    "--milestone", type=an_id("milestone"), metavar="ID", help="the milestone it re-baselines"
)
@pass_session
def add_a_change(
    session: Session,
    title: str,
    program: str,
    kind: str,
    reason: str,
    impact_days: str | None,
    impact_amount: str | None,
    requested_by: str | None,
    milestone: int | None,
) -> None:
    """Propose a change (prints its id)."""
    made = add_change(
        session.ctx, title, program=program, kind=kind, reason=reason, impact_days=impact_days,
        impact_amount=impact_amount, requested_by=requested_by, milestone=milestone,
    )  # fmt: skip
    session.print(str(made.id))


@change.command("list")
@program_and_status
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_the_changes(session: Session, program: str | None, status: str | None, fmt: str) -> None:
    """Change requests, newest first."""
    rows = [change_facts(c) for c in list_changes(program, status)]
    emit_listing(session, fmt, rows, CHANGES)


@change.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--status", required=True)
@click.option("--approver", metavar="WHO", help="default: you; someone else records you entered it")
@pass_session
def decide(session: Session, item: int, status: str, approver: str | None) -> None:
    """Decide a change: --status approved|rejected|implemented."""
    decided_change = decide_change(session.ctx, item, status, approver=approver)
    facts = change_facts(decided_change)
    by = on_behalf(facts["approver"], facts["entered_by"])
    decided = f" by {by}" if by and decided_change.status in ("approved", "rejected") else ""
    session.print(f"change {decided_change.id}: {decided_change.status}{decided}")
