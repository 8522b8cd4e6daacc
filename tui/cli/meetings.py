"""``docket meeting ...``: meetings, series and their occurrences from the command line.

Handlers call :mod:`docket.models.meetings.series` and print the result; no rule lives here.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docket.exports.tabular.tables import write_json
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import a_date, whole_number, window
from docket.models.meetings import series as meetings
from docket.tui.cli.commands import _emit
from docket.tui.cli.main import a_window, add_force, add_format, an_id, verbs
from docket.tui.cli.output import clean

if TYPE_CHECKING:
    from docket.tui.cli.main import Session


def register(sub: Any) -> None:
    """Add ``docket meeting`` and its verbs."""
    group = verbs(sub, "meeting", "meetings and series: occurrences, moves, cancellations")

    p = group.add_parser("add", help="add a meeting or a series (prints its id)")
    p.add_argument("title")
    p.add_argument("--start", required=True, metavar="WHEN", help="e.g. 'next tue 10:00'")
    p.add_argument("--duration", default="60m", help="60m, 1h30m, 90 (minutes)")
    p.add_argument("--tz", dest="timezone", metavar="AREA/CITY", help="default: your zone")
    p.add_argument("--repeat", metavar="RULE", help="'weekly on tue,thu until 2027-06-30', RRULE")
    p.add_argument(
        "--attendee", action="append", default=[], metavar="WHO", help="WHO or WHO:optional"
    )
    p.add_argument("--group", action="append", default=[], metavar="NAME")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--location", default="")
    p.add_argument("--link", default="", metavar="URL")
    p.add_argument("--organizer", metavar="WHO", help="default: you")
    p.add_argument("--agenda", default="")
    p.set_defaults(handler=meeting_add)

    p = group.add_parser("list", help="occurrences in a period, series expanded")
    p.add_argument("--from", dest="start", metavar="WHEN", help="first day (default today)")
    p.add_argument("--days", type=a_window("days"), default=7)
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--meeting", type=an_id("meeting"), metavar="ID")
    p.add_argument("--no-cancelled", action="store_true", help="leave cancelled ones out")
    add_format(p, "table", "json", "csv")
    p.set_defaults(handler=meeting_list)

    p = group.add_parser("show", help="one meeting: attendees, changes, next occurrences")
    p.add_argument("id", type=an_id("id"))
    add_format(p, "text", "json")
    p.set_defaults(handler=meeting_show)

    p = group.add_parser("move", help="move one occurrence (or a single meeting)")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--occurrence", metavar="DATE", help="which occurrence of a series")
    p.add_argument("--to", required=True, metavar="WHEN", help="'2026-12-09 15:00' or '15:00'")
    p.add_argument("--duration")
    p.set_defaults(handler=meeting_move)

    p = group.add_parser("cancel", help="cancel a meeting, a series, or one occurrence")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--occurrence", metavar="DATE")
    p.set_defaults(handler=meeting_cancel)

    p = group.add_parser("restore", help="undo the cancellation of a meeting or an occurrence")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--occurrence", metavar="DATE")
    p.set_defaults(handler=meeting_restore)

    p = group.add_parser(
        "edit",
        help="change a meeting; --occurrence for one occurrence's room or link, "
        "--from-occurrence for this and following",
    )
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--title")
    p.add_argument("--start", metavar="WHEN")
    p.add_argument("--duration")
    p.add_argument("--tz", dest="timezone", metavar="AREA/CITY")
    p.add_argument("--repeat", metavar="RULE", help="'' makes a series a single meeting")
    p.add_argument("--location")
    p.add_argument("--link", metavar="URL")
    p.add_argument("--agenda")
    p.add_argument("--status", help="confirmed or tentative")
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--organizer", metavar="WHO")
    p.add_argument("--add-attendee", action="append", default=[], metavar="WHO")
    p.add_argument("--add-group", action="append", default=[], metavar="NAME")
    p.add_argument("--remove-attendee", action="append", default=[], metavar="WHO")
    p.add_argument("--occurrence", metavar="DATE", help="change only this occurrence's room/link")
    p.add_argument(
        "--from-occurrence", metavar="DATE", help="this and following: a new series from DATE"
    )
    p.set_defaults(handler=meeting_edit)

    p = group.add_parser("respond", help="record an attendee's response")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("who")
    p.add_argument("response", help="accepted, declined, tentative or 'needs action'")
    p.set_defaults(handler=meeting_respond)

    p = group.add_parser("agenda", help="one occurrence's agenda with carried-over actions")
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--occurrence", metavar="DATE")
    p.add_argument("--set", dest="text", metavar="TEXT", help="write this occurrence's agenda")
    add_format(p, "text", "json")
    p.set_defaults(handler=meeting_agenda)

    p = group.add_parser(
        "minutes", help="write one occurrence's minutes, record its decisions, raise action items"
    )
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--occurrence", metavar="DATE")
    p.add_argument("--notes")
    p.add_argument("--attendance")
    p.add_argument(
        "--decision",
        metavar="TEXT",
        action="append",
        default=[],
        help="record a decision taken here (repeat for more; each prints its id)",
    )
    p.add_argument("--decided-by", metavar="WHO", help="who took the decisions given")
    p.add_argument("--action", metavar="TITLE", help="raise an action item from the minutes")
    p.add_argument("--owner", metavar="WHO")
    p.add_argument("--due", metavar="WHEN")
    p.set_defaults(handler=meeting_minutes)

    p = sub.add_parser(
        "invite", help="an invite (METHOD:REQUEST or CANCEL) as .ics, .eml, or sent by SMTP"
    )
    p.add_argument("id", type=an_id("id"))
    p.add_argument("--occurrence", metavar="DATE", help="only this occurrence")
    p.add_argument("--cancel", action="store_true", help="the cancellation")
    p.add_argument("-o", "--output", metavar="FILE.ics")
    p.add_argument("--eml", metavar="FILE.eml", help="an e-mail file any mail program sends")
    p.add_argument("--send", action="store_true", help="send by SMTP (the config's [mail])")
    add_force(p)
    p.set_defaults(handler=invite)

    p = sub.add_parser(
        "calendar", help="a calendar file (METHOD:PUBLISH) of meetings and milestones"
    )
    p.add_argument("--program", metavar="CODE")
    p.add_argument("--from", dest="start", metavar="WHEN")
    p.add_argument("--to", dest="end", metavar="WHEN")
    p.add_argument("-o", "--output", metavar="FILE.ics", required=True)
    add_force(p)
    p.set_defaults(handler=calendar)


def meeting_add(session: Session, args: argparse.Namespace) -> int:
    meeting = meetings.add_meeting(
        session.ctx,
        args.title,
        start=args.start,
        duration=args.duration,
        timezone=args.timezone,
        repeat=args.repeat,
        attendees=args.attendee,
        groups=args.group,
        program=args.program,
        location=args.location,
        link=args.link,
        organizer=args.organizer,
        agenda=args.agenda,
    )
    session.print(str(meeting.id))
    _warn_organizer(session, int(meeting.id))
    return 0


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


# how an all-day meeting's time reads in lists
ALL_DAY = "all day"
OCCURRENCE_COLUMNS = [
    "local_start",
    "end",
    "meeting",
    "program",
    "title",
    "location",
    "state",
]


def meeting_list(session: Session, args: argparse.Namespace) -> int:
    ctx = session.ctx
    first = a_date(ctx, "from", args.start) or ctx.today()
    days = whole_number("days", args.days, minimum=1, maximum=3660)
    start = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=days), time(0), ctx.tz).astimezone(UTC)
    flt = meetings.OccurrenceFilter(
        program=args.program, meeting_id=args.meeting, include_cancelled=not args.no_cancelled
    )
    found = meetings.list_occurrences(start, end, flt)
    rows = [meetings.occurrence_facts(o, ctx.tz) for o in found]
    if args.format != "table":
        return _emit(session, args.format, rows, list(rows[0]) if rows else ["meeting"])
    for row, occurrence in zip(rows, found, strict=True):
        row["end"] = occurrence.end.astimezone(ctx.tz).time().isoformat(timespec="minutes")
        if occurrence.all_day:
            row["local_start"], row["end"] = f"{row['local_start'][:10]} {ALL_DAY}", ""
        state = [occurrence.status] if occurrence.status != "confirmed" else []
        if occurrence.moved:
            state.append("moved")
        if occurrence.timezone != getattr(ctx.tz, "key", None) and not occurrence.all_day:
            state.append(f"{occurrence.start.time().isoformat('minutes')} {occurrence.timezone}")
        row["state"] = ", ".join(state)
    headers = ["start", "end", "id", "program", "title", "location", ""]
    return _emit(session, "table", rows, OCCURRENCE_COLUMNS, headers=headers, flexible=4)


def meeting_show(session: Session, args: argparse.Namespace) -> int:
    from docket.models.meetings.invites import delivery_state

    detail = meetings.meeting_detail(args.id)
    detail["deliveries"] = delivery_state(args.id)
    meeting = meetings.get_meeting(args.id)
    upcoming = meetings.next_occurrences(meeting, session.ctx.now(), 5)
    detail["next"] = [meetings.occurrence_facts(o, session.ctx.tz) for o in upcoming]
    if args.format == "json":
        write_json(detail, session.out)
        return 0
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
    return 0


def meeting_move(session: Session, args: argparse.Namespace) -> int:
    meeting = meetings.get_meeting(args.id)
    if meeting.rrule and not args.occurrence:
        raise ValidationError("occurrence", "which occurrence? give --occurrence DATE")
    moved = meetings.move_occurrence(
        session.ctx, args.id, args.occurrence or "", args.to, duration=args.duration
    )
    session.print(f"#{args.id} moved to {moved.start:%a %d %b %Y %H:%M} {moved.timezone}")
    return 0


def meeting_cancel(session: Session, args: argparse.Namespace) -> int:
    if args.occurrence:
        occurrence = meetings.cancel_occurrence(session.ctx, args.id, args.occurrence)
        session.print(f"#{args.id} cancelled on {occurrence.start:%a %d %b %Y %H:%M}")
    else:
        meetings.cancel_meeting(session.ctx, args.id)
        session.print(f"#{args.id} cancelled")
    return 0


def meeting_restore(session: Session, args: argparse.Namespace) -> int:
    if args.occurrence:
        occurrence = meetings.restore_occurrence(session.ctx, args.id, args.occurrence)
        session.print(f"#{args.id} restored on {occurrence.start:%a %d %b %Y %H:%M}")
    else:
        meetings.restore_meeting(session.ctx, args.id)
        session.print(f"#{args.id} restored")
    return 0


_EDIT_FIELDS = (
    "title", "start", "duration", "timezone", "repeat", "location", "link", "agenda",
    "status", "program", "organizer",
)  # fmt: skip


def meeting_edit(session: Session, args: argparse.Namespace) -> int:
    changes = {n: getattr(args, n) for n in _EDIT_FIELDS if getattr(args, n) is not None}
    people = {
        "add_attendees": args.add_attendee,
        "add_groups": args.add_group,
        "remove_attendees": args.remove_attendee,
    }
    if args.occurrence:
        extra = set(changes) - {"location", "link"}
        if extra or any(people.values()):
            raise ValidationError(
                "occurrence",
                "one occurrence takes --location and --link; move it with 'docket meeting move'",
            )
        occurrence = meetings.relocate_occurrence(
            session.ctx,
            args.id,
            args.occurrence,
            location=changes.get("location"),
            link=changes.get("link"),
        )
        session.print(f"#{args.id} on {occurrence.start:%a %d %b %Y}: {occurrence.location}")
        return 0
    if not changes and not any(people.values()):
        raise ValidationError("edit", "nothing to change")
    if args.from_occurrence:
        new = meetings.split_series(session.ctx, args.id, args.from_occurrence, **changes, **people)
        session.print(f"#{args.id} ends before {args.from_occurrence}; new series #{new.id}")
        return 0
    updated = meetings.update_meeting(session.ctx, args.id, None, **changes, **people)
    session.print(f"#{updated.id} updated (sequence {updated.sequence})")
    return 0


def meeting_respond(session: Session, args: argparse.Namespace) -> int:
    attendee = meetings.set_response(session.ctx, args.id, args.who, args.response)
    session.print(f"#{args.id}: {clean(attendee.person.name)} {attendee.response}")
    return 0


def _occurrence_start(session: Session, meeting_id: int, typed: str | None) -> datetime:
    meeting = meetings.get_meeting(meeting_id)
    if not typed:
        if meeting.rrule:
            raise ValidationError("occurrence", "which occurrence? give --occurrence DATE")
        return meetings.series_start(meeting).astimezone(UTC)
    return meetings.find_occurrence(session.ctx, meeting, typed)


def meeting_agenda(session: Session, args: argparse.Namespace) -> int:
    original = _occurrence_start(session, args.id, args.occurrence)
    if args.text is not None:
        meetings.set_agenda(session.ctx, args.id, original, args.text)
    agenda = meetings.agenda_of(args.id, original)
    if args.format == "json":
        write_json(agenda, session.out)
        return 0
    for line in (agenda["text"] or "(no agenda)").splitlines():
        session.print(clean(line))
    if agenda["carried_actions"]:
        session.print("")
        session.print("Open actions from earlier meetings:")
        for a in agenda["carried_actions"]:
            owner = f" ({clean(a['owner'])})" if a["owner"] else ""
            session.print(f"  #{a['id']} {clean(a['title'])}{owner}, {a['age_days']} days old")
    return 0


def meeting_minutes(session: Session, args: argparse.Namespace) -> int:
    original = _occurrence_start(session, args.id, args.occurrence)
    written = meetings.record_minutes(
        session.ctx,
        args.id,
        original,
        notes=args.notes,
        attendance=args.attendance,
        decisions=args.decision,
        decided_by=args.decided_by,
        action=args.action,
        owner=args.owner,
        due=args.due,
    )
    if written.minutes:
        session.print(f"#{args.id}: minutes saved")
    for made in [*written.decisions, *written.actions]:
        session.print(str(made))
    return 0


def invite(session: Session, args: argparse.Namespace) -> int:
    from docket.exports.mail.invite_mail import deliver_invite

    if not (args.output or args.eml or args.send):
        raise ValidationError("invite", "where to? give -o FILE.ics, --eml FILE.eml or --send")
    ctx = session.ctx
    meeting = meetings.get_meeting(args.id)
    occurrence = (
        meetings.find_occurrence(ctx, meeting, args.occurrence) if args.occurrence else None
    )
    done = deliver_invite(
        ctx,
        args.id,
        session.config.mail,
        occurrence=occurrence,
        cancel=args.cancel,
        ics=Path(args.output) if args.output else None,
        eml=Path(args.eml) if args.eml else None,
        send=args.send,
        force=args.force,
    )
    for person in done.skipped:
        session.err.write(f"docket: {clean(person.name)} has no e-mail address; left out\n")
    for line in done.done:
        session.print(line)
    # a refused address received nothing: each is named with the server's words
    for line in done.refusals():
        session.err.write(f"docket: {clean(line)}\n")
    return 1 if done.refused else 0


def calendar(session: Session, args: argparse.Namespace) -> int:
    from docket.exports.calendar import ical

    ctx = session.ctx
    window_start = window_end = None
    if args.start or args.end:
        first = a_date(ctx, "from", args.start) or ctx.today()
        last = a_date(ctx, "to", args.end) or first + timedelta(days=365)
        first, last = window("to", first, last)
        window_start = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
        window_end = datetime.combine(last + timedelta(days=1), time(0), ctx.tz).astimezone(UTC)
    content = ical.feed(
        ctx.now(), program=args.program, window_start=window_start, window_end=window_end
    )
    from docket.exports.mail.invite_mail import write_file

    target = write_file(Path(args.output), content, force=args.force)
    events = content.count(b"BEGIN:VEVENT")
    session.print(f"wrote {target} ({events} events, METHOD:PUBLISH)")
    return 0
