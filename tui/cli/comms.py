"""``docket comms ...`` (the communications plan) and ``docket digest`` (status digests).

Handlers call :mod:`docket.models.comms.plan`, :mod:`docket.models.comms.digest` and
:mod:`docket.exports.digests.digest`, and print the result; no rule lives here.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docket.models.comms import plan as comms
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import whole_number
from docket.tui.cli.commands import _emit
from docket.tui.cli.main import a_window, add_force, add_format, an_id, edits, verbs
from docket.tui.cli.output import clean

if TYPE_CHECKING:
    from docket.tui.cli.main import Session

PLAN_COLUMNS = ["id", "program", "name", "channel", "cadence_words", "due", "state", "owner"]
PLAN_HEADERS = ["id", "program", "name", "channel", "how often", "next due", "", "owner"]


def register(sub: Any) -> None:
    """Add ``docket comms`` and ``docket digest``."""
    group = verbs(sub, "comms", "the communications plan: who gets what, how often, what was sent")

    p = group.add_parser("add", help="add a plan item (prints its id)")
    p.add_argument("name")
    p.add_argument("--program", required=True, metavar="CODE")
    p.add_argument(
        "--cadence", required=True, metavar="RULE", help="'weekly on fri', RRULE, or a date"
    )
    p.add_argument(
        "--channel", default="e-mail", help="e-mail, meeting, report, dashboard, newsletter, other"
    )
    p.add_argument(
        "--audience", action="append", default=[], metavar="WHO", help="a group or a person"
    )
    p.add_argument("--purpose", default="")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--digest", help="the digest it sends: status, milestones, actions, contracts")
    p.add_argument("--starts", metavar="WHEN", help="the first day the cadence counts from")
    p.set_defaults(handler=comms_add)

    p = group.add_parser("list", help="the plan: overdue and soonest due first")
    p.add_argument("--program", metavar="CODE")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=comms_list)

    p = group.add_parser("edit", help="change a plan item")
    p.add_argument("id", type=an_id("id"))
    for name in ("name", "purpose", "channel", "cadence", "starts", "owner", "digest", "program"):
        p.add_argument(f"--{name}")
    p.add_argument("--active", choices=("yes", "no"))
    p.add_argument("--add-audience", action="append", default=[], metavar="WHO")
    p.add_argument("--remove-audience", action="append", default=[], metavar="WHO")
    p.set_defaults(handler=comms_edit)

    p = group.add_parser("due", help="items overdue or due within DAYS (default 7)")
    p.add_argument("--within", type=a_window("within"), default=7, metavar="DAYS")
    p.add_argument("--program", metavar="CODE")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=comms_due)

    p = group.add_parser("sent", help="log that an item was sent now, by hand")
    p.add_argument("item", type=an_id("item"))
    p.add_argument("--note", default="")
    p.add_argument("--artifact", metavar="FILE", help="the file sent (its SHA-256 is logged)")
    p.set_defaults(handler=comms_sent)

    p = group.add_parser("log", help="an item's log: sent, by hand, or only exported")
    p.add_argument("item", type=an_id("item"))
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=comms_log)

    p = group.add_parser("matrix", help="the stakeholder matrix: who receives what, how often")
    p.add_argument("--program", metavar="CODE")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=comms_matrix)

    p = sub.add_parser("digest", help="a status digest of a program (or all) for a period")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--program", metavar="CODE")
    scope.add_argument("--all", action="store_true", help="every program (the default)")
    p.add_argument("--period", choices=("week", "month", "quarter"))
    p.add_argument("--since", metavar="WHEN")
    p.add_argument("--until", metavar="WHEN")
    p.add_argument("--audience", metavar="GROUP", help="the group an e-mail goes to")
    p.add_argument(
        "--for-item",
        type=an_id("for item"),
        metavar="ITEM",
        help="a plan item's program, period, audience",
    )
    p.add_argument("--format", choices=("md", "txt", "html", "eml", "json"))
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--send", action="store_true", help="send by SMTP (the config's [mail])")
    add_force(p)
    p.set_defaults(handler=digest)


def _program_ids(program: str | None) -> list[int] | None:
    from docket.models.portfolio.programs import program_and_children

    return program_and_children(program) if program else None


def _plan_rows(session: Session, rows: list[comms.PlanRow]) -> list[dict[str, Any]]:
    today = session.ctx.today()
    facts = [comms.plan_facts(r, today) for r in rows]
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


def comms_add(session: Session, args: argparse.Namespace) -> int:
    item = comms.add_item(
        session.ctx,
        args.name,
        program=args.program,
        cadence=args.cadence,
        channel=args.channel,
        audience=args.audience,
        purpose=args.purpose,
        owner=args.owner,
        digest=args.digest,
        starts=args.starts,
    )
    session.print(str(item.id))
    return 0


def _emit_plan(session: Session, args: argparse.Namespace, found: Any) -> int:
    """Plan items as the table of ``comms list`` and ``comms due``, or every fact as json/csv."""
    rows = _plan_rows(session, found)
    columns = PLAN_COLUMNS if args.format == "table" else list(rows[0]) if rows else ["id"]
    return _emit(
        session,
        args.format,
        rows,
        columns,
        headers=PLAN_HEADERS if args.format == "table" else None,
        flexible=2,
    )


def comms_list(session: Session, args: argparse.Namespace) -> int:
    return _emit_plan(session, args, comms.plan(_program_ids(args.program)))


def comms_edit(session: Session, args: argparse.Namespace) -> int:
    names = ("name", "purpose", "channel", "cadence", "starts", "owner", "digest", "program")
    changes = edits(args, names, more=("active", "add_audience", "remove_audience"))
    if args.active is not None:
        changes["active"] = args.active == "yes"
    comms.update_item(
        session.ctx,
        args.id,
        add_audience=args.add_audience,
        remove_audience=args.remove_audience,
        **changes,
    )
    session.print(f"plan item {args.id} changed")
    return 0


def comms_due(session: Session, args: argparse.Namespace) -> int:
    days = whole_number("within", args.within, minimum=0, maximum=366)
    found = comms.due_within(session.ctx.today(), days, _program_ids(args.program))
    return _emit_plan(session, args, found)


def comms_sent(session: Session, args: argparse.Namespace) -> int:
    artifact = comms.artifact_of(Path(args.artifact)) if args.artifact else ""
    comms.log_sent(session.ctx, args.item, how="by hand", note=args.note, artifact=artifact)
    now = session.ctx.now().astimezone(session.ctx.tz)
    session.print(f"plan item {args.item}: marked sent by hand {now:%a %d %b %Y %H:%M}")
    return 0


def comms_log(session: Session, args: argparse.Namespace) -> int:
    rows = comms.log_of(args.item, limit=1000)
    columns = ["sent_at", "how", "sent_by", "note", "artifact"]
    headers = ["when (UTC)", "how", "by", "note", "artifact"] if args.format == "table" else None
    if args.format == "table":
        for row in rows:
            row["sent_at"] = row["sent_at"][:16].replace("T", " ")
    return _emit(session, args.format, rows, columns, headers=headers, flexible=3)


def comms_matrix(session: Session, args: argparse.Namespace) -> int:
    rows = comms.matrix(_program_ids(args.program))
    columns = ["audience", "item", "program", "channel", "how_often"]
    headers = (
        ["who", "receives", "program", "channel", "how often"] if args.format == "table" else None
    )
    return _emit(session, args.format, rows, columns, headers=headers, flexible=1)


# --- digests --------------------------------------------------------------------------


def digest(session: Session, args: argparse.Namespace) -> int:
    from docket.exports.digests import delivery as digest_delivery
    from docket.exports.digests.digest import render
    from docket.models.comms.digest import build_digest, item_digest
    from docket.models.people.directory import members

    ctx = session.ctx
    people = members(args.audience) if args.audience else None
    item_id, fmt = None, args.format
    if args.for_item is not None:
        # the same digest the app previews, saves and sends for this item
        planned = item_digest(
            ctx,
            args.for_item,
            program=args.program,
            period=args.period,
            since=args.since,
            until=args.until,
        )
        made, item_id, fmt = planned.digest, planned.item_id, fmt or planned.fmt
        people = planned.audience if people is None else people
    else:
        made = build_digest(
            ctx, program=args.program, period=args.period, since=args.since, until=args.until
        )
    if fmt == "eml" and people is None:
        raise ValidationError("audience", "an e-mail digest needs --audience GROUP or --for-item")
    settings = session.config.mail
    status = 0
    if args.send:
        sent = digest_delivery.send_digest(ctx, made, item_id, settings, people)
        if sent.accepted:
            session.print(sent.said)
        else:
            session.err.write(f"docket: {clean(sent.said)}\n")
        # a refused address received nothing: each is named with the server's words
        for line in sent.refusals():
            session.err.write(f"docket: {clean(line)}\n")
        status = 1 if sent.refused else 0
    if args.output:
        path = Path(args.output)
        said = digest_delivery.save_digest(
            ctx,
            made,
            path,
            None if args.send else item_id,
            fmt=fmt or digest_delivery.format_of(path),
            people=people,
            settings=settings,
            force=args.force,
        )
        session.print(said)
    elif not args.send:
        if fmt == "eml":
            message = digest_delivery.digest_message(made, people or [], settings)
            session.out.write(bytes(message).decode())
        else:
            session.out.write(render(made, fmt or "md"))
    return status
