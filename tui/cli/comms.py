"""``docket comms ...`` (the communications plan) and ``docket digest`` (status digests).

Each command calls the modules of :mod:`docket.models.comms` (the plan, its log and
audiences, digests) and :mod:`docket.exports.digests`, and prints the result; the columns
of its lists are declared in :mod:`docket.exports.tabular.lists.comms`. No rule lives here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docket.exports.tabular.lists.comms import COMMS_LOG, COMMS_MATRIX, PLAN
from docket.models.comms import audience as comms_audience
from docket.models.comms import plan as comms_plan
from docket.models.comms.log import artifact_of, log_of, log_sent
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import whole_number
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import command, verbs
from docket.tui.cli.output import clean
from docket.tui.cli.params import (
    UsageError,
    a_window,
    an_id,
    as_of_option,
    edits,
    force_option,
    format_option,
)
from docket.tui.cli.session import Session, pass_session

# what ``comms edit`` changes with an option of the same name
PLAN_FIELDS = ("name", "purpose", "channel", "cadence", "starts", "owner", "digest", "program")


@verbs()
def comms() -> None:
    """The communications plan: who gets what, how often, what was sent."""


def _program_ids(program: str | None) -> list[int] | None:
    from docket.models.portfolio.programs import program_and_children

    return program_and_children(program) if program else None


def _plan_rows(session: Session, rows: list[comms_plan.PlanRow]) -> list[dict[str, Any]]:
    today = session.ctx.today()
    facts: list[dict[str, Any]] = [dict(comms_plan.plan_facts(r, today)) for r in rows]
    for row in facts:
        state = (
            f"{row['days_overdue']}d overdue"
            if row["overdue"]
            else ""
            if row["active"]
            else "inactive"
        )
        if row["exported_not_sent"]:
            # a file was written after the last sending: it has not gone out yet
            state = f"{state}, exported, not sent" if state else "exported, not sent"
        row["state"] = state
    return facts


@comms.command("add")
@click.argument("name")
@click.option("--program", required=True, metavar="CODE")
@click.option("--cadence", required=True, metavar="RULE", help="'weekly on fri', RRULE, or a date")
@click.option(
    "--channel",
    default="e-mail",
    show_default=True,
    help="e-mail, meeting, report, dashboard, newsletter, other",
)
@click.option("--audience", multiple=True, metavar="WHO", help="a group or a person")
@click.option("--purpose", default="")
@click.option("--owner", metavar="WHO")
@click.option("--digest", help="the digest it sends: status, milestones, actions, contracts")
@click.option("--starts", metavar="WHEN", help="the first day the cadence counts from")
@pass_session
def add_item(
    session: Session,
    name: str,
    program: str,
    cadence: str,
    channel: str,
    audience: tuple[str, ...],
    purpose: str,
    owner: str | None,
    digest: str | None,
    starts: str | None,
) -> None:
    """Add a plan item (prints its id)."""
    item = comms_plan.add_item(
        session.ctx,
        name,
        program=program,
        cadence=cadence,
        channel=channel,
        audience=list(audience),
        purpose=purpose,
        owner=owner,
        digest=digest,
        starts=starts,
    )
    session.print(str(item.id))


def _emit_plan(session: Session, fmt: str, found: Any) -> None:
    """Plan items as the table of ``comms list`` and ``comms due``, or every fact as json/csv."""
    rows = _plan_rows(session, found)
    if fmt == "table":
        emit(session, fmt, rows, PLAN.cli)
    else:
        emit(session, fmt, rows, list(rows[0]) if rows else ["id"])


@comms.command("list")
@click.option("--program", metavar="CODE")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_plan(session: Session, program: str | None, fmt: str) -> None:
    """The plan: overdue and soonest due first."""
    _emit_plan(session, fmt, comms_plan.plan(_program_ids(program)))


@comms.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--name")
@click.option("--purpose")
@click.option("--channel")
@click.option("--cadence")
@click.option("--starts")
@click.option("--owner")
@click.option("--digest")
@click.option("--program")
@click.option("--active", type=click.Choice(("yes", "no")))
@click.option("--add-audience", multiple=True, metavar="WHO")
@click.option("--remove-audience", multiple=True, metavar="WHO")
@pass_session
def edit_item(session: Session, item: int, **fields: Any) -> None:
    """Change a plan item."""
    changes: dict[str, Any] = edits(
        fields, PLAN_FIELDS, more=("active", "add_audience", "remove_audience")
    )
    if fields["active"] is not None:
        changes["active"] = fields["active"] == "yes"
    comms_plan.update_item(
        session.ctx,
        item,
        add_audience=list(fields["add_audience"]),
        remove_audience=list(fields["remove_audience"]),
        **changes,
    )
    session.print(f"plan item {item} changed")


@comms.command("due")
@click.option("--within", type=a_window("within"), default=7, show_default=True, metavar="DAYS")
@click.option("--program", metavar="CODE")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def due(session: Session, within: int, program: str | None, fmt: str) -> None:
    """Items overdue or due within DAYS (default 7)."""
    days = whole_number("within", within, minimum=0, maximum=366)
    found = comms_plan.due_within(session.ctx.today(), days, _program_ids(program))
    _emit_plan(session, fmt, found)


@comms.command("sent")
@click.argument("item", metavar="ITEM", type=an_id("item"))
@click.option("--note", default="")
@click.option("--artifact", metavar="FILE", help="the file sent (its SHA-256 is logged)")
@pass_session
def sent(session: Session, item: int, note: str, artifact: str | None) -> None:
    """Log that an item was sent now, by hand."""
    digest = artifact_of(Path(artifact)) if artifact else ""
    log_sent(session.ctx, item, how="by hand", note=note, artifact=digest)
    now = session.ctx.now().astimezone(session.ctx.tz)
    session.print(f"plan item {item}: marked sent by hand {now:%a %d %b %Y %H:%M}")


@comms.command("log")
@click.argument("item", metavar="ITEM", type=an_id("item"))
@format_option("table", "json", "csv")
@pass_session
def log(session: Session, item: int, fmt: str) -> None:
    """An item's log: sent, by hand, or only exported."""
    rows = log_of(item, limit=1000)
    if fmt == "table":
        for row in rows:
            row["sent_at"] = row["sent_at"][:16].replace("T", " ")
    emit(session, fmt, rows, COMMS_LOG.cli)


@comms.command("matrix")
@click.option("--program", metavar="CODE")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def matrix(session: Session, program: str | None, fmt: str) -> None:
    """The stakeholder matrix: who receives what, how often."""
    rows = comms_audience.matrix(_program_ids(program))
    emit(session, fmt, rows, COMMS_MATRIX.cli)


# --- digests --------------------------------------------------------------------------


# --program and --all exclude each other: which option each parameter is
SCOPES = {"program": "--program", "every": "--all"}


def _one_scope(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Refuse ``--program`` with ``--all`` while parsing (options are parsed in the order
    they were typed, so the later one is named first)."""
    if value not in (None, False):
        for name, option in SCOPES.items():
            if name != param.name and ctx.params.get(name) not in (None, False):
                raise click.UsageError(
                    f"argument {SCOPES[str(param.name)]}: not allowed with argument {option}", ctx
                )
    return value


@command("digest")
@click.option("--program", metavar="CODE", callback=_one_scope)
@click.option(
    "--all", "every", is_flag=True, callback=_one_scope, help="every program (the default)"
)
@click.option("--period", type=click.Choice(("week", "month", "quarter")))
@click.option("--since", metavar="WHEN")
@click.option("--until", metavar="WHEN")
@click.option("--audience", metavar="GROUP", help="the group an e-mail goes to")
@click.option(
    "--for-item",
    type=an_id("for item"),
    metavar="ITEM",
    help="a plan item's program, period, audience",
)
@click.option("--format", "fmt", type=click.Choice(("md", "txt", "html", "eml", "json")))
@click.option("-o", "--output", metavar="FILE")
@click.option("--send", is_flag=True, help="send by SMTP (the config's [mail])")
@force_option
@as_of_option
@pass_session
def digest(
    session: Session,
    program: str | None,
    every: bool,
    period: str | None,
    since: str | None,
    until: str | None,
    audience: str | None,
    for_item: int | None,
    fmt: str | None,
    output: str | None,
    send: bool,
    force: bool,
) -> int:
    """A status digest of a program (or all) for a period."""
    del every  # all programs is the default; _one_scope refuses --all with --program
    from docket.exports.digests.digest import render
    from docket.models.comms.digest import build_digest, item_digest
    from docket.models.people.groups import members

    ctx = session.ctx
    if session.past is not None and send:
        raise UsageError("--as-of: a digest of the past can be shown or saved, not sent")
    people = members(audience) if audience else None
    item_id = None
    if for_item is not None:
        # the same digest the app previews, saves and sends for this item
        planned = item_digest(
            ctx,
            for_item,
            program=program,
            period=period,
            since=since,
            until=until,
            config=session.config,
        )
        made, item_id, fmt = planned.digest, planned.item_id, fmt or planned.fmt
        people = planned.audience if people is None else people
    else:
        made = build_digest(
            ctx,
            program=program,
            period=period,
            since=since,
            until=until,
            config=session.config,
        )
    if fmt == "eml" and people is None:
        raise ValidationError("audience", "an e-mail digest needs --audience GROUP or --for-item")
    settings = session.config.mail
    status = 0
    if send or output or fmt == "eml":  # mail and files: a digest shown needs neither
        from docket.exports.digests import delivery as digest_delivery
    if send:
        done = digest_delivery.send_digest(ctx, made, item_id, settings, people)
        if done.accepted:
            session.print(done.said)
        else:
            session.err.write(f"docket: {clean(done.said)}\n")
        # a refused address received nothing: each is named with the server's words
        for line in done.refusals():
            session.err.write(f"docket: {clean(line)}\n")
        status = 1 if done.refused else 0
    if output:
        path = Path(output)
        said = digest_delivery.save_digest(
            ctx,
            made,
            path,
            # a digest of the past is not what the plan item sends: nothing is logged
            None if send or session.past is not None else item_id,
            fmt=fmt or digest_delivery.format_of(path),
            people=people,
            settings=settings,
            force=force,
        )
        session.print(said)
    elif not send:
        if fmt == "eml":
            message = digest_delivery.digest_message(made, people or [], settings)
            session.out.write(bytes(message).decode())
        else:
            session.out.write(render(made, fmt or "md"))
    return status
