"""The one clock: what "now" is, for code that cannot take it as a parameter.

Domain operations take "now" from their ``Context`` (``ctx.now()``); only what has no context
(a column's default, the stamp of an upgrade's backup) asks ``utcnow`` directly. The clock is
the real one unless fixed: tests fix it with ``set_clock``, and a program fixes it from
``DOCKET_NOW=2026-11-23T09:00:00Z`` by calling ``from_environment`` once, at its start (the
command line's ``run``, the app's start), so every date-dependent result is reproducible and
nothing below the edges reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from docket.models.core.errors import ValidationError

Clock = Callable[[], datetime]

_fixed: datetime | None = None


def set_clock(fixed: datetime | None) -> None:
    """Fix "now" to an aware instant (None returns to the real clock)."""
    global _fixed
    if fixed is not None and fixed.tzinfo is None:
        raise ValueError("the fixed clock needs an aware datetime")
    _fixed = fixed


def parse_fixed(text: str) -> datetime:
    """``DOCKET_NOW``'s value as an aware instant (a naive one is taken as UTC)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError("DOCKET_NOW", f"expected an ISO date-time, got {text!r}") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def from_environment(environ: Mapping[str, str] | None = None) -> Clock:
    """Read ``DOCKET_NOW`` once, at a program's start: when it is set, fix the clock to it.

    Unset (or empty), the clock stays as it was: the real one, or the one a test fixed.
    Returns the clock to hand to a ``Context``. A malformed value is a ``ValidationError``.
    """
    text = (os.environ if environ is None else environ).get("DOCKET_NOW")
    if text:
        set_clock(parse_fixed(text))
    return utcnow


def utcnow() -> datetime:
    """The current instant, aware, in UTC, to the second."""
    value = _fixed or datetime.now(UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def zone(name: str | None) -> tzinfo:
    """A time zone by IANA name; the system's local zone for None."""
    if not name:
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        # a folder of zones (America) or a path-like name reaches the file system
        raise ValidationError(
            "timezone", f"expected an IANA zone such as Europe/Paris, got {name!r}"
        ) from exc


def local_date(instant: datetime, tz: tzinfo) -> date:
    """The calendar date of an instant in a zone."""
    return instant.astimezone(tz).date()
