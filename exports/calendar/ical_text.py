"""RFC 5545 content lines, written directly.

A calendar of everything has tens of thousands of properties; building a component object
for each and serializing it character by character took seconds. This writer appends each
property as one folded line of text. It follows the RFC's rules for TEXT escaping
(section 3.3.11), parameter quoting with RFC 6868 escapes, and folding at 75 octets without
splitting a character or an escape. Its output matches icalendar's serializer byte for byte,
which the tests check by parsing each file back with icalendar and serializing it again, with
one deliberate difference: icalendar reads a typed backslash-N as a line break, this writer
keeps it as typed (``C:\\New`` stays a path).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

CRLF = "\r\n"
# octets of a line before it folds; a continuation line adds its leading space
FOLD_AT = 74
# zones whose times are written in UTC ("...Z") and need no VTIMEZONE
UTC_ZONES = frozenset({"UTC", "Etc/UTC"})

_PARAM_ESCAPES = re.compile(r'\^|\r\n|\r|\n|"')
_PARAM_ESCAPED = {"^": "^^", "\r\n": "^n", "\r": "^n", "\n": "^n", '"': "^'"}
# a parameter value with one of these is quoted (RFC 5545 3.1; ’ as icalendar does)
_QUOTE_WHEN = re.compile("[,;:\u2019]")


_TEXT_ESCAPED = re.compile(r"[\\;,\r\n]")


def text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma and line breaks."""
    if _TEXT_ESCAPED.search(value) is None:  # most values: nothing to escape
        return value
    return _escaped(value)


def _escaped(value: str) -> str:
    """:func:`text` of a value that has something to escape (a carriage return is rare:
    its two replacements are skipped without one)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\\n").replace("\r", "\\n")
    return value.replace("\n", "\\n")


def param(value: str, *, quote_also: str = "") -> str:
    """A parameter value: RFC 6868 escapes, in double quotes when it needs them (or when it
    holds one of ``quote_also``, as CN does for spaces and apostrophes)."""
    escaped = _PARAM_ESCAPES.sub(lambda m: _PARAM_ESCAPED[m.group(0)], value)
    if _QUOTE_WHEN.search(escaped) or any(c in escaped for c in quote_also):
        return f'"{escaped}"'
    return escaped


_SPLIT_AFTER_NOT = frozenset(b"\\^")


def fold(line: str) -> str:
    """``line`` folded into pieces of at most 74 octets (75 with a continuation's space).

    A piece never splits a character and never ends on a backslash or caret (unless that is
    all it holds), so an escape stays whole on one line.
    """
    if line.isascii():
        if len(line) <= FOLD_AT:
            return line
        pieces = []
        start, end = 0, len(line)
        while end - start > FOLD_AT:
            cut = start + FOLD_AT
            if line[cut - 1] in "\\^":
                cut -= 1
            pieces.append(line[start:cut])
            start = cut
        pieces.append(line[start:])
        return (CRLF + " ").join(pieces)
    raw = line.encode("utf-8")
    if len(raw) <= FOLD_AT:
        return line
    # cut the UTF-8 octets: back off a cut that falls inside a character (a continuation
    # octet is 0b10xxxxxx), then off a trailing backslash or caret
    parts: list[bytes] = []
    first, size = 0, len(raw)
    while size - first > FOLD_AT:
        cut = first + FOLD_AT
        while raw[cut] & 0xC0 == 0x80:
            cut -= 1
        if cut - first > 1 and raw[cut - 1] in _SPLIT_AFTER_NOT:
            cut -= 1
        parts.append(raw[first:cut])
        first = cut
    parts.append(raw[first:])
    return (CRLF + " ").join(part.decode("utf-8") for part in parts)


@lru_cache(maxsize=65536)
def folded(line: str) -> str:
    """:func:`fold` of a line that repeats (an attendee in event after event), once."""
    return fold(line)


def utc_stamp(moment: datetime) -> str:
    """A UTC DATE-TIME value (``20261125T090000Z``)."""
    return _wall(moment.astimezone(UTC)) + "Z"


def _wall(t: datetime) -> str:
    """The wall clock of ``t`` as a DATE-TIME value without zone (``20261125T090000``);
    %-formatting, which takes half the time of an f-string's six format specifications
    (a calendar writes tens of thousands)."""
    fields = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    return "%04d%02d%02dT%02d%02d%02d" % fields  # noqa: UP031 - the faster form (above)


def day(value: date) -> str:
    """A DATE value (``20261125``), %-formatted as :func:`_wall` is."""
    return "%04d%02d%02d" % (value.year, value.month, value.day)  # noqa: UP031 - faster


@lru_cache(maxsize=256)
def _zone_param(zone: str) -> tuple[ZoneInfo, str]:
    """A zone and its TZID parameter, once per zone (a feed names a few zones many times)."""
    return ZoneInfo(zone), f";TZID={param(zone)}"


def line(name: str, value: str, params: str = "") -> str:
    """A property's content line, folded; ``value`` in iCalendar form already, ``params``
    as ``;K=V``. Most lines are short ASCII: no call to fold (tens of thousands of lines)."""
    joined = f"{name}{params}:{value}"
    return joined if len(joined) <= FOLD_AT and joined.isascii() else fold(joined)


def text_line(name: str, value: str) -> str:
    """A TEXT property's content line (:func:`text`), folded."""
    return line(name, text(value))


def moment_line(name: str, zone: str, value: datetime) -> str:
    """One date-time in ``zone``: local with TZID, or UTC with ``Z``. A value in the zone
    already (an event's start, its end) is not converted again."""
    if zone in UTC_ZONES:
        return line(name, utc_stamp(value))
    tz, tzid = _zone_param(zone)
    return line(name, _wall(value if value.tzinfo is tz else value.astimezone(tz)), tzid)


def span_lines(zone: str, start: datetime, end: datetime) -> tuple[str, str]:
    """DTSTART and DTEND in ``zone``: every timed event of a calendar has both."""
    return moment_line("DTSTART", zone, start), moment_line("DTEND", zone, end)


class ContentLines:
    """An iCalendar object being written, one folded content line at a time."""

    def __init__(self) -> None:
        # the lines so far, folded: an event's writer appends to it directly
        self.lines: list[str] = []

    def begin(self, component: str) -> None:
        self.lines.append(f"BEGIN:{component}")

    def end(self, component: str) -> None:
        self.lines.append(f"END:{component}")

    def add(self, name: str, value: str, params: str = "") -> None:
        """A property whose value is already in iCalendar form; ``params`` as ``;K=V``."""
        self.lines.append(line(name, value, params))

    def repeated(self, name: str, value: str, params: str = "") -> None:
        """:meth:`add` for a line many events repeat (an attendee): folded once."""
        self.lines.append(folded(f"{name}{params}:{value}"))

    def text(self, name: str, value: str) -> None:
        """A TEXT property (:func:`text`), as :meth:`add` writes it."""
        self.lines.append(text_line(name, value))

    def moments(self, name: str, zone: str, *values: datetime) -> None:
        """Date-times in ``zone``: local with TZID, or UTC with ``Z``."""
        if zone in UTC_ZONES:
            self.add(name, ",".join(utc_stamp(v) for v in values))
        else:
            tz, tzid = _zone_param(zone)
            local = ",".join(_wall(v.astimezone(tz)) for v in values)
            self.add(name, local, tzid)

    def day(self, name: str, value: date) -> None:
        self.add(name, day(value), ";VALUE=DATE")

    def block(self, ical: bytes) -> None:
        """Lines already written (a VTIMEZONE), CRLF-terminated."""
        self.lines.extend(ical.decode("utf-8").removesuffix(CRLF).split(CRLF))

    def to_bytes(self) -> bytes:
        """The object's text, each line ended by CRLF: joined with an empty last line, so a
        calendar of megabytes is not copied once more to add the last CRLF."""
        self.lines.append("")
        try:
            return CRLF.join(self.lines).encode("utf-8")
        finally:
            self.lines.pop()
