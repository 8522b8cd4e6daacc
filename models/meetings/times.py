"""A meeting's time: its zone, wall-clock starts, lengths, and the text facts show them in.

A meeting keeps its wall-clock start in its own IANA zone; a time a daylight-saving change
skips is an error, a repeated one its first instance.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from docket.models.core.clock import zone
from docket.models.core.context import Context
from docket.models.core.dates import parse_datetime, parse_duration
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import shown
from docket.models.core.schema import Meeting

# an all-day meeting lasts its whole day
ALL_DAY_MINUTES = 1440

# the longest meeting: occurrences starting this long before a window can still be in it
LONGEST = timedelta(minutes=1440)


def meeting_zone(name: str) -> ZoneInfo:
    """The meeting's zone by IANA name (a clear error for a name that is not one)."""
    if not name or not name.strip():
        raise ValidationError("timezone", "expected an IANA zone such as America/Chicago")
    found = zone(name.strip())
    if not isinstance(found, ZoneInfo):  # pragma: no cover - zone() of a name is a ZoneInfo
        raise ValidationError("timezone", f"expected an IANA zone, got {shown(name)}")
    return found


def zone_name_of(ctx: Context) -> str:
    """The acting user's zone as an IANA name (UTC when it has none)."""
    key = getattr(ctx.tz, "key", None)
    return str(key) if key else "UTC"


def wall_time(naive: datetime, tz: ZoneInfo, *, field: str = "start") -> datetime:
    """A wall-clock time in ``tz``, aware; a time skipped by a daylight-saving change is an
    error (it never happens there), a repeated one is its first instance."""
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValidationError(
            field, f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (daylight saving starts)"
        )
    return aware


def whole_day(day: date, tz: ZoneInfo) -> datetime:
    """Midnight starting ``day`` in ``tz``: where an all-day meeting begins (an error in the
    few zones whose clocks skip midnight that day)."""
    return wall_time(datetime.combine(day, time(0)), tz)


def series_start(meeting: Meeting) -> datetime:
    """The first occurrence's start, aware, in the meeting's zone (read from the meeting's
    data, not through its fields: a calendar asks for thousands)."""
    data = meeting.__data__
    first: datetime = data["start_utc"]
    return first.astimezone(ZoneInfo(data["timezone"]))


def local_text(moment: datetime) -> str:
    """A wall-clock time as stored in ``start_local`` (``2026-12-01 09:00:00``)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def parse_start(
    ctx: Context, typed: str | datetime, tz: ZoneInfo, field: str = "start"
) -> datetime:
    """A typed start (``next tue 14:00``, ``2026-12-01 10:30``) as wall time in ``tz``."""
    if isinstance(typed, datetime):
        if typed.tzinfo is None:
            return wall_time(typed, tz, field=field)
        return typed.astimezone(tz)
    now_there = ctx.now().astimezone(tz).replace(tzinfo=None)
    return wall_time(parse_datetime(typed, now_there, field=field), tz, field=field)


def length_minutes(value: str | int | timedelta, field: str = "duration") -> int:
    """A length (``90m``, ``1h30``, minutes, a timedelta) in whole minutes, 1 to 1440."""
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds() // 60)
    elif isinstance(value, int):
        minutes = value
    else:
        minutes = int(parse_duration(value, field=field).total_seconds() // 60)
    if not 1 <= minutes <= 1440:
        raise ValidationError(field, f"expected between 1 minute and 24 hours, got {minutes}")
    return minutes


def utc_text(moment: datetime) -> str:
    """An instant as UTC text, ``2026-12-01T15:00:00Z``."""
    # isoformat, not strftime: an agenda of thousands of occurrences formats each several
    # times; its fixed-width head, not replace(tzinfo=None), which costs as much again
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def minute_text(moment: datetime) -> str:
    """``2026-12-01 09:00``: the wall clock as lists show it."""
    return moment.isoformat(sep=" ", timespec="minutes")[:16]  # the offset left off
