"""Meetings and series: occurrences across daylight saving, one-occurrence changes, SEQUENCE,
"this and following" splits, agendas with carried actions, and the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import erp_team

from docket.models.core.context import Context
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.schema import Attendee, MeetingSplit, OccurrenceChange
from docket.models.meetings import series as meetings
from docket.models.meetings.attendees import attendees_of, set_response
from docket.models.meetings.changes import (
    cancel_occurrence,
    move_occurrence,
    relocate_occurrence,
    restore_occurrence,
)
from docket.models.meetings.minutes import (
    add_action_from_minutes,
    add_decision_from_minutes,
    agenda_of,
    decisions_taken,
    get_minutes,
    record_minutes,
    save_minutes,
    set_agenda,
)
from docket.models.meetings.occurrences import OccurrenceFilter, list_occurrences
from docket.models.people.groups import add_group

pytestmark = pytest.mark.both_engines


@pytest.fixture
def office(db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    uids = iter(f"uid-{n}@docket.test" for n in range(1, 100))
    monkeypatch.setattr(meetings, "uid_factory", lambda: next(uids))
    erp_team(ctx)
    add_group(ctx, "Steering", members=["bo", "cy"])
    return ctx


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _series(ctx: Context, start: str, tz: str, repeat: str, **kw: Any) -> int:
    return int(
        meetings.add_meeting(
            ctx, "Steering", start=start, timezone=tz, repeat=repeat, program="ERP", **kw
        ).id
    )


def _starts(meeting_id: int, first: datetime, last: datetime, live: bool = False) -> list[datetime]:
    flt = OccurrenceFilter(meeting_id=meeting_id, include_cancelled=not live)
    return [o.start.astimezone(UTC) for o in list_occurrences(first, last, flt)]


def test_new_york_series_keeps_nine_oclock_when_daylight_saving_ends(office: Context) -> None:
    mid = _series(office, "2026-10-27 09:00", "America/New_York", "weekly on tue for 3 times")
    # EDT (UTC-4) until 1 Nov 2026, then EST (UTC-5)
    assert _starts(mid, _utc(2026, 10, 1), _utc(2027, 1, 1)) == [
        _utc(2026, 10, 27, 13),
        _utc(2026, 11, 3, 14),
        _utc(2026, 11, 10, 14),
    ]
    assert meetings.get_meeting(mid).until_utc == _utc(2026, 11, 10, 14)


def test_berlin_series_crosses_the_october_change(office: Context) -> None:
    mid = _series(office, "2026-10-20 10:00", "Europe/Berlin", "FREQ=WEEKLY;COUNT=2")
    # CEST (UTC+2) ends on 25 Oct 2026
    assert _starts(mid, _utc(2026, 10, 1), _utc(2027, 1, 1)) == [
        _utc(2026, 10, 20, 8),
        _utc(2026, 10, 27, 9),
    ]


def test_a_time_skipped_by_daylight_saving_is_refused(office: Context) -> None:
    with pytest.raises(ValidationError, match="does not exist in America/New_York"):
        meetings.add_meeting(
            office, "x", start="2027-03-14 02:30", timezone="America/New_York", program="ERP"
        )


def test_series_starts_on_its_first_occurrence(office: Context) -> None:
    # Monday 30 Nov, weekly on Tuesday: DTSTART must be an occurrence
    mid = _series(office, "2026-11-30 09:00", "America/Chicago", "weekly on tue")
    meeting = meetings.get_meeting(mid)
    assert meeting.start_local == "2026-12-01 09:00:00"
    assert meeting.until_utc is None


def test_move_across_a_daylight_saving_change_keeps_the_original_key(office: Context) -> None:
    mid = _series(office, "2026-10-27 09:00", "America/New_York", "weekly on tue for 3 times")
    moved = move_occurrence(office, mid, "2026-10-27", "2026-11-02 09:00")
    assert moved.original_start == _utc(2026, 10, 27, 13)
    assert moved.start.astimezone(UTC) == _utc(2026, 11, 2, 14)
    assert moved.moved
    assert _starts(mid, _utc(2026, 10, 1), _utc(2027, 1, 1))[0] == _utc(2026, 11, 2, 14)
    assert meetings.get_meeting(mid).sequence == 1
    # found again by the day it was moved to
    again = move_occurrence(office, mid, "2026-11-02", "10:00")
    assert again.original_start == _utc(2026, 10, 27, 13)
    assert again.start.astimezone(UTC) == _utc(2026, 11, 2, 15)


def test_occurrence_moved_into_a_window_from_outside_is_listed(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly on tue for 3 times")
    move_occurrence(office, mid, "2026-12-15", "2027-01-05 09:00")
    assert _starts(mid, _utc(2027, 1, 1), _utc(2027, 2, 1)) == [_utc(2027, 1, 5, 15)]
    assert _utc(2026, 12, 15, 15) not in _starts(mid, _utc(2026, 12, 1), _utc(2027, 1, 1))


def test_an_occurrence_made_longer_reaches_into_the_next_day(office: Context) -> None:
    # a day's agenda looks back only as far as the longest occurrence that could reach it
    mid = _series(office, "2026-12-01 22:00", "UTC", "daily for 5 times")
    move_occurrence(office, mid, "2026-12-02", "22:00", duration="180m")
    assert _starts(mid, _utc(2026, 12, 3), _utc(2026, 12, 4)) == [
        _utc(2026, 12, 2, 22),
        _utc(2026, 12, 3, 22),
    ]
    assert _starts(mid, _utc(2026, 12, 2), _utc(2026, 12, 3)) == [_utc(2026, 12, 2, 22)]


def test_cancel_and_restore_one_occurrence(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly on tue for 3 times")
    cancelled = cancel_occurrence(office, mid, "2026-12-08")
    assert cancelled.cancelled
    with pytest.raises(ValidationError, match="already cancelled"):
        cancel_occurrence(office, mid, "2026-12-08")
    flt = OccurrenceFilter(meeting_id=mid, include_cancelled=False)
    assert len(list_occurrences(_utc(2026, 11, 1), _utc(2027, 1, 1), flt)) == 2
    restored = restore_occurrence(office, mid, "2026-12-08")
    assert not restored.cancelled
    assert OccurrenceChange.select().count() == 0
    assert meetings.get_meeting(mid).sequence == 2
    with pytest.raises(ValidationError, match="not cancelled"):
        restore_occurrence(office, mid, "2026-12-08")


def test_restoring_a_moved_occurrence_keeps_the_move(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly on tue for 3 times")
    move_occurrence(office, mid, "2026-12-08", "11:00")
    cancel_occurrence(office, mid, "2026-12-08")
    back = restore_occurrence(office, mid, "2026-12-08")
    assert (back.cancelled, back.moved, back.start.hour) == (False, True, 11)


def test_no_occurrence_on_that_day_is_a_clear_error(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly on tue")
    with pytest.raises(NotFoundError, match="no occurrence on Wed 02 Dec 2026"):
        cancel_occurrence(office, mid, "2026-12-02")


def test_sequence_rises_for_significant_changes_only(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly on tue")
    m = meetings.get_meeting(mid)
    m = meetings.update_meeting(
        office, mid, m.version, title="New title", link="https://x", agenda="1."
    )
    assert m.sequence == 0
    m = meetings.update_meeting(office, mid, m.version, location="Room 9")
    assert m.sequence == 1
    m = meetings.update_meeting(office, mid, m.version, duration="90m")
    assert m.sequence == 2
    m = meetings.update_meeting(office, mid, m.version, repeat="weekly on tue,thu")
    assert (m.sequence, m.rrule) == (3, "FREQ=WEEKLY;BYDAY=TU,TH")
    m = meetings.update_meeting(office, mid, m.version, add_attendees=["cy:optional"])
    assert m.sequence == 3
    m = relocate_occurrence(office, mid, "2026-12-03", link="https://y")
    assert meetings.get_meeting(mid).sequence == 3
    relocate_occurrence(office, mid, "2026-12-03", location="Room 1")
    assert meetings.get_meeting(mid).sequence == 4
    assert meetings.cancel_meeting(office, mid).sequence == 5
    assert meetings.restore_meeting(office, mid).sequence == 6


def test_attendees_from_people_and_groups_with_roles(office: Context) -> None:
    mid = _series(
        office, "2026-12-01 09:00", "America/Chicago", "weekly", groups=["Steering"],
        attendees=["cy:optional"],
    )  # fmt: skip
    people = {a.person.name: (a.role, a.response) for a in attendees_of(mid)}
    assert people == {
        "Ana Lopez": ("chair", "accepted"),
        "Bo Chen": ("required", "needs action"),
        "Cy Diaz": ("required", "needs action"),
    }
    set_response(office, mid, "bo", "declined")
    assert Attendee.get(Attendee.person == 2).response == "declined"
    m = meetings.get_meeting(mid)
    meetings.update_meeting(office, mid, m.version, remove_attendees=["cy"])
    assert [a.person.name for a in attendees_of(mid)] == ["Ana Lopez", "Bo Chen"]


def test_this_and_following_ends_the_old_series_and_starts_a_new_uid(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly on tue for 6 times")
    cancel_occurrence(office, mid, "2026-12-22")
    new = meetings.split_series(office, mid, "2026-12-15", start="2026-12-15 10:00")
    old = meetings.get_meeting(mid)
    assert old.rrule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261208T150000Z"
    assert old.until_utc == _utc(2026, 12, 8, 15)
    assert old.sequence == 2
    assert (new.uid, new.sequence, new.rrule) == (
        "uid-2@docket.test",
        0,
        "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
    )
    assert _starts(new.id, _utc(2026, 12, 1), _utc(2027, 2, 1), live=True) == [
        _utc(2026, 12, 15, 16),
        _utc(2026, 12, 29, 16),
        _utc(2027, 1, 5, 16),
    ]
    # the cancelled 22 December followed the new start to 10:00
    cancelled = list_occurrences(
        _utc(2026, 12, 20), _utc(2026, 12, 24), OccurrenceFilter(meeting_id=new.id)
    )
    assert [(o.original_start, o.cancelled) for o in cancelled] == [(_utc(2026, 12, 22, 16), True)]
    assert len(_starts(mid, _utc(2026, 12, 1), _utc(2027, 2, 1))) == 2
    assert MeetingSplit.get().previous.id == mid
    assert [a.person.name for a in attendees_of(new.id)] == ["Ana Lopez"]


def test_first_occurrence_cannot_be_split(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly")
    with pytest.raises(ValidationError, match="first occurrence"):
        meetings.split_series(office, mid, "2026-12-01")


def test_open_actions_are_carried_with_their_age_across_a_split(office: Context) -> None:
    mid = _series(office, "2026-11-03 09:00", "America/Chicago", "weekly on tue")
    first = add_action_from_minutes(office, mid, "2026-11-03", "Send budget", owner="bo")
    done = add_action_from_minutes(office, mid, "2026-11-10", "Book room")
    from docket.models.actions.items import set_status

    set_status(office, [done.id], "done")
    assert first.source_occurrence == _utc(2026, 11, 3, 15)
    assert first.program.code == "ERP"
    new = meetings.split_series(office, mid, "2026-12-01", location="Room 2")
    agenda = agenda_of(new.id, _utc(2026, 12, 1, 15))
    assert [(a["title"], a["age_days"]) for a in agenda["carried_actions"]] == [("Send budget", 28)]
    set_agenda(office, new.id, "2026-12-01", "1. Budget")
    assert agenda_of(new.id, _utc(2026, 12, 1, 15))["text"] == "1. Budget"
    assert agenda_of(new.id, _utc(2026, 12, 8, 15))["text"] == ""


def test_minutes_are_kept_per_occurrence(office: Context) -> None:
    mid = _series(office, "2026-11-03 09:00", "America/Chicago", "weekly on tue")
    save_minutes(office, mid, "2026-11-10", notes="Budget agreed")
    save_minutes(office, mid, "2026-11-10", attendance="Ana, Bo")
    minutes = get_minutes(mid, _utc(2026, 11, 10, 15))
    assert minutes is not None
    assert (minutes.notes, minutes.attendance) == ("Budget agreed", "Ana, Bo")
    assert get_minutes(mid, _utc(2026, 11, 17, 15)) is None


def test_a_decision_in_the_minutes_is_a_decision_record_of_the_program(office: Context) -> None:
    from docket.models.governance.decisions import list_decisions

    # 23:30 in Chicago on 10 Nov is already 11 Nov in UTC: the decision is dated locally
    mid = _series(office, "2026-11-03 23:30", "America/Chicago", "weekly on tue")
    move_occurrence(office, mid, "2026-11-10", "2026-11-12 23:30")
    made = add_decision_from_minutes(
        office, mid, "2026-11-10", "Go with the phased rollout", decided_by="bo"
    )
    assert [d.id for d in list_decisions("ERP")] == [made.id]
    assert (made.decided_on.isoformat(), made.decided_by.name) == ("2026-11-12", "Bo Chen")
    assert made.occurrence_start == _utc(2026, 11, 11, 5, 30)
    taken = decisions_taken(mid, _utc(2026, 11, 11, 5, 30))
    assert [d.title for d in taken] == ["Go with the phased rollout"]
    assert decisions_taken(mid, _utc(2026, 11, 18, 5, 30)) == []


def test_minutes_decisions_and_an_action_are_written_together_or_not_at_all(
    office: Context,
) -> None:
    from docket.models.core.schema import ActionItem, Decision, Minutes

    mid = _series(office, "2026-11-03 09:00", "America/Chicago", "weekly on tue")
    with pytest.raises(ValidationError, match="due"):
        record_minutes(
            office,
            mid,
            "2026-11-10",
            notes="Agreed the budget",
            decisions=["Approve the budget"],
            action="Send the budget",
            due="not a day",
        )
    assert (Minutes.select().count(), Decision.select().count()) == (0, 0)
    assert ActionItem.select().count() == 0
    done = record_minutes(
        office, mid, "2026-11-10", notes="Agreed", decisions=["A", "B"], action="Send it"
    )
    assert (done.minutes, len(done.decisions), len(done.actions)) == (True, 2, 1)


def test_a_new_start_carries_occurrence_changes_or_drops_them(office: Context) -> None:
    mid = _series(office, "2026-12-01 09:00", "America/Chicago", "weekly on tue")
    cancel_occurrence(office, mid, "2026-12-08")
    m = meetings.get_meeting(mid)
    m = meetings.update_meeting(office, mid, m.version, start="2026-12-01 10:00")
    assert OccurrenceChange.get().original_start == _utc(2026, 12, 8, 16)
    meetings.update_meeting(office, mid, m.version, repeat="every 2 weeks on tue")
    assert OccurrenceChange.select().count() == 0


def test_window_prunes_series_that_ended(office: Context) -> None:
    _series(office, "2026-01-06 09:00", "America/Chicago", "weekly on tue for 3 times")
    live = _series(office, "2026-11-03 09:00", "America/Chicago", "weekly on tue")
    found = list_occurrences(_utc(2026, 11, 23), _utc(2026, 12, 23))
    assert {o.meeting_id for o in found} == {live}
    assert len(found) == 5


def test_window_holds_its_first_instant_and_not_its_last(office: Context) -> None:
    # a meeting that starts at the window's end is the next window's, never both
    at_end = int(
        meetings.add_meeting(
            office, "At end", start="2026-12-01 09:00", timezone="UTC", program="ERP"
        ).id
    )
    just_before = int(
        meetings.add_meeting(
            office, "Before", start="2026-12-01 08:59", timezone="UTC", program="ERP", duration=1
        ).id
    )
    first = list_occurrences(_utc(2026, 11, 30, 9), _utc(2026, 12, 1, 9))
    second = list_occurrences(_utc(2026, 12, 1, 9), _utc(2026, 12, 2, 9))
    assert [o.meeting_id for o in first] == [just_before]
    assert [o.meeting_id for o in second] == [at_end]


# --- command line ---------------------------------------------------------------------


@pytest.fixture
def cli_office(cli: Any, office: Context) -> Any:
    return cli


def test_cli_add_list_move_cancel(cli_office: Any) -> None:
    cli = cli_office
    result = cli(
        "meeting", "add", "ERP steering", "--start", "2026-11-24 09:00", "--tz",
        "America/New_York", "--repeat", "weekly on tue", "--group", "Steering",
        "--program", "ERP", "--location", "Room 4", "--organizer", "ana",
    )  # fmt: skip
    assert (result.status, result.out, result.err) == (0, "1\n", "")
    assert cli("meeting", "move", "1", "--occurrence", "2026-12-01", "--to", "11:00").status == 0
    assert cli("meeting", "cancel", "1", "--occurrence", "2026-12-08").status == 0
    listed = cli("meeting", "list", "--days", "21", "--format", "json")
    rows = json.loads(listed.out)
    assert [(r["local_start"], r["status"], r["moved"]) for r in rows] == [
        ("2026-11-24 08:00", "confirmed", False),
        ("2026-12-01 10:00", "confirmed", True),
        ("2026-12-08 08:00", "cancelled", False),
    ]
    assert rows[1]["meeting_start"] == "2026-12-01 11:00"
    assert rows[1]["occurrence"] == "2026-12-01T14:00:00Z"
    table = cli("meeting", "list", "--days", "21")
    assert "moved, 11:00 America/New_York" in table.out


def test_cli_errors_are_one_line(cli_office: Any) -> None:
    result = cli_office(
        "meeting", "add", "x", "--start", "2026-12-01 09:00", "--repeat", "fortnightly on blursday"
    )
    assert result.status == 2
    assert result.err.startswith("docket: repeat:") and result.err.count("\n") == 1
    result = cli_office("meeting", "move", "99", "--to", "10:00")
    assert (result.status, result.err) == (2, "docket: no meeting with id 99\n")


def test_cli_split_and_show(cli_office: Any) -> None:
    cli = cli_office
    cli("meeting", "add", "Sync", "--start", "2026-12-01 09:00", "--repeat", "weekly for 4 times")
    result = cli("meeting", "edit", "1", "--from-occurrence", "2026-12-15", "--duration", "30m")
    assert result.out == "#1 ends before 2026-12-15; new series #2\n"
    show = json.loads(cli("meeting", "show", "2", "--format", "json").out)
    assert (show["split_from"], show["duration_minutes"], show["repeat"]) == (
        1,
        30,
        "FREQ=WEEKLY;COUNT=2",
    )
    assert [n["local_start"] for n in show["next"]] == ["2026-12-15 09:00", "2026-12-22 09:00"]


def test_today_lists_my_meetings_today_and_tomorrow(office: Context) -> None:
    from docket.models.overview.today import build_today, today_facts

    _series(office, "2026-11-16 14:00", "America/New_York", "weekly on mon,tue,wed")
    meetings.add_meeting(
        office, "Not mine", start="2026-11-23 15:00", program="ERP", organizer="bo"
    )
    view = build_today(office)
    facts = today_facts(view, office.tz)
    assert facts["counts"]["meetings"] == 2
    # 14:00 in New York is 13:00 in Chicago, the reader's zone
    assert [(m["local_start"], m["title"]) for m in facts["meetings"]] == [
        ("2026-11-23 13:00", "Steering"),
        ("2026-11-24 13:00", "Steering"),
    ]


def test_cli_today_prints_meetings(cli_office: Any) -> None:
    cli_office("meeting", "add", "Standup", "--start", "2026-11-24 09:30", "--program", "ERP")
    out = cli_office("today").out
    assert "Meetings today and tomorrow: 1" in out
    assert "2026-11-24 09:30  #1  ERP" in out


def test_cli_minutes_record_decisions_and_an_action_in_one_go(cli_office: Any) -> None:
    cli = cli_office
    cli("meeting", "add", "Steering", "--start", "2026-11-20 09:00", "--program", "ERP")
    result = cli(
        "meeting", "minutes", "1", "--notes", "Budget agreed", "--decision", "Approve the budget",
        "--decision", "Keep the go-live date", "--decided-by", "bo", "--action", "Send the budget",
    )  # fmt: skip
    assert (result.status, result.out, result.err) == (0, "#1: minutes saved\n1\n2\n1\n", "")
    listed = json.loads(cli("decision", "list", "--format", "json").out)
    assert sorted((d["title"], d["decided_by"], d["decided_on"]) for d in listed) == [
        ("Approve the budget", "Bo Chen", "2026-11-20"),
        ("Keep the go-live date", "Bo Chen", "2026-11-20"),
    ]
    bad = cli("meeting", "minutes", "1", "--decision", "Another", "--decided-by", "nobody here")
    assert bad.status == 2 and bad.err.startswith("docket: decided by:")
    assert len(json.loads(cli("decision", "list", "--format", "json").out)) == 2
