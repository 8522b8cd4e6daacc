"""RRULE bodies and VTIMEZONE observances written directly, as icalendar writes them.

A feed of thousands of events wrote each series' RRULE through icalendar's ``vRecur`` (to
put its parts in RFC 5545's order) and each zone through icalendar's components, and so
imported icalendar for a few dozen lines. These write the same text: an RRULE whose parts
all have their plain form (``FREQ=WEEKLY``, ``UNTIL=20270630T045959Z``, ``BYDAY=-1FR``,
numbers without leading zeros) is reordered here; any other rule still goes through
icalendar. tests/test_ical_order.py holds both equal to icalendar.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache

from docket.exports.calendar.ical_text import CRLF, fold, text

# icalendar's order of an RRULE's parts (RFC 5545 3.3.10); other parts follow by name
_ORDER = (
    "RSCALE", "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR",
    "BYDAY", "BYWEEKDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS",
    "WKST", "SKIP",
)  # fmt: skip
_RANK = {name: index for index, name in enumerate(_ORDER)}
_NUMBERS = re.compile(r"-?[1-9]\d{0,2}(?:,-?[1-9]\d{0,2})*")
_DAY = r"(?:[+-]?[1-9]\d?)?(?:MO|TU|WE|TH|FR|SA|SU)"
# the parts written back as they are, with the form each must have
_PLAIN = {
    "FREQ": re.compile(r"SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY"),
    "UNTIL": re.compile(r"\d{8}T\d{6}Z"),
    "COUNT": re.compile(r"[1-9]\d{0,5}"),
    "INTERVAL": re.compile(r"[1-9]\d{0,5}"),
    "BYDAY": re.compile(rf"{_DAY}(?:,{_DAY})*"),
    "WKST": re.compile(r"MO|TU|WE|TH|FR|SA|SU"),
    **dict.fromkeys(
        ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYHOUR", "BYMINUTE"),
        _NUMBERS,
    ),
}


@lru_cache(maxsize=1024)
def rrule_text(rule: str) -> str:
    """An RRULE body with its parts in icalendar's order (FREQ, UNTIL, COUNT, INTERVAL,
    BY..., WKST), each value as icalendar writes it."""
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        name, eq, value = piece.partition("=")
        pattern = _PLAIN.get(name)
        if not eq or name in parts or pattern is None or not pattern.fullmatch(value):
            return _through_icalendar(rule)
        parts[name] = value
    return ";".join(f"{name}={parts[name]}" for name in sorted(parts, key=_RANK.__getitem__))


def _through_icalendar(rule: str) -> str:
    """A rule this module does not write itself, as icalendar writes it."""
    from icalendar import vRecur

    return bytes(vRecur.from_ical(rule).to_ical()).decode("ascii")


def utc_offset(offset: timedelta) -> str:
    """A UTC-OFFSET value as icalendar writes it: ``-0500``, ``+0000``, ``+053328``."""
    sign = "-" if offset < timedelta(0) else "+"
    span = -offset if offset < timedelta(0) else offset
    hours = abs(span.days * 24 + span.seconds // 3600)
    minutes = abs((span.seconds % 3600) // 60)
    seconds = abs(span.seconds % 60)
    if seconds:
        return f"{sign}{hours:02}{minutes:02}{seconds:02}"
    return f"{sign}{hours:02}{minutes:02}"


def observance(
    daylight: bool,
    start: datetime,
    before: timedelta,
    after: timedelta,
    abbreviation: str,
    rrule: str = "",
) -> list[str]:
    """The lines of one STANDARD or DAYLIGHT of a VTIMEZONE (its properties by name, as
    icalendar orders them); ``rrule`` in RFC 5545's order already."""
    kind = "DAYLIGHT" if daylight else "STANDARD"
    at = (
        f"{start.year:04d}{start.month:02d}{start.day:02d}"
        f"T{start.hour:02d}{start.minute:02d}{start.second:02d}"
    )
    lines = [f"BEGIN:{kind}", f"DTSTART:{at}"]
    if rrule:
        lines.append(fold(f"RRULE:{rrule}"))
    lines += [
        fold(f"TZNAME:{text(abbreviation)}"),
        f"TZOFFSETFROM:{utc_offset(before)}",
        f"TZOFFSETTO:{utc_offset(after)}",
        f"END:{kind}",
    ]
    return lines


def vtimezone_text(name: str, observances: list[list[str]]) -> bytes:
    """A VTIMEZONE of these observances, as icalendar writes one."""
    lines = ["BEGIN:VTIMEZONE", fold(f"TZID:{text(name)}")]
    for lines_of in observances:
        lines += lines_of
    lines.append("END:VTIMEZONE")
    return (CRLF.join(lines) + CRLF).encode("utf-8")
