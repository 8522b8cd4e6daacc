"""A calendar file read whole, before anything is written: its lines unfolded, its
components checked to nest, and where each VEVENT starts in the file, so that an event
which cannot be imported is reported with its line. A file that is not iCalendar (not
UTF-8, no VCALENDAR, a component never closed) is refused in one line.
"""

from __future__ import annotations

import gc
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from icalendar import Calendar, Component, vCalAddress, vText
from icalendar.parser import Contentline, Parameters
from icalendar.parser import content_line as _library
from icalendar.parser import property as _values
from icalendar.parser import string as _strings
from icalendar.parser.ical import CalendarIcalParser
from icalendar.parser_tools import DEFAULT_ENCODING

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
    text: str

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


# a line's name and parameters: anything but quotes, colons and backslashes, or quoted
# text (possessive: the text is taken in runs, not a character at a time, and never given
# back; the end found is the same)
_HEAD = re.compile(r'(?:[^":\\]++|"[^"]*+")*+')

# the parts of a property line: its name, parameters and value (unescaped)
_Parts = tuple[str, Parameters, str]

_set, _get = OrderedDict.__setitem__, OrderedDict.get


def _copy(known: tuple[tuple[str, str | list[str]], ...]) -> Parameters:
    """New parameters holding these (keys already upper case, as read): what
    ``Parameters(dict(known))`` makes, a list value copied, without its checks of each key
    (a 50 MB calendar has a million lines with parameters)."""
    params = Parameters.__new__(Parameters)
    for key, value in known:
        _set(params, key, list(value) if isinstance(value, list) else value)
    return params


class _Parsed(Contentline):
    """A content line split as the library splits it (same parts, same errors), only
    faster: the name and value found without walking every character of the value, and
    each distinct name and parameter text read once per file (a 50 MB calendar is read
    once)."""

    __slots__ = ()
    # as the library's lines read by default; a class attribute, so that no line holds it
    strict = False
    # parameters by their text: a file names the same people on many events
    _known: dict[str, tuple[tuple[str, str | list[str]], ...]] = {}  # reset for each file
    # property names by their text, checked to be names
    _names: dict[str, str] = {}  # reset for each file

    def __new__(cls, value: str) -> _Parsed:
        return str.__new__(cls, value)

    def raw_parts(self) -> _Parts:
        # the first colon outside quotes, where no backslash comes before it
        colon = _HEAD.match(self).end()  # type: ignore[union-attr]
        if colon >= len(self) or self[colon] != ":":
            return super().raw_parts()
        head = self[:colon]
        semi, quote = head.find(";"), head.find('"')
        if colon == 0 or semi == 0 or semi + 1 == colon or (quote >= 0 and not 0 < semi < quote):
            return super().raw_parts()
        written = head if semi < 0 else head[:semi]
        name = self._names.get(written)
        if name is None:
            name = written if self.strict else re.sub(r"[ \t]+", "", written.strip())
            try:
                _strings.validate_token(name)
            except ValueError:
                return super().raw_parts()
            self._names[written] = name
        if semi < 0:  # no parameters: what Parameters() makes, without its checks
            return name, Parameters.__new__(Parameters), self[colon + 1 :]
        typed = head[semi + 1 :]
        known = self._known.get(typed)
        if known is None:
            try:
                known = tuple(self._params(typed).items())
            except ValueError:
                return super().raw_parts()
            self._known[typed] = known
        return name, _copy(known), self[colon + 1 :]

    def _params(self, typed: str) -> Parameters:
        """The parameters of this text, as the library reads them."""
        if not self.strict:
            typed = _library._strip_ows_around_delimiters(typed)
        params = Parameters.from_ical(_strings._escape_string(typed), strict=self.strict)
        return Parameters(
            (_strings._unescape_string(key), _values.unescape_list_or_string(value))
            for key, value in iter(params.items())
        )

    def parts(self) -> _Parts:
        name, params, values = self.raw_parts()
        return (name, params, _values.unescape_backslash(values))


def _logical(lines: Iterable[str], first: int = 1) -> Iterator[tuple[int, str]]:
    """Content lines with folding undone (RFC 5545 3.1), blank lines left out, each with
    the number of its first physical line (``first``: the number of the first one)."""
    number, current = 0, ""
    for at, physical in enumerate(lines, first):
        if physical[:1] in (" ", "\t") and current:
            current += physical[1:]
            continue
        if current:
            yield number, current
        number, current = at, physical if physical.strip() else ""
    if current:
        yield number, current


def _unfolded(lines: Iterable[str], first: int = 1) -> Iterator[_Line]:
    """Content lines with folding undone (RFC 5545 3.1), blank lines left out (``first``:
    the number of the first physical line)."""
    for number, text in _logical(lines, first):
        yield _Line(number, text)


def _not_calendar(why: str) -> ValidationError:
    return ValidationError("file", f"expected an iCalendar file (.ics): {why}")


# a line to parse: its text, and its parts when it is a property (None: a BEGIN or END,
# split by the parser as the library splits it)
_Kept = tuple[_Parsed, _Parts | None]


def _outline(text: str) -> tuple[list[_Kept], list[_Span]]:
    """The lines to parse and the VEVENTs of the first calendar (see :func:`_outlined`)."""
    spans: list[_Span] = []
    return list(_outlined(text, spans)), spans


def _outlined(text: str, spans: list[_Span]) -> Iterator[_Kept]:
    """The lines to parse and the VEVENTs of the first calendar; a file whose components
    do not nest (one never closed, one closed that was not open) is refused, naming the
    line. A line that is not a property is left out: in an event it makes that event
    unreadable, elsewhere the file."""
    kept = 0
    stack: list[tuple[str, int]] = []
    current: _Span | None = None
    calendars = 0
    for number, line in _logical(text.splitlines()):
        if not kept and line.strip().upper() != "BEGIN:VCALENDAR":
            raise _not_calendar(f"it starts with {shown(line)}, not BEGIN:VCALENDAR")
        key, _, value = line.partition(":")
        key = key.strip().upper()
        if calendars and not stack:
            break  # a second calendar in the file: the first is the one imported
        if key == "BEGIN":
            value = value.strip().upper()
            stack.append((value, number))
            if value == "VEVENT" and len(stack) == 2:
                current = _Span(number)
                spans.append(current)
        elif key == "END":
            value = value.strip().upper()
            if not stack:
                raise _not_calendar(f"line {number}: END:{value} closes nothing")
            opened, at = stack[-1]
            if opened != value:
                raise _not_calendar(
                    f"line {number}: END:{value} where BEGIN:{opened} of line {at} "
                    f"is still open (an END:{opened} is missing)"
                )
            stack.pop()
            if len(stack) == 1:
                if current is not None:
                    current.end = number
                current = None
            if not stack:
                calendars += 1
        else:
            parsed = _Parsed(line)
            try:
                parts = parsed.parts()
            except ValueError:
                if current is None:
                    raise _not_calendar(
                        f"line {number} is not a property (NAME:value): {shown(line)}"
                    ) from None
                current.unparsable = current.unparsable or _Line(number, line)
                continue
            kept += 1
            yield parsed, parts
            continue
        kept += 1
        yield _Parsed(line), None
    if stack:
        opened, at = stack[-1]
        raise _not_calendar(
            f"line {at}: BEGIN:{opened} has no END:{opened} (is the file cut short?)"
        )
    if not kept:
        raise _not_calendar("the file is empty")


@contextmanager
def _uncollected() -> Iterator[None]:
    """The cycle collector paused: what a calendar's reading makes is the calendar, kept,
    not garbage, and each collection would walk all of it read so far again (a 50 MB file
    makes millions of objects; seconds of collections that free nothing)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def read_calendar(data: bytes, encoding: str | None = None) -> Source:
    """The calendar in ``data`` and where its events are; a file that is not one is a
    ValidationError naming the line at fault."""
    with _uncollected():
        return _read(data, encoding)


def _read(data: bytes, encoding: str | None) -> Source:
    """See :func:`read_calendar`."""
    _Parsed._known, _Parsed._names = {}, {}
    text = file_text(data, encoding)
    try:
        spans: list[_Span] = []
        try:
            # each line parsed as it is read: the file's lines are never all held at once
            found = _Parser(_outlined(text, spans)).parse()
            calendar = cast(Calendar, found[0]) if len(found) == 1 else None
        except (_Refold, *UNREADABLE):
            calendar = None
        if calendar is None:
            # the way it was read before, which says what is wrong in the same words
            kept, spans = _outline(text)
            calendar = _parse(kept)
    except UNREADABLE as exc:
        raise _not_calendar(str(exc)) from None
    finally:
        _Parsed._known, _Parsed._names = {}, {}
    if calendar.name != "VCALENDAR":
        raise _not_calendar("expected a VCALENDAR")
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    by_event = {id(e): s for e, s in zip(events, spans, strict=False)}
    return Source(calendar, by_event if len(events) == len(spans) else {}, text)


class _Refold(Exception):
    """A line starts with a space: the library would fold it into the line before."""


class _Parser(CalendarIcalParser):
    """The library's parser of a calendar, given the lines as they are read from the file,
    each property already split (by the check that it is one), and finding the value type
    of a property once per name and VALUE rather than twice per line."""

    def __init__(self, lines: Iterator[_Kept]) -> None:
        super().__init__([], Calendar._get_component_factory(), Calendar.types_factory)
        self._lines = lines
        # value types (classes: the library's annotation names their instances) by name
        # and VALUE as written
        self._factories: dict[tuple[str, str | None], Any] = {}

    def parse_content_lines(self) -> None:
        """The library's loop over the lines (a second pass, for a VTIMEZONE named before
        it is given, finds none: the file is then read again the library's way)."""
        for line, parts in self._lines:
            if line[:1] in (" ", "\t"):
                raise _Refold
            if parts is None:
                try:
                    parts = line.parts()
                except ValueError as e:
                    self.handle_line_parse_error(e)
                    continue
            name, params, vals = parts
            uname = name.upper()
            if uname == "BEGIN":
                self.handle_begin_component(vals)
            elif uname == "END":
                self.handle_end_component(vals)
            else:
                self.handle_property(uname, params, vals, line)

    def parse_and_add_property(
        self, name: str, params: Parameters, val: str, tzid: str | None, line: Contentline
    ) -> None:
        """The library's, but for an address (ATTENDEE, ORGANIZER: most of a calendar's
        lines) and a text (SUMMARY, UID, STATUS...), each made once as the library's two
        makings leave it (the text, the line's parameters, a text's encoding) rather than
        made, made again from itself and given new parameters twice over."""
        factory = self.get_factory_for_property(name, params)
        if not tzid and val.__class__ is str and self.component is not None:
            if factory is vText:
                made: Any = str.__new__(vText, val)
                made.encoding = DEFAULT_ENCODING
            elif factory is vCalAddress and "\r" not in val and "\n" not in val:
                made = str.__new__(vCalAddress, val)
            else:
                made = None
            if made is not None:
                made.params = params
                self.component.add(name, made, encode=False)
                return
        super().parse_and_add_property(name, params, val, tzid, line)

    def get_factory_for_property(self, name: str, params: Parameters) -> Any:
        """The value type of a property, as the library finds it (from its name and VALUE:
        the parameter read as stored, its key upper case, the case-blind lookup skipped)."""
        key = (name, _get(params, "VALUE") if params else None)
        found = self._factories.get(key)
        if found is None:
            found = self._factories[key] = super().get_factory_for_property(name, params)
        return found


def _parse(kept: list[_Kept]) -> Calendar:
    """The calendar of these lines, as ``Calendar.from_ical`` reads their text: the lines
    given to the library's parser as they are (its own split of the joined text gives the
    same lines, but for one starting with a space, which it would fold into the one
    before: such a file is read the library's way)."""
    if any(line[:1] in (" ", "\t") for line, _ in kept):
        return Calendar.from_ical("\r\n".join(line for line, _ in kept) + "\r\n")
    lines = [line for line, _ in kept]
    found = Calendar._get_ical_parser(lines).parse()  # type: ignore[arg-type]
    if len(found) != 1:
        # the library's own refusal (several calendars, or none)
        return Calendar.from_ical("\r\n".join(line for line, _ in kept) + "\r\n")
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
