"""Invites delivered: written as .ics or .eml files, or sent by SMTP, and noted in the send
ledger per recipient: exported (a file was written), sent (the server accepted the address)
or refused (with the server's reply). The command line (``docket invite``) and the app's
meeting screen both come here.

A REQUEST for a whole meeting also goes, as a CANCEL, to anyone who held it and no longer
attends, so removed attendees' calendars are cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from docket.exports.calendar import ical_invite
from docket.exports.mail import smtp as mail
from docket.models.core.config import MailSettings
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.files import write_new
from docket.models.core.schema import Person
from docket.models.meetings.invites import record_deliveries, removed_holders
from docket.models.meetings.occurrences import occurrence_at
from docket.models.meetings.recurrence import describe
from docket.models.meetings.series import get_meeting
from docket.models.meetings.times import series_start


@dataclass
class Delivery:
    """What delivering an invite did, for the user to read."""

    method: str
    sequence: int
    # lines saying what was written or sent ("wrote x.eml (REQUEST to 3)")
    done: list[str] = field(default_factory=list)
    # attendees left out: no e-mail address
    skipped: list[Person] = field(default_factory=list)
    # addresses the SMTP server refused, with its reply (code and words)
    refused: dict[str, str] = field(default_factory=dict)

    def refusals(self) -> list[str]:
        """One line per refused address: who, and what the server said."""
        return [
            f"{email} was refused by the server: {reply}" for email, reply in self.refused.items()
        ]


def invite_message(made: ical_invite.Invite, settings: MailSettings, now: datetime) -> EmailMessage:
    """The e-mail for an invite: a short text of what, when and where, and the calendar."""
    meeting = made.meeting
    organizer = meeting.organizer if meeting.__data__.get("organizer") else None
    sender_email = settings.sender or (organizer.email if organizer else None)
    if not sender_email:
        raise ValidationError(
            "sender",
            "set [mail] sender in the config, or give the meeting an organizer with an e-mail",
        )
    sender = mail.Address(organizer.name if organizer else "docket", sender_email)
    start = series_start(meeting)
    if made.occurrence is not None:
        start = occurrence_at(meeting, made.occurrence).start
    verb = "Cancelled" if made.method == "CANCEL" else "Invitation"
    if made.method == "REQUEST" and meeting.sequence:
        verb = "Updated invitation"
    subject = f"{verb}: {meeting.title} @ {start:%a %d %b %Y %H:%M} ({meeting.timezone})"
    lines = [
        f"{verb}: {meeting.title}",
        "",
        f"When: {start:%A %d %B %Y, %H:%M} {meeting.timezone}, {meeting.duration_minutes} minutes",
    ]
    if meeting.rrule and made.occurrence is None:
        lines.append(f"Repeats: {describe(meeting.rrule, meeting.timezone)}")
    if meeting.location:
        lines.append(f"Where: {meeting.location}")
    if meeting.link:
        lines.append(f"Join: {meeting.link}")
    if meeting.agenda and made.method != "CANCEL":
        lines += ["", "Agenda:", meeting.agenda]
    return mail.build_message(
        sender=sender,
        to=[mail.Address(p.name, p.email or "") for p in made.recipients],
        subject=subject,
        text="\n".join(lines) + "\n",
        calendar=made.ics,
        calendar_method=made.method,
        date=now,
    )


def write_file(path: Path, content: bytes, *, force: bool = False) -> Path:
    """Write ``content`` as a new file ``path``; an existing name is refused unless
    ``force`` (see :func:`docket.models.core.files.write_new`). Returns the path written."""
    return write_new(path, content, force=force)


def deliver_invite(
    ctx: Context,
    meeting_id: int,
    settings: MailSettings,
    *,
    occurrence: datetime | None = None,
    cancel: bool = False,
    ics: Path | None = None,
    eml: Path | None = None,
    send: bool = False,
    force: bool = False,
) -> Delivery:
    """Make a meeting's invite (or one occurrence's) and write it as ``ics``, as ``eml``, or
    send it; every copy is noted in the send ledger. An existing file is replaced only with
    ``force``."""
    if not (ics or eml or send):
        raise ValidationError("invite", "where to? give a .ics file, an .eml file or send it")
    made = ical_invite.invite(meeting_id, ctx.now(), occurrence=occurrence, cancel=cancel)
    result = Delivery(made.method, get_meeting(meeting_id).sequence, skipped=made.skipped)
    messages = [made]
    if occurrence is None and made.method == "REQUEST":
        gone = removed_holders(meeting_id)
        if gone:
            messages.append(ical_invite.invite(meeting_id, ctx.now(), cancel=True, recipients=gone))
    if ics is not None:
        target = write_file(ics, made.ics, force=force)
        result.done.append(f"wrote {target} (METHOD:{made.method}, sequence {result.sequence})")
    for index, one in enumerate(messages):
        if not (eml or send) or not one.recipients:
            continue
        message = invite_message(one, settings, ctx.now())
        if eml is not None:
            path = eml.expanduser()
            if index:
                path = path.with_name(f"{path.stem}-cancel{path.suffix}")
            mail.write_eml(message, path, force=force)
            result.done.append(f"wrote {path} ({one.method} to {len(one.recipients)})")
        if send:
            sent = mail.send(message, settings)
            result.refused.update(sent.refused)
            result.done.append(_sent_words(one, sent))
            _note(ctx, meeting_id, one, "smtp", sent.refused)
        else:
            _note(ctx, meeting_id, one, "file")
    if ics is not None and not (eml or send):
        _note(ctx, meeting_id, made, "file")
    return result


def _sent_words(made: ical_invite.Invite, sent: mail.Sent) -> str:
    """``sent REQUEST to 3``, ``sent REQUEST to 2 of 3 (1 refused)``, or that nobody got it."""
    count = len(made.recipients)
    if not sent.refused:
        return f"sent {made.method} to {count}"
    if not sent.accepted:
        return f"sent {made.method} to nobody: the server refused all {count}"
    return f"sent {made.method} to {len(sent.accepted)} of {count} ({len(sent.refused)} refused)"


def _note(
    ctx: Context,
    meeting_id: int,
    made: ical_invite.Invite,
    channel: str,
    refused: dict[str, str] | None = None,
) -> None:
    record_deliveries(
        ctx,
        get_meeting(meeting_id),
        made.recipients,
        method=made.method,
        channel=channel,
        occurrence=made.occurrence,
        refused=refused,
    )
