"""Turning what people type into values, with errors that name the field.

The command line and the app's forms both pass typed text through these, so a field is
checked the same way everywhere. Text is data: control characters (which a terminal would
obey) are refused rather than stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from docket.models.context import Context
from docket.models.dates import parse_date
from docket.models.errors import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\n\t]")


def shown(value: str, limit: int = 40) -> str:
    """Typed text quoted for an error message, shortened and with controls escaped."""
    short = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(short)


def text(
    field: str,
    value: str | None,
    *,
    required: bool = True,
    max_length: int = 200,
    multiline: bool = False,
) -> str:
    """A trimmed piece of text; required ones may not be blank."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError(field, "expected text, got nothing")
    if len(cleaned) > max_length:
        raise ValidationError(
            field, f"expected at most {max_length} characters, got {len(cleaned)}"
        )
    bad = _CONTROL.search(cleaned) or (None if multiline else _LINE_BREAK.search(cleaned))
    if bad:
        name = unicodedata.name(bad.group(), f"U+{ord(bad.group()):04X}")
        raise ValidationError(field, f"contains a control character ({name}); remove it")
    return cleaned


def choice(field: str, value: str | None, options: Iterable[str]) -> str:
    """One of a fixed set of words, compared without case."""
    allowed = tuple(options)
    cleaned = (value or "").strip().lower()
    if cleaned not in allowed:
        raise ValidationError(
            field, f"expected one of {', '.join(allowed)}; got {shown(value or '')}"
        )
    return cleaned


def a_date(
    ctx: Context, field: str, value: str | date | None, *, required: bool = False
) -> date | None:
    """A date typed in any of the human forms, or already a date."""
    if isinstance(value, date):
        return value
    if value is None or not value.strip():
        if required:
            raise ValidationError(field, "expected a date such as today, fri, +3d or 2026-12-01")
        return None
    return parse_date(value, ctx.today(), field=field, day_first=ctx.day_first)


def whole_number(
    field: str, value: str | int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A whole number, optionally within bounds."""
    try:
        number = value if isinstance(value, int) else int(str(value).strip())
    except ValueError as exc:
        raise ValidationError(field, f"expected a whole number, got {shown(str(value))}") from exc
    if minimum is not None and number < minimum:
        raise ValidationError(field, f"expected at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ValidationError(field, f"expected at most {maximum}, got {number}")
    return number
