"""Meetings as the app shows them: one occurrence with everything around it, and the
preview of a series being typed (its next occurrences and the daylight-saving changes
they cross).

Both are plain data built from the other modules of :mod:`docket.models.meetings`; the
rules stay there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import TypedDict, final
from zoneinfo import ZoneInfo

from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.governance.decisions import DecisionFacts, decision_facts
from docket.models.meetings.facts import (
    MeetingDetailFacts,
    OccurrenceFacts,
    meeting_detail,
    occurrence_facts,
)
from docket.models.meetings.invites import DeliveryFacts, delivery_state
from docket.models.meetings.minutes import (
    AgendaFacts,
    actions_raised,
    agenda_of,
    decisions_taken,
    get_minutes,
)
from docket.models.meetings.occurrences import find_occurrence, occurrence_at
from docket.models.meetings.recurrence import (
    describe,
    expand,
    first_start,
    offset_changes,
    parse_repeat,
)
from docket.models.meetings.series import get_meeting
from docket.models.meetings.times import meeting_zone, parse_start, zone_name_of

# how many occurrences a preview lists
PREVIEW_COUNT = 6
# how far ahead a preview looks for daylight-saving changes
PREVIEW_YEARS = 2


class MinutesText(TypedDict):
    """An occurrence's minutes as written (empty when none are)."""

    notes: str
    attendance: str


class RaisedFacts(TypedDict):
    """An action item raised at an occurrence."""

    id: int
    title: str
    status: str
    due: str | None


class OccurrenceDetailFacts(MeetingDetailFacts):
    """One occurrence with its meeting and everything around it (the app's detail)."""

    occurrence: OccurrenceFacts
    agenda_of_occurrence: AgendaFacts
    minutes: MinutesText
    decisions: list[DecisionFacts]
    actions_raised: list[RaisedFacts]
    invites: list[DeliveryFacts]


def occurrence_detail(
    ctx: Context, meeting_id: int, occurrence: str | datetime
) -> OccurrenceDetailFacts:
    """One occurrence (named by its original start, ISO text or aware) with its meeting,
    attendees and responses, agenda and carried actions, minutes, the actions raised at it
    and who holds which version of the invite."""
    meeting = get_meeting(meeting_id)
    if isinstance(occurrence, str):
        original = datetime.fromisoformat(occurrence.replace("Z", "+00:00"))
    else:
        original = occurrence
    original = find_occurrence(ctx, meeting, original)
    minutes = get_minutes(meeting_id, original)
    return {
        **meeting_detail(meeting_id),
        "occurrence": occurrence_facts(occurrence_at(meeting, original), ctx.tz),
        "agenda_of_occurrence": agenda_of(meeting_id, original),
        "minutes": {
            "notes": minutes.notes if minutes else "",
            "attendance": minutes.attendance if minutes else "",
        },
        "decisions": [decision_facts(d) for d in decisions_taken(meeting_id, original)],
        "actions_raised": [
            {
                "id": a.id,
                "title": a.title,
                "status": a.status,
                "due": a.due.isoformat() if a.due else None,
            }
            for a in actions_raised(meeting_id, original)
        ],
        "invites": delivery_state(meeting_id),
    }


class PreviewRow(TypedDict):
    """One occurrence of a series being typed, in its zone, the user's and UTC."""

    meeting_zone: str
    local: str
    utc: str


@final
class SeriesPreview(TypedDict):
    """A series being typed: its next occurrences and the clock changes they cross."""

    timezone: str
    repeat_words: str
    occurrences: list[PreviewRow]
    more: int
    warnings: list[str]


@final
class PreviewProblem(TypedDict):
    """Why a series being typed cannot be previewed: the message and the field."""

    error: str
    field: str


def preview_series(
    ctx: Context,
    start: str,
    timezone: str = "",
    repeat: str = "",
    *,
    count: int = PREVIEW_COUNT,
) -> SeriesPreview:
    """What a meeting being typed would be: its next ``count`` occurrences in its own zone
    and in the user's, and the occurrences after which either zone's clock has changed
    (a series keeps its wall clock in its own zone, so elsewhere it moves by an hour).

    Raises ValidationError naming the field that cannot be read (start, timezone, repeat).
    """
    tz = meeting_zone(timezone or zone_name_of(ctx))
    begin = parse_start(ctx, start, tz)
    rule = parse_repeat(repeat, begin) if repeat.strip() else ""
    first = first_start(rule, begin) if rule else begin
    horizon = first + timedelta(days=366 * PREVIEW_YEARS)
    starts = expand(rule, first, first, horizon) if rule else [first]
    local: tzinfo = ctx.tz
    shown = starts[:count]
    warnings = _dst_warnings(starts, tz, local)
    return {
        "timezone": tz.key,
        "repeat_words": describe(rule, tz),
        "occurrences": [
            {
                "meeting_zone": f"{s:%a %d %b %Y %H:%M}",
                "local": f"{s.astimezone(local):%a %d %b %H:%M}",
                "utc": s.astimezone(UTC).isoformat(),
            }
            for s in shown
        ],
        "more": max(0, len(starts) - len(shown)) if rule else 0,
        "warnings": warnings,
    }


def _dst_warnings(starts: list[datetime], tz: ZoneInfo, local: tzinfo) -> list[str]:
    """A line for each daylight-saving change the series crosses, in its zone or the user's."""
    said: list[str] = []
    for zone, whose in ((tz, f"in {tz.key}"), (local, "in your zone")):
        for moment in offset_changes(starts, zone)[:2]:
            there = moment.astimezone(zone)
            said.append(
                f"the clocks change {whose} before {there:%a %d %b %Y}: from then the meeting "
                f"is at {moment.astimezone(local):%H:%M} your time "
                f"({moment.astimezone(tz):%H:%M} {tz.key})"
            )
        if zone is tz and getattr(local, "key", None) == tz.key:
            break
    return said


def check_preview(ctx: Context, values: dict[str, str]) -> SeriesPreview | PreviewProblem:
    """The preview for a meeting form's values; a field's error as ``error`` and ``field``."""
    try:
        return preview_series(
            ctx, values.get("start", ""), values.get("timezone", ""), values.get("repeat", "")
        )
    except ValidationError as exc:
        return {"error": str(exc), "field": exc.field}
