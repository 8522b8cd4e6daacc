"""Meetings in from calendar files: Outlook and Google exports, docket's own, and replies.

A calendar file is read whole before anything is written, then imported in one transaction:
each series goes in with its moved, relocated, retitled and cancelled occurrences, or not at
all (a savepoint per series), so nothing is half-imported. An event that cannot be imported
is reported with its UID or title, the line it starts on and the reason: a property that
cannot be read, a line that is not a property, a zone no one knows, a rule docket cannot
keep. A file that is not iCalendar (not UTF-8, no VCALENDAR, a component never closed)
imports nothing and says why in one line.

Times keep the instant the file means: a TZID is read through the file's own VTIMEZONE and
the meeting gets the IANA zone with the same rules, found by name (IANA, Windows names such
as ``W. Europe Standard Time``, ``/vendor/Area/City``) or, for a custom zone, by comparing
offsets over the year. A UTC time takes the calendar's X-WR-TIMEZONE, else UTC; a floating
time and an all-day date take the calendar's zone, else yours. An all-day event (a DATE
start) is an all-day meeting; one that spans several days is refused (a meeting lasts one
day at most). A METHOD:REPLY file updates the answering attendees' responses.

The imported meeting keeps the file's UID and SEQUENCE (the highest of the series' events),
so docket's later invites update the events already in attendees' calendars instead of
duplicating them. What docket's own export adds is taken off again (the "Join: URL" line of
a description, the link written as LOCATION when there is no room), so importing docket's
calendar into another docket and exporting it again gives the same file.

The file is read by :mod:`~docket.exports.calendar.ical_read`, its zones found by
:mod:`~docket.exports.calendar.ical_tzid`, each event read by
:mod:`~docket.exports.calendar.ical_fields`; meetings go in by
:mod:`~docket.exports.calendar.ical_meetings`, replies by
:mod:`~docket.exports.calendar.ical_replies`, and both are told in
:mod:`~docket.exports.calendar.ical_report`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from docket.exports.calendar.ical_meetings import import_meetings
from docket.exports.calendar.ical_read import read_calendar
from docket.exports.calendar.ical_replies import import_replies
from docket.exports.calendar.ical_report import ImportReport
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.meetings.series import program_for_new


class _DryRun(Exception):
    """Roll the whole import back: it was only a rehearsal."""


def import_calendar(
    ctx: Context,
    data: bytes,
    *,
    program: str | None = None,
    dry_run: bool = False,
    encoding: str | None = None,
) -> ImportReport:
    """Import the meetings of a calendar file (or the replies of a METHOD:REPLY one).

    A file that is not a calendar, and a program that does not exist, are refused before
    anything is read further (ValidationError, NotFoundError); every event that cannot be
    imported is in the report's ``skipped``.
    """
    source = read_calendar(data, encoding)
    method = str(source.calendar.get("METHOD", "PUBLISH")).strip().upper()
    report = ImportReport(method=method, dry_run=dry_run)
    if method != "REPLY" and (program or source.spans):
        program_for_new(program)
    try:
        with _set_aside(), write():
            if method == "REPLY":
                import_replies(ctx, source, report)
            else:
                import_meetings(ctx, source, program, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


@contextmanager
def _set_aside() -> Iterator[None]:
    """What exists now (the calendar read: millions of objects for a 50 MB file) left out
    of the cycle collector's walks until the import ends: it is kept, not garbage, and
    each full collection while the meetings are written would walk all of it again
    (seconds of the import). Another's freeze is theirs to undo: then nothing is done."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
