"""The demo's communications plan: items per program (recurring and one-off), the groups
and people each goes to, and what was sent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from docket.models.core.schema import CommsAudience, CommsItem, CommsLogEntry
from docket.models.demo.data_schedule import (
    COMMS_KINDS,
    COMMS_NOTES,
    COMMS_PURPOSES,
    WORKSTREAMS,
)
from docket.models.demo.office import Office, spread, workday
from docket.models.demo.storage import STAMP, Row, insert


def comms(office: Office) -> tuple[int, int, int]:
    """Comms plan items with their audience (a group or a person) and what was sent."""
    items: list[Row] = []
    audience: list[Row] = []
    log: list[Row] = []
    iid = 0
    for pid, count in zip(office.leaves, spread(office.scale.comms, office.weights), strict=True):
        for k in range(count):
            iid += 1
            item, sent = _comms_item(office, iid, pid, k)
            items.append(item)
            label = COMMS_KINDS[k % len(COMMS_KINDS)].audience
            audience += _comms_audience(office, iid, pid, label, item[-3])
            log += sent
    columns = ("id", "program", "name", "purpose", "channel", "cadence", "starts", "owner")
    return (
        insert(CommsItem, (*columns, "digest_kind", "active", *STAMP), items),
        insert(CommsAudience, ("item", "group", "person", *STAMP), audience),
        insert(CommsLogEntry, ("item", "sent_at", "sent_by", "note", "artifact", *STAMP), log),
    )


def _comms_item(office: Office, iid: int, pid: int, k: int) -> tuple[Row, list[Row]]:
    """One plan item (recurring or one-off) and its log entries."""
    rng, code = office.rng, office.specs[pid - 1].code
    name, channel, cadence, digest, _ = COMMS_KINDS[k % len(COMMS_KINDS)]
    if k >= len(COMMS_KINDS):
        name = f"{name} ({rng.choice(WORKSTREAMS)})"
    if cadence is None:
        when = workday(office.today + timedelta(days=rng.randint(-60, 60)))
        starts = when - timedelta(days=rng.randint(14, 60))
        cadence_text = when.isoformat()
        due = [when] if when < office.today else []
    else:
        starts = office.today - timedelta(days=rng.randint(30, 240))
        cadence_text = cadence
        start = datetime.combine(starts, time(10))
        end = datetime.combine(office.today, time(0))
        due = [d.date() for d in rrulestr(cadence, dtstart=start).between(start, end)][-6:]
    staff = set(office.staff)
    owner = rng.choice([office.owner[pid], 1, 1, *[p for p in office.team[pid] if p in staff]])
    item = (
        iid,
        pid,
        f"{code}: {name}",
        COMMS_PURPOSES[digest],
        channel,
        cadence_text,
        starts,
        owner,
        digest,
        rng.random() < 0.92,
        *office.stamp(office.at(starts - timedelta(days=rng.randint(1, 10)), 10)),
    )
    return item, _comms_log(office, iid, code, channel, due)


def _comms_log(office: Office, iid: int, code: str, channel: str, due: list[date]) -> list[Row]:
    """What was sent on the due dates; the latest one is sometimes still outstanding."""
    if due and office.rng.random() < 0.25:
        due = due[:-1]
    rows = []
    for day in due:
        late = office.rng.random() < 0.15
        sent = office.at(
            day + timedelta(days=1 if late else 0),
            office.rng.randint(9, 16),
            office.rng.choice((0, 10, 25, 40)),
        )
        sent = min(sent, office.now - timedelta(minutes=30))
        artifact = f"{code.lower()}-{day.isoformat()}.pdf" if channel == "report" else ""
        note = "Sent a day late." if late else office.rng.choice(COMMS_NOTES)
        rows.append((iid, sent, office.ctx.actor, note, artifact, *office.stamp(sent)))
    return rows


def _comms_audience(office: Office, iid: int, pid: int, label: str, created: datetime) -> list[Row]:
    """The groups and people an item goes to; each row names exactly one of them."""
    code = office.specs[pid - 1].code
    group_name = {
        "steering": f"{code} steering committee",
        "team": f"{code} product team",
        "leadership": "IT leadership",
        "finance": "Finance liaisons",
        "heads": "Department heads",
    }[label]
    stamp = office.stamp(created)
    rows: list[Row] = [(iid, office.group_id[group_name], None, *stamp)]
    if office.rng.random() < 0.4:
        for person in office.sample(office.steering[pid], 1, 2):
            rows.append((iid, None, person, *stamp))
    return rows
