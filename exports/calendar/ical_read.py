"""A calendar file read whole, before anything is written: its lines unfolded, its
components checked to nest, and where each VEVENT starts in the file, so that an event
which cannot be imported is reported with its line. A file that is not iCalendar (not
UTF-8, no VCALENDAR, a component never closed) is refused in one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from icalendar import Calendar, Component
from icalendar.parser import Contentline

from docket.models.core.errors import ValidationError
from docket.models.core.inputs import file_text, shown

# the properties an import reads: one of them that cannot be read makes its event unreadable
# (others, such as CREATED or X-MICROSOFT-..., are left alone)
READ = frozenset(
    {
        "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "SEQUENCE", "DTSTART",
        "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "ORGANIZER",
        "ATTENDEE",
    }
)  # fmt: skip


# failures of a library reading a value docket did not expect: the event is unreadable
UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


class Skip(Exception):
    """This event cannot be imported, for the reason given; ``event`` is the one at fault
    when it is not the series' main event (a changed occurrence)."""

    def __init__(self, why: str, event: Component | None = None) -> None:
        super().__init__(why)
        self.event = event


@dataclass(frozen=True)
class _Line:
    """One content line, unfolded, with the number of its first line in the file."""

    number: int
    text: str

    @property
    def name(self) -> str:
        return re.split(r"[;:]", self.text, maxsplit=1)[0].strip().upper()


@dataclass
class _Span:
    """Where one VEVENT of the calendar is in the file, and a line of it that is not a
    property (None: all are)."""

    begin: int
    lines: list[_Line] = field(default_factory=list)
    unparsable: _Line | None = None


@dataclass
class Source:
    """A calendar file read: the calendar, and where each of its events is in the file."""

    calendar: Calendar
    spans: dict[int, _Span]

    def span(self, event: Component) -> _Span | None:
        return self.spans.get(id(event))

    def line(self, event: Component) -> int | None:
        found = self.span(event)
        return found.begin if found is not None else None

    def property_line(self, event: Component, name: str) -> int | None:
        found = self.span(event)
        if found is None:
            return None
        return next((ln.number for ln in found.lines if ln.name == name.upper()), None)


def _unfolded(text: str) -> Iterator[_Line]:
    """Content lines with folding undone (RFC 5545 3.1), blank lines left out."""
    current: _Line | None = None
    for number, physical in enumerate(text.splitlines(), 1):
        if physical[:1] in (" ", "\t") and current is not None:
            current = _Line(current.number, current.text + physical[1:])
            continue
        if current is not None:
            yield current
        current = _Line(number, physical) if physical.strip() else None
    if current is not None:
        yield current


def _not_calendar(why: str) -> ValidationError:
    return ValidationError("file", f"expected an iCalendar file (.ics): {why}")


def _outline(text: str) -> tuple[list[_Line], list[_Span]]:
    """The lines to parse and the VEVENTs of the first calendar; a file whose components
    do not nest (one never closed, one closed that was not open) is refused, naming the
    line. A line that is not a property is left out: in an event it makes that event
    unreadable, elsewhere the file."""
    kept: list[_Line] = []
    spans: list[_Span] = []
    stack: list[tuple[str, int]] = []
    current: _Span | None = None
    calendars = 0
    for line in _unfolded(text):
        if not kept and line.text.strip().upper() != "BEGIN:VCALENDAR":
            raise _not_calendar(f"it starts with {shown(line.text)}, not BEGIN:VCALENDAR")
        key, _, value = line.text.partition(":")
        key, value = key.strip().upper(), value.strip().upper()
        if calendars and not stack:
            break  # a second calendar in the file: the first is the one imported
        if key == "BEGIN":
            stack.append((value, line.number))
            if value == "VEVENT" and len(stack) == 2:
                current = _Span(line.number)
                spans.append(current)
        elif key == "END":
            if not stack:
                raise _not_calendar(f"line {line.number}: END:{value} closes nothing")
            opened, at = stack[-1]
            if opened != value:
                raise _not_calendar(
                    f"line {line.number}: END:{value} where BEGIN:{opened} of line {at} "
                    f"is still open (an END:{opened} is missing)"
                )
            stack.pop()
            if len(stack) == 1:
                current = None
            if not stack:
                calendars += 1
        else:
            try:
                Contentline(line.text).parts()
            except ValueError:
                if current is None:
                    raise _not_calendar(
                        f"line {line.number} is not a property (NAME:value): {shown(line.text)}"
                    ) from None
                current.unparsable = current.unparsable or line
                continue
        if current is not None:
            current.lines.append(line)
        kept.append(line)
    if stack:
        opened, at = stack[-1]
        raise _not_calendar(
            f"line {at}: BEGIN:{opened} has no END:{opened} (is the file cut short?)"
        )
    if not kept:
        raise _not_calendar("the file is empty")
    return kept, spans


def read_calendar(data: bytes, encoding: str | None = None) -> Source:
    """The calendar in ``data`` and where its events are; a file that is not one is a
    ValidationError naming the line at fault."""
    kept, spans = _outline(file_text(data, encoding))
    try:
        calendar = Calendar.from_ical("\r\n".join(line.text for line in kept) + "\r\n")
    except UNREADABLE as exc:
        raise _not_calendar(str(exc)) from None
    if calendar.name != "VCALENDAR":
        raise _not_calendar("expected a VCALENDAR")
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    by_event = {id(e): s for e, s in zip(events, spans, strict=False)}
    return Source(calendar, by_event if len(events) == len(spans) else {})


def check_readable(event: Component, source: Source) -> None:
    """Refuse an event with a line that is not a property or a property it needs that
    cannot be read, naming the property and its line."""
    span = source.span(event)
    if span is not None and span.unparsable is not None:
        bad = span.unparsable
        raise Skip(f"line {bad.number} is not a property (NAME:value): {shown(bad.text)}", event)
    for name, message in event.errors:
        if name is not None and str(name).upper() not in READ:
            continue
        at = source.property_line(event, str(name)) if name else None
        where = f" (line {at})" if at else ""
        raise Skip(f"{name or 'a line'}{where} cannot be read: {message}", event)
