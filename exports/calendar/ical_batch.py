"""Plain series of a calendar file written many at a time: a series with no excluded date
and no changed occurrence (most of any calendar) is checked as it is read, then written
with the ones before it in a few statements, each record and audit entry exactly as adding
the meeting, recording its attendees' answers and keeping its SEQUENCE one by one would
write them (:func:`~docket.models.meetings.series.add_meeting`,
:func:`~docket.models.meetings.attendees.set_response`,
:func:`~docket.models.meetings.series.keep_sequence`). A series with excluded dates or
changed occurrences has them planned on its meeting before it is written
(:class:`~docket.models.meetings.changes.PlannedSeries`: the records and audit entries the
occurrence operations would write), and goes in with the others; one those cannot plan (a
refused series, mostly) goes in one by one (:mod:`~docket.exports.calendar.ical_meetings`),
after the batch before it is written, so ids and the audit log keep the file's order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from icalendar import Component

from docket.exports.calendar.ical_fields import Timing, highest_sequence
from docket.exports.calendar.ical_report import ImportReport
from docket.models.accounts.roles import require_writer
from docket.models.audit.chain import NewEntry, append, changes_text
from docket.models.core import bulk, engine
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.fields import to_utc_text
from docket.models.core.inputs import text
from docket.models.core.records import fresh_id
from docket.models.core.schema import Attendee, Meeting, OccurrenceChange, Person, Program
from docket.models.meetings.attendees import Invitees
from docket.models.meetings.changes import PlannedSeries
from docket.models.meetings.series import SEQUENCE_MAX, meeting_values, program_for_new
from docket.models.people.directory import person_for_account

# series written together at most (a 50 MB calendar has about 40,000)
FLUSH_EVERY = 2_000


@dataclass(frozen=True)
class Known:
    """What the whole file's events name, read once: people by e-mail (lower case) and
    the meetings already in docket by UID."""

    people: dict[str, Person]
    uids: dict[str, int]


@dataclass(frozen=True)
class Prepared:
    """A series as the file says it, checked: what adding its meeting takes."""

    uid: str
    title: str
    timing: Timing
    repeat: str | None
    attendees: list[tuple[Person, str, str]]  # person, role, response
    chair: Person | None
    location: str
    link: str
    agenda: str
    status: str


@dataclass
class _Planned:
    """One series to write: the meeting's fields, its attendees as created (person id,
    role, response), the answers then recorded (person id, answer) and its SEQUENCE."""

    values: dict[str, Any]
    invitees: list[tuple[int, str, str]]
    answers: list[tuple[int, str]]
    sequence: int | None  # None: kept later, by the caller
    # a series with excluded dates or changed occurrences: those changes, then its SEQUENCE
    series: PlannedSeries | None = None


@dataclass
class Batch:
    """Plain series checked and waiting to be written together."""

    ctx: Context
    program: str | None
    report: ImportReport
    pending: list[_Planned] = field(default_factory=list)
    # what is the same for every series, found once (or the error it gives each)
    _shared: tuple[Program, Person | None] | DocketError | None = None

    def _once(self) -> tuple[Program, Person | None]:
        """The program new meetings go in and the acting account's person; the refusal
        every series would get when the account may not write or there is no program."""
        if self._shared is None:
            try:
                require_writer(self.ctx)
                self._shared = (program_for_new(self.program), person_for_account(self.ctx.actor))
            except DocketError as error:
                self._shared = error
        if isinstance(self._shared, DocketError):
            raise self._shared
        return self._shared

    def add(self, master: Component, plan: Prepared) -> None:
        """Check a series as adding it would, and keep it for the next write."""
        self.pending.append(self._planned(plan))
        sequence = highest_sequence([master])
        if not 0 <= sequence <= SEQUENCE_MAX:
            self.pending.pop()
            raise ValidationError("sequence", f"expected 0 to {SEQUENCE_MAX}, got {sequence}")
        self.pending[-1].sequence = sequence
        self._flush_when_full()

    def planned(self, plan: Prepared) -> _Planned:
        """A series' meeting with its attendees and their answers, checked as adding it
        would check it, not yet waiting (its changes are planned on it first)."""
        return self._planned(plan)

    def add_planned(self, planned: _Planned) -> None:
        """Keep a series planned with its changes (``planned.series``) for the next write."""
        self.pending.append(planned)
        self._flush_when_full()

    def _flush_when_full(self) -> None:
        """Write the waiting series every so many: what one write holds (rows, audit
        entries) stays small whatever the file's size."""
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def write_one(self, plan: Prepared) -> int:
        """Add one series' meeting with its attendees and their answers now, as
        ``add_meeting`` and ``set_response`` would (inside the caller's savepoint; its
        changed occurrences and SEQUENCE are the caller's); the meeting's id."""
        self.flush()
        (meeting_id,) = _write(self.ctx, [self._planned(plan)])
        return meeting_id

    def _planned(self, plan: Prepared) -> _Planned:
        timing = plan.timing
        values = meeting_values(
            self.ctx,
            plan.title,
            start=timing.start,
            duration=timing.minutes,
            timezone=timing.tz.key,
            repeat=plan.repeat,
            location=plan.location,
            link=plan.link,
            agenda=plan.agenda,
            status=plan.status,
            all_day=timing.all_day,
        )
        program, acting = self._once()
        chair = plan.chair if plan.chair is not None else acting
        invitees = Invitees()
        for person, role, _ in plan.attendees:
            invitees.add(person, role)
        values.update(program=program, organizer=chair, uid=text("uid", plan.uid, max_length=255))
        if chair is not None:
            invitees.add(chair, "chair")
        chair_id = int(chair.id) if chair is not None else None  # read once, not per person
        made = [
            (int(key), role, "accepted" if key == chair_id else "needs action")
            for key, (_, role) in invitees.people.items()
        ]
        answers = [
            (ident, response)
            for person, _, response in plan.attendees
            if response != "needs action" and (ident := int(person.id)) != chair_id
        ]
        return _Planned(values, made, answers, None)

    def flush(self) -> None:
        """Write the waiting series (inside the import's transaction)."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        with write():
            ids = _write(self.ctx, pending)
        self.report.meetings.extend(ids)


@functools.lru_cache(maxsize=4096, typed=True)
def _update_text(name: str, old: Any, new: Any) -> str:
    """The audit changes of one field's update (answers and SEQUENCEs: a few values,
    each written thousands of times)."""
    return changes_text({name: [old, new]})


def _insert(table: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    engine.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def _write(ctx: Context, pending: list[_Planned]) -> list[int]:
    """Insert the meetings and attendees as they stand after their answers and SEQUENCE,
    and audit each step in the order the one-by-one path takes; the meetings' ids."""
    now = ctx.now()
    at, stamp = to_utc_text(now), Meeting.updated_at.db_value(now)
    meetings = bulk.prepare(ctx, Meeting, (p.values for p in pending))
    first_meeting = fresh_id("meeting")
    people = bulk.prepare(
        ctx,
        Attendee,
        (
            {"meeting": first_meeting + i, "person": person, "role": role, "response": response}
            for i, p in enumerate(pending)
            for person, role, response in p.invitees
        ),
    )
    first_attendee = fresh_id("attendee")
    planned = [(first_meeting + i, p.series) for i, p in enumerate(pending) if p.series]
    made = bulk.prepare(
        ctx,
        OccurrenceChange,
        ({"meeting": m, **c.created} for m, series in planned for c in series.changes),
    )
    first_change = fresh_id("occurrence_change") if made.rows else 0
    c_col = {c: i for i, c in enumerate(made.columns)}
    c_fields = OccurrenceChange._meta.fields
    done = 0  # the occurrence changes of the series before
    m_col = {c: i for i, c in enumerate(meetings.columns)}
    a_col = {c: i for i, c in enumerate(people.columns)}
    entries: list[NewEntry] = []
    attendee = 0
    for i, (plan, row) in enumerate(zip(pending, meetings.rows, strict=True)):
        meeting_id = first_meeting + i
        entries.append(
            NewEntry(at, ctx.actor, "meeting", meeting_id, "create", meetings.changes[i])
        )
        mine: dict[int, int] = {}  # person id: index of their attendee row
        for person, _, _ in plan.invitees:
            entries.append(
                NewEntry(
                    at,
                    ctx.actor,
                    "attendee",
                    first_attendee + attendee,
                    "create",
                    people.changes[attendee],
                )
            )
            mine[person] = attendee
            attendee += 1
        for person, answer in plan.answers:
            k = mine[person]
            stored = people.rows[k]
            if stored[a_col["response"]] == answer:
                continue
            change = _update_text("response", stored[a_col["response"]], answer)
            entries.append(
                NewEntry(at, ctx.actor, "attendee", first_attendee + k, "update", change)
            )
            stored[a_col["response"]] = answer
            stored[a_col["version"]] += 1
            stored[a_col["updated_at"]] = stamp
        if plan.sequence is not None and plan.sequence != row[m_col["sequence"]]:
            change = _update_text("sequence", row[m_col["sequence"]], plan.sequence)
            entries.append(NewEntry(at, ctx.actor, "meeting", meeting_id, "update", change))
            row[m_col["sequence"]] = plan.sequence
            row[m_col["version"]] += 1
            row[m_col["updated_at"]] = stamp
        if plan.series is not None:
            # its changes as the operations make them one by one (PlannedSeries.steps)
            for kind, k, changes in plan.series.steps:
                if kind == "meeting":
                    entries.append(
                        NewEntry(at, ctx.actor, "meeting", meeting_id, "update", changes)
                    )
                    row[m_col["version"]] += 1
                    row[m_col["updated_at"]] = stamp
                    continue
                ident, stored = first_change + done + k, made.rows[done + k]
                if kind == "create":
                    changes = made.changes[done + k]
                else:
                    stored[c_col["version"]] += 1
                    stored[c_col["updated_at"]] = stamp
                entries.append(NewEntry(at, ctx.actor, "occurrence_change", ident, kind, changes))
            row[m_col["sequence"]] = plan.series.sequence
            for k, planned_change in enumerate(plan.series.changes):
                stored = made.rows[done + k]
                for name, value in planned_change.current.items():
                    stored[c_col[name]] = None if value is None else c_fields[name].db_value(value)
            done += len(plan.series.changes)
    _insert(
        "meeting",
        ("id", *meetings.columns),
        [[first_meeting + i, *row] for i, row in enumerate(meetings.rows)],
    )
    _insert(
        "attendee",
        ("id", *people.columns),
        [[first_attendee + k, *row] for k, row in enumerate(people.rows)],
    )
    if made.rows:
        _insert(
            "occurrence_change",
            ("id", *made.columns),
            [[first_change + k, *row] for k, row in enumerate(made.rows)],
        )
    append(entries)
    return [first_meeting + i for i in range(len(pending))]
