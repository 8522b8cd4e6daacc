"""Repeat rules: typed as RFC 5545 or in words, stored as an RRULE, expanded with dateutil.

Meetings and communications cadences both repeat. People type ``weekly on tue,thu until
2027-06-30``, ``monthly on the 2nd wed``, ``every 2 weeks`` or a raw ``FREQ=WEEKLY;BYDAY=TU``;
:func:`parse_repeat` turns any of them into one canonical RRULE body, the form invites carry.

Occurrences are wall-clock times in the series' own zone: a 09:00 meeting in New York stays
at 09:00 after daylight saving ends (its UTC start moves), which is what RFC 5545 says and
what calendar clients do. dateutil's rrule keeps the wall clock when its start is aware.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.meetings.rule_walk import last_wall, simple_rule, utc_stamp, walls_from

if TYPE_CHECKING:
    from dateutil import rrule as du

FIELD = "repeat"
EXAMPLES = "weekly on tue,thu until 2027-06-30; monthly on the 2nd wed; every 2 weeks"
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_WORDS = {
    "mon": "MO", "monday": "MO", "tue": "TU", "tues": "TU", "tuesday": "TU",
    "wed": "WE", "weds": "WE", "wednesday": "WE", "thu": "TH", "thur": "TH",
    "thurs": "TH", "thursday": "TH", "fri": "FR", "friday": "FR", "sat": "SA",
    "saturday": "SA", "sun": "SU", "sunday": "SU",
}  # fmt: skip
_DAY_NAMES = dict(zip(_DAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))
_ORDINALS = {
    "1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
    "4th": 4, "fourth": 4, "5th": 5, "fifth": 5, "last": -1,
}  # fmt: skip
_UNIT_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_ADVERBS = {
    "daily": ("DAILY", 1),
    "weekly": ("WEEKLY", 1),
    "biweekly": ("WEEKLY", 2),
    "fortnightly": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
    "quarterly": ("MONTHLY", 3),
    "yearly": ("YEARLY", 1),
    "annually": ("YEARLY", 1),
}

# patterns of typed repeats, compiled (and cached by re) on first use: an agenda reads
# stored rules only, and compiling them all is an import's cost
_HEAD = (
    r"(?:(?P<adverb>daily|weekly|biweekly|fortnightly|monthly|quarterly|yearly|annually)"
    r"|every\s+(?:(?P<n>\d{1,3})\s+)?(?:other\s+)?(?P<unit>day|week|month|year)s?"
    r"|(?:every\s+)?(?P<weekdays>weekdays?|working\s+days?))\b"
)
_UNTIL = r"\s*(?:,\s*)?(?:until|till|through|to)\s+(?P<until>.+)$"
_COUNT = r"\s*(?:,\s*)?(?:for\s+)?(?P<count>\d{1,4})\s*(?:times|occurrences|x)$"
_ON_NTH = r"on\s+the\s+(?P<ord>\w+)\s+(?P<day>[a-z]+)$"
_ON_MONTHDAY = r"on\s+(?:day\s+(?P<d1>\d{1,2})|the\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)$"
_ON_DAYS = r"on\s+(?P<days>[a-z ,]+)$"


def parse_repeat(text: str, start: datetime) -> str:
    """The canonical RRULE body for a rule typed as RFC 5545 or in words.

    ``start`` is the series' first start, aware, in its own zone: ``until`` dates are read
    as the end of that day there, and stored in UTC as RFC 5545 requires.
    """
    typed = " ".join(text.strip().split())
    if not typed:
        raise ValidationError(FIELD, f"expected a rule such as {EXAMPLES}")
    upper = typed.upper()
    if upper.startswith("RRULE:") or "=" in upper:
        rule = _from_rfc(upper.removeprefix("RRULE:"), start)
    else:
        rule = _from_words(typed.lower(), start)
    _check(rule, start)
    return rule


def _from_rfc(body: str, start: datetime) -> str:
    parts: dict[str, str] = {}
    for piece in body.strip(";").split(";"):
        name, eq, value = piece.partition("=")
        if not eq or not value:
            raise ValidationError(
                FIELD, f"'{piece}' is not NAME=VALUE (RFC 5545, e.g. FREQ=WEEKLY)"
            )
        if name in parts:
            raise ValidationError(FIELD, f"{name} is given twice")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise ValidationError(FIELD, f"FREQ must be one of {', '.join(FREQUENCIES)}")
    if "UNTIL" in parts and "COUNT" in parts:
        raise ValidationError(FIELD, "give UNTIL or COUNT, not both")
    if "COUNT" in parts and not (parts["COUNT"].isdecimal() and 1 <= int(parts["COUNT"]) <= 9999):
        # the same bound as "for N times" in words; a larger count is a series without end
        raise ValidationError(FIELD, f"COUNT must be 1 to 9999, got {parts['COUNT'][:20]}")
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_utc(_rfc_until(parts["UNTIL"], start))
    ordered = {"FREQ": freq} | {k: v for k, v in parts.items() if k != "FREQ"}
    return ";".join(f"{k}={v}" for k, v in ordered.items())


def _rfc_until(value: str, start: datetime) -> datetime:
    """UNTIL as typed: a date (the end of that day), local date-time, or UTC with ``Z``."""
    try:
        if re.fullmatch(r"\d{8}", value):
            day = datetime.strptime(value, "%Y%m%d").date()
            return datetime.combine(day, time(23, 59, 59), tzinfo=start.tzinfo)
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=start.tzinfo)
    except ValueError:
        raise ValidationError(
            FIELD, f"UNTIL={value} is not a date (20270630) or a date-time (20270630T235959Z)"
        ) from None


def _until_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _from_words(typed: str, start: datetime) -> str:
    rest = typed
    limit = ""
    if m := re.search(_UNTIL, rest):
        day = _until_day(m["until"], start)
        end = datetime.combine(day, time(23, 59, 59), tzinfo=start.tzinfo)
        limit = f"UNTIL={_until_utc(end)}"
        rest = rest[: m.start()]
    elif m := re.search(_COUNT, rest):
        count = int(m["count"])
        if count < 1:
            raise ValidationError(FIELD, "the number of times must be at least 1")
        limit = f"COUNT={count}"
        rest = rest[: m.start()]
    head = re.match(_HEAD, rest)
    if head is None:
        raise ValidationError(FIELD, f"'{typed}' is not a rule; expected e.g. {EXAMPLES}")
    parts: list[str]
    if head["weekdays"]:
        parts = ["FREQ=WEEKLY", "BYDAY=MO,TU,WE,TH,FR"]
    else:
        if head["adverb"]:
            freq, interval = _ADVERBS[head["adverb"]]
        else:
            freq, interval = _UNIT_FREQ[head["unit"]], int(head["n"] or 1)
            if "other" in head.group(0):
                interval *= 2
        if interval < 1:
            raise ValidationError(FIELD, "the interval must be at least 1")
        parts = [f"FREQ={freq}"] + ([f"INTERVAL={interval}"] if interval > 1 else [])
    tail = rest[head.end() :].strip(" ,")
    if tail:
        parts.append(_on(tail, parts[0].removeprefix("FREQ="), typed))
    if limit:
        parts.append(limit)
    return ";".join(parts)


def _until_day(text: str, start: datetime) -> date:
    return parse_date(text.strip(), start.date(), field=f"{FIELD} (until)")


def _on(tail: str, freq: str, typed: str) -> str:
    """The ``on ...`` part: weekdays, the nth weekday of the month, or a day of the month."""
    if m := re.fullmatch(_ON_NTH, tail):
        ordinal = _ORDINALS.get(m["ord"])
        day = _DAY_WORDS.get(m["day"])
        if ordinal is None or day is None:
            raise ValidationError(
                FIELD, f"'{tail}': expected e.g. 'on the 2nd wed' or 'on the last fri'"
            )
        if freq not in ("MONTHLY", "YEARLY"):
            raise ValidationError(FIELD, f"'{tail}' needs a monthly or yearly rule")
        return f"BYDAY={ordinal}{day}"
    if m := re.fullmatch(_ON_MONTHDAY, tail):
        day_of_month = int(m["d1"] or m["d2"])
        if not 1 <= day_of_month <= 31:
            raise ValidationError(FIELD, f"day {day_of_month}: expected a day of the month, 1-31")
        if freq != "MONTHLY":
            raise ValidationError(FIELD, f"'{tail}' needs a monthly rule")
        return f"BYMONTHDAY={day_of_month}"
    if m := re.fullmatch(_ON_DAYS, tail):
        words = [w for w in re.split(r"[ ,]+|\band\b", m["days"]) if w and w != "and"]
        days = [_DAY_WORDS.get(w) for w in words]
        if not days or None in days:
            bad = next((w for w in words if w not in _DAY_WORDS), m["days"])
            raise ValidationError(FIELD, f"'{bad}' is not a weekday (mon, tue, ... sun)")
        if freq not in ("WEEKLY", "DAILY"):
            raise ValidationError(FIELD, f"'{tail}' needs a weekly rule; try 'on the 1st mon'")
        ordered = sorted({d for d in days if d}, key=_DAYS.index)
        return "BYDAY=" + ",".join(ordered)
    raise ValidationError(FIELD, f"'{typed}': cannot read '{tail}'; expected e.g. {EXAMPLES}")


def _check(rule: str, start: datetime) -> None:
    """dateutil must accept the rule, and it must have at least one occurrence."""
    try:
        parsed = _rule(rule, start)
    except ValueError as exc:
        raise ValidationError(FIELD, f"{rule} is not a valid RFC 5545 rule ({exc})") from None
    if parsed.after(start, inc=True) is None:
        raise ValidationError(FIELD, f"{rule} has no occurrence on or after the start")


@lru_cache(maxsize=4096)
def _rule(rule: str, start: datetime) -> du.rrule:
    # here, not above: daily and weekly rules (an agenda's) are walked without dateutil
    from dateutil import rrule as du

    # an UNTIL in UTC is read here: dateutil reads it with its general date parser, slowly
    until = _UNTIL_UTC.search(rule)
    body = rule if until is None else rule[: until.start()] + rule[until.end() :]
    parsed = du.rrulestr(body.strip(";") or rule, dtstart=start, cache=False)
    if not isinstance(parsed, du.rrule):  # pragma: no cover - rrulestr of one RRULE
        raise ValueError("expected one rule")
    if until is not None:
        moment = utc_stamp(until[1])
        parsed = parsed.replace(until=moment)
    return parsed


# UNTIL as docket stores it (UTC), as a whole part of the rule
_UNTIL_UTC = re.compile(r"(?:^|;)UNTIL=(\d{8}T\d{6}Z)(?=;|$)")


def _walls(rule: str, start: datetime, after: datetime) -> Iterator[datetime]:
    """The rule's starts on or after ``after``, as the wall clock in ``start``'s zone that
    the rule gives (dateutil's ``xafter(after, inc=True)``): daily and weekly rules by date
    arithmetic (:mod:`docket.models.meetings.rule_walk`), every other rule by dateutil."""
    simple = simple_rule(rule)
    if simple is not None:
        return walls_from(simple, start, after)
    return _rule(rule, _shifted_start(rule, start, after)).xafter(after, inc=True)


def _parts(rule: str) -> dict[str, str]:
    return dict(piece.split("=", 1) for piece in rule.split(";") if "=" in piece)


def _shifted_start(rule: str, start: datetime, window_start: datetime) -> datetime:
    """A later start for the same series, so a long-running series is not walked from its
    first week: daily and weekly rules without COUNT repeat with a fixed period, so any
    start a whole number of periods later gives the same occurrences after it."""
    parts = _parts(rule)
    if "COUNT" in parts or parts.get("FREQ") not in ("DAILY", "WEEKLY"):
        return start
    period = timedelta(days=1 if parts["FREQ"] == "DAILY" else 7) * int(parts.get("INTERVAL", 1))
    gap = window_start - start
    if gap <= period * 2:
        return start
    steps = gap // period - 1
    wall = start.replace(tzinfo=None) + period * steps
    return wall.replace(tzinfo=start.tzinfo)


@lru_cache(maxsize=1024)
def _rule_weekdays(rule: str) -> frozenset[int] | None:
    """The weekdays a daily or weekly rule's occurrences fall on, from its BYDAY (Monday 0);
    None when the rule does not say (or says it in a way this does not read)."""
    parts = _parts(rule)
    if parts.get("FREQ") not in ("DAILY", "WEEKLY") or "BYSETPOS" in parts:
        return None
    days = parts.get("BYDAY")
    if not days or any(day not in _DAYS for day in days.split(",")):
        return None
    return frozenset(_DAYS.index(day) for day in days.split(","))


def _may_fall_in(rule: str, start: datetime, window_start: datetime, window_end: datetime) -> bool:
    """False when a daily or weekly rule cannot have an occurrence in a window of less than a
    week: none of its weekdays is a day of the window in the series' zone. Saves walking the
    rule for every series when a view shows a day or two."""
    if window_end - window_start >= timedelta(days=6):
        return True
    days = _rule_weekdays(rule)
    if days is None and _parts(rule).get("FREQ") == "WEEKLY" and "BYSETPOS" not in rule:
        days = frozenset({start.weekday()})
    if days is None:
        return True
    first = window_start.astimezone(start.tzinfo).date()
    last = window_end.astimezone(start.tzinfo).date()
    window = {(first + timedelta(days=n)).weekday() for n in range((last - first).days + 1)}
    return not days.isdisjoint(window)


def expand(
    rule: str,
    start: datetime,
    window_start: datetime,
    window_end: datetime,
    *,
    limit: int | None = None,
) -> list[datetime]:
    """The starts of a series (aware, in ``start``'s zone) within [window_start, window_end).

    An empty rule is a single meeting: its one start, when it falls in the window.
    """
    return [
        there for there, _ in expand_instants(rule, start, window_start, window_end, limit=limit)
    ]


def expand_instants(
    rule: str,
    start: datetime,
    window_start: datetime,
    window_end: datetime,
    *,
    limit: int | None = None,
) -> list[tuple[datetime, datetime]]:
    """What :func:`expand` gives, each start with its instant in UTC: converting gives
    both, and an agenda needs both for each of its thousands of occurrences."""
    if not rule:
        return [(start, start.astimezone(UTC))] if window_start <= start < window_end else []
    if not _may_fall_in(rule, start, window_start, window_end):
        return []
    found: list[tuple[datetime, datetime]] = []
    end_zone = window_end.tzinfo
    for moment in _walls(rule, start, window_start):
        # as instant() does (the walk's starts have fold 0: no copy to make)
        utc = (moment.replace(fold=0) if moment.fold else moment).astimezone(UTC)
        # two aware times of different zones compare by instant: the instant is known now,
        # and comparing it with a UTC window looks up no offset of the series' zone
        ahead = utc if end_zone is not moment.tzinfo and not moment.fold else moment
        if ahead >= window_end or (limit is not None and len(found) >= limit):
            break
        found.append((utc.astimezone(moment.tzinfo), utc))
    return found


def instant(moment: datetime) -> datetime:
    """A start the rule gives (a wall-clock time in the series' zone) as the instant it
    names, in that zone. RFC 5545 3.3.5: a time that does not exist (the hour skipped when
    daylight saving starts) is read with the offset before the change, so 02:30 on New
    York's spring-forward day is 03:30 EDT; a time that happens twice is its first
    instance. zoneinfo's fold=0 does both; converting through UTC makes the wall clock
    real (comparing two aware datetimes of one zone compares their wall clocks)."""
    zone = moment.tzinfo
    return moment.replace(fold=0).astimezone(UTC).astimezone(zone)


def end_of(start: datetime, minutes: int) -> datetime:
    """When an occurrence that starts at ``start`` and lasts ``minutes`` ends, in
    ``start``'s zone: its length is kept in absolute time, so a meeting across a
    daylight-saving change lasts as long as any other (never ends before it starts)."""
    return (start.astimezone(UTC) + _length(minutes)).astimezone(start.tzinfo)


@lru_cache(maxsize=1024)
def _length(minutes: int) -> timedelta:
    """``minutes`` as a timedelta, made once per length: calendars and agendas ask for the
    same few lengths thousands of times, and timedelta's keywords are slow to read."""
    return timedelta(minutes=minutes)


def nominal(rule: str, start: datetime, moment: datetime) -> datetime:
    """The wall-clock time the rule gives for the occurrence at instant ``moment`` (as an
    invite's RECURRENCE-ID and EXDATE name it: 02:30 for the 02:30 that is 03:30 EDT);
    ``moment`` itself in its zone when the rule gives none there."""
    zone = start.tzinfo
    there = moment.astimezone(zone)
    if not rule:
        return there
    probe = moment.astimezone(UTC)
    for wall in _walls(rule, start, there - timedelta(hours=3)):
        if instant(wall) == probe:
            return wall
        if wall.replace(tzinfo=None) > there.replace(tzinfo=None) + timedelta(hours=3):
            break
    return there


def occurrences_from(rule: str, start: datetime, after: datetime) -> Iterator[datetime]:
    """Every start on or after ``after``, in order (unbounded for an endless series)."""
    if not rule:
        if start >= after:
            yield start
        return
    for moment in _walls(rule, start, after):
        yield instant(moment)


def first_start(rule: str, start: datetime) -> datetime:
    """The first occurrence on or after ``start``. RFC 5545 wants DTSTART to be an
    occurrence, so a series typed as 'weekly on tue' from a Monday starts on the Tuesday."""
    if not rule:
        return start
    found = next(iter(_walls(rule, start, start)), None)
    if found is None:
        raise ValidationError(FIELD, f"{rule} has no occurrence on or after the start")
    return instant(found)


def last_start(rule: str, start: datetime) -> datetime | None:
    """The last occurrence's start; ``None`` for a series without end."""
    if not rule:
        return start
    simple = simple_rule(rule)
    if simple is not None:
        wall = last_wall(simple, start)
        return instant(wall) if wall is not None else None
    parts = _parts(rule)
    if "COUNT" not in parts and "UNTIL" not in parts:
        return None
    last: datetime | None = None
    for last in _rule(rule, start):  # noqa: B007 - bounded by COUNT or UNTIL
        pass
    return instant(last) if last is not None else None


def offset_changes(starts: Iterable[datetime], zone: tzinfo) -> list[datetime]:
    """The starts at which ``zone``'s UTC offset differs from the previous start's: where a
    series crosses a daylight-saving change as seen from that zone."""
    changes: list[datetime] = []
    previous: timedelta | None = None
    for moment in starts:
        offset = moment.astimezone(zone).utcoffset()
        if previous is not None and offset != previous:
            changes.append(moment)
        previous = offset
    return changes


def describe(rule: str, zone: tzinfo | str | None = None) -> str:
    """The rule in words: ``every 2 weeks on Tue and Thu, until Wed 30 Jun 2027``.

    The end date is the day of UNTIL in ``zone`` (the series' own, by IANA name or zone):
    UNTIL is stored in UTC, and a series entered as ending on the 30th ends on the 30th
    there, not on the 1st in UTC. Without a zone, the UTC day."""
    if not rule:
        return "once"
    parts = _parts(rule)
    freq = parts.get("FREQ", "")
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(freq)
    if unit is None:
        return rule
    interval = int(parts.get("INTERVAL", "1"))
    words = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
    if parts.get("BYDAY") == "MO,TU,WE,TH,FR" and freq == "WEEKLY" and interval == 1:
        words = "every weekday"
    elif "BYDAY" in parts:
        words += " on " + _and([_day_words(d) for d in parts["BYDAY"].split(",")])
    if "BYMONTHDAY" in parts:
        words += " on day " + _and(parts["BYMONTHDAY"].split(","))
    if "UNTIL" in parts:
        until = _until_moment(parts["UNTIL"])
        if zone is not None:
            until = until.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)
        words += f", until {until:%a %d %b %Y}"
    if "COUNT" in parts:
        words += f", {parts['COUNT']} times"
    return words


def _until_moment(value: str) -> datetime:
    """UNTIL as stored (UTC with Z; a bare date or local time is taken as UTC)."""
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").replace(tzinfo=UTC)
    return datetime.strptime(value[:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)


def _day_words(code: str) -> str:
    m = re.fullmatch(r"([+-]?\d)?([A-Z]{2})", code)
    if m is None or m[2] not in _DAY_NAMES:
        return code
    if not m[1]:
        return _DAY_NAMES[m[2]]
    n = int(m[1])
    nth = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}.get(n, str(n))
    return f"the {nth} {_DAY_NAMES[m[2]]}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
