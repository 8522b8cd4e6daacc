"""Column types that keep docket's storage rules: UTC date-times and exact money.

SQLite has no date-time or decimal type. Date-times are stored as naive UTC text
(``YYYY-MM-DD HH:MM:SS``), which sorts and compares correctly in SQL, and read back as
aware UTC datetimes. Money is stored as integer minor units (cents), so sums in SQL are
exact, and read back as ``Decimal``; it never passes through a float.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from peewee import AutoField, BigIntegerField, CharField, DateField, IntegerField

_STORED = "%Y-%m-%d %H:%M:%S"


def to_utc_text(value: datetime) -> str:
    """The stored form of an aware date-time: naive UTC text, second precision."""
    if value.tzinfo is None:
        raise ValueError("date-times stored by docket must be time zone aware")
    return value.astimezone(UTC).strftime(_STORED)


def from_utc_text(value: str) -> datetime:
    """An aware UTC datetime from its stored text."""
    # fromisoformat reads exactly the stored form and is ten times faster than strptime; read
    # with its offset, the UTC it gives is the same object, a fifth of the cost of replace()
    # (every date-time a list or a calendar reads)
    if len(value) >= 19:
        return datetime.fromisoformat(value[:19] + "+00:00")
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


class _CopiedShallowly:
    """A column every record has: peewee copies it into each model (35 of them, at every
    start-up) with ``deepcopy``, which walks each field's SQL nodes; a shallow copy with its
    own list of constraints is the same field, at a tenth of the cost (3.5 ms of a command's
    start-up, issue 22). The copy is bound to its model afresh, as peewee's would be."""

    constraints: list[Any] | None

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        copied = copy.copy(self)
        if self.constraints is not None:
            copied.constraints = list(self.constraints)
        return copied


class RecordIdField(_CopiedShallowly, AutoField):
    """A record's id (an ``AutoField``)."""


class VersionField(_CopiedShallowly, IntegerField):
    """A record's version, counted up by every change (an ``IntegerField``)."""


class UTCDateTimeField(_CopiedShallowly, CharField):
    """An instant, stored in UTC, returned as an aware datetime."""

    field_type = "DATETIME"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 19)
        super().__init__(*args, **kwargs)

    def db_value(self, value: datetime | str | None) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return to_utc_text(value)

    def python_value(self, value: str | None) -> datetime | None:
        return None if value is None else from_utc_text(value)


class _DayField(DateField):
    """A calendar day, stored as ISO text (``YYYY-MM-DD``) and read without strptime."""

    def python_value(self, value: Any) -> date | None:
        if isinstance(value, str):
            return date.fromisoformat(value[:10])
        return super().python_value(value)  # type: ignore[no-any-return]


# To the type checker a DayField is a DateField, whose stubs type the value (date, or
# date | None with null=True); at run time it is the faster reader above.
if TYPE_CHECKING:
    DayField = DateField
else:
    DayField = _DayField


CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    """Integer minor units of an amount, rounded half-even to the cent."""
    return int(amount.quantize(CENT, rounding=ROUND_HALF_EVEN) * 100)


class MoneyField(BigIntegerField):
    """An amount of money: integer cents in the database, ``Decimal`` in Python."""

    def db_value(self, value: Decimal | int | None) -> int | None:
        return None if value is None else to_cents(Decimal(value))

    def python_value(self, value: int | None) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(CENT)
