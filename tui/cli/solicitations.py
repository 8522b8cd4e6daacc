"""``docket solicitation|bid|award ...``: vendor selection from the command line, from a
draft solicitation to the signed contract.

Each command calls the operations of :mod:`docket.models.sourcing` and prints the result;
no rule lives here. A member scores, commits and reveals only as themselves: no option
names another member.
"""

from __future__ import annotations

from decimal import Decimal

import click

from docket.exports.tabular.lists.sourcing import (
    BIDS,
    OWN_SCORES,
    RANKING,
    SOLICITATIONS,
    score_columns,
    score_rows,
    why_not,
)
from docket.exports.tabular.tables import write_json
from docket.models.sourcing import bids as bid_ops
from docket.models.sourcing import committee, criteria, sealing
from docket.models.sourcing import solicitations as sol
from docket.models.sourcing.award import award
from docket.models.sourcing.evaluation import evaluate
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import command, verbs
from docket.tui.cli.params import as_of_option, edits, format_option, program_and_status
from docket.tui.cli.session import Session, pass_session

DATE_OPTIONS = (
    ("--issued", "issued_on"),
    ("--questions-due", "questions_due"),
    ("--bids-due", "bids_due"),
    ("--award-by", "award_by"),
)


def _dates(command_function: click.decorators.FC) -> click.decorators.FC:
    for flag, name in reversed(DATE_OPTIONS):
        command_function = click.option(flag, name, metavar="WHEN")(command_function)
    return command_function


@verbs()
def solicitation() -> None:
    """Solicitations (RFP, RFQ): criteria, checklist, committee, dates, status."""


@solicitation.command("add")
@click.argument("code")
@click.option("--program", required=True, metavar="CODE")
@click.option("--title", required=True)
@click.option("--kind", default="RFP", show_default=True, help="RFP or RFQ")
@click.option("--scope", default="")
@_dates
@pass_session
def add_solicitation(
    session: Session, code: str, program: str, title: str, kind: str, scope: str,
    **dates: str | None,
) -> None:  # fmt: skip
    """Add a draft solicitation (dates in order: issued, questions due, bids due, award by)."""
    made = sol.add_solicitation(
        session.ctx, code, program=program, title=title, kind=kind, scope=scope, **dates
    )
    session.print(f"{made.code} (#{made.id}) draft")


@solicitation.command("edit")
@click.argument("code")
@click.option("--title")
@click.option("--kind")
@click.option("--scope")
@click.option("--program", metavar="CODE")
@_dates
@pass_session
def edit_solicitation(session: Session, code: str, **fields: str | None) -> None:
    """Change a solicitation (kind and program while a draft; dates until evaluating)."""
    changes = edits(fields, sol.EDITABLE)
    changed = sol.update_solicitation(session.ctx, code, **changes)
    session.print(f"{changed.code} changed (version {changed.version})")


@solicitation.command("list")
@program_and_status
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_solicitations(session: Session, program: str | None, status: str | None, fmt: str) -> None:
    """Solicitations, bids due soonest first."""
    emit(session, fmt, sol.list_solicitations(program, status), SOLICITATIONS.cli)


@solicitation.command("show")
@click.argument("code")
@format_option("text", "json")
@as_of_option
@pass_session
def show_solicitation(session: Session, code: str, fmt: str) -> None:
    """A solicitation: dates, criteria, checklist, committee, and bids with each bidder's
    past performance."""
    found = sol.find_solicitation(code)
    facts = sol.solicitation_facts(found)
    weights = criteria.criterion_facts(found)
    items = criteria.item_facts(found)
    members = committee.member_facts(found)
    bidders = bid_ops.bidder_facts(found)
    if fmt == "json":
        whole = {
            **facts, "criteria": weights, "items": items, "committee": members,
            "bidders": bidders,
        }  # fmt: skip
        write_json(whole, session.out)
        return
    session.print(f"{facts['code']}  {facts['kind']}  {facts['title']}  [{facts['status']}]")
    session.print(
        f"program {facts['program']}" + (f"; scope: {facts['scope']}" if facts["scope"] else "")
    )
    dates = [f"{words} {facts[name] or '-'}" for name, words in sol.DATES]  # type: ignore[literal-required]
    session.print(", ".join(dates))
    session.print("criteria:")
    for c in weights:
        how = " (price, by formula)" if c["price"] else ""
        session.print(f"  {c['name']}  weight {c['weight']} = {c['share']}{how}")
    session.print("conformance checklist:")
    for i in items:
        session.print(
            f"  #{i['id']} {i['requirement']}" + ("" if i["mandatory"] else " (optional)")
        )
    session.print("committee:")
    for m in members:
        state = "committed" if m["committed"] else "not committed"
        conflict = f"; conflict declared: {m['conflict']}" if m["conflict"] else ""
        session.print(f"  {m['person']} ({m['account']}), {state}{conflict}")
    session.print(f"bids: {facts['bids']}")
    for b in bidders:
        lines = f" ({bid_ops.price_lines_text(b['price_lines'])})" if b["price_lines"] else ""
        session.print(f"  {b['vendor']}  {Decimal(b['price']):.2f}{lines}")
        session.print(f"    past performance: {b['past_performance']['record']}")
    if facts["decision"]:
        session.print(f"awarded: decision {facts['decision']}, contract {facts['contract']}")


@solicitation.command("status")
@click.argument("code")
@click.argument("status", metavar="issued|evaluating|cancelled")
@click.option("--reason", default="", help="why (needed to cancel)")
@pass_session
def move_solicitation(session: Session, code: str, status: str, reason: str) -> None:
    """Issue a solicitation, start its evaluation, or cancel it."""
    moved = sol.set_status(session.ctx, code, status, reason)
    session.print(f"{moved.code} {moved.status}")


@solicitation.command("criterion")
@click.argument("code")
@click.argument("name")
@click.argument("weight", required=False)
@click.option("--price", is_flag=True, help="the price criterion, scored by formula")
@click.option("--remove", is_flag=True, help="take the criterion off the draft")
@pass_session
def add_criterion(
    session: Session, code: str, name: str, weight: str | None, price: bool, remove: bool
) -> None:
    """Add a weighted criterion to a draft (or --remove it)."""
    if remove:
        criteria.remove_criterion(session.ctx, code, name)
        session.print(f"{code.upper()}: criterion {name} removed")
        return
    made = criteria.add_criterion(session.ctx, code, name, weight or "", price=price)
    session.print(f"criterion {made.name} (#{made.id}) weight {made.weight}")


@solicitation.command("item")
@click.argument("code")
@click.argument("requirement")
@click.option("--optional", is_flag=True, help="failing it does not make a bid non-conforming")
@pass_session
def add_item(session: Session, code: str, requirement: str, optional: bool) -> None:
    """Add a requirement to a draft's conformance checklist (prints it, with its id)."""
    made = criteria.add_item(session.ctx, code, requirement, mandatory=not optional)
    kind = "requirement" if made.mandatory else "optional requirement"
    session.print(f"{kind} #{made.id} on {made.solicitation.code}: {made.requirement}")


@solicitation.command("member")
@click.argument("code")
@click.argument("who", metavar="WHO")
@click.option("--conflict", default="", help="a conflict of interest declared")
@click.option("--remove", is_flag=True, help="take the member off the committee")
@pass_session
def add_member(session: Session, code: str, who: str, conflict: str, remove: bool) -> None:
    """Put a person with a Unix account on the committee (or --remove them)."""
    if remove:
        committee.remove_member(session.ctx, code, who)
        session.print(f"{code.upper()}: {who} removed from the committee")
        return
    made = committee.add_member(session.ctx, code, who, conflict=conflict)
    session.print(f"{made.person.name} ({made.account}) is on the committee")


@solicitation.command("conflict")
@click.argument("code")
@click.argument("conflict")
@pass_session
def declare_conflict(session: Session, code: str, conflict: str) -> None:
    """Declare your own conflict of interest ('' to clear it)."""
    member = committee.declare_conflict(session.ctx, code, conflict)
    session.print(f"conflict of {member.account}: {member.conflict or 'none'}")


@verbs()
def bid() -> None:
    """Bids: price, documents, conformance; sealed scores, commit, reveal, ranking."""


@bid.command("add")
@click.argument("code")
@click.argument("vendor")
@click.option("--price", metavar="AMOUNT", help="the whole price (or --price-line)")
@click.option(
    "--price-line", "price_lines", multiple=True, metavar="LABEL=AMOUNT",
    help="a part of the price, by fiscal year or line (FY2027=120000); repeat; the price is "
    "their sum",
)  # fmt: skip
@click.option("--received", metavar="WHEN", help="default today")
@click.option("--document", "documents", multiple=True, metavar="PATH", help="an existing file")
@click.option("--late", default="", metavar="REASON", help="take a bid after bids were due")
@click.option("--note", default="")
@pass_session
def add_bid(
    session: Session, code: str, vendor: str, price: str | None, price_lines: tuple[str, ...],
    received: str | None, documents: tuple[str, ...], late: str, note: str,
) -> None:  # fmt: skip
    """Enter a vendor's bid, its price whole or by lines (prints it, with its id)."""
    made = bid_ops.add_bid(
        session.ctx, code, vendor, price=price, received=received, documents_given=documents,
        late=late, note=note, price_lines_given=price_lines,
    )  # fmt: skip
    session.print(
        f"bid #{made.id} from {made.vendor.name} on {made.solicitation.code}: price"
        f" {Decimal(made.price):.2f}, received {made.received_on}"
    )


@bid.command("edit")
@click.argument("code")
@click.argument("vendor")
@click.option("--price", metavar="AMOUNT", help="a whole price (drops the bid's lines)")
@click.option(
    "--price-line", "price_lines", multiple=True, metavar="LABEL=AMOUNT",
    help="replaces all the bid's lines; the price is their sum",
)  # fmt: skip
@click.option("--document", "documents", multiple=True, metavar="PATH", help="replaces them all")
@click.option("--note")
@pass_session
def edit_bid(
    session: Session, code: str, vendor: str, price: str | None, price_lines: tuple[str, ...],
    documents: tuple[str, ...], note: str | None,
) -> None:  # fmt: skip
    """Change a bid's price (whole or by lines), documents or note."""
    changes = edits(
        {
            "price": price, "price_lines": price_lines or None, "documents": documents or None,
            "note": note,
        },
        ("price", "price_lines", "documents", "note"),
    )  # fmt: skip
    changed = bid_ops.update_bid(session.ctx, code, vendor, **changes)
    session.print(f"bid {changed.id} changed (version {changed.version})")


@bid.command("list")
@click.argument("code")
@format_option("table", "json")
@as_of_option
@pass_session
def list_bids(session: Session, code: str, fmt: str) -> None:
    """A solicitation's bids, with whether each conforms and why not."""
    found = sol.find_solicitation(code)
    facts = [bid_ops.bid_facts(b) for b in bid_ops.bids_of(found)]
    emit(session, fmt, facts, BIDS.cli)
    if fmt == "table":
        for b in facts:
            if b["price_lines"]:
                session.print(f"{b['vendor']}: {bid_ops.price_lines_text(b['price_lines'])}")
        for b in facts:
            if not b["conforming"]:
                session.print(f"{b['vendor']} does not conform: {why_not(b)}")


@bid.command("check")
@click.argument("code")
@click.argument("vendor")
@click.argument("item", metavar="ITEM")
@click.option("--pass/--fail", "passed", required=True, help="whether the bid meets it")
@click.option("--note", default="")
@pass_session
def check_bid(session: Session, code: str, vendor: str, item: str, passed: bool, note: str) -> None:
    """Record whether a bid meets a checklist item (ITEM: its id)."""
    result = bid_ops.set_conformance(session.ctx, code, vendor, item, passed=passed, note=note)
    session.print(f"item {result.__data__['item']}: {'pass' if passed else 'fail'}")


@bid.command("score")
@click.argument("code")
@click.argument("vendor")
@click.argument("criterion")
@click.argument("score", metavar="0-10")
@click.option("--comment", default="")
@pass_session
def score_bid(
    session: Session, code: str, vendor: str, criterion: str, score: str, comment: str
) -> None:
    """Score a conforming bid on a criterion, as yourself; sealed in your own file."""
    sealed = sealing.give_score(session.ctx, code, vendor, criterion, score, comment)
    owed = len(sealing.expected(sol.find_solicitation(code)) - set(sealed.scores))
    session.print(
        f"sealed; {owed} still to give"
        if owed
        else "sealed; all given: 'docket bid commit' when sure"
    )


@bid.command("scores")
@click.argument("code")
@format_option("table", "json")
@pass_session
def own_scores(session: Session, code: str, fmt: str) -> None:
    """Your own scores (given or owed): all you may see until everyone has revealed."""
    emit(session, fmt, sealing.own_scores(session.ctx, code), OWN_SCORES.cli)


@bid.command("commit")
@click.argument("code")
@pass_session
def commit_scores(session: Session, code: str) -> None:
    """Commit your sealed scores (their hash is recorded; they cannot change after)."""
    digest = sealing.commit(session.ctx, code)
    session.print(f"committed: {digest}")


@bid.command("reveal")
@click.argument("code")
@pass_session
def reveal_scores(session: Session, code: str) -> None:
    """Reveal your scores, once every member has committed."""
    count = sealing.reveal(session.ctx, code)
    session.print(f"revealed {count} score{'' if count == 1 else 's'}, matching your commitment")


@bid.command("rank")
@click.argument("code")
@format_option("table", "json")
@pass_session
def rank_bids(session: Session, code: str, fmt: str) -> None:
    """The ranking (once every member has revealed), non-conforming bids, conflicts."""
    result = evaluate(code)
    if fmt == "json":
        write_json(result, session.out)
        return
    session.print(f"{result['solicitation']} [{result['status']}]: {result['formula']}")
    if result["revealed"]:
        emit(session, "table", result["ranking"], RANKING.cli)
        if result["ranking"]:
            session.print("")
            rows = score_rows(result["ranking"])
            emit(session, "table", rows, score_columns(result["ranking"]))
    else:
        waiting = [f"{a} to commit" for a in result["not_committed"]]
        waiting += [f"{a} to reveal" for a in result["not_revealed"]]
        session.print("scores sealed: waiting for " + (", ".join(waiting) or "bids"))
    for unranked in result["nonconforming"]:
        session.print(f"not ranked: {unranked['vendor']} ({'; '.join(unranked['why'])})")
    for c in result["conflicts"]:
        session.print(f"conflict declared by {c['person']} ({c['account']}): {c['conflict']}")


@command("award")
@click.argument("code")
@click.argument("vendor")
@click.option("--reason", required=True, help="why (always; say so when not the first)")
@click.option("--contract", "number", required=True, metavar="NUMBER")
@click.option("--start", required=True, metavar="WHEN")
@click.option("--end", required=True, metavar="WHEN")
@click.option("--ceiling", metavar="AMOUNT", help="default the bid's price")
@click.option("--not-top", is_flag=True, help="the bid is not ranked first (the reason says why)")
@pass_session
def award_command(
    session: Session, code: str, vendor: str, reason: str, number: str, start: str, end: str,
    ceiling: str | None, not_top: bool,
) -> None:  # fmt: skip
    """Award a solicitation: a decision citing the evaluation, and the contract."""
    done = award(
        session.ctx, code, vendor, reason=reason, contract=number, start=start, end=end,
        ceiling=ceiling, not_top=not_top,
    )  # fmt: skip
    session.print(
        f"{done.solicitation} awarded to {done.vendor} (ranked {done.rank}): decision "
        f"{done.decision}, contract {done.contract_number}, ceiling {Decimal(done.ceiling):.2f}"
    )
