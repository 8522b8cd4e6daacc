"""A calendar file read whole, before anything is written: its lines unfolded, its
components checked to nest, and where each VEVENT starts in the file, so that an event
which cannot be imported is reported with its line. A file that is not iCalendar (not
UTF-8, no VCALENDAR, a component never closed) is refused in one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from icalendar import Calendar, Component
from icalendar.parser import Contentline, Parameters
from icalendar.parser import content_line as _library
from icalendar.parser import property as _values
from icalendar.parser import string as _strings

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


@dataclass(frozen=True, slots=True)
class _Line:
    """One content line, unfolded, with the number of its first line in the file."""

    number: int
    text: str  # a _Parsed once checked to be a property: the same text, held once

    @property
    def name(self) -> str:
        return re.split(r"[;:]", self.text, maxsplit=1)[0].strip().upper()


@dataclass
class _Span:
    """Where one VEVENT of the calendar is in the file, and a line of it that is not a
    property (None: all are)."""

    begin: int
    end: int = 0  # its END:VEVENT line
    unparsable: _Line | None = None


@dataclass
class Source:
    """A calendar file read: the calendar, and where each of its events is in the file
    (the text kept, not its lines: an event's lines are found again when one is named)."""

    calendar: Calendar
    spans: dict[int, _Span]
    text: str = ""
    _physical: list[str] | None = None

    def span(self, event: Component) -> _Span | None:
        return self.spans.get(id(event))

    def line(self, event: Component) -> int | None:
        found = self.span(event)
        return found.begin if found is not None else None

    def property_line(self, event: Component, name: str) -> int | None:
        found = self.span(event)
        if found is None:
            return None
        if self._physical is None:
            self._physical = self.text.splitlines()
        lines = self._physical[found.begin - 1 : found.end]
        for line in _unfolded(lines, found.begin):
            if line.name != name.upper():
                continue
            try:  # a line that is not a property is not the event's
                _Parsed(line.text).raw_parts()
            except ValueError:
                continue
            return line.number
        return None


# a line's name and parameters: anything but quotes, colons and backslashes, or quoted text
_HEAD = re.compile(r'(?:[^":\\]|"[^"]*")*')


class _Parsed(Contentline):
    """A content line split as the library splits it (same parts, same errors), only
    faster: the name and value found without walking every character of the value, the
    parameters read once per distinct text, and the parts kept from the check that the
    line is a property for the parse that follows (a 50 MB calendar is read once)."""

    # as the library's lines read by default; a class attribute, so that a line has no
    # dictionary of its own (a 50 MB file has over a million lines)
    strict = False
    # parameters by their text: a file names the same people on many events
    _known: dict[str, Parameters] = {}  # reset for each file
    # each checked line's parts by id(line), until the parse takes them
    _kept: dict[int, tuple[str, Parameters, str]] = {}  # reset for each file

    def __new__(cls, value: str) -> _Parsed:
        return str.__new__(cls, value)

    def raw_parts(self) -> tuple[str, Parameters, str]:
        # the first colon outside quotes, where no backslash comes before it
        colon = _HEAD.match(self).end()  # type: ignore[union-attr]
        if colon >= len(self) or self[colon] != ":":
            return super().raw_parts()
        head = self[:colon]
        semi, quote = head.find(";"), head.find('"')
        if colon == 0 or semi == 0 or semi + 1 == colon or (quote >= 0 and not 0 < semi < quote):
            return super().raw_parts()
        name = head if semi < 0 else head[:semi]
        if not self.strict:
            name = re.sub(r"[ \t]+", "", name.strip())
        try:
            _strings.validate_token(name)
        except ValueError:
            return super().raw_parts()
        if semi < 0:
            return name, Parameters(), self[colon + 1 :]
        typed = head[semi + 1 :]
        known = self._known.get(typed)
        if known is None:
            try:
                known = self._params(typed)
            except ValueError:
                return super().raw_parts()
            self._known[typed] = known
        params = Parameters({k: list(v) if isinstance(v, list) else v for k, v in known.items()})
        return name, params, self[colon + 1 :]

    def _params(self, typed: str) -> Parameters:
        """The parameters of this text, as the library reads them."""
        if not self.strict:
            typed = _library._strip_ows_around_delimiters(typed)
        params = Parameters.from_ical(_strings._escape_string(typed), strict=self.strict)
        return Parameters(
            (_strings._unescape_string(key), _values.unescape_list_or_string(value))
            for key, value in iter(params.items())
        )

    def parts(self) -> tuple[str, Parameters, str]:
        kept = self._kept.pop(id(self), None)  # the parser's one use
        if kept is not None:
            return kept
        name, params, values = self.raw_parts()
        return (name, params, _values.unescape_backslash(values))

    def check(self) -> None:
        """Raise ValueError when this is not a property; keep its parts for the parse."""
        self._kept[id(self)] = self.parts()


def _unfolded(lines: Iterable[str], first: int = 1) -> Iterator[_Line]:
    """Content lines with folding undone (RFC 5545 3.1), blank lines left out (``first``:
    the number of the first physical line)."""
    current: _Line | None = None
    for number, physical in enumerate(lines, first):
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
    """The lines to parse and the VEVENTs of the first calendar (see :func:`_outlined`)."""
    spans: list[_Span] = []
    return list(_outlined(text, spans)), spans


def _outlined(text: str, spans: list[_Span]) -> Iterator[_Line]:
    """The lines to parse and the VEVENTs of the first calendar; a file whose components
    do not nest (one never closed, one closed that was not open) is refused, naming the
    line. A line that is not a property is left out: in an event it makes that event
    unreadable, elsewhere the file."""
    kept = 0
    stack: list[tuple[str, int]] = []
    current: _Span | None = None
    calendars = 0
    for line in _unfolded(text.splitlines()):
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
                if current is not None:
                    current.end = line.number
                current = None
            if not stack:
                calendars += 1
        else:
            parsed = _Parsed(line.text)
            try:
                parsed.check()
            except ValueError:
                if current is None:
                    raise _not_calendar(
                        f"line {line.number} is not a property (NAME:value): {shown(line.text)}"
                    ) from None
                current.unparsable = current.unparsable or line
                continue
            line = _Line(line.number, parsed)
        kept += 1
        yield line
    if stack:
        opened, at = stack[-1]
        raise _not_calendar(
            f"line {at}: BEGIN:{opened} has no END:{opened} (is the file cut short?)"
        )
    if not kept:
        raise _not_calendar("the file is empty")


def read_calendar(data: bytes, encoding: str | None = None) -> Source:
    """The calendar in ``data`` and where its events are; a file that is not one is a
    ValidationError naming the line at fault."""
    _Parsed._known, _Parsed._kept = {}, {}
    text = file_text(data, encoding)
    try:
        spans: list[_Span] = []
        try:
            # each line parsed as it is read: the file's lines are never all held at once
            # the library's parser takes a list of lines as well as text
            stream = _Stream(_outlined(text, spans))
            found = Calendar._get_ical_parser(stream).parse()  # type: ignore[arg-type]
            calendar = cast(Calendar, found[0]) if len(found) == 1 else None
        except (_Refold, *UNREADABLE):
            calendar = None
        if calendar is None:
            # the way it was read before, which says what is wrong in the same words
            _Parsed._kept = {}
            kept, spans = _outline(text)
            calendar = _parse(kept)
    except UNREADABLE as exc:
        raise _not_calendar(str(exc)) from None
    finally:
        _Parsed._known, _Parsed._kept = {}, {}
    if calendar.name != "VCALENDAR":
        raise _not_calendar("expected a VCALENDAR")
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    by_event = {id(e): s for e, s in zip(events, spans, strict=False)}
    return Source(calendar, by_event if len(events) == len(spans) else {}, text)


class _Refold(Exception):
    """A line starts with a space: the library would fold it into the line before."""


class _Stream(list[Contentline]):
    """Lines for the library's parser that are read from the file as it asks for them
    (it takes a list; it only iterates over it)."""

    def __init__(self, lines: Iterator[_Line]) -> None:
        super().__init__()
        self._lines = lines

    def __iter__(self) -> Iterator[Contentline]:
        for line in self._lines:
            text = line.text
            if text[:1] in (" ", "\t"):
                raise _Refold
            yield text if isinstance(text, _Parsed) else _Parsed(text)


def _parse(kept: list[_Line]) -> Calendar:
    """The calendar of these lines, as ``Calendar.from_ical`` reads their text: the lines
    given to the library's parser as they are (its own split of the joined text gives the
    same lines, but for one starting with a space, which it would fold into the one
    before: such a file is read the library's way)."""
    if any(line.text[:1] in (" ", "\t") for line in kept):
        return Calendar.from_ical("\r\n".join(line.text for line in kept) + "\r\n")
    lines = [t if isinstance(t := line.text, _Parsed) else _Parsed(t) for line in kept]
    found = Calendar._get_ical_parser(lines).parse()  # type: ignore[arg-type]
    if len(found) != 1:
        # the library's own refusal (several calendars, or none)
        return Calendar.from_ical("\r\n".join(line.text for line in kept) + "\r\n")
    return cast(Calendar, found[0])


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
