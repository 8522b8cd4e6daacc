"""The send ledger: what became of each copy of a meeting's invite, per address.

Every invite written for someone to send (``.ics``, ``.eml``: *exported*) or given to the SMTP
server (*sent* when the server accepted that address, *refused* with its reply when not) is
recorded per address. Only *sent* counts as the address holding that SEQUENCE: a file may
never have gone out, and a refused address received nothing. From it: an attendee added
later has never received the meeting (they get the invite), a removed attendee still holds
it (they get a cancellation), and anyone whose last copy is below the meeting's SEQUENCE
holds an out-of-date version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TypedDict

from peewee import fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.schema import Attendee, InviteDelivery, Meeting, Person


def record_deliveries(
    ctx: Context,
    meeting: Meeting,
    people: Iterable[Person],
    *,
    method: str,
    channel: str,
    occurrence: datetime | None = None,
    refused: Mapping[str, str] | None = None,
) -> int:
    """Note what became of the meeting at its current SEQUENCE for these people: written
    to a file (channel ``file``: exported), or given to the SMTP server (``smtp``: sent, or
    refused when the address is in ``refused``, which maps addresses to the server's
    reply). Returns how many copies count as sent."""
    replies = {email.lower(): reply for email, reply in (refused or {}).items()}
    count = 0
    with write():
        for person in people:
            if not person.email:
                continue
            email = person.email.lower()
            state, reply = "exported", ""
            if channel == "smtp":
                state = "refused" if email in replies else "sent"
                reply = replies.get(email, "")
            records.create(
                ctx,
                InviteDelivery,
                meeting=meeting,
                email=email,
                person=person,
                sequence=meeting.sequence,
                method=method,
                occurrence_start=occurrence,
                sent_at=ctx.now(),
                sent_by=ctx.actor,
                channel=channel,
                state=state,
                reply=reply,
            )
            count += state == "sent"
    return count


def _copies(meeting_id: int) -> dict[str, list[InviteDelivery]]:
    """Each address's whole-meeting copies, oldest first (one-occurrence messages do not
    carry the series)."""
    found: dict[str, list[InviteDelivery]] = {}
    query = (
        InviteDelivery.select()
        .where(InviteDelivery.meeting == meeting_id, InviteDelivery.occurrence_start.is_null())
        .order_by(InviteDelivery.sent_at, InviteDelivery.id)
    )
    for delivery in query:
        found.setdefault(delivery.email, []).append(delivery)
    return found


def _last(copies: list[InviteDelivery], *states: str) -> InviteDelivery | None:
    return next((c for c in reversed(copies) if c.state in states), None)


def _attendee_state(sequence: int, copies: list[InviteDelivery]) -> str:
    """An attendee's state: up to date only when the server accepted the current SEQUENCE;
    else what became of the latest copy of it (refused, exported), else out of date or never
    sent by what the address holds."""
    held = _last(copies, "sent")
    if held is not None and held.sequence >= sequence:
        return "up to date"
    latest = copies[-1] if copies else None
    if latest is not None and latest.sequence >= sequence:
        if latest.state == "refused":
            return f"refused: {latest.reply or 'no reply recorded'}"
        if latest.state == "exported":
            return "exported, not sent"
    return "out of date" if held is not None else "never sent"


def _removed_state(copies: list[InviteDelivery]) -> str | None:
    """A former attendee's state: ``removed`` while they may hold the meeting (their latest
    copy that was not refused is an invite), ``cancelled`` once the cancellation was sent,
    ``cancellation exported, not sent`` when it was only written to a file; None when
    nothing ever reached them."""
    kept = _last(copies, "sent", "exported")
    if kept is None:
        return None
    if kept.method == "CANCEL":
        return "cancelled" if kept.state == "sent" else "cancellation exported, not sent"
    latest = copies[-1]
    if latest.state == "refused" and latest.method == "CANCEL":
        return f"removed; cancellation refused: {latest.reply or 'no reply recorded'}"
    return "removed"


class DeliveryFacts(TypedDict):
    """What one address holds of a meeting's invite (``docket invite status``)."""

    name: str
    email: str
    sequence: int | None
    method: str | None
    sent_at: str | None
    state: str
    refused: bool
    reply: str


def delivery_state(meeting_id: int) -> list[DeliveryFacts]:
    """Per address: what it holds and whether that is current, by name.

    ``state`` is ``up to date`` (the server accepted the current SEQUENCE), ``out of date``,
    ``never sent``, ``exported, not sent`` (the latest copy was only written to a file),
    ``refused: <the server's reply>``, ``removed`` (may still hold the meeting; needs a
    cancellation), ``cancelled`` (was sent the cancellation) or ``cancellation exported,
    not sent``. ``sequence``, ``method`` and ``sent_at`` describe the copy the address holds
    (the latest one the server accepted).
    """
    meeting = records.get(Meeting, meeting_id)
    copies = _copies(meeting_id)
    rows: list[DeliveryFacts] = []
    attendees = (
        Attendee.select(Attendee, Person)
        .join(Person)
        .where(Attendee.meeting == meeting_id)
        .order_by(fn.lower(Person.name))
    )
    current: set[str] = set()
    for attendee in attendees:
        email = (attendee.person.email or "").lower()
        if not email or email in current:
            continue
        current.add(email)
        mine = copies.get(email, [])
        state = _attendee_state(meeting.sequence, mine)
        rows.append(_row(attendee.person.name, email, mine, state))
    for email, mine in sorted(copies.items()):
        if email in current:
            continue
        state_or_none = _removed_state(mine)
        if state_or_none is None:
            continue
        last = mine[-1]
        person = last.person if last.__data__.get("person") else None
        rows.append(_row(person.name if person else email, email, mine, state_or_none))
    return rows


def _row(name: str, email: str, copies: list[InviteDelivery], state: str) -> DeliveryFacts:
    held = _last(copies, "sent")
    refused = "refused" in state
    return {
        "name": name,
        "email": email,
        "sequence": held.sequence if held else None,
        "method": held.method if held else None,
        "sent_at": held.sent_at.strftime("%Y-%m-%dT%H:%M:%SZ") if held else None,
        "state": state,
        "refused": refused,
        "reply": copies[-1].reply if refused else "",
    }


def removed_holders(meeting_id: int) -> list[Person]:
    """People no longer attending who may still hold the meeting (their latest copy that
    was not refused is an invite, sent or written to a file for sending)."""
    emails = {
        r["email"] for r in delivery_state(meeting_id) if str(r["state"]).startswith("removed")
    }
    if not emails:
        return []
    return list(Person.select().where(fn.lower(Person.email).in_(sorted(emails))))
