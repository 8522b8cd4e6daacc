"""``docket program ...``: the programs of the portfolio.

Each command calls one operation of :mod:`docket.models.portfolio.programs` (``status``:
:mod:`docket.models.portfolio.evidence`); no rule lives here.
"""

from __future__ import annotations

import click

from docket.exports.tabular.lists.people import PROGRAMS
from docket.exports.tabular.tables import write_json
from docket.models.portfolio import evidence, programs
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import verbs
from docket.tui.cli.output import clean
from docket.tui.cli.params import as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session

RAGS = ("green", "amber", "red")
NOTE_HELP = "RAG note: the reason for the colour (needed for a RAG better than the evidence)"


@verbs()
def program() -> None:
    """Programs of the portfolio."""


@program.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", metavar="CODE")
@click.option("--owner", metavar="WHO")
@click.option("--rag", type=click.Choice(RAGS), default="green", show_default=True)
@click.option("--note", default="", help=NOTE_HELP)
@click.option("--objective", default="")
@pass_session
def add(
    session: Session,
    code: str,
    name: str,
    parent: str | None,
    owner: str | None,
    rag: str,
    note: str,
    objective: str,
) -> None:
    """Add a program (CODE is short, such as ERP)."""
    added = programs.add_program(
        session.ctx,
        code,
        name,
        parent=parent,
        owner=owner,
        rag=rag,
        rag_note=note,
        objective=objective,
    )
    session.print(str(added.code))


@program.command("list")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_programs(session: Session, fmt: str) -> None:
    """List programs."""
    found = programs.list_programs()
    # beside the typed RAG, the one its evidence implies (a word: readable without colour)
    beside = evidence.colours_of([p.code for p in found], session.ctx.today(), session.config)
    rows = [{**programs.program_facts(p), "evidence": beside[p.code]["evidence"]} for p in found]
    emit(session, fmt, rows, PROGRAMS.cli)


@program.command("edit")
@click.argument("code")
@click.option("--name")
@click.option("--owner", metavar="WHO", help="'' for nobody")
@click.option("--rag", type=click.Choice(RAGS))
@click.option("--note", help=NOTE_HELP)
@click.option("--objective")
@click.option("--parent", metavar="CODE", help="'' for none")
@pass_session
def edit(session: Session, code: str, **fields: str | None) -> None:
    """Change a program: name, owner, RAG and note, ..."""
    changes = edits(fields, ("name", "owner", "rag", "note", "objective", "parent"))
    if "note" in changes:
        changes["rag_note"] = changes.pop("note")
    with_code = programs.get_program(code)
    # read and written in one transaction (version None): no conflict the user did not cause
    updated = programs.update_program(
        session.ctx, with_code.id, None, config=session.config, **changes
    )
    session.print(f"{updated.code} updated (version {updated.version})")


@program.command("status")
@click.argument("code", required=False)
@format_option("text", "json")
@as_of_option
@pass_session
def status(session: Session, code: str | None, fmt: str) -> None:
    """The typed RAG against the evidence: what the program's data implies, and why."""
    today, config = session.ctx.today(), session.config
    found = (
        [evidence.derived_status(code, today, config)]
        if code
        else evidence.derived_statuses(today, config)
    )
    if fmt == "json":
        write_json(list(found), session.out)
        return
    for facts in found:
        # "typed GREEN, evidence RED, reason: ..." (or "no reason given")
        session.print(f"{facts['program']}: {clean(evidence.verdict(facts))}")
        for line in facts["evidence"]:
            session.print(f"  {line['colour']:<5}  {line['rule']}: {line['fact']}")
    session.print_stamp()
