"""``docket meeting ...``: meetings, series and their occurrences from the command line.

Each command calls the operations of :mod:`docket.models.meetings` and prints the result;
no rule lives here. The files made of meetings (``docket invite``, ``docket calendar``) are
in :mod:`docket.tui.cli.invites`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

import click

from docket.exports.tabular.columns import flexible as shortened
from docket.exports.tabular.columns import headings
from docket.exports.tabular.lists.meetings import OCCURRENCES
from docket.exports.tabular.tables import write_json
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import a_date, whole_number
from docket.models.meetings.facts import ALL_DAY, meeting_detail, occurrence_cells, occurrence_facts
from docket.models.meetings.occurrences import (
    Occurrence,
    OccurrenceFilter,
    find_occurrence,
    list_occurrences,
    next_occurrences,
)
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import verbs
from docket.tui.cli.output import clean, write_table
from docket.tui.cli.params import a_window, an_id, as_of_option, format_option
from docket.tui.cli.session import Session, pass_session


@verbs()
def meeting() -> None:
    """Meetings and series: occurrences, moves, cancellations."""


@meeting.command("add")
@click.argument("title")
@click.option("--start", required=True, metavar="WHEN", help="e.g. 'next tue 10:00'")
@click.option("--duration", default="60m", show_default=True, help="60m, 1h30m, 90 (minutes)")
@click.option("--tz", "timezone", metavar="AREA/CITY", help="default: your zone")
@click.option("--repeat", metavar="RULE", help="'weekly on tue,thu until 2027-06-30', RRULE")
@click.option("--attendee", multiple=True, metavar="WHO", help="WHO or WHO:optional")
@click.option("--group", multiple=True, metavar="NAME")
@click.option("--program", metavar="CODE")
@click.option("--location", default="")
@click.option("--link", default="", metavar="URL")
@click.option("--organizer", metavar="WHO", help="default: you")
@click.option("--agenda", default="")
@pass_session
def add_meeting(
    session: Session,
    title: str,
    start: str,
    duration: str,
    timezone: str | None,
    repeat: str | None,
    attendee: tuple[str, ...],
    group: tuple[str, ...],
    program: str | None,
    location: str,
    link: str,
    organizer: str | None,
    agenda: str,
) -> None:
    """Add a meeting or a series (prints its id)."""
    from docket.models.meetings import series as meetings

    made = meetings.add_meeting(
        session.ctx,
        title,
        start=start,
        duration=duration,
        timezone=timezone,
        repeat=repeat,
        attendees=list(attendee),
        groups=list(group),
        program=program,
        location=location,
        link=link,
        organizer=organizer,
        agenda=agenda,
    )
    session.print(str(made.id))
    _warn_organizer(session, int(made.id))


def _warn_organizer(session: Session, meeting_id: int) -> None:
    """A meeting saved without an organizer who has an e-mail: said now, not at invite."""
    from docket.models.accounts.users import ORGANIZER_NEEDED, link_later, meeting_organizer_gap

    gap = meeting_organizer_gap(meeting_id)
    if gap is not None:
        session.err.write(
            f"docket: warning: meeting {meeting_id} has {gap}: {ORGANIZER_NEEDED}; give it "
            f"one with 'docket "
            f"meeting edit {meeting_id} --organizer WHO', or say who you are with: "
            f"{link_later(session.ctx.actor)}\n"
        )


@meeting.command("list")
@click.option("--from", "start", metavar="WHEN", help="first day (default today)")
@click.option("--days", type=a_window("days"), default=7, show_default=True)
@click.option("--program", metavar="CODE")
@click.option("--meeting", "meeting_id", type=an_id("meeting"), metavar="ID")
@click.option("--no-cancelled", is_flag=True, help="leave cancelled ones out")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_meetings(
    session: Session,
    start: str | None,
    days: int,
    program: str | None,
    meeting_id: int | None,
    no_cancelled: bool,
    fmt: str,
) -> None:
    """Occurrences in a period, series expanded."""
    ctx = session.ctx
    first = a_date(ctx, "from", start) or ctx.today()
    days = whole_number("days", days, minimum=1, maximum=3660)
    since = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
    until = datetime.combine(first + timedelta(days=days), time(0), ctx.tz).astimezone(UTC)
    flt = OccurrenceFilter(
        program=program, meeting_id=meeting_id, include_cancelled=not no_cancelled
    )
    found = list_occurrences(since, until, flt)
    if fmt != "table":
        rows = [occurrence_facts(o, ctx.tz) for o in found]
        emit(session, fmt, rows, list(rows[0]) if rows else ["meeting"])
        return
    # the table's cells straight from each occurrence: no dict of facts per row
    columns = OCCURRENCES.cli
    cells: list[Sequence[object]] = [occurrence_cells(o, ctx.tz) for o in found]
    if not write_table(headings(columns), cells, session.out, flexible=shortened(columns)):
        session.print("(none)")


@meeting.command("show")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@format_option("text", "json")
@as_of_option
@pass_session
def show_meeting(session: Session, meeting_id: int, fmt: str) -> None:
    """One meeting: attendees, changes, next occurrences."""
    from docket.models.meetings import series as meetings
    from docket.models.meetings.invites import delivery_state

    detail: dict[str, Any] = dict(meeting_detail(meeting_id))
    detail["deliveries"] = delivery_state(meeting_id)
    found = meetings.get_meeting(meeting_id)
    upcoming = next_occurrences(found, session.ctx.now(), 5)
    detail["next"] = [occurrence_facts(o, session.ctx.tz) for o in upcoming]
    if fmt == "json":
        write_json(detail, session.out)
        return
    session.print(f"#{detail['id']} {clean(detail['title'])} ({detail['program']})")
    when = f"{detail['meeting_start']} {detail['timezone']}, {detail['duration_minutes']} min"
    if detail["all_day"]:
        when = f"{detail['meeting_start'][:10]} {ALL_DAY}"
    session.print(f"  {when}, {detail['repeat_words']}")
    for name in ("location", "link", "organizer", "status", "uid", "sequence"):
        if detail[name] not in (None, ""):
            session.print(f"  {name}: {clean(detail[name])}")
    if detail["split_from"]:
        session.print(f"  continues series #{detail['split_from']} (this and following)")
    if detail["split_into"]:
        session.print(f"  continued by #{', #'.join(map(str, detail['split_into']))}")
    session.print("")
    session.print(f"Attendees: {len(detail['attendees'])}")
    for a in detail["attendees"]:
        session.print(
            f"  {clean(a['name'])} <{clean(a['email'] or '')}>  {a['role']}, {a['response']}"
        )
    stale = [d for d in detail["deliveries"] if d["state"] != "up to date"]
    if detail["deliveries"]:
        session.print("")
        session.print(f"Invites: {len(stale)} not up to date (sequence {detail['sequence']})")
        for d in stale:
            held = f", holds sequence {d['sequence']}" if d["sequence"] is not None else ""
            session.print(f"  {clean(d['name'])} <{clean(d['email'])}>: {d['state']}{held}")
    if detail["changes"]:
        session.print("")
        session.print("Changed occurrences:")
        for c in detail["changes"]:
            what = "cancelled" if c["cancelled"] else ""
            if c["new_start_local"]:
                what = (what + ", " if what else "") + f"moved to {c['new_start_local']}"
            if c["new_location"] is not None:
                what = (what + ", " if what else "") + f"at {clean(c['new_location'])}"
            session.print(f"  {c['occurrence_local']}: {what or 'changed'}")
    session.print("")
    session.print("Next:")
    if not detail["next"]:
        session.print("  nothing")
    for o in detail["next"]:
        flag = f"  ({o['status']})" if o["status"] != "confirmed" else ""
        when = f"{o['local_start'][:10]} {ALL_DAY}" if o["all_day"] else o["local_start"]
        session.print(f"  {when}{flag}")


@meeting.command("move")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.option("--occurrence", metavar="DATE", help="which occurrence of a series")
@click.option("--to", required=True, metavar="WHEN", help="'2026-12-09 15:00' or '15:00'")
@click.option("--duration")
@pass_session
def move_meeting(
    session: Session, meeting_id: int, occurrence: str | None, to: str, duration: str | None
) -> None:
    """Move one occurrence (or a single meeting)."""
    from docket.models.meetings import series as meetings
    from docket.models.meetings.changes import move_occurrence

    found = meetings.get_meeting(meeting_id)
    if found.rrule and not occurrence:
        raise ValidationError("occurrence", "which occurrence? give --occurrence DATE")
    moved = move_occurrence(session.ctx, meeting_id, occurrence or "", to, duration=duration)
    session.print(f"#{meeting_id} moved to {moved.start:%a %d %b %Y %H:%M} {moved.timezone}")


@meeting.command("cancel")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.option("--occurrence", metavar="DATE")
@pass_session
def cancel_meeting(session: Session, meeting_id: int, occurrence: str | None) -> None:
    """Cancel a meeting, a series, or one occurrence."""
    from docket.models.meetings import series as meetings
    from docket.models.meetings.changes import cancel_occurrence

    _one_or_all(
        session, meeting_id, occurrence, "cancelled", cancel_occurrence, meetings.cancel_meeting
    )


@meeting.command("restore")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.option("--occurrence", metavar="DATE")
@pass_session
def restore_meeting(session: Session, meeting_id: int, occurrence: str | None) -> None:
    """Undo the cancellation of a meeting or an occurrence."""
    from docket.models.meetings import series as meetings
    from docket.models.meetings.changes import restore_occurrence

    _one_or_all(
        session, meeting_id, occurrence, "restored", restore_occurrence, meetings.restore_meeting
    )


def _one_or_all(
    session: Session,
    meeting_id: int,
    occurrence: str | None,
    done: str,
    one: Callable[[Context, int, str], Occurrence],
    whole: Callable[[Context, int], object],
) -> None:
    """Change one occurrence of the meeting when ``occurrence`` is given, else the whole
    meeting or series; say it is ``done`` (with the occurrence's start)."""
    if occurrence:
        changed = one(session.ctx, meeting_id, occurrence)
        session.print(f"#{meeting_id} {done} on {changed.start:%a %d %b %Y %H:%M}")
    else:
        whole(session.ctx, meeting_id)
        session.print(f"#{meeting_id} {done}")


_EDIT_FIELDS = (
    "title", "start", "duration", "timezone", "repeat", "location", "link", "agenda",
    "status", "program", "organizer",
)  # fmt: skip


@meeting.command("edit")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.option("--title")
@click.option("--start", metavar="WHEN")
@click.option("--duration")
@click.option("--tz", "timezone", metavar="AREA/CITY")
@click.option("--repeat", metavar="RULE", help="'' makes a series a single meeting")
@click.option("--location")
@click.option("--link", metavar="URL")
@click.option("--agenda")
@click.option("--status", help="confirmed or tentative")
@click.option("--program", metavar="CODE")
@click.option("--organizer", metavar="WHO")
@click.option("--add-attendee", multiple=True, metavar="WHO")
@click.option("--add-group", multiple=True, metavar="NAME")
@click.option("--remove-attendee", multiple=True, metavar="WHO")
@click.option("--occurrence", metavar="DATE", help="change only this occurrence's room/link")
@click.option(
    "--from-occurrence", metavar="DATE", help="this and following: a new series from DATE"
)
@pass_session
def edit_meeting(
    session: Session,
    meeting_id: int,
    add_attendee: tuple[str, ...],
    add_group: tuple[str, ...],
    remove_attendee: tuple[str, ...],
    occurrence: str | None,
    from_occurrence: str | None,
    **fields: str | None,
) -> None:
    """\b
    Change a meeting; --occurrence for one occurrence's room or link,
    --from-occurrence for this and following.
    """
    from docket.models.meetings import series as meetings
    from docket.models.meetings.changes import relocate_occurrence

    changes: dict[str, Any] = {n: fields[n] for n in _EDIT_FIELDS if fields[n] is not None}
    people = {
        "add_attendees": list(add_attendee),
        "add_groups": list(add_group),
        "remove_attendees": list(remove_attendee),
    }
    if occurrence:
        extra = set(changes) - {"location", "link"}
        if extra or any(people.values()):
            raise ValidationError(
                "occurrence",
                "one occurrence takes --location and --link; move it with 'docket meeting move'",
            )
        relocated = relocate_occurrence(
            session.ctx,
            meeting_id,
            occurrence,
            location=changes.get("location"),
            link=changes.get("link"),
        )
        session.print(f"#{meeting_id} on {relocated.start:%a %d %b %Y}: {relocated.location}")
        return
    if not changes and not any(people.values()):
        raise ValidationError("edit", "nothing to change")
    if from_occurrence:
        new = meetings.split_series(session.ctx, meeting_id, from_occurrence, **changes, **people)
        session.print(f"#{meeting_id} ends before {from_occurrence}; new series #{new.id}")
        return
    updated = meetings.update_meeting(session.ctx, meeting_id, None, **changes, **people)
    session.print(f"#{updated.id} updated (sequence {updated.sequence})")


@meeting.command("respond")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.argument("who")
@click.argument("response")
@pass_session
def respond(session: Session, meeting_id: int, who: str, response: str) -> None:
    """Record an attendee's response (accepted, declined, tentative or 'needs action')."""
    from docket.models.meetings.attendees import set_response

    attendee = set_response(session.ctx, meeting_id, who, response)
    session.print(f"#{meeting_id}: {clean(attendee.person.name)} {attendee.response}")


def _occurrence_start(session: Session, meeting_id: int, typed: str | None) -> datetime:
    from docket.models.meetings import series as meetings
    from docket.models.meetings.times import series_start

    found = meetings.get_meeting(meeting_id)
    if not typed:
        if found.rrule:
            raise ValidationError("occurrence", "which occurrence? give --occurrence DATE")
        return series_start(found).astimezone(UTC)
    return find_occurrence(session.ctx, found, typed)


@meeting.command("agenda")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.option("--occurrence", metavar="DATE")
@click.option("--set", "text", metavar="TEXT", help="write this occurrence's agenda")
@format_option("text", "json")
@pass_session
def agenda(
    session: Session, meeting_id: int, occurrence: str | None, text: str | None, fmt: str
) -> None:
    """One occurrence's agenda with carried-over actions."""
    from docket.models.meetings.minutes import agenda_of, set_agenda

    original = _occurrence_start(session, meeting_id, occurrence)
    if text is not None:
        set_agenda(session.ctx, meeting_id, original, text)
    found = agenda_of(meeting_id, original)
    if fmt == "json":
        write_json(found, session.out)
        return
    for line in (found["text"] or "(no agenda)").splitlines():
        session.print(clean(line))
    if found["carried_actions"]:
        session.print("")
        session.print("Open actions from earlier meetings:")
        for a in found["carried_actions"]:
            owner = f" ({clean(a['owner'])})" if a["owner"] else ""
            session.print(f"  #{a['id']} {clean(a['title'])}{owner}, {a['age_days']} days old")


@meeting.command("minutes")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.option("--occurrence", metavar="DATE")
@click.option("--notes")
@click.option("--attendance")
@click.option(
    "--decision",
    multiple=True,
    metavar="TEXT",
    help="record a decision taken here (repeat for more; each prints its id)",
)
@click.option("--decided-by", metavar="WHO", help="who took the decisions given")
@click.option("--action", metavar="TITLE", help="raise an action item from the minutes")
@click.option("--owner", metavar="WHO")
@click.option("--due", metavar="WHEN")
@pass_session
def minutes(
    session: Session,
    meeting_id: int,
    occurrence: str | None,
    notes: str | None,
    attendance: str | None,
    decision: tuple[str, ...],
    decided_by: str | None,
    action: str | None,
    owner: str | None,
    due: str | None,
) -> None:
    """Write one occurrence's minutes, record its decisions, raise action items."""
    from docket.models.meetings.minutes import record_minutes

    original = _occurrence_start(session, meeting_id, occurrence)
    written = record_minutes(
        session.ctx,
        meeting_id,
        original,
        notes=notes,
        attendance=attendance,
        decisions=list(decision),
        decided_by=decided_by,
        action=action,
        owner=owner,
        due=due,
    )
    if written.minutes:
        session.print(f"#{meeting_id}: minutes saved")
    for made in [*written.decisions, *written.actions]:
        session.print(str(made))
