"""The send ledger: which SEQUENCE of a meeting each address last received.

Every invite written for someone to send (``.ics``, ``.eml``) or sent by SMTP is recorded per
address. From it: an attendee added later has never received the meeting (they get the
invite), a removed attendee still holds it (they get a cancellation), and anyone whose last
copy is below the meeting's SEQUENCE holds an out-of-date version.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from peewee import fn

from docket.models import records
from docket.models.context import Context
from docket.models.database import write
from docket.models.schema import Attendee, InviteDelivery, Meeting, Person


def record_deliveries(
    ctx: Context,
    meeting: Meeting,
    people: Iterable[Person],
    *,
    method: str,
    channel: str,
    occurrence: datetime | None = None,
) -> int:
    """Note that these people were given the meeting at its current SEQUENCE."""
    count = 0
    with write():
        for person in people:
            if not person.email:
                continue
            records.create(
                ctx,
                InviteDelivery,
                meeting=meeting,
                email=person.email.lower(),
                person=person,
                sequence=meeting.sequence,
                method=method,
                occurrence_start=occurrence,
                sent_at=ctx.now(),
                sent_by=ctx.actor,
                channel=channel,
            )
            count += 1
    return count


def _last_deliveries(meeting_id: int) -> dict[str, InviteDelivery]:
    """The latest whole-meeting delivery per address (one-occurrence messages do not carry
    the series)."""
    latest: dict[str, InviteDelivery] = {}
    query = (
        InviteDelivery.select()
        .where(InviteDelivery.meeting == meeting_id)
        .order_by(InviteDelivery.sent_at, InviteDelivery.id)
    )
    for delivery in query:
        if delivery.occurrence_start is None:
            latest[delivery.email] = delivery
    return latest


def delivery_state(meeting_id: int) -> list[dict[str, Any]]:
    """Per address: what it last received and whether that is current, by name.

    ``state`` is ``up to date``, ``out of date``, ``never sent``, ``removed`` (still holds
    the meeting; needs a cancellation) or ``cancelled`` (was sent the cancellation).
    """
    meeting = records.get(Meeting, meeting_id)
    latest = _last_deliveries(meeting_id)
    rows: list[dict[str, Any]] = []
    attendees = (
        Attendee.select(Attendee, Person)
        .join(Person)
        .where(Attendee.meeting == meeting_id)
        .order_by(fn.lower(Person.name))
    )
    current: set[str] = set()
    for attendee in attendees:
        email = (attendee.person.email or "").lower()
        if not email:
            continue
        current.add(email)
        last = latest.get(email)
        if last is None:
            state = "never sent"
        elif last.sequence < meeting.sequence:
            state = "out of date"
        else:
            state = "up to date"
        rows.append(_row(attendee.person.name, email, last, state))
    for email, last in sorted(latest.items()):
        if email in current:
            continue
        person = last.person if last.__data__.get("person") else None
        state = "cancelled" if last.method == "CANCEL" else "removed"
        rows.append(_row(person.name if person else email, email, last, state))
    return rows


def _row(name: str, email: str, last: InviteDelivery | None, state: str) -> dict[str, Any]:
    return {
        "name": name,
        "email": email,
        "sequence": last.sequence if last else None,
        "method": last.method if last else None,
        "sent_at": last.sent_at.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
        "state": state,
    }


def removed_holders(meeting_id: int) -> list[Person]:
    """People no longer attending who still hold the meeting (their last copy was an invite)."""
    emails = {r["email"] for r in delivery_state(meeting_id) if r["state"] == "removed"}
    if not emails:
        return []
    return list(Person.select().where(fn.lower(Person.email).in_(sorted(emails))))
