"""Turning what people type into values, with errors that name the field.

The command line and the app's forms both pass typed text through these, so a field is
checked the same way everywhere. Text is data: control characters (which a terminal would
obey) and bidirectional formatting characters (which reorder what is shown, U+202E) are
refused rather than stored (:mod:`docket.models.core.safe_text` names them).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from docket.models.core.context import Context
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.core.fields import CENT
from docket.models.core.safe_text import first_unsafe

# SQLite keeps integers in 64 bits: an id or a count past this names nothing it can hold
MAX_INTEGER = 2**63 - 1
# a window of days (due within, ending within, an agenda) of at most a hundred years
MAX_DAYS = 36_525


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
    bad = first_unsafe(cleaned, lines=multiline)
    if bad:
        name = unicodedata.name(bad, f"U+{ord(bad):04X}")
        kind = "control" if unicodedata.category(bad) == "Cc" else "formatting"
        raise ValidationError(field, f"contains a {kind} character ({name}); remove it")
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


def decimal_number(
    field: str, typed: str | Decimal, *, places: int, maximum: Decimal, example: str
) -> Decimal:
    """A decimal number from 0 to ``maximum`` with at most ``places`` decimal places (a
    weight, a count of people); refused naming ``field`` and ``example`` of what is meant."""
    try:
        number = Decimal(str(typed).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or number > maximum or number != round(number, places):
        raise ValidationError(field, f"expected {example}, got {shown(str(typed))}")
    return number


def record_id(field: str, value: str | int) -> int:
    """A record's id: a whole number from 1 to the largest SQLite stores."""
    return whole_number(field, value, minimum=1, maximum=MAX_INTEGER)


def typed_id(typed: str) -> int | None:
    """The number ``typed`` is when it is written as an id is (ASCII digits: ``12``), else
    None, so a name made of other digits (``²``, ``١٢``) is looked up as a name."""
    cleaned = typed.strip()
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() else None


def count(field: str, value: str | int) -> int:
    """How many (a limit, a number of months): at least 1, at most the largest SQLite stores."""
    return whole_number(field, value, minimum=1, maximum=MAX_INTEGER)


def days(field: str, value: str | int) -> int:
    """A window in days: from 0 to a hundred years."""
    return whole_number(field, value, minimum=0, maximum=MAX_DAYS)


def window(field: str, first: date, last: date) -> tuple[date, date]:
    """Days from ``first`` to ``last`` (``field`` names the end): not backwards, and at most a
    hundred years long, so what is read or written for it stays within reason."""
    if last < first:
        raise ValidationError(field, f"expected a day on or after {first}, got {last}")
    if (last - first).days > MAX_DAYS:
        raise ValidationError(
            field,
            f"expected at most {MAX_DAYS} days (a hundred years) after {first}, got {last}",
        )
    return first, last


def valid_utf8(field: str, value: str) -> str:
    """Text that came from bytes (a command's arguments, a file): Python keeps bytes that are
    not UTF-8 as lone surrogates, which no database or terminal can take; refuse them."""
    for index, char in enumerate(value):
        if "\ud800" <= char <= "\udfff":
            raise ValidationError(
                field, f"is not valid UTF-8 (at character {index + 1}); give the text in UTF-8"
            )
    return value


# The largest amount docket takes: a trillion less a cent, far past any office's budget,
# and well inside the 64-bit integer cents the database keeps.
MAX_AMOUNT = Decimal("999999999999.99")
_AMOUNT = re.compile(
    r"(?P<sign>[-+]?)\s*(?P<symbol>[$€£]?)\s*(?P<sign2>[-+]?)(?P<body>.*)", re.DOTALL
)


def _amount_forms(decimal_comma: bool) -> str:
    if decimal_comma:
        return "12500, 12500,50, 12.500,50 or €12.500,50"
    return "12500, 12500.50, 12,500.50 or $12,500.50"


def money(field: str, typed: str | int | Decimal, *, decimal_comma: bool = False) -> Decimal:
    """An amount of money, exact to the cent: ``12500``, ``12,500.50``, ``$12,500``, ``-500``.

    Nothing is rounded or guessed: more than two decimal places, the other decimal
    separator (a comma, or a point when the office writes ``12.500,50``: ``decimal_comma``),
    thousands separators anywhere but between groups of three digits, exponents, nan and
    amounts past :data:`MAX_AMOUNT` are refused, naming the forms accepted.
    """
    if isinstance(typed, Decimal | int):
        amount = Decimal(typed)
        if not amount.is_finite():
            raise ValidationError(field, f"expected an amount to the cent, got {typed}")
        amount = _bounded(field, amount)  # before quantizing, which past 28 digits cannot
        if amount != amount.quantize(CENT):
            raise ValidationError(field, f"expected an amount to the cent, got {typed}")
        return amount.quantize(CENT)
    point, group = (",", ".") if decimal_comma else (".", ",")
    forms = _amount_forms(decimal_comma)

    def refuse(why: str) -> ValidationError:
        return ValidationError(
            field, f"{why}; expected an amount such as {forms}, got {shown(typed)}"
        )

    parts = _AMOUNT.fullmatch(typed.strip())
    assert parts is not None  # the pattern matches any text
    sign = parts["sign"] or parts["sign2"]
    if parts["sign"] and parts["sign2"]:
        raise refuse("two signs")
    body = parts["body"]
    if not body:
        raise refuse("no digits")
    if any(c not in "0123456789.," for c in body):
        raise refuse("not a plain number")
    whole, mark, cents = body.partition(point)
    if group in cents:
        other = "a comma" if group == "," else "a point"
        raise refuse(f"{other} after the decimal {'point' if point == '.' else 'comma'}")
    if point in cents:
        raise refuse(f"more than one decimal {'point' if point == '.' else 'comma'}")
    if mark and not cents:
        raise refuse("no digits after the decimal separator")
    if len(cents) > 2:
        raise refuse("more than two decimal places")
    if not whole:
        raise refuse("no digits before the decimal separator")
    if group in whole:
        groups = whole.split(group)
        if not mark and len(groups) == 2 and groups[0] and 1 <= len(groups[1]) <= 2:
            word = "comma" if group == "," else "point"
            raise refuse(f"a decimal {word} where a {'point' if point == '.' else 'comma'} goes")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise refuse("a thousands separator out of place")
        whole = "".join(groups)
    amount = Decimal(f"{sign}{whole}.{cents or '0'}")
    if abs(amount) > MAX_AMOUNT:  # checked before quantizing, which past 28 digits cannot
        raise ValidationError(
            field, f"expected at most {MAX_AMOUNT:,} either way, got {shown(typed)}"
        )
    return amount.quantize(CENT)


def _bounded(field: str, amount: Decimal) -> Decimal:
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(field, f"expected at most {MAX_AMOUNT:,} either way, got {amount}")
    return amount


def file_text(data: bytes, encoding: str | None = None) -> str:
    """The text of an imported file (a calendar, a spreadsheet's CSV): UTF-8, with or without
    a byte-order mark, or the ``encoding`` named; bytes that are not that encoding are refused
    naming the line, never read as something else without a word."""
    name = (encoding or "utf-8").strip()
    try:
        canonical = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a NUL or lone surrogate in the name
        raise ValidationError(
            "encoding", f"{shown(name)} is not an encoding; expected e.g. utf-8, cp1252, latin-1"
        ) from None
    try:
        return data.decode("utf-8-sig" if canonical == "utf-8" else canonical)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = (
            "; give its encoding with --encoding (e.g. --encoding cp1252)"
            if encoding is None
            else ""
        )
        raise ValidationError(
            "file",
            f"line {line} is not {canonical} text (byte 0x{data[exc.start]:02x}){hint}",
        ) from None
