"""What each ``docket`` command does: call one domain operation, print its result.

Handlers take the session and the parsed options and return an exit status. They hold no
rules: validation, lookups and derived values all come from ``docket.models``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docket.exports.tabular.tables import write_csv, write_json
from docket.models.actions import items as actions
from docket.models.milestones import schedule as milestones
from docket.models.overview.today import build_today, sections, today_facts
from docket.models.people import directory as people
from docket.models.portfolio import programs
from docket.tui.cli.output import clean, clean_lines, table

if TYPE_CHECKING:
    from docket.models.accounts.users import AccountChange, Linked
    from docket.tui.cli.main import Session


def _emit(
    session: Session,
    fmt: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    headers: Sequence[str] | None = None,
    flexible: int | None = None,
) -> int:
    """Print rows as a table, JSON or CSV."""
    if fmt == "json":
        write_json(list(rows), session.out)
    elif fmt == "csv":
        write_csv(rows, columns, session.out)
    elif rows:
        cells = [[row.get(c) for c in columns] for row in rows]
        session.print(table(headers or columns, cells, flexible=flexible))
    else:
        session.print("(none)")
    return 0


def _emit_csv(session: Session, kind: str, found: Sequence[Any]) -> int:
    """Print records as the CSV ``docket import csv KIND`` reads back."""
    from docket.exports.tabular.csv_records import KINDS, table

    write_csv(table(kind, found, session.ctx.today()), KINDS[kind].columns, session.out)
    return 0


# --- database -------------------------------------------------------------------------


def init(session: Session, args: argparse.Namespace) -> int:
    from docket.models.accounts.users import name_and_email
    from docket.models.core.database import init_database

    if args.me is not None:
        name_and_email(args.me, field="me")  # a malformed --me creates nothing
    if args.shared or args.group:
        return _init_shared(session, args) or _who_you_are(session, args)
    path = session.database_path()
    result = init_database(path, actor=session.ctx.actor)
    if result.created:
        session.print(f"created {path} (you, {session.ctx.actor}, are its admin)")
    elif result.upgraded_from is not None:
        session.print(
            f"upgraded {path} from schema version {result.upgraded_from}; "
            f"copy kept at {result.backup}"
        )
    else:
        session.print(f"{path} is up to date")
    return _who_you_are(session, args)


def _who_you_are(session: Session, args: argparse.Namespace) -> int:
    """After init: the person the acting account is, from ``--me`` or asked in a terminal;
    an account left unlinked is told how to link it later (invites need an organizer)."""
    from docket.models.accounts.users import link_later, link_me, person_for_account

    account = session.ctx.actor
    if args.me is not None:
        linked = link_me(session.ctx, args.me)
    elif person_for_account(account) is not None:
        return 0
    else:
        in_terminal = sys.stdin is not None and sys.stdin.isatty()
        found = _ask_who(session) if in_terminal else None
        if found is None:
            session.print(
                f"your account {account} stands for nobody yet, and invites need an "
                f"organizer with an e-mail; say who you are with: {link_later(account)}"
            )
            return 0
        linked = found
    added = ", added to the people" if linked.added else ""
    session.print(f"you ({account}) are {clean(linked.said())}{added}")
    return 0


def _ask_who(session: Session) -> Linked | None:
    """Ask at the terminal who the acting account is, until an answer links it or is
    empty (Enter, or the end of input)."""
    from docket.models.accounts.users import link_me
    from docket.models.core.errors import NotFoundError, ValidationError

    while True:
        session.err.write("Who are you? 'Name <email>', for the invites you send (Enter skips): ")
        session.err.flush()
        answer = sys.stdin.readline().strip()
        if not answer:
            return None
        try:
            return link_me(session.ctx, answer)
        except (ValidationError, NotFoundError) as exc:
            session.err.write(f"docket: {exc}\n")


def _init_shared(session: Session, args: argparse.Namespace) -> int:
    """``init --shared DIR --group GROUP``: a database for a group, and the system config."""
    from pathlib import Path

    from docket.models.accounts.shared import DIR_MODE, init_shared
    from docket.models.core.config import system_config_path
    from docket.tui.cli.main import UsageError

    if not (args.shared and args.group):
        raise UsageError("init: --shared DIR and --group GROUP go together")
    if args.db:
        raise UsageError("init: --shared makes its own database in DIR; leave out --db")
    shared = init_shared(
        Path(args.shared), args.group, actor=session.ctx.actor, config=system_config_path()
    )
    db = shared.directory / "docket.db"
    if shared.init.created:
        session.print(f"created {db} (you, {session.ctx.actor}, are its admin)")
    else:
        session.print(f"{db} is up to date")
    session.print(
        f"shared with group {shared.group}: {shared.directory} is setgid, mode "
        f"{DIR_MODE:o}; the database files are group-writable"
    )
    if shared.config_written:
        session.print(f"{shared.config} points every account at it")
    else:
        session.err.write(
            f"docket: could not write {shared.config} (permission denied); as root, put "
            f"this in it so every account finds the database:\n{shared.config_text}"
        )
    return 0


def demo(session: Session, args: argparse.Namespace) -> int:
    import time

    from docket.models.core.database import init_database
    from docket.models.demo.builder import build_demo

    path = session.database_path()
    init_database(path, actor=session.ctx.actor)
    started = time.perf_counter()
    counts = build_demo(session.ctx, size=args.size, seed=args.seed)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    session.print(f"{path}: {args.size} demo in {elapsed:.1f} s: {summary}")
    return 0


# --- today ----------------------------------------------------------------------------


def today(session: Session, args: argparse.Namespace) -> int:
    view = build_today(session.ctx, program=args.program)
    facts = today_facts(view, session.ctx.tz)
    if args.format == "json":
        write_json(facts, session.out)
        return 0
    counts = facts["counts"]
    who = f" for {clean(facts['me'])}" if facts["me"] else ""
    session.print(f"Today{who}: {view.day:%a %d %b %Y}")

    def section(
        title: str, key: str, count_key: str, rows: list[dict[str, Any]], kind: str
    ) -> None:
        total = counts.get(count_key, 0)
        more = f" (showing {len(rows)} of {total})" if total > len(rows) else ""
        session.print("")
        session.print(f"{title}: {total}{more}")
        if not rows:
            session.print("  nothing")
            return
        if kind == "action":
            cells = [
                [
                    f"#{r['id']}",
                    r["due"],
                    f"{r['days_overdue']}d late" if r["days_overdue"] else "",
                    r["program"] or "",
                    r["owner"] or "",
                    r["title"],
                ]
                for r in rows
            ]
            session.print(
                _indent(table(["id", "due", "", "program", "owner", "title"], cells, flexible=5))
            )
        else:
            cells = [
                [
                    f"#{r['id']}",
                    r["forecast"],
                    f"{r['slip_days']:+d}d",
                    r["status"],
                    r["program"],
                    r["title"],
                ]
                for r in rows
            ]
            session.print(
                _indent(
                    table(
                        ["id", "forecast", "slip", "status", "program", "title"], cells, flexible=5
                    )
                )
            )

    for part in sections(facts):
        if part.kind == "meeting":
            _today_meetings(session, facts)
        elif part.kind == "comms":
            _today_comms(session, facts)
        elif part.kind == "alert":
            _today_alerts(session, facts, part.key, part.title)
        else:
            section(part.title, part.key, part.key, facts[part.key], part.kind)
    return 0


def _today_heading(
    session: Session, facts: dict[str, Any], key: str, title: str
) -> list[dict[str, Any]]:
    """Print a Today section's heading with its full count (and how many are shown, or
    "nothing"); the rows to list under it."""
    rows: list[dict[str, Any]] = facts[key]
    total = facts["counts"].get(key, 0)
    more = f" (showing {len(rows)} of {total})" if total > len(rows) else ""
    session.print("")
    session.print(f"{title}: {total}{more}")
    if not rows:
        session.print("  nothing")
    return rows


def _today_comms(session: Session, facts: dict[str, Any]) -> None:
    rows = _today_heading(session, facts, "comms", "Communications due this week")
    if not rows:
        return
    cells = [
        [
            f"#{r['id']}",
            r["due"],
            f"{r['days_overdue']}d late" if r["overdue"] else "",
            r["program"],
            r["channel"],
            r["name"],
        ]
        for r in rows
    ]
    headers = ["id", "due", "", "program", "channel", "item"]
    session.print(_indent(table(headers, cells, flexible=5)))


def _today_alerts(session: Session, facts: dict[str, Any], key: str, title: str) -> None:
    rows = _today_heading(session, facts, key, title)
    if not rows:
        return
    session.print(_indent(table(["", "what"], [[r["kind"], r["text"]] for r in rows], flexible=1)))


def _today_meetings(session: Session, facts: dict[str, Any]) -> None:
    rows = _today_heading(session, facts, "meetings", "Meetings today and tomorrow")
    if not rows:
        return
    cells = [
        [
            r["local_start"],
            f"#{r['meeting']}",
            r["program"],
            r["title"],
            r["location"],
            "" if r["status"] == "confirmed" else r["status"],
        ]
        for r in rows
    ]
    headers = ["start", "id", "program", "title", "location", ""]
    session.print(_indent(table(headers, cells, flexible=3)))


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# --- programs -------------------------------------------------------------------------


def program_add(session: Session, args: argparse.Namespace) -> int:
    program = programs.add_program(
        session.ctx,
        args.code,
        args.name,
        parent=args.parent,
        owner=args.owner,
        rag=args.rag,
        rag_note=args.note,
        objective=args.objective,
    )
    session.print(str(program.code))
    return 0


def program_list(session: Session, args: argparse.Namespace) -> int:
    rows = [programs.program_facts(p) for p in programs.list_programs()]
    return _emit(
        session,
        args.format,
        rows,
        ["code", "name", "parent", "owner", "rag", "rag_note"],
        flexible=5,
    )


def program_edit(session: Session, args: argparse.Namespace) -> int:
    from docket.tui.cli.main import edits

    changes = edits(args, ("name", "owner", "rag", "note", "objective", "parent"))
    if "note" in changes:
        changes["rag_note"] = changes.pop("note")
    with_code = programs.get_program(args.code)
    # read and written in one transaction (version None): no conflict the user did not cause
    updated = programs.update_program(session.ctx, with_code.id, None, **changes)
    session.print(f"{updated.code} updated (version {updated.version})")
    return 0


# --- people and groups ----------------------------------------------------------------


def _host_account(typed: str | None) -> None:
    """An account given on the command line is one this host has, as ``user add`` checks
    (the directory itself also keeps accounts of other hosts, from imports and the app)."""
    from docket.models.accounts.users import host_account

    if typed and typed.strip():
        host_account(typed)


def person_add(session: Session, args: argparse.Namespace) -> int:
    _host_account(args.account)
    person = people.add_person(
        session.ctx,
        args.name,
        email=args.email,
        organization=args.organization,
        title=args.title,
        phone=args.phone,
        timezone=args.timezone,
        kind=args.kind,
        account=args.account,
    )
    session.print(str(person.id))
    _warn_namesakes(session, person.name, person.id)
    return 0


def _warn_namesakes(session: Session, name: str, person_id: int) -> None:
    """A line on stderr naming the others called ``name``: the new one is still made, but
    the user learns that lookups by name will now ask which one."""
    others = people.namesakes(name, besides=person_id)
    if others:
        listed = ", ".join(people.describe(p) for p in others)
        session.err.write(
            f"docket: warning: {people.describe(people.find_person(person_id))} has the same "
            f"name as {listed}; refer to them by e-mail or #id\n"
        )


def person_edit(session: Session, args: argparse.Namespace) -> int:
    from docket.tui.cli.main import edits

    names = ("name", "email", "organization", "title", "phone", "timezone", "kind", "account")
    changes = edits(args, names)
    _host_account(args.account)
    person = people.find_person(args.who)
    updated = people.update_person(session.ctx, person.id, None, **changes)
    session.print(f"#{updated.id} {updated.name} updated (version {updated.version})")
    if "name" in changes:
        _warn_namesakes(session, updated.name, updated.id)
    return 0


def person_merge(session: Session, args: argparse.Namespace) -> int:
    merged = people.merge_people(session.ctx, args.keep, args.gone)
    moved = ", ".join(f"{r.what} ×{r.count}" for r in merged.moved) or "nothing"
    session.print(f"merged {merged.removed} into {people.describe(merged.kept)}")
    session.print(f"moved: {moved}")
    if merged.dropped:
        session.print(f"named both already (the duplicate's copy removed): {merged.dropped}")
    if merged.filled:
        session.print(f"filled from the duplicate: {', '.join(merged.filled)}")
    return 0


def person_delete(session: Session, args: argparse.Namespace) -> int:
    gone = people.delete_person(session.ctx, args.who)
    session.print(f"deleted {people.describe(gone)}")
    return 0


def person_list(session: Session, args: argparse.Namespace) -> int:
    found = people.list_people(args.search, kind=args.kind, limit=args.limit)
    if args.format == "csv":
        return _emit_csv(session, "people", found)
    rows = [people.person_facts(p) for p in found]
    return _emit(
        session,
        args.format,
        rows,
        ["id", "name", "email", "organization", "title", "kind", "account"],
    )


def group_add(session: Session, args: argparse.Namespace) -> int:
    group = people.add_group(
        session.ctx, args.name, description=args.description, members=args.member
    )
    session.print(str(group.id))
    return 0


def group_list(session: Session, args: argparse.Namespace) -> int:
    rows = [
        {"id": g.id, "name": g.name, "members": n, "description": g.description}
        for g, n in people.list_groups()
    ]
    return _emit(session, args.format, rows, ["id", "name", "members", "description"])


def group_members(session: Session, args: argparse.Namespace) -> int:
    if args.add:
        people.add_members(session.ctx, args.name, args.add)
    if args.remove:
        people.remove_members(session.ctx, args.name, args.remove)
    rows = [people.person_facts(p) for p in people.members(args.name)]
    return _emit(session, args.format, rows, ["id", "name", "email", "organization", "kind"])


# --- action items ---------------------------------------------------------------------


def action_add(session: Session, args: argparse.Namespace) -> int:
    item = actions.add_action(
        session.ctx,
        args.title,
        owner=args.owner,
        due=args.due,
        program=args.program,
        priority=args.priority,
        notes=args.notes,
    )
    session.print(str(item.id))
    return 0


ACTION_COLUMNS = ["id", "due", "state", "priority", "program", "owner", "status", "title"]


def action_list(session: Session, args: argparse.Namespace) -> int:
    flt = actions.ActionFilter(
        program=args.program,
        owner=args.owner,
        status=args.status,
        overdue=args.overdue,
        due_within=args.due_within,
        search=args.search,
        sort=args.sort,
        limit=args.limit,
    )
    today = session.ctx.today()
    found = actions.list_actions(session.ctx, flt)
    if args.format == "csv":
        return _emit_csv(session, "actions", found)
    rows = [actions.action_facts(i, today) for i in found]
    return _emit(session, args.format, rows, ACTION_COLUMNS, flexible=7)


def action_done(session: Session, args: argparse.Namespace) -> int:
    return _set_status(session, args.ids, "done")


def action_cancel(session: Session, args: argparse.Namespace) -> int:
    return _set_status(session, args.ids, "cancelled")


def _set_status(session: Session, ids: list[int], status: str) -> int:
    changed = actions.set_status(session.ctx, ids, status)
    for item in changed:
        session.print(f"#{item.id} {status}: {item.title}")
    return 0


def action_edit(session: Session, args: argparse.Namespace) -> int:
    from docket.tui.cli.main import edits

    changes = edits(args, ("title", "status", "owner", "due", "program", "priority", "notes"))
    # "" clears an optional field: --owner "" leaves the item without an owner
    # read and written in one transaction (version None): no conflict the user did not cause
    updated = actions.update_action(session.ctx, args.id, None, **changes)
    session.print(f"#{updated.id} updated (version {updated.version})")
    return 0


def action_show(session: Session, args: argparse.Namespace) -> int:
    item = actions.get_action(args.id)
    facts = actions.action_facts(item, session.ctx.today())
    if args.format == "json":
        write_json(facts, session.out)
        return 0
    width = max(len(k) for k in facts)
    for key, value in facts.items():
        # notes keep their line breaks, under the value's column; other values are one line
        shown = clean_lines(value) if key == "notes" else clean(value)
        session.print(f"{key:<{width}}  {shown.replace(chr(10), chr(10) + ' ' * (width + 2))}")
    return 0


# --- accounts -------------------------------------------------------------------------


def user_add(session: Session, args: argparse.Namespace) -> int:
    from docket.models.accounts.users import add_user

    user = add_user(session.ctx, args.account, args.role, args.person)
    session.print(f"{user.account} is now {user.role}")
    _say_linked(session, user)
    return 0


def user_edit(session: Session, args: argparse.Namespace) -> int:
    from docket.models.accounts.users import edit_user
    from docket.tui.cli.main import edits

    user = edit_user(session.ctx, args.account, **edits(args, ["role", "person"]))
    if args.role is not None:
        session.print(f"{user.account} is now {user.role}")
    if args.person == "":
        session.print(f"{user.account} stands for nobody now")
    _say_linked(session, user)
    return 0


def _say_linked(session: Session, user: AccountChange) -> None:
    if user.linked is not None:
        added = ", added to the people" if user.linked.added else ""
        session.print(f"{user.account} stands for {clean(user.linked.said())}{added}")


def user_list(session: Session, args: argparse.Namespace) -> int:
    from docket.models.accounts.roles import DEFAULT_ROLE
    from docket.models.accounts.users import list_users

    rows = list_users()
    _emit(session, args.format, rows, ["account", "role", "person"])
    if args.format == "table":
        session.print(f"(accounts not listed are {DEFAULT_ROLE}s)")
    return 0


# --- history and safety ---------------------------------------------------------------


def history(session: Session, args: argparse.Namespace) -> int:
    from docket.models.audit.history import readable_history

    changes = readable_history(args.kind, args.id)
    if args.format == "json":
        write_json(changes, session.out)
        return 0
    if not changes:
        session.print(f"no recorded changes to {args.kind} {args.id}")
        return 0
    for change in changes:
        note = f" ({clean(change['note'])})" if change["note"] else ""
        said = clean(f"{change['at']}  {change['actor']}  {change['action']}")
        session.print(f"{said}{note}")
        for line in change["said"]:
            # a long value whole, its own line breaks kept, under the field it belongs to
            session.print("    " + clean_lines(line).replace("\n", "\n      "))
    return 0


def backup(session: Session, args: argparse.Namespace) -> int:
    from pathlib import Path

    from docket.models.core.database import backup_file

    target = backup_file(Path(args.file), force=args.force)
    session.print(f"backed up {session.database_path()} to {target}")
    return 0


def check(session: Session, args: argparse.Namespace) -> int:
    from pathlib import Path

    from docket.models.audit.check import record, run_check
    from docket.models.core.database import SCHEMA_VERSION
    from docket.models.core.fields import to_utc_text

    report = run_check([Path(name) for name in args.witness])
    kept = record(report, at=to_utc_text(session.ctx.now()), by=session.ctx.actor)
    path = session.database_path()
    for note in report.notes:
        session.err.write(f"docket: note: {clean(note)}\n")
    for problem in report.problems:
        session.err.write(f"docket: {clean(problem)}\n")
    if not kept:
        session.err.write(
            f"docket: the result could not be kept in {path} (the app will not warn)\n"
        )
    if not report.ok:
        more = report.total - len(report.problems)
        also = f" (the first {len(report.problems)} listed)" if more else ""
        session.err.write(f"docket: {report.total} problem(s) in {path}{also}\n")
        return 1
    last, digest = report.head
    session.print(
        f"{path}: ok (schema version {SCHEMA_VERSION}; {report.entries:,} audit entries chained,"
        f" the last {last} with hash {digest[:16]})"
    )
    return 0


def witness(session: Session, args: argparse.Namespace) -> int:
    """Print this account's witnesses of the chain (JSON, for another member's
    ``docket check --witness``), or drop them with ``--forget``."""
    import json

    from docket.models.audit.witness import export, forget, witness_path

    path = session.database_path()
    if args.forget:
        gone = forget(path)
        said = "dropped" if gone else "you held no"
        session.print(f"{said} witnesses of {path} ({witness_path(path)})")
        return 0
    held = export(path, session.ctx.actor)
    session.print(json.dumps(held, indent=1))
    if not held["witnesses"]:
        session.err.write(
            f"docket: you hold no witnesses of {path} yet (one is kept after each change "
            "you make)\n"
        )
    return 0


# --- milestones -----------------------------------------------------------------------


def milestone_add(session: Session, args: argparse.Namespace) -> int:
    milestone = milestones.add_milestone(
        session.ctx,
        args.program,
        args.title,
        args.baseline,
        forecast=args.forecast,
        owner=args.owner,
        deliverable=args.deliverable,
        acceptance_criteria=args.acceptance_criteria,
        predecessors=args.after,
    )
    session.print(str(milestone.id))
    return 0


MILESTONE_COLUMNS = [
    "id",
    "program",
    "baseline",
    "forecast",
    "actual",
    "slip_days",
    "status",
    "owner",
    "title",
]


def milestone_list(session: Session, args: argparse.Namespace) -> int:
    flt = milestones.MilestoneFilter(
        program=args.program,
        owner=args.owner,
        status=args.status,
        due_within=args.due_within,
        limit=args.limit,
    )
    today = session.ctx.today()
    found = milestones.list_milestones(session.ctx, flt)
    if args.format == "csv":
        return _emit_csv(session, "milestones", found)
    rows = [milestones.milestone_facts(m, today) for m in found]
    headers = [
        "id",
        "program",
        "baseline",
        "forecast",
        "actual",
        "slip",
        "status",
        "owner",
        "title",
    ]
    return _emit(session, args.format, rows, MILESTONE_COLUMNS, headers=headers, flexible=8)


def milestone_edit(session: Session, args: argparse.Namespace) -> int:
    from docket.tui.cli.main import edits

    changes = edits(args, ("title", "baseline", "forecast", "actual", "owner"))
    updated = milestones.update_milestone(session.ctx, args.id, None, reason=args.reason, **changes)
    facts = milestones.milestone_facts(updated, session.ctx.today())
    session.print(
        f"#{updated.id} updated: forecast {facts['forecast']}, "
        f"slip {facts['slip_days']:+d} days, {facts['status']}"
    )
    return 0


def milestone_done(session: Session, args: argparse.Namespace) -> int:
    done = milestones.complete_milestone(session.ctx, args.id, None, actual=args.on)
    session.print(f"#{done.id} done on {done.actual}")
    return 0
