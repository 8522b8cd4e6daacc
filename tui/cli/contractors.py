"""``docket vendor|contract|expenditure ...``: the firms contractors come from, their
contracts (ceiling, burn, amendments) and the money spent on them.

Each command calls the operations of :mod:`docket.models.contractors` and prints the result;
no rule lives here. Who works on what (``docket assignment``, ``docket allocation``) is in
:mod:`docket.tui.cli.assignments`.
"""

from __future__ import annotations

import json
from typing import Any

import click

from docket.exports.tabular.lists.contractors import CONTRACTS, EXPENDITURES, VENDORS
from docket.models.contractors import contracts
from docket.models.contractors.amendments import amend_contract, amendment_text
from docket.models.contractors.burn import burn_facts, burns, contract_detail, detail_lines
from docket.models.contractors.expenditures import (
    add_expenditure,
    correct_expenditure,
    expenditure_note,
    find_expenditures,
    list_expenditures,
    void_expenditure,
)
from docket.models.core.inputs import whole_number
from docket.tui.cli.emit import emit, emit_csv
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import a_number, a_window, an_id, as_of_option, edits, format_option
from docket.tui.cli.scorecards import level, scorecard, show_vendor
from docket.tui.cli.session import Session, pass_session


@verbs()
def vendor() -> None:
    """Vendors: the firms contractors come from."""


@vendor.command("add")
@click.argument("name")
@click.option("--contact", metavar="WHO")
@click.option("--note", default="")
@pass_session
def add_vendor(session: Session, name: str, contact: str | None, note: str) -> None:
    """Add a vendor (prints its id)."""
    made = contracts.add_vendor(session.ctx, name, contact=contact, note=note)
    session.print(str(made.id))


@vendor.command("list")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_vendors(session: Session, fmt: str) -> None:
    """Vendors with their contact and contracts."""
    rows = contracts.list_vendors()
    emit(session, fmt, rows, VENDORS.cli)


@vendor.command("edit")
@click.argument("which", metavar="VENDOR")
@click.option("--name")
@click.option("--contact", metavar="WHO", help="'' for nobody")
@click.option("--note")
@pass_session
def edit_vendor(session: Session, which: str, **fields: str | None) -> None:
    """Change a vendor's name, contact or note (VENDOR is its name or id)."""
    changes = edits(fields, ("name", "contact", "note"))
    # read and written in one transaction (no version): no conflict the user did not cause
    updated = contracts.update_vendor(session.ctx, which, **changes)
    session.print(f"vendor {updated.id} {updated.name} updated (version {updated.version})")


# a vendor's record and scorecards, a contract's service levels: docket.tui.cli.scorecards
vendor.add_command(show_vendor)
vendor.add_command(scorecard)


@verbs()
def contract() -> None:
    """Contracts: ceiling, spend, burn rate, run-out."""


@contract.command("add")
@click.argument("number")
@click.option("--vendor", "vendor_name", required=True, metavar="VENDOR")
@click.option("--program", required=True, metavar="CODE")
@click.option("--start", required=True, metavar="WHEN")
@click.option("--end", required=True, metavar="WHEN")
@click.option("--ceiling", required=True, metavar="AMOUNT")
@click.option("--currency", default="USD", show_default=True)
@click.option("--title", default="")
@pass_session
def add_contract(
    session: Session,
    number: str,
    vendor_name: str,
    program: str,
    start: str,
    end: str,
    ceiling: str,
    currency: str,
    title: str,
) -> None:
    """Add a contract (prints its id)."""
    made = contracts.add_contract(
        session.ctx, number, vendor=vendor_name, program=program, start=start, end=end,
        ceiling=ceiling, currency=currency, title=title,
    )  # fmt: skip
    session.print(str(made.id))


@contract.command("list")
@click.option("--program", metavar="CODE")
@click.option(
    "--near-ceiling",
    type=a_number("near ceiling", 0, 1000),
    metavar="PCT",
    help="only those this % spent or more",
)
@click.option(
    "--ending-within",
    type=a_window("ending within"),
    metavar="DAYS",
    help="only those ending this soon",
)
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_contracts(
    session: Session,
    program: str | None,
    near_ceiling: int | None,
    ending_within: int | None,
    fmt: str,
) -> None:
    """Contracts with their burn, soonest ending first."""
    from docket.models.portfolio.programs import program_and_children

    today = session.ctx.today()
    ids = program_and_children(program) if program else None
    rows = [burn_facts(b) for b in burns(today, program_ids=ids) if b.days_left >= 0]
    if near_ceiling is not None:
        floor = whole_number("near-ceiling", near_ceiling, minimum=0, maximum=1000)
        rows = [r for r in rows if r["percent"] >= floor]
    if ending_within is not None:
        days = whole_number("ending-within", ending_within, minimum=0)
        rows = [r for r in rows if r["days_left"] <= days]
    if fmt != "table":
        emit(session, fmt, rows, list(rows[0]) if rows else ["number"])
        return
    emit(session, "table", rows, CONTRACTS.cli)


@contract.command("show")
@click.argument("number")
@format_option("text", "json")
@as_of_option
@pass_session
def show_contract(session: Session, number: str, fmt: str) -> None:
    """A contract: burn, amendments, expenditures."""
    found = contract_detail(number, session.ctx.today())
    if fmt == "json":
        emit(session, "json", [found], [])
        return
    for line in detail_lines(found):
        session.print(line)


@contract.command("amend")
@click.argument("number")
@click.option("--ceiling", metavar="AMOUNT")
@click.option("--start", metavar="WHEN")
@click.option("--end", metavar="WHEN")
@click.option("--rate", metavar="AMOUNT", help="per hour, for its assignments that have not ended")
@click.option("--reason", required=True)
@pass_session
def amend(
    session: Session,
    number: str,
    ceiling: str | None,
    start: str | None,
    end: str | None,
    rate: str | None,
    reason: str,
) -> None:
    """Amend a contract's ceiling, dates or rate, with a reason (audited)."""
    made = amend_contract(
        session.ctx, number, reason=reason, ceiling=ceiling, start=start, end=end, rate=rate
    )
    changed = amendment_text(json.loads(made.changes))
    session.print(f"{made.contract.number} amended: {changed}")


contract.add_command(level)


@verbs()
def expenditure() -> None:
    """Money spent on a contract."""


@expenditure.command("add")
@click.argument("number", metavar="CONTRACT")
@click.argument("amount")
@click.option("--date", metavar="WHEN", help="default today")
@click.option("--invoice", default="", metavar="REF")
@click.option("--over-ceiling", default="", metavar="REASON", help="why it may pass the ceiling")
@pass_session
def add_spent(
    session: Session, number: str, amount: str, date: str | None, invoice: str, over_ceiling: str
) -> None:
    """Record an amount spent (a negative one is a credit).

    CONTRACT is its number, e.g. C-2026-0303.
    """
    made = add_expenditure(
        session.ctx, number, amount, on=date, invoice=invoice, over_ceiling=over_ceiling
    )
    past = " (past the ceiling)" if made.over_ceiling else ""
    session.print(f"{made.id}: {made.amount:.2f} on {made.contract.number}, {made.date}{past}")


@expenditure.command("list")
@click.option("--contract", "number", metavar="NUMBER")
@click.option("--program", metavar="CODE")
@click.option("--void", is_flag=True, help="void ones too")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_spent(
    session: Session, number: str | None, program: str | None, void: bool, fmt: str
) -> None:
    """Expenditures, newest first."""
    if fmt == "csv":
        found = find_expenditures(contract=number, program=program, void=void)
        emit_csv(session, "expenditures", found)
        return
    rows: list[dict[str, Any]] = [
        dict(r) for r in list_expenditures(contract=number, program=program, void=void)
    ]
    if fmt == "table":
        for row in rows:
            row["note"] = expenditure_note(row)
    emit(session, fmt, rows, EXPENDITURES.cli)


@expenditure.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--amount")
@click.option("--date", metavar="WHEN")
@click.option("--invoice", metavar="REF")
@click.option("--reason", required=True)
@click.option("--over-ceiling", default="", metavar="REASON")
@pass_session
def edit_spent(
    session: Session, item: int, reason: str, over_ceiling: str, **fields: str | None
) -> None:
    """Correct an expenditure, with a reason (audited)."""
    changes = edits(fields, ("amount", "date", "invoice"))
    made = correct_expenditure(
        session.ctx, item, reason=reason, over_ceiling=over_ceiling, **changes
    )
    session.print(f"{made.id}: {made.amount:.2f} on {made.contract.number}, {made.date}")


@expenditure.command("void")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--reason", required=True)
@pass_session
def void_spent(session: Session, item: int, reason: str) -> None:
    """Void an expenditure, with a reason: it counts nowhere."""
    made = void_expenditure(session.ctx, item, reason=reason)
    session.print(f"{made.id}: void ({made.void_reason})")
