"""``docket vendor|contract|expenditure|assignment ...`` and ``docket allocation``:
contractors, their contracts and spend, who works on what at what share of their time.

Handlers call :mod:`docket.models.contractors.contracts` and
:mod:`docket.models.contractors.assignments` and print the result; no rule lives here.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from docket.models.contractors import assignments, contracts
from docket.models.core.inputs import a_date, whole_number
from docket.models.people import directory as people
from docket.tui.cli.commands import _emit, _emit_csv
from docket.tui.cli.main import a_number, a_window, add_format, an_id, edits, verbs

if TYPE_CHECKING:
    from docket.tui.cli.main import Session


def register(sub: Any) -> None:
    """Add the contractor commands."""
    group = verbs(sub, "vendor", "vendors: the firms contractors come from")
    p = group.add_parser("add", help="add a vendor (prints its id)")
    p.add_argument("name")
    p.add_argument("--contact", metavar="WHO")
    p.add_argument("--note", default="")
    p.set_defaults(handler=vendor_add)
    p = group.add_parser("list", help="vendors with their contact and contracts")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=vendor_list)
    p = group.add_parser("edit", help="change a vendor's name, contact or note")
    p.add_argument("vendor", metavar="VENDOR", help="its name or id")
    p.add_argument("--name")
    p.add_argument("--contact", metavar="WHO", help="'' for nobody")
    p.add_argument("--note")
    p.set_defaults(handler=vendor_edit)

    group = verbs(sub, "contract", "contracts: ceiling, spend, burn rate, run-out")
    p = group.add_parser("add", help="add a contract (prints its id)")
    p.add_argument("number")
    p.add_argument("--vendor", required=True)
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument("--start", required=True, metavar="WHEN")
    p.add_argument("--end", required=True, metavar="WHEN")
    p.add_argument("--ceiling", required=True, metavar="AMOUNT")
    p.add_argument("--currency", default="USD")
    p.add_argument("--title", default="")
    p.set_defaults(handler=contract_add)
    p = group.add_parser("list", help="contracts with their burn, soonest ending first")
    p.add_argument("--program", metavar="CODE")
    p.add_argument(
        "--near-ceiling",
        type=a_number("near ceiling", 0, 1000),
        metavar="PCT",
        help="only those this % spent or more",
    )
    p.add_argument(
        "--ending-within",
        type=a_window("ending within"),
        metavar="DAYS",
        help="only those ending this soon",
    )
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=contract_list)
    p = group.add_parser("show", help="a contract: burn, amendments, expenditures")
    p.add_argument("number")
    add_format(p, "text", "json")
    p.set_defaults(handler=contract_show)
    p = group.add_parser(
        "amend", help="amend a contract's ceiling, dates or rate, with a reason (audited)"
    )
    p.add_argument("number")
    p.add_argument("--ceiling", metavar="AMOUNT")
    p.add_argument("--start", metavar="WHEN")
    p.add_argument("--end", metavar="WHEN")
    p.add_argument(
        "--rate", metavar="AMOUNT", help="per hour, for its assignments that have not ended"
    )
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=contract_amend)

    group = verbs(sub, "expenditure", "money spent on a contract")
    p = group.add_parser("add", help="record an amount spent (a negative one is a credit)")
    p.add_argument("contract", help="its number, e.g. C-2026-0303")
    p.add_argument("amount")
    p.add_argument("--date", metavar="WHEN", help="default today")
    p.add_argument("--invoice", default="", metavar="REF")
    p.add_argument(
        "--over-ceiling", default="", metavar="REASON", help="why it may pass the ceiling"
    )
    p.set_defaults(handler=expenditure_add)
    p = group.add_parser("list", help="expenditures, newest first")
    p.add_argument("--contract", metavar="NUMBER")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--void", action="store_true", help="void ones too")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=expenditure_list)
    p = group.add_parser("edit", help="correct an expenditure, with a reason (audited)")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--amount")
    p.add_argument("--date", metavar="WHEN")
    p.add_argument("--invoice", metavar="REF")
    p.add_argument("--reason", required=True)
    p.add_argument("--over-ceiling", default="", metavar="REASON")
    p.set_defaults(handler=expenditure_edit)
    p = group.add_parser("void", help="void an expenditure, with a reason: it counts nowhere")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=expenditure_void)

    group = verbs(sub, "assignment", "who works on which program, at what share, until when")
    p = group.add_parser("add", help="put a person on a program (prints its id)")
    p.add_argument("person")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument("--allocation", required=True, metavar="PCT")
    p.add_argument("--start", required=True, metavar="WHEN")
    p.add_argument("--end", required=True, metavar="WHEN")
    p.add_argument("--role", default="")
    p.add_argument("--contract", metavar="NUMBER")
    p.add_argument("--rate", metavar="AMOUNT", help="per hour")
    p.set_defaults(handler=assignment_add)
    p = group.add_parser("list", help="assignments, by person")
    p.add_argument("--person", metavar="WHO")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--overallocated", action="store_true", help="people above 100 %% on a day")
    p.add_argument("--ending-within", type=a_window("ending within"), metavar="DAYS")
    p.add_argument("--from", dest="start", metavar="WHEN", help="with --overallocated (today)")
    p.add_argument("--days", type=a_window("days"), default=90, help="with --overallocated (90)")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=assignment_list)
    p = group.add_parser("edit", help="change an assignment")
    p.add_argument("id", type=an_id("id"))
    for name in ("allocation", "start", "end", "role", "rate", "contract", "program"):
        p.add_argument(f"--{name}")
    p.set_defaults(handler=assignment_edit)
    p = group.add_parser("end", help="end an assignment (today, or --on)")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--on", metavar="WHEN")
    p.set_defaults(handler=assignment_end)

    p = sub.add_parser("allocation", help="each person's allocation per month, all programs")
    p.add_argument("--from", dest="start", metavar="WHEN", help="the first month (this one)")
    p.add_argument("--months", type=a_number("months", 1, 1200), default=6)
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=allocation)


def vendor_add(session: Session, args: argparse.Namespace) -> int:
    made = contracts.add_vendor(session.ctx, args.name, contact=args.contact, note=args.note)
    session.print(str(made.id))
    return 0


def vendor_edit(session: Session, args: argparse.Namespace) -> int:
    changes = edits(args, ("name", "contact", "note"))
    # read and written in one transaction (no version): no conflict the user did not cause
    updated = contracts.update_vendor(session.ctx, args.vendor, **changes)
    session.print(f"vendor {updated.id} {updated.name} updated (version {updated.version})")
    return 0


def vendor_list(session: Session, args: argparse.Namespace) -> int:
    rows = contracts.list_vendors()
    return _emit(
        session, args.format, rows, ["id", "name", "contact", "contracts", "note"], flexible=4
    )


def contract_add(session: Session, args: argparse.Namespace) -> int:
    made = contracts.add_contract(
        session.ctx,
        args.number,
        vendor=args.vendor,
        program=args.program,
        start=args.start,
        end=args.end,
        ceiling=args.ceiling,
        currency=args.currency,
        title=args.title,
    )
    session.print(str(made.id))
    return 0


CONTRACT_COLUMNS = [
    "number",
    "vendor",
    "program",
    "end",
    "currency",
    "ceiling",
    "spent",
    "percent",
    "runs_out",
    "committed",
]
CONTRACT_HEADERS = [
    "number",
    "vendor",
    "prog",
    "ends",
    "cur",
    "ceiling",
    "spent",
    "%",
    "runs out",
    "committed",
]


def contract_list(session: Session, args: argparse.Namespace) -> int:
    from docket.models.portfolio.programs import program_and_children

    today = session.ctx.today()
    ids = program_and_children(args.program) if args.program else None
    rows = [
        contracts.burn_facts(b) for b in contracts.burns(today, program_ids=ids) if b.days_left >= 0
    ]
    if args.near_ceiling is not None:
        floor = whole_number("near-ceiling", args.near_ceiling, minimum=0, maximum=1000)
        rows = [r for r in rows if r["percent"] >= floor]
    if args.ending_within is not None:
        days = whole_number("ending-within", args.ending_within, minimum=0)
        rows = [r for r in rows if r["days_left"] <= days]
    if args.format != "table":
        return _emit(session, args.format, rows, list(rows[0]) if rows else ["number"])
    return _emit(session, "table", rows, CONTRACT_COLUMNS, headers=CONTRACT_HEADERS, flexible=1)


def contract_show(session: Session, args: argparse.Namespace) -> int:
    found = contracts.contract_detail(args.number, session.ctx.today())
    if args.format == "json":
        return _emit(session, "json", [found], [])
    for line in contracts.detail_lines(found):
        session.print(line)
    return 0


def contract_amend(session: Session, args: argparse.Namespace) -> int:
    made = contracts.amend_contract(
        session.ctx, args.number, reason=args.reason, ceiling=args.ceiling, start=args.start,
        end=args.end, rate=args.rate,
    )  # fmt: skip
    changed = contracts.amendment_text(json.loads(made.changes))
    session.print(f"{made.contract.number} amended: {changed}")
    return 0


def expenditure_add(session: Session, args: argparse.Namespace) -> int:
    made = contracts.add_expenditure(
        session.ctx, args.contract, args.amount, on=args.date, invoice=args.invoice,
        over_ceiling=args.over_ceiling,
    )  # fmt: skip
    past = " (past the ceiling)" if made.over_ceiling else ""
    session.print(f"{made.id}: {made.amount:.2f} on {made.contract.number}, {made.date}{past}")
    return 0


def expenditure_list(session: Session, args: argparse.Namespace) -> int:
    if args.format == "csv":
        found = contracts.find_expenditures(
            contract=args.contract, program=args.program, void=args.void
        )
        return _emit_csv(session, "expenditures", found)
    rows = contracts.list_expenditures(contract=args.contract, program=args.program, void=args.void)
    columns = ["contract", "date", "amount", "invoice", "vendor", "program"]
    if args.format == "table":
        for row in rows:
            row["note"] = contracts.expenditure_note(row)
        columns = ["id", *columns, "note"]
    return _emit(session, args.format, rows, columns, flexible=3)


def expenditure_edit(session: Session, args: argparse.Namespace) -> int:
    changes = edits(args, ("amount", "date", "invoice"))
    made = contracts.correct_expenditure(
        session.ctx, args.id, reason=args.reason, over_ceiling=args.over_ceiling, **changes
    )
    session.print(f"{made.id}: {made.amount:.2f} on {made.contract.number}, {made.date}")
    return 0


def expenditure_void(session: Session, args: argparse.Namespace) -> int:
    made = contracts.void_expenditure(session.ctx, args.id, reason=args.reason)
    session.print(f"{made.id}: void ({made.void_reason})")
    return 0


def assignment_add(session: Session, args: argparse.Namespace) -> int:
    made = assignments.add_assignment(
        session.ctx,
        args.person,
        program=args.program,
        allocation=args.allocation,
        start=args.start,
        end=args.end,
        role=args.role,
        contract=args.contract,
        rate=args.rate,
    )
    session.print(str(made.id))
    _warn_overload(session, made)
    return 0


def _warn_overload(session: Session, made: Any) -> None:
    """A line on stderr when the saved assignment leaves its person over 100 % on some day
    of its span (it is saved all the same)."""
    row = assignments.overload(made.__data__["person"], made.start, made.end)
    if row is not None:
        session.err.write(f"docket: warning: {assignments.overload_text(row)}\n")


ASSIGNMENT_COLUMNS = [
    "id",
    "person",
    "program",
    "role",
    "allocation",
    "start",
    "end",
    "contract",
    "note",
]


def assignment_list(session: Session, args: argparse.Namespace) -> int:
    today = session.ctx.today()
    if args.overallocated:
        first = a_date(session.ctx, "from", args.start) or today
        days = whole_number("days", args.days, minimum=1, maximum=3660)
        rows = assignments.overallocations(first, first + timedelta(days=days - 1))
        for row in rows:
            row["assignments"] = " ".join(f"#{i}" for i in row["assignments"])
        columns = ["person", "peak", "days", "from", "to", "assignments"]
        return _emit(session, args.format, rows, columns, flexible=5)
    if args.ending_within is not None:
        days = whole_number("ending-within", args.ending_within, minimum=0, maximum=3660)
        found = assignments.ending_within(today, days)
    else:
        flt = assignments.AssignmentFilter(person=args.person, program=args.program)
        found = assignments.list_assignments(flt)
    if args.format == "csv":
        return _emit_csv(session, "assignments", found)
    rows = [assignments.assignment_facts(a, today) for a in found]
    if args.format != "json":
        # two people of one name read apart (the JSON keeps the name, as documented)
        shown = people.labels(a.__data__["person"] for a in found)
        for row, a in zip(rows, found, strict=True):
            row["person"] = shown[a.__data__["person"]]
    for row in rows:
        row["note"] = "outside its contract's dates" if row["outside_contract"] else ""
    if args.format != "table":
        return _emit(session, args.format, rows, list(rows[0]) if rows else ["id"])
    return _emit(session, "table", rows, ASSIGNMENT_COLUMNS, flexible=3)


def assignment_edit(session: Session, args: argparse.Namespace) -> int:
    names = ("allocation", "start", "end", "role", "rate", "contract", "program")
    changes = edits(args, names)
    made = assignments.update_assignment(session.ctx, args.id, **changes)
    session.print(f"assignment {args.id} changed")
    _warn_overload(session, made)
    return 0


def assignment_end(session: Session, args: argparse.Namespace) -> int:
    ended = assignments.end_assignment(session.ctx, args.id, args.on)
    session.print(f"assignment {args.id} ends {ended.end:%a %d %b %Y}")
    return 0


def allocation(session: Session, args: argparse.Namespace) -> int:
    first = a_date(session.ctx, "from", args.start) or session.ctx.today()
    months = whole_number("months", args.months, minimum=1, maximum=36)
    found = assignments.allocation_by_month(first, months)
    if args.format == "json":
        return _emit(session, "json", [found], [])
    rows = [
        {
            "person": p["person"],
            **{m: cell["average"] for m, cell in zip(found["months"], p["months"], strict=True)},
        }
        for p in found["people"]
    ]
    if args.format == "csv":
        return _emit(session, "csv", rows, ["person", *found["months"]])
    for row in rows:
        for month in found["months"]:
            row[month] = f"{row[month]}%" if row[month] else "."
    headers = ["person", *(m[2:].replace("-", "/") for m in found["months"])]
    return _emit(session, "table", rows, ["person", *found["months"]], headers=headers, flexible=0)
