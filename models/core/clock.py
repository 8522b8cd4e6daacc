"""The one clock: what "now" is, for code that cannot take it as a parameter.

Tests and the command line can fix it (``set_clock`` or ``DOCKET_NOW=2026-11-23T09:00:00Z``),
so every date-dependent result is reproducible.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from docket.models.core.errors import ValidationError

_fixed: datetime | None = None


def set_clock(fixed: datetime | None) -> None:
    """Fix "now" to an aware instant (None returns to the real clock)."""
    global _fixed
    if fixed is not None and fixed.tzinfo is None:
        raise ValueError("the fixed clock needs an aware datetime")
    _fixed = fixed


def _from_env() -> datetime | None:
    text = os.environ.get("DOCKET_NOW")
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError("DOCKET_NOW", f"expected an ISO date-time, got {text!r}") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def utcnow() -> datetime:
    """The current instant, aware, in UTC, to the second."""
    value = _fixed or _from_env() or datetime.now(UTC)
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
