"""The demo's meetings: weekly series and one-offs per program, with attendees, moved and
cancelled occurrences, minutes and the decisions taken at them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from docket.models.core.schema import Attendee, Decision, Meeting, Minutes, OccurrenceChange
from docket.models.demo.data_office import HOME_ZONE
from docket.models.demo.data_schedule import (
    AGENDAS,
    DECISIONS,
    LOCATIONS,
    MINUTES_NOTES,
    SERIES_KINDS,
    SINGLE_KINDS,
    WEEKDAYS,
    WORKSTREAMS,
)
from docket.models.demo.office import Held, Office, spread, weekday_on_or_after, workday
from docket.models.demo.storage import STAMP, Row, insert


class _MeetingRows:
    """The rows of meetings and what hangs off them, collected before one insert per table."""

    def __init__(self) -> None:
        self.meetings: list[Row] = []
        self.attendees: list[Row] = []
        self.changes: list[Row] = []
        self.minutes: list[Row] = []
        self.decisions: list[Row] = []

    def write(self) -> dict[str, int]:
        """Insert every table; how many rows each, by the name the counts use."""
        meeting = (
            "id",
            "program",
            "title",
            "agenda",
            "location",
            "link",
            "organizer",
            "start_local",
            "timezone",
            "start_utc",
            "duration_minutes",
            "rrule",
            "until_utc",
            "status",
            "uid",
            "sequence",
        )
        change = (
            "meeting",
            "original_start",
            "new_start",
            "new_duration_minutes",
            "new_location",
            "new_link",
            "cancelled",
        )
        minutes = ("meeting", "occurrence_start", "notes", "attendance")
        decision = ("program", "title", "rationale", "decided_by", "decided_on", "meeting")
        return {
            "meetings": insert(Meeting, (*meeting, *STAMP), self.meetings),
            "attendees": insert(
                Attendee, ("meeting", "person", "role", "response", *STAMP), self.attendees
            ),
            "occurrence changes": insert(OccurrenceChange, (*change, *STAMP), self.changes),
            "minutes": insert(Minutes, (*minutes, *STAMP), self.minutes),
            "decisions at meetings": insert(
                Decision, (*decision, "occurrence_start", *STAMP), self.decisions
            ),
        }


def meetings(office: Office) -> dict[str, int]:
    """Weekly series and single meetings per program, with attendees, changes and minutes."""
    rows = _MeetingRows()
    mid = 0
    series = spread(office.scale.series, office.weights)
    singles = spread(office.scale.meetings - office.scale.series, office.weights)
    for pid, n_series, n_single in zip(office.leaves, series, singles, strict=True):
        for k in range(n_series):
            mid += 1
            _series(office, rows, mid, pid, k)
        for _ in range(n_single):
            mid += 1
            _single(office, rows, mid, pid)
    return rows.write()


def _series(office: Office, rows: _MeetingRows, mid: int, pid: int, k: int) -> None:
    """A weekly series: COUNT, UNTIL or open-ended, with a few moved or cancelled dates."""
    rng, code = office.rng, office.specs[pid - 1].code
    if k < len(SERIES_KINDS):
        kind, byday, interval, minutes, audience, hour = SERIES_KINDS[k]
        title = f"{code} {kind}"
    else:
        kind, byday, interval, minutes, audience, hour = rng.choice(SERIES_KINDS[1:])
        title = f"{code} {rng.choice(WORKSTREAMS)} {kind}"
    zone = _meeting_zone(office, audience)
    first = weekday_on_or_after(
        office.today - timedelta(days=rng.randint(14, 210)), WEEKDAYS.index(byday[:2])
    )
    start = datetime.combine(first, time(hour, rng.choice((0, 0, 30))), ZoneInfo(zone))
    rule = _series_rule(office, byday, interval, start)
    recurrence = rrulestr(rule, dtstart=start)
    if "COUNT=" in rule or "UNTIL=" in rule:
        occurrences = list(recurrence)
        until = occurrences[-1].astimezone(UTC)
    else:
        occurrences = recurrence.between(start, office.now + timedelta(days=120), inc=True)
        until = None
    changed = _occurrence_changes(office, rows, mid, occurrences, minutes)
    people = _audience(office, pid, audience)
    organizer = 1 if audience in ("steering", "pmo") else office.owner[pid]
    head = _meeting_row(office, mid, pid, title, audience, organizer, start, minutes)
    stamp = office.created_before(start)
    rows.meetings.append((*head, rule, until, "confirmed", _uid(office, mid), len(changed), *stamp))
    responses = _attendees(office, rows, mid, people, organizer, start)
    past = [
        o for o in occurrences if o + timedelta(minutes=minutes) < office.now and o not in changed
    ]
    for occurrence in past[-3:]:
        if rng.random() < 0.85:
            _minutes(office, rows, mid, pid, occurrence, responses)


def _series_rule(office: Office, byday: str, interval: int, start: datetime) -> str:
    """The RRULE text: weekly on ``byday``, ending by COUNT, by UNTIL (in UTC) or never."""
    parts = ["FREQ=WEEKLY"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    parts.append(f"BYDAY={byday}")
    roll = office.rng.random()
    if roll < 0.4:
        parts.append(f"COUNT={office.rng.choice((8, 12, 16, 26, 39, 52))}")
    elif roll < 0.75:
        last_day = start.date() + timedelta(days=office.rng.randint(60, 400))
        until = datetime.combine(last_day, time(23, 59, 59), start.tzinfo).astimezone(UTC)
        parts.append(f"UNTIL={until:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def _occurrence_changes(
    office: Office, rows: _MeetingRows, mid: int, occurrences: list[datetime], minutes: int
) -> set[datetime]:
    """Move or cancel one or two real occurrences of a series (never the first); the
    changes alternate between cancelled and moved, so both kinds always occur."""
    if len(occurrences) < 3 or office.rng.random() >= 0.5:
        return set()
    picked = office.rng.sample(occurrences[1:], office.rng.choice((1, 1, 2)))
    for original in sorted(picked):
        cancelled = len(rows.changes) % 2 == 0
        moved = None
        if not cancelled:
            moved = original + office.rng.choice((timedelta(days=1), timedelta(hours=2)))
        rows.changes.append(
            (
                mid,
                original.astimezone(UTC),
                moved.astimezone(UTC) if moved else None,
                office.rng.choice((None, None, minutes // 2 or None)) if moved else None,
                office.rng.choice((None, None, "Online")) if moved else None,
                None,
                cancelled,
                *office.created_before(original),
            )
        )
    return set(picked)


def _single(office: Office, rows: _MeetingRows, mid: int, pid: int) -> None:
    """A one-off meeting, past or coming; past ones often have minutes."""
    rng, code = office.rng, office.specs[pid - 1].code
    kind, audience, minutes, _, topical = rng.choices(
        SINGLE_KINDS, [k.weight for k in SINGLE_KINDS]
    )[0]
    title = f"{code} {kind}: {rng.choice(WORKSTREAMS)}" if topical else f"{code} {kind}"
    zone = _meeting_zone(office, audience)
    day = workday(office.today + timedelta(days=rng.randint(-150, 60)))
    start = datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 30))), ZoneInfo(zone))
    future = start > office.now
    weights = (84, 12 if future else 0, 4)
    status = rng.choices(("confirmed", "tentative", "cancelled"), weights)[0]
    organizer = 1 if audience in ("steering", "pmo") else office.owner[pid]
    head = _meeting_row(office, mid, pid, title, audience, organizer, start, minutes)
    stamp = office.created_before(start)
    rows.meetings.append((*head, "", None, status, _uid(office, mid), 0, *stamp))
    responses = _attendees(office, rows, mid, _audience(office, pid, audience), organizer, start)
    if not future and status != "cancelled" and rng.random() < 0.65:
        _minutes(office, rows, mid, pid, start, responses)


def _meeting_zone(office: Office, audience: str) -> str:
    """Meetings are in Chicago, except some vendor calls set up from the vendor's zone."""
    if audience == "vendor" and office.rng.random() < 0.3:
        return office.rng.choice(("America/New_York", "America/Los_Angeles"))
    return HOME_ZONE


def _meeting_row(
    office: Office,
    mid: int,
    pid: int,
    title: str,
    audience: str,
    organizer: int,
    start: datetime,
    minutes: int,
) -> Row:
    """The columns a series and a single meeting share (``start`` is zone-aware)."""
    location = office.rng.choice(LOCATIONS)
    link = f"https://meet.city.example/j/{office.rng.randrange(10**9, 10**10)}"
    return (
        mid,
        pid,
        title,
        AGENDAS[audience],
        location,
        "" if location != "Online" and office.rng.random() < 0.3 else link,
        organizer,
        start.strftime("%Y-%m-%d %H:%M:%S"),
        str(start.tzinfo),
        start.astimezone(UTC),
        minutes,
    )


def _uid(office: Office, mid: int) -> str:
    """A meeting's iCalendar UID: its id and 64 random bits, at the demo's domain."""
    return f"{mid:05d}-{office.rng.getrandbits(64):016x}@docket.demo"


def _audience(office: Office, pid: int, kind: str) -> list[int]:
    """Who attends a meeting of this kind for this program (at most twelve people)."""
    if kind == "steering":
        pool = office.steering[pid]
    elif kind == "team":
        pool = office.team[pid]
    elif kind == "pmo":
        pool = [*office.pmo, office.owner[pid]]
    else:
        vendor_people = office.sample(sorted(set(office.assigned[pid])), 1, 3)
        pool = [office.owner[pid], 1, *vendor_people, *office.sample(office.team[pid], 1, 2)]
    return list(dict.fromkeys(pool))[:12]


def _attendees(
    office: Office, rows: _MeetingRows, mid: int, people: list[int], chair: int, start: datetime
) -> dict[int, str]:
    """Attendee rows; past meetings are mostly accepted, coming ones often unanswered."""
    weights = (35, 50, 5, 10) if start > office.now else (7, 75, 8, 10)
    responses: dict[int, str] = {}
    stamp = office.created_before(start)
    for person in dict.fromkeys([chair, *people]):
        role = "chair" if person == chair else office.rng.choice(("required",) * 3 + ("optional",))
        response = (
            "accepted"
            if person == chair
            else office.rng.choices(("needs action", "accepted", "declined", "tentative"), weights)[
                0
            ]
        )
        responses[person] = response
        rows.attendees.append((mid, person, role, response, *stamp))
    return responses


def _minutes(
    office: Office,
    rows: _MeetingRows,
    mid: int,
    pid: int,
    start: datetime,
    responses: dict[int, str],
) -> None:
    """Minutes of a held occurrence: who came, what was said and decided."""
    present = [office.names[p] for p, r in responses.items() if r in ("accepted", "tentative")]
    apologies = [office.names[p] for p, r in responses.items() if r == "declined"]
    attendance = ", ".join(present)
    if apologies:
        attendance += ". Apologies: " + ", ".join(apologies)
    decided: list[str] = []
    if office.rng.random() < 0.6:
        decided = office.rng.sample(DECISIONS, office.rng.choice((1, 1, 2)))
    at = min(office.now, start.astimezone(UTC) + timedelta(hours=office.rng.randint(2, 30)))
    chair = next(iter(responses))
    for said in decided:
        rows.decisions.append(
            (pid, said, "", chair, start.date(), mid, start.astimezone(UTC), *office.stamp(at))
        )
    rows.minutes.append(
        (
            mid,
            start.astimezone(UTC),
            office.rng.choice(MINUTES_NOTES),
            attendance + ".",
            *office.stamp(at),
        )
    )
    office.held.append(Held(mid, pid, start.astimezone(UTC)))
