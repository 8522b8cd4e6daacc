"""RRULEs and VTIMEZONEs written directly (exports/calendar/ical_order.py) are what icalendar
writes: random rules against ``vRecur``, and every zone's VTIMEZONE (a sample of all zones and
the unusual ones) against icalendar's own components built from the same observances."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from docket.exports.calendar import ical_zones
from docket.exports.calendar.ical_order import rrule_text, utc_offset

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def rules(draw: st.DrawFn) -> str:
    parts = {"FREQ": draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))}
    numbers = st.lists(st.integers(-366, 366).filter(bool), min_size=1, max_size=4).map(
        lambda ns: ",".join(map(str, ns))
    )
    day = st.tuples(st.sampled_from(["", "1", "+2", "-1", "4", "-3", "+10"]), st.sampled_from(DAYS))
    optional = {
        "UNTIL": st.sampled_from(["20270630T045959Z", "20261231T235959Z"]),
        "COUNT": st.integers(1, 9999).map(str),
        "INTERVAL": st.integers(1, 99).map(str),
        "BYDAY": st.lists(day, min_size=1, max_size=3).map(
            lambda ds: ",".join(a + b for a, b in ds)
        ),
        "BYMONTH": st.integers(1, 12).map(str),
        "BYMONTHDAY": numbers,
        "BYSETPOS": numbers,
        "BYYEARDAY": numbers,
        "WKST": st.sampled_from(DAYS),
        "BYHOUR": st.integers(1, 23).map(str),
    }
    for name in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=5)):
        parts[name] = draw(optional[name])
    order = draw(st.permutations(list(parts)))
    return ";".join(f"{name}={parts[name]}" for name in order)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(rules())
def test_a_rule_is_ordered_as_icalendar_orders_it(rule: str) -> None:
    assert rrule_text(rule) == bytes(vRecur.from_ical(rule).to_ical()).decode("ascii")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;INTERVAL=02",  # a leading zero: icalendar writes 2
        "FREQ=WEEKLY;UNTIL=20270630",  # a date
        "FREQ=DAILY;X-NAME=1;COUNT=3",  # a part icalendar does not know
        "FREQ=WEEKLY;BYDAY=MO;",  # an empty part
        "FREQ=WEEKLY;BYSECOND=0",  # zero
    ],
)
def test_other_rules_are_written_by_icalendar(rule: str) -> None:
    assert rrule_text(rule) == bytes(vRecur.from_ical(rule).to_ical()).decode("ascii")


@pytest.mark.parametrize(
    "offset",
    [timedelta(0), timedelta(hours=-5), timedelta(hours=5, minutes=30), timedelta(seconds=-17762),
     timedelta(hours=14), timedelta(minutes=-30), timedelta(seconds=1172)],
)  # fmt: skip
def test_an_offset_is_written_as_icalendar_writes_it(offset: timedelta) -> None:
    from icalendar import vUTCOffset

    assert utc_offset(offset) == vUTCOffset(offset).to_ical()


UNUSUAL = [
    "America/New_York", "Europe/Dublin", "Africa/Casablanca", "Asia/Jerusalem", "Africa/Cairo",
    "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata", "UTC", "America/Sao_Paulo",
    "Antarctica/Troll", "Pacific/Chatham", "Europe/Moscow", "America/Santiago", "Asia/Tehran",
]  # fmt: skip
SAMPLE = sorted(available_timezones())[::9]


@pytest.mark.parametrize("name", sorted(set(UNUSUAL) | set(SAMPLE)))
def test_a_vtimezone_is_what_icalendar_writes(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for first, last in ((2024, None), (1995, 2030)):
        ours = ical_zones._vtimezone.__wrapped__(name, first, last)
        theirs = _through_icalendar(name, first, last, monkeypatch)
        assert ours == theirs, (name, first, last)
        # and icalendar reads it back to the same text
        wrapped = b"BEGIN:VCALENDAR\r\n" + ours + b"END:VCALENDAR\r\n"
        assert Calendar.from_ical(wrapped).to_ical() == wrapped


def _through_icalendar(
    name: str, first: int, last: int | None, monkeypatch: pytest.MonkeyPatch
) -> bytes:
    """The VTIMEZONE as docket wrote it before: icalendar components of the same
    observances, serialized by icalendar."""
    component = Timezone()
    component.add("TZID", name)

    def observance(
        _: object, daylight: bool, start: object, before: object, after: object, abbreviation: str,
        rrule: str = "",
    ) -> None:  # fmt: skip
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("DTSTART", start)
        part.add("TZOFFSETFROM", before)
        part.add("TZOFFSETTO", after)
        part.add("TZNAME", abbreviation)
        if rrule:
            parts = dict(p.split("=") for p in rrule.split(";"))
            part.add(
                "RRULE",
                {
                    k: [int(d) for d in v.split(",")] if k == "BYMONTHDAY" else v
                    for k, v in parts.items()
                },
            )
        component.add_component(part)

    with monkeypatch.context() as patched:
        patched.setattr(ical_zones, "_observance", observance)
        patched.setattr(ical_zones, "vtimezone_text", lambda *_: b"")
        ical_zones._vtimezone.__wrapped__(name, first, last)
    return bytes(component.to_ical())


def _changes_by_probing(name: str, first_year: int) -> tuple[ical_zones.Change, ...]:
    """zone_changes as it was first written: probe every week, halve to the second."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    zone, state_of = ZoneInfo(name), ical_zones._state
    stamp = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(ical_zones.LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp())
    found = []
    state = state_of(zone, stamp)
    while stamp < end:
        probe = stamp + ical_zones._STEP
        if state_of(zone, probe) == state:
            stamp = probe
            continue
        low, high = stamp, probe
        while high - low > 1:
            middle = (low + high) // 2
            if state_of(zone, middle) == state:
                low = middle
            else:
                high = middle
        after = state_of(zone, high)
        moment = datetime.fromtimestamp(high, UTC)
        saving = moment.astimezone(zone).dst() or timedelta(0)
        found.append(ical_zones.Change(moment, state[0], after[0], after[1], saving))
        state, stamp = after, high
    return tuple(found)


@pytest.mark.parametrize("name", sorted(set(UNUSUAL) | set(sorted(available_timezones())[::31])))
def test_a_zones_changes_are_found_as_probing_every_week_finds_them(name: str) -> None:
    for first_year in (1970, 1900):
        assert ical_zones.zone_changes(name, first_year) == _changes_by_probing(name, first_year)
