"""Dates and times as people type them, parsed in one place.

Accepted: ``today``, ``tomorrow``, ``yesterday``; weekday names (the next such day after
today; ``next fri`` is the same); ``+3d``, ``2w``, ``-1d``, ``+1m``, ``in 3 days``; ``eow``
(this week's Friday) and ``eom``; ISO ``2026-12-01``; ``1/12`` and ``1/12/2027`` in the
configured order (a year-less date is the next such date on or after today); month names
(``dec 1``, ``1 Dec 2026``). Times: ``14:00``, ``9:30``, ``2pm``, ``noon``, combined as
``next tue 14:00``. Everything else is a ``ValidationError`` that says what was expected.
Functions take "today" or "now" as a parameter, so results never depend on the real clock.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from docket.models.core.errors import ValidationError

EXAMPLES = "today, fri, +3d, 2w, 2026-12-01"
# The years a typed date may name. No office plans before or after them, and a window of a
# hundred years either side of any of them stays inside what dates can hold (9999-12-31, an
# HR system's "never ends", would overflow the first time a day is added to it).
FIRST_YEAR, LAST_YEAR = 1900, 2999

_WEEKDAYS = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip
_MONTHS = (
    {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {"sept": 9}
)
_UNITS = {
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "wk": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "m": "months",
    "mo": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "yr": "years",
    "year": "years",
    "years": "years",
}

_RELATIVE = re.compile(r"(?:in\s+)?([+-]?)\s*(\d{1,4})\s*([a-z]+)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?")
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?")


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _real_date(field: str, year: int, month: int, day: int, typed: str) -> date:
    if not 1 <= month <= 12:
        raise ValidationError(field, f"{typed} is not a date: there is no month {month}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(field, _out_of_range(typed, year))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise ValidationError(field, f"{typed} is not a date: {name} {year} has {last} days")
    return date(year, month, day)


def _out_of_range(typed: str, year: int) -> str:
    return f"{typed} is out of range: expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {year}"


def _next_on_or_after(field: str, today: date, month: int, day: int, typed: str) -> date:
    """A year-less day and month: this year's, or next year's when it has passed."""
    for year in (today.year, today.year + 1, today.year + 4):
        try:
            candidate = _real_date(field, year, month, day, typed)
        except ValidationError:
            if (month, day) == (2, 29):
                continue
            raise
        if candidate >= today:
            return candidate
    return _real_date(field, today.year + 1, month, day, typed)


def _relative(field: str, today: date, sign: str, amount: int, unit: str, typed: str) -> date:
    # here, not above: every command reads dates, few read "+2w" (dateutil's import and six's
    # are 6 M instructions of a command's start-up)
    from dateutil.relativedelta import relativedelta

    steps: dict[str, Any] = {_UNITS[unit]: amount * (-1 if sign == "-" else 1)}
    delta = relativedelta(**steps)
    try:
        return today + delta
    except (OverflowError, ValueError) as exc:
        raise ValidationError(field, f"{typed} is too far away") from exc


def parse_date(text: str, today: date, *, field: str = "date", day_first: bool = False) -> date:
    """The date that ``text`` means, relative to ``today``, in the years docket takes."""
    day = _parse_date(text, today, field, day_first)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(field, _out_of_range(text.strip(), day.year))
    return day


def _parse_date(text: str, today: date, field: str, day_first: bool) -> date:
    typed = (text or "").strip()
    words = re.sub(r"\s+", " ", typed.lower())
    if not words:
        raise ValidationError(field, "expected a date, got nothing")
    simple = {"today": 0, "tod": 0, "tomorrow": 1, "tom": 1, "yesterday": -1}
    if words in simple:
        return today + timedelta(days=simple[words])
    day_name = words.removeprefix("next ").removeprefix("this ")
    if day_name in _WEEKDAYS:
        ahead = (_WEEKDAYS[day_name] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if words == "eow":
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if words == "eom":
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if match := _RELATIVE.fullmatch(words):
        sign, amount, unit = match.groups()
        if unit in _UNITS:
            return _relative(field, today, sign, int(amount), unit, typed)
    if match := _ISO.fullmatch(words):
        year, month, day = (int(g) for g in match.groups())
        return _real_date(field, year, month, day, typed)
    if match := _NUMERIC.fullmatch(words):
        first, second, year_text = match.groups()
        day, month = (int(first), int(second)) if day_first else (int(second), int(first))
        if year_text is None:
            if not 1 <= month <= 12:
                raise ValidationError(field, f"{typed} is not a date: there is no month {month}")
            return _next_on_or_after(field, today, month, day, typed)
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return _real_date(field, year, month, day, typed)
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        match = pattern.fullmatch(words)
        if match and match.group(month_group) in _MONTHS:
            month = _MONTHS[match.group(month_group)]
            day = int(match.group(day_group))
            if match.group(3):
                return _real_date(field, int(match.group(3)), month, day, typed)
            return _next_on_or_after(field, today, month, day, typed)
    raise ValidationError(field, f"expected a date such as {EXAMPLES}; got {_quoted(typed)}")


def parse_time(text: str, *, field: str = "time") -> time:
    """A time of day: ``14:00``, ``9:30``, ``2pm``, ``2:30pm``, ``noon``, ``midnight``."""
    words = (text or "").strip().lower()
    if words in ("noon", "midday"):
        return time(12, 0)
    if words == "midnight":
        return time(0, 0)
    match = _TIME.fullmatch(words)
    if not match or (match.group(2) is None and match.group(3) is None):
        raise ValidationError(field, f"expected a time such as 14:00 or 2pm; got {_quoted(text)}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = match.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValidationError(field, f"{text.strip()} is not a time of day")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(field, f"{text.strip()} is not a time of day")
    return time(hour, minute)


def parse_datetime(
    text: str, now: datetime, *, field: str = "start", default_time: time | None = None
) -> datetime:
    """A naive local date-time from ``next tue 14:00``, ``tomorrow 9am``, ``2026-12-01T10:30``.

    A time alone is today at that time; a date alone takes ``default_time``, or is refused
    when there is none.
    """
    typed = (text or "").strip()
    words = re.sub(
        r"\s+", " ", typed.lower().replace("t", " ", 1) if _ISO.match(typed) else typed.lower()
    )
    if not words:
        raise ValidationError(field, "expected a date and time, got nothing")
    parts = words.rsplit(" ", 1)
    clock: time | None = None
    day_text = words
    if len(parts) == 2:
        looks_like_time = ":" in parts[1] or parts[1].endswith(("am", "pm"))
        try:
            clock = parse_time(parts[1], field=field)
            day_text = parts[0]
        except ValidationError:
            if looks_like_time:
                raise
            clock = None
    if clock is None and " " not in words:
        try:
            return datetime.combine(now.date(), parse_time(words, field=field))
        except ValidationError:
            pass
    day = parse_date(day_text, now.date(), field=field)
    if clock is None:
        if default_time is None:
            raise ValidationError(field, f"expected a time too, such as '{day_text} 14:00'")
        clock = default_time
    return datetime.combine(day, clock)


_DURATION = re.compile(r"(?:(\d{1,2})\s*h)?\s*(?:(\d{1,4})\s*m(?:in)?)?")


def parse_duration(text: str, *, field: str = "duration") -> timedelta:
    """A meeting length: ``60m``, ``1h``, ``1h30m``, ``90`` (minutes) or ``1:30``."""
    words = (text or "").strip().lower().replace(" ", "")
    minutes: int | None = None
    if words.isdecimal():
        minutes = int(words)
    elif match := re.fullmatch(r"(\d{1,2}):(\d{2})", words):
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    elif words and (match := _DURATION.fullmatch(words)) and any(match.groups()):
        minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if minutes is None:
        raise ValidationError(
            field, f"expected a length such as 60m, 1h30m or 1:30; got {_quoted(text)}"
        )
    if not 1 <= minutes <= 24 * 60:
        raise ValidationError(
            field, f"expected between 1 minute and 24 hours, got {minutes} minutes"
        )
    return timedelta(minutes=minutes)


def _relative_words(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def format_date(d: date) -> str:
    """A date as stored and exported: ISO ``YYYY-MM-DD``."""
    return d.isoformat()


def describe_date(d: date, today: date) -> str:
    """What a typed date was understood as: ``Fri 27 Nov 2026 (in 4 days)``."""
    return f"{d:%a %d %b %Y} ({_relative_words((d - today).days)})"


def describe_datetime(dt: datetime, now: datetime) -> str:
    """What a typed date-time was understood as: ``Tue 1 Dec 2026 14:00 (in 8 days)``."""
    return f"{dt:%a %d %b %Y %H:%M} ({_relative_words((dt.date() - now.date()).days)})"
