"""``docket risk|issue|decision|change|budget|metric ...``: the RAID log, change control,
budgets and program metrics from the command line.

Handlers call :mod:`docket.models.governance.raid` and
:mod:`docket.models.governance.budget` and print the result; no rule lives here.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from docket.models.core import inputs
from docket.models.core.errors import ValidationError
from docket.models.governance import budget
from docket.models.governance import raid as governance
from docket.tui.cli.commands import _emit, _emit_csv
from docket.tui.cli.main import a_number, add_format, an_id, edits, verbs

if TYPE_CHECKING:
    from docket.tui.cli.main import Session


def _listing(group: Any, handler: Any, help_text: str, *, statuses: bool = True) -> Any:
    p = group.add_parser("list", help=help_text)
    p.add_argument("--program", metavar="CODE")
    if statuses:
        p.add_argument("--status")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=handler)
    return p


def register(sub: Any) -> None:
    """Add the governance commands."""
    group = verbs(sub, "risk", "risks: probability x impact, owner, mitigation, history")
    p = group.add_parser("add", help="add a risk (prints its id)")
    p.add_argument("title")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument("--probability", required=True, metavar="1-5")
    p.add_argument("--impact", required=True, metavar="1-5")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--response-date", metavar="WHEN")
    for name in governance.RISK_TEXT:
        p.add_argument(f"--{name}", default="")
    p.set_defaults(handler=risk_add)
    p = _listing(group, risk_list, "risks, highest score first")
    p.add_argument("--min-score", type=a_number("min score", 1, 25), metavar="N")
    p = group.add_parser(
        "edit", help="change a risk (a new probability or impact is a new scoring)"
    )
    p.add_argument("id", type=an_id("id"))
    for name in (
        "title",
        "probability",
        "impact",
        "owner",
        "response-date",
        "status",
        *governance.RISK_TEXT,
    ):
        p.add_argument(f"--{name}")
    p.set_defaults(handler=risk_edit)
    p = group.add_parser("occurred", help="the risk happened: it becomes an issue")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--severity", default="high")
    p.add_argument("--due", metavar="WHEN")
    p.set_defaults(handler=risk_occurred)
    p = group.add_parser("history", help="a risk's scorings over time")
    p.add_argument("id", type=an_id("id"))
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=risk_history)
    p = group.add_parser("matrix", help="open risks by impact and probability (5x5)")
    p.add_argument("--program", metavar="CODE")
    p.set_defaults(handler=risk_matrix)

    group = verbs(sub, "issue", "issues: what has gone wrong and who is on it")
    p = group.add_parser("add", help="add an issue (prints its id)")
    p.add_argument("title")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument("--severity", default="medium", help="low, medium, high, critical")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--due", metavar="WHEN")
    p.add_argument("--description", default="")
    p.set_defaults(handler=issue_add)
    _listing(group, issue_list, "issues, most severe first")
    p = group.add_parser("edit", help="change an issue; --link-action ID links an action item")
    p.add_argument("id", type=an_id("id"))
    for name in ("title", "severity", "owner", "due", "status", "description", "link-action"):
        p.add_argument(f"--{name}")
    p.set_defaults(handler=issue_edit)

    group = verbs(sub, "decision", "decisions: what was decided, why, by whom, when")
    p = group.add_parser("add", help="record a decision (prints its id)")
    p.add_argument("title")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument("--rationale", default="")
    p.add_argument("--by", metavar="WHO")
    p.add_argument("--on", metavar="WHEN", help="default today")
    p.add_argument("--affects", action="append", default=[], metavar="KIND:ID", help="milestone:12")
    p.set_defaults(handler=decision_add)
    _listing(group, decision_list, "decisions, newest first", statuses=False)
    p = group.add_parser(
        "edit", help="change a decision (--by someone else records who entered it)"
    )
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--title")
    p.add_argument("--rationale")
    p.add_argument("--by", metavar="WHO", help="who decided ('' for nobody named)")
    p.add_argument("--on", metavar="WHEN")
    p.set_defaults(handler=decision_edit)

    group = verbs(sub, "change", "change requests: scope, schedule, cost, resources")
    p = group.add_parser("add", help="propose a change (prints its id)")
    p.add_argument("title")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument("--kind", required=True, help="scope, schedule, cost or resources")
    p.add_argument("--reason", default="")
    p.add_argument("--impact-days", metavar="N")
    p.add_argument("--impact-amount", metavar="AMOUNT")
    p.add_argument("--requested-by", metavar="WHO")
    p.add_argument(
        "--milestone", type=an_id("milestone"), metavar="ID", help="the milestone it re-baselines"
    )
    p.set_defaults(handler=change_add)
    _listing(group, change_list, "change requests, newest first")
    p = group.add_parser("edit", help="decide a change: --status approved|rejected|implemented")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--status", required=True)
    p.add_argument(
        "--approver", metavar="WHO", help="default: you; someone else records you entered it"
    )
    p.set_defaults(handler=change_edit)

    group = verbs(sub, "budget", "budgets by program and fiscal year; actuals and variance")
    p = group.add_parser("add", help="add a budget line (prints its id)")
    p.add_argument("name")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument(
        "--year",
        required=True,
        type=a_number("year", 1900, 9999),
        help="fiscal year (FY2027: Jul 2026-Jun 2027)",
    )
    p.add_argument("--kind", required=True, help="capital or operating")
    p.add_argument("--amount", required=True)
    p.add_argument("--estimate", metavar="AMOUNT", help="estimate at completion, if known")
    p.set_defaults(handler=budget_add)
    p = group.add_parser("list", help="budget, actuals, estimate at completion, variance")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--year", type=a_number("year", 1900, 9999), help="default: this fiscal year")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=budget_list)
    p = group.add_parser("lines", help="budget lines with their ids (to edit them)")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--year", type=a_number("year", 1900, 9999))
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=budget_lines)
    p = group.add_parser("edit", help="change a budget line (--estimate '' clears it)")
    p.add_argument("id", type=an_id("id"))
    for name in ("name", "kind", "year", "amount", "estimate", "program"):
        p.add_argument(f"--{name}")
    p.set_defaults(handler=budget_edit)

    group = verbs(sub, "cost", "costs that are not contract expenditures (they count as actuals)")
    p = group.add_parser("add", help="record a cost (prints its id)")
    p.add_argument("amount")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument("--date", metavar="WHEN", help="default today")
    p.add_argument("--description", default="")
    p.set_defaults(handler=cost_add)
    p = group.add_parser("list", help="costs, newest first")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--year", type=a_number("year", 1900, 9999), help="a fiscal year")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=cost_list)
    p = group.add_parser("edit", help="change a cost")
    p.add_argument("id", type=an_id("id"))
    for name in ("amount", "date", "description", "program"):
        p.add_argument(f"--{name}")
    p.set_defaults(handler=cost_edit)

    group = verbs(sub, "metric", "program metrics against their targets")
    p = group.add_parser("add", help="add a metric (prints its id)")
    p.add_argument("name")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--direction", required=True, help="higher or lower (is better)")
    p.add_argument("--target", required=True)
    p.add_argument("--amber", required=True)
    p.add_argument("--red", required=True)
    p.add_argument("--unit", default="")
    p.add_argument("--cadence", default="")
    p.set_defaults(handler=metric_add)
    p = group.add_parser("record", help="record a measurement")
    p.add_argument("metric", help="its name or id")
    p.add_argument("value")
    p.add_argument("--program", metavar="CODE", help="the program whose metric it is")
    p.add_argument("--on", metavar="WHEN")
    p.add_argument("--note", default="")
    p.set_defaults(handler=metric_record)
    p = group.add_parser("list", help="metrics with their latest value and status")
    p.add_argument("--program", metavar="CODE")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=metric_list)
    p = group.add_parser("edit", help="change a metric: thresholds, direction, target, ...")
    p.add_argument("metric", help="its name or id")
    p.add_argument("--program", metavar="CODE", help="the program whose metric it is")
    for name in budget.METRIC_FIELDS:
        p.add_argument(f"--{name}")
    p.set_defaults(handler=metric_edit)


def _print_id(session: Session, made: Any) -> int:
    session.print(str(made.id))
    return 0


def _rows(
    session: Session, fmt: str, rows: list[dict[str, Any]], columns: list[str], flexible: int
) -> int:
    if fmt != "table":
        return _emit(session, fmt, rows, list(rows[0]) if rows else columns)
    return _emit(session, "table", rows, columns, flexible=flexible)


def risk_add(session: Session, args: argparse.Namespace) -> int:
    details = {n: getattr(args, n) for n in governance.RISK_TEXT if getattr(args, n)}
    made = governance.add_risk(
        session.ctx, args.title, program=args.program, probability=args.probability,
        impact=args.impact, owner=args.owner, response_date=args.response_date, **details,
    )  # fmt: skip
    return _print_id(session, made)


def risk_list(session: Session, args: argparse.Namespace) -> int:
    found = governance.list_risks(args.program, args.status, args.min_score)
    if args.format == "csv":
        return _emit_csv(session, "risks", found)
    rows = [governance.risk_facts(r) for r in found]
    columns = ["id", "program", "score", "probability", "impact", "status", "owner", "title"]
    return _rows(session, args.format, rows, columns, 7)


def risk_edit(session: Session, args: argparse.Namespace) -> int:
    names = (
        "title",
        "probability",
        "impact",
        "owner",
        "response_date",
        "status",
        *governance.RISK_TEXT,
    )
    changes = edits(args, names)
    risk = governance.update_risk(session.ctx, args.id, **changes)
    session.print(
        f"risk {risk.id}: score {governance.score(risk.probability, risk.impact)}, {risk.status}"
    )
    return 0


def risk_occurred(session: Session, args: argparse.Namespace) -> int:
    issue = governance.risk_occurred(session.ctx, args.id, severity=args.severity, due=args.due)
    session.print(f"risk {args.id} occurred: issue {issue.id}")
    return 0


def risk_history(session: Session, args: argparse.Namespace) -> int:
    rows = governance.score_history(args.id)
    return _emit(session, args.format, rows, ["at", "probability", "impact", "score", "by"])


def risk_matrix(session: Session, args: argparse.Namespace) -> int:
    cells = governance.risk_matrix(args.program)
    session.print("impact   probability →")
    session.print("         " + "".join(f"{p:>5}" for p in range(1, 6)))
    for row, impact in zip(cells, range(5, 0, -1), strict=True):
        session.print(f"{impact:>6}   " + "".join(f"{n or '.':>5}" for n in row))
    return 0


def issue_add(session: Session, args: argparse.Namespace) -> int:
    made = governance.add_issue(
        session.ctx, args.title, program=args.program, severity=args.severity, owner=args.owner,
        due=args.due, description=args.description,
    )  # fmt: skip
    return _print_id(session, made)


def issue_list(session: Session, args: argparse.Namespace) -> int:
    rows = [governance.issue_facts(i) for i in governance.list_issues(args.program, args.status)]
    return _rows(
        session,
        args.format,
        rows,
        ["id", "program", "severity", "status", "due", "owner", "title"],
        6,
    )


def issue_edit(session: Session, args: argparse.Namespace) -> int:
    names = ("title", "severity", "owner", "due", "status", "description", "link_action")
    changes = edits(args, names)
    governance.update_issue(session.ctx, args.id, **changes)
    session.print(f"issue {args.id} changed")
    return 0


def decision_add(session: Session, args: argparse.Namespace) -> int:
    affects = []
    for typed in args.affects:
        kind, _, ident = typed.partition(":")
        if not ident.isdigit():
            raise ValidationError(
                "affects", f"expected KIND:ID such as milestone:12, got {typed!r}"
            )
        affects.append((kind, inputs.record_id("affects", ident)))
    made = governance.add_decision(
        session.ctx, args.title, program=args.program, rationale=args.rationale,
        decided_by=args.by, decided_on=args.on, affects=affects,
    )  # fmt: skip
    return _print_id(session, made)


def decision_list(session: Session, args: argparse.Namespace) -> int:
    rows = [governance.decision_facts(d) for d in governance.list_decisions(args.program)]
    if args.format == "table":
        for row in rows:
            row["by"] = governance.on_behalf(row["decided_by"], row["entered_by"])
    return _rows(session, args.format, rows, ["id", "program", "decided_on", "by", "title"], 4)


def decision_edit(session: Session, args: argparse.Namespace) -> int:
    changes = edits(args, ("title", "rationale", "by", "on"))
    renamed = {"by": "decided_by", "on": "decided_on"}
    made = governance.update_decision(
        session.ctx, args.id, **{renamed.get(k, k): v for k, v in changes.items()}
    )
    facts = governance.decision_facts(made)
    by = governance.on_behalf(facts["decided_by"], facts["entered_by"])
    session.print(f"decision {made.id} changed" + (f": by {by}" if by else ""))
    return 0


def change_add(session: Session, args: argparse.Namespace) -> int:
    made = governance.add_change(
        session.ctx, args.title, program=args.program, kind=args.kind, reason=args.reason,
        impact_days=args.impact_days, impact_amount=args.impact_amount,
        requested_by=args.requested_by, milestone=args.milestone,
    )  # fmt: skip
    return _print_id(session, made)


def change_list(session: Session, args: argparse.Namespace) -> int:
    rows = [governance.change_facts(c) for c in governance.list_changes(args.program, args.status)]
    columns = ["id", "program", "kind", "status", "impact_days", "impact_amount", "title"]
    return _rows(session, args.format, rows, columns, 6)


def change_edit(session: Session, args: argparse.Namespace) -> int:
    change = governance.decide_change(session.ctx, args.id, args.status, approver=args.approver)
    facts = governance.change_facts(change)
    by = governance.on_behalf(facts["approver"], facts["entered_by"])
    decided = f" by {by}" if by and change.status in ("approved", "rejected") else ""
    session.print(f"change {change.id}: {change.status}{decided}")
    return 0


def budget_add(session: Session, args: argparse.Namespace) -> int:
    made = budget.add_budget_line(
        session.ctx, program=args.program, year=args.year, kind=args.kind, name=args.name,
        amount=args.amount, estimate=args.estimate,
    )  # fmt: skip
    return _print_id(session, made)


def budget_list(session: Session, args: argparse.Namespace) -> int:
    today = session.ctx.today()
    rows = budget.budget(args.program, args.year or budget.fiscal_year_of(today), today)
    columns = ["program", "year", "budget", "actual", "estimate_at_completion", "variance"]
    if args.format == "table" and rows:
        rows = [*rows, budget.budget_total(rows)]
    return _rows(session, args.format, rows, columns, 0)


def budget_lines(session: Session, args: argparse.Namespace) -> int:
    rows = [budget.budget_line_facts(b) for b in budget.list_budget_lines(args.program, args.year)]
    columns = ["id", "program", "year", "kind", "amount", "estimate_at_completion", "name"]
    return _rows(session, args.format, rows, columns, 6)


def budget_edit(session: Session, args: argparse.Namespace) -> int:
    changes = edits(args, ("name", "kind", "year", "amount", "estimate", "program"))
    made = budget.update_budget_line(session.ctx, args.id, **changes)
    session.print(f"budget line {made.id}: {made.name}, {made.amount:.2f}")
    return 0


def cost_add(session: Session, args: argparse.Namespace) -> int:
    made = budget.add_cost(
        session.ctx, program=args.program, amount=args.amount, on=args.date,
        description=args.description,
    )  # fmt: skip
    return _print_id(session, made)


def cost_list(session: Session, args: argparse.Namespace) -> int:
    rows = [budget.cost_facts(c) for c in budget.list_costs(args.program, args.year)]
    columns = ["id", "program", "date", "amount", "currency", "description"]
    return _rows(session, args.format, rows, columns, 5)


def cost_edit(session: Session, args: argparse.Namespace) -> int:
    changes = edits(args, ("amount", "date", "description", "program"))
    made = budget.update_cost(session.ctx, args.id, **changes)
    session.print(f"cost {made.id}: {made.amount:.2f} on {made.date}")
    return 0


def metric_add(session: Session, args: argparse.Namespace) -> int:
    made = budget.add_metric(
        session.ctx, args.name, program=args.program, direction=args.direction, target=args.target,
        amber=args.amber, red=args.red, unit=args.unit, cadence=args.cadence,
    )  # fmt: skip
    return _print_id(session, made)


def metric_record(session: Session, args: argparse.Namespace) -> int:
    reading = budget.record_measurement(
        session.ctx, args.metric, args.value, on=args.on, note=args.note, program=args.program
    )
    found = next(m for m in budget.metrics() if m["id"] == reading.metric.id)
    where = f" ({found['program']})" if found.get("program") else ""
    session.print(
        f"{found['name']}{where}: {found['latest']} {found['unit']} ({found['status']})".replace(
            "  ", " "
        )
    )
    return 0


def metric_list(session: Session, args: argparse.Namespace) -> int:
    rows = budget.metrics(args.program)
    for row in rows:
        row["history"] = " ".join(row["history"][-8:]) if args.format != "json" else row["history"]
    return _rows(
        session,
        args.format,
        rows,
        ["name", "latest", "unit", "target", "status", "taken_on", "history"],
        0,
    )


def metric_edit(session: Session, args: argparse.Namespace) -> int:
    changes = edits(args, budget.METRIC_FIELDS)
    made = budget.update_metric(session.ctx, args.metric, program=args.program, **changes)
    program: Any = made.program if made.__data__.get("program") else None
    where = f" ({program.code})" if program is not None else ""
    session.print(
        f"{made.name}{where}: {made.direction} is better; target {made.target}, "
        f"amber {made.amber}, red {made.red}"
    )
    return 0
