"""``docket invite`` and ``docket calendar``: meetings as files other calendars read.

An invite (METHOD:REQUEST or CANCEL) goes to a .ics file, an e-mail file or out by SMTP
through :mod:`docket.exports.mail.invite_mail`; a calendar feed (METHOD:PUBLISH) of meetings
and milestones comes from :mod:`docket.exports.calendar.ical_feed`. No rule lives here.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import click

from docket.models.core.errors import ValidationError
from docket.models.core.inputs import a_date, window
from docket.tui.cli.groups import command
from docket.tui.cli.output import clean
from docket.tui.cli.params import an_id, force_option
from docket.tui.cli.session import Session, pass_session


@command("invite")
@click.argument("meeting_id", metavar="ID", type=an_id("id"))
@click.option("--occurrence", metavar="DATE", help="only this occurrence")
@click.option("--cancel", is_flag=True, help="the cancellation")
@click.option("-o", "--output", metavar="FILE.ics")
@click.option("--eml", metavar="FILE.eml", help="an e-mail file any mail program sends")
@click.option("--send", is_flag=True, help="send by SMTP (the config's [mail])")
@force_option
@pass_session
def invite(
    session: Session,
    meeting_id: int,
    occurrence: str | None,
    cancel: bool,
    output: str | None,
    eml: str | None,
    send: bool,
    force: bool,
) -> int:
    """An invite (METHOD:REQUEST or CANCEL) as .ics, .eml, or sent by SMTP."""
    from docket.exports.mail.invite_mail import deliver_invite
    from docket.models.meetings import series as meetings
    from docket.models.meetings.occurrences import find_occurrence

    if not (output or eml or send):
        raise ValidationError("invite", "where to? give -o FILE.ics, --eml FILE.eml or --send")
    ctx = session.ctx
    found = meetings.get_meeting(meeting_id)
    original = find_occurrence(ctx, found, occurrence) if occurrence else None
    done = deliver_invite(
        ctx,
        meeting_id,
        session.config.mail,
        occurrence=original,
        cancel=cancel,
        ics=Path(output) if output else None,
        eml=Path(eml) if eml else None,
        send=send,
        force=force,
    )
    for person in done.skipped:
        session.err.write(f"docket: {clean(person.name)} has no e-mail address; left out\n")
    for line in done.done:
        session.print(line)
    # a refused address received nothing: each is named with the server's words
    for line in done.refusals():
        session.err.write(f"docket: {clean(line)}\n")
    return 1 if done.refused else 0


@command("calendar")
@click.option("--program", metavar="CODE")
@click.option("--from", "start", metavar="WHEN")
@click.option("--to", "end", metavar="WHEN")
@click.option("-o", "--output", metavar="FILE.ics", required=True)
@force_option
@pass_session
def calendar(
    session: Session,
    program: str | None,
    start: str | None,
    end: str | None,
    output: str,
    force: bool,
) -> None:
    """A calendar file (METHOD:PUBLISH) of meetings and milestones."""
    # the feed and the file writer only: the invite's modules (mail, series) are not needed
    from docket.exports.calendar import ical_feed
    from docket.models.core.files import write_new

    ctx = session.ctx
    window_start = window_end = None
    if start or end:
        first = a_date(ctx, "from", start) or ctx.today()
        last = a_date(ctx, "to", end) or first + timedelta(days=365)
        first, last = window("to", first, last)
        window_start = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
        window_end = datetime.combine(last + timedelta(days=1), time(0), ctx.tz).astimezone(UTC)
    content = ical_feed.feed(
        ctx.now(), program=program, window_start=window_start, window_end=window_end
    )
    target = write_new(Path(output), content, force=force)
    events = content.count(b"BEGIN:VEVENT")
    session.print(f"wrote {target} ({events} events, METHOD:PUBLISH)")
