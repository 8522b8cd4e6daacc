"""Calendar readers the zone tests hold docket's invites to, each as independent of docket as
it can be: Thunderbird's ical.js (through Node), vobject, icalendar with
recurring-ical-events, khal (its own import and database code), and a reader written here
that honours only DTSTART and RRULE in a VTIMEZONE and keeps only the STANDARD and DAYLIGHT
with the latest DTSTART, as Outlook does (MS-OXCICAL 2.1.3.1.1.19).

Each reader returns, per UID, the set of (start, end) instants (UTC, aware) of the
occurrences that start before a cutoff.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from dateutil.rrule import rrulestr

JS = Path(__file__).parent / "js"
Occurrences = dict[str, set[tuple[datetime, datetime]]]


def node_ready() -> bool:
    """Node is installed and ical.js is in tests/js/node_modules (make test puts it there)."""
    return shutil.which("node") is not None and (JS / "node_modules" / "ical.js").is_dir()


def ical_js(text: str, cutoff: datetime) -> Occurrences:
    """Thunderbird's parser: every VTIMEZONE registered under its TZID, then each series."""
    done = subprocess.run(
        ["node", str(JS / "occurrences.mjs"), str(int(cutoff.timestamp()))],
        input=text.encode(),
        capture_output=True,
        check=True,
        timeout=600,
    )
    found: dict[str, list[list[int]]] = json.loads(done.stdout)
    return {uid: {(_stamp(a), _stamp(b)) for a, b in pairs} for uid, pairs in found.items()}


def _stamp(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def vobject_reader(text: str, cutoff: datetime) -> Occurrences:
    """vobject: its own tzinfo from each VTIMEZONE, dateutil for the rules; an occurrence
    ends its master's DTEND - DTSTART after its start, as vobject's clients do."""
    import vobject

    calendar = vobject.readOne(text)
    masters: dict[str, Any] = {}
    overrides: dict[str, dict[datetime, Any]] = {}
    for event in calendar.vevent_list:
        uid = event.uid.value
        if hasattr(event, "recurrence_id"):
            key = event.recurrence_id.value.astimezone(UTC)
            overrides.setdefault(uid, {})[key] = event
        else:
            masters[uid] = event
    found: Occurrences = {}
    for uid, master in masters.items():
        if hasattr(master, "duration"):
            length = master.duration.value
        else:
            length = master.dtend.value - master.dtstart.value
        rules = master.getrruleset(addRDate=True)
        starts: Iterable[datetime] = rules if rules is not None else [master.dtstart.value]
        mine: set[tuple[datetime, datetime]] = set()
        for moment in starts:
            if moment.astimezone(UTC) >= cutoff:
                break
            changed = overrides.get(uid, {}).get(moment.astimezone(UTC))
            if changed is not None:
                begin, end = changed.dtstart.value, changed.dtend.value
            else:
                begin, end = moment, moment + length
            mine.add((begin.astimezone(UTC), end.astimezone(UTC)))
        found[uid] = mine
    return found


def recurring_reader(text: str, cutoff: datetime) -> Occurrences:
    """icalendar parses (its own zones from each VTIMEZONE), recurring-ical-events expands."""
    import recurring_ical_events
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    found: Occurrences = {}
    events = recurring_ical_events.of(calendar).between(date(1970, 1, 1), cutoff)
    for event in events:
        begin = event.decoded("DTSTART").astimezone(UTC)
        if begin >= cutoff:
            continue
        end = event.end.astimezone(UTC)  # DTEND, or DTSTART + DURATION
        found.setdefault(str(event["UID"]), set()).add((begin, end))
    return found


# --- khal --------------------------------------------------------------------------------

# khal's own limit: it expands a series without end (or with COUNT) only to 31 December 2037,
# and the zones icalendar makes for it from a VTIMEZONE (through pytz) know no change after
# 2038; the tests compare khal with docket up to here
KHAL_HORIZON = datetime(2037, 12, 30, tzinfo=UTC)


class _Heard(logging.Handler):
    """What khal tells its user while it reads a file (warnings and errors)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


@contextmanager
def _as_khal() -> Iterator[_Heard]:
    """khal reads zones through pytz (importing khal.icalendar switches icalendar to it);
    icalendar's zone provider is one for the whole process, so the one docket and the other
    readers use is put back afterwards. Yields what khal logs meanwhile."""
    from icalendar.timezone import tzp

    before = tzp.name
    heard = _Heard()
    log = logging.getLogger("khal")
    log.addHandler(heard)
    tzp.use_pytz()
    try:
        yield heard
    finally:
        tzp.use(before)
        log.removeHandler(heard)


def khal_reader(text: str, cutoff: datetime) -> Occurrences:
    """What ``khal import`` stores and ``khal list`` shows: the file split per UID (each part
    with the VTIMEZONEs it uses), each part put into khal's database, which expands the
    series, drops the EXDATEs and lays each RECURRENCE-ID over the occurrence it replaces.
    Anything khal would warn its user about is an error here."""
    import pytz
    from icalendar import Calendar

    with _as_khal() as heard:
        from khal.icalendar import split_ics
        from khal.khalendar.backend import SQLiteDb

        locale: Any = {"default_timezone": pytz.UTC, "local_timezone": pytz.UTC}
        database = SQLiteDb(["docket"], ":memory:", locale)
        uids: dict[str, str] = {}
        with database.at_once():
            for n, part in enumerate(split_ics(text, default_timezone=pytz.UTC)):
                uids[f"{n}.ics"] = str(Calendar.from_ical(part).walk("VEVENT")[0]["UID"])
                database.update(part, f"{n}.ics", calendar="docket")
        found: Occurrences = {}
        shown = database.get_localized(datetime(1970, 1, 2, tzinfo=UTC), cutoff)
        for _item, href, begin, end, *_rest in shown:
            if begin < cutoff:
                found.setdefault(uids[href], set()).add(
                    (begin.astimezone(UTC), end.astimezone(UTC))
                )
        database.conn.close()
    if heard.said:
        raise ValueError(f"khal warned: {'; '.join(heard.said)}")
    return found


# --- the Outlook-style reader -----------------------------------------------------------


class OutlookZone:
    """A zone as Outlook keeps it from a VTIMEZONE: the STANDARD and the DAYLIGHT with the
    latest DTSTART, their DTSTART's time of day and yearly RRULE (BYMONTH, BYDAY) applied to
    every year; no RDATE, no other observance."""

    def __init__(self, component: Any) -> None:
        self._years: dict[int, list[tuple[datetime, timedelta, timedelta]]] = {}
        latest: dict[str, Any] = {}
        for part in component.subcomponents:
            kind = part.name
            start = _naive(part["DTSTART"].dt)
            if kind not in latest or start > _naive(latest[kind]["DTSTART"].dt):
                latest[kind] = part
        standard = latest["STANDARD"]
        self.standard = standard["TZOFFSETTO"].td
        self.daylight_part = latest.get("DAYLIGHT")
        self.standard_part = standard
        self.readable = True
        if self.daylight_part is not None:
            self.daylight = self.daylight_part["TZOFFSETTO"].td
            for part in (self.standard_part, self.daylight_part):
                rule = part.get("RRULE")
                byday = rule.get("BYDAY", []) if rule is not None else []
                # MS-OXCICAL: FREQ=YEARLY with one nth weekday, no BYMONTHDAY with BYDAY
                if rule is None or "BYMONTHDAY" in rule or len(byday) != 1:
                    self.readable = False

    def _onset(self, part: Any, year: int, offset_before: timedelta) -> datetime:
        start = _naive(part["DTSTART"].dt)
        rule = part["RRULE"]
        text = f"FREQ=YEARLY;BYMONTH={rule['BYMONTH'][0]};BYDAY={rule['BYDAY'][0]}"
        first = rrulestr(text, dtstart=start.replace(year=year, month=1, day=1))[0]
        return first - offset_before  # naive UTC

    def changes(self, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
        """(instant as naive UTC, offset before, offset after) of the year's two changes."""
        if year not in self._years:
            self._years[year] = self._changes(year)
        return self._years[year]

    def _changes(self, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
        assert self.daylight_part is not None
        found = [
            (self._onset(self.daylight_part, year, self.standard), self.standard, self.daylight),
            (self._onset(self.standard_part, year, self.daylight), self.daylight, self.standard),
        ]
        return sorted(found)

    def to_utc(self, wall: datetime) -> datetime:
        """A wall time as an instant: RFC 5545 3.3.5 (the offset before a gap, the first of
        two instances)."""
        if self.daylight_part is None:
            return (wall - self.standard).replace(tzinfo=UTC)
        offsets = {self.standard, self.daylight}
        # the first of two instances: the earlier instant
        candidates = [wall - o for o in offsets if self._offset_at(wall - o) == o]
        if candidates:
            return min(candidates).replace(tzinfo=UTC)
        # in a gap: the earlier reading falls before the change, on the offset before it
        return (wall - self._offset_at(wall - max(offsets))).replace(tzinfo=UTC)

    def to_wall(self, moment: datetime) -> datetime:
        """An instant (naive UTC) on this zone's clock."""
        if self.daylight_part is None:
            return moment + self.standard
        return moment + self._offset_at(moment)

    def _offset_at(self, moment: datetime) -> timedelta:
        changes = [c for y in (moment.year - 1, moment.year) for c in self.changes(y)]
        offset = changes[0][1]
        for at, _before, after in changes:
            if moment >= at:
                offset = after
        return offset


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def _raw_wall(prop: Any) -> tuple[datetime, str | None]:
    """A DATE-TIME property as written: its wall time and TZID (None: UTC)."""
    text = prop.to_ical().decode() if hasattr(prop, "to_ical") else str(prop)
    value = text.split(",")[0]
    wall = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    return wall, (None if value.endswith("Z") else prop.params.get("TZID"))


def outlook_reader(text: str, cutoff: datetime) -> Occurrences:
    """The reader MS-OXCICAL describes, on the raw text (icalendar only splits it into
    components and properties; zones come from :class:`OutlookZone`)."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    zones = {str(c["TZID"]): OutlookZone(c) for c in calendar.walk("VTIMEZONE")}
    for zone in zones.values():
        if not zone.readable:
            raise ValueError("Outlook cannot read this VTIMEZONE's rules")

    def instant(prop: Any) -> tuple[datetime, datetime]:
        wall, tzid = _raw_wall(prop)
        moment = wall.replace(tzinfo=UTC) if tzid is None else zones[tzid].to_utc(wall)
        return wall, moment

    masters: dict[str, Any] = {}
    overrides: dict[str, dict[datetime, Any]] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        if "RECURRENCE-ID" in event:
            overrides.setdefault(uid, {})[_raw_wall(event["RECURRENCE-ID"])[0]] = event
        else:
            masters[uid] = event
    found: Occurrences = {}
    for uid, master in masters.items():
        wall, begin = instant(master["DTSTART"])
        if "DURATION" in master:
            length = master["DURATION"].dt
        else:
            length = instant(master["DTEND"])[1] - begin
        _wall0, tzid = _raw_wall(master["DTSTART"])
        walls: Iterable[datetime] = [wall]
        if "RRULE" in master:
            rule = master["RRULE"].to_ical().decode()
            if "UNTIL=" in rule and tzid is not None:
                # UNTIL is UTC; the rule runs on naive wall times, so it becomes one
                written = rule.split("UNTIL=")[1].split(";")[0]
                until = datetime.strptime(written, "%Y%m%dT%H%M%SZ")
                rule = rule.replace(written, f"{zones[tzid].to_wall(until):%Y%m%dT%H%M%S}")
            walls = rrulestr(rule, dtstart=wall)
        excluded: set[datetime] = set()
        exdates = master.get("EXDATE")
        for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
            for value in group.to_ical().decode().split(","):
                excluded.add(datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S"))
        mine: set[tuple[datetime, datetime]] = set()
        for moment in walls:
            start = zones[tzid].to_utc(moment) if tzid else moment.replace(tzinfo=UTC)
            if start >= cutoff:
                break
            if moment in excluded:
                continue
            changed = overrides.get(uid, {}).get(moment)
            if changed is not None:
                mine.add((instant(changed["DTSTART"])[1], instant(changed["DTEND"])[1]))
            else:
                mine.add((start, start + length))
        found[uid] = mine
    return found
