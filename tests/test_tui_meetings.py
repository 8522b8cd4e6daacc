"""Meetings in the app (key 3): the week's agenda, one occurrence in detail, minutes and
actions written during the meeting, cancelling and restoring, the create form with its
preview and daylight-saving warning, exporting the invite; Today's meetings.

Pilot tests drive the real app on the small demo at the fixed clock (Mon 23 Nov 2026,
09:00 in Chicago); every count is checked against the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static
from tui_support import pressing, settle, shown, type_text

from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.errors import ValidationError
from docket.models.core.schema import (
    ActionItem,
    Attendee,
    Decision,
    Meeting,
    Minutes,
    OccurrenceChange,
)
from docket.models.meetings.occurrences import list_occurrences, meetings_on_days
from docket.models.meetings.views import preview_series
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.forms.occurrence_detail import OccurrenceDetail
from docket.tui.screens.meetings import MeetingsScreen, period

MakeApp = Callable[[Path], DocketApp]
CHICAGO = ZoneInfo("America/Chicago")
TODAY = date(2026, 11, 23)


def _window(first: date, days: int) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(0), CHICAGO).astimezone(UTC)
    return start, datetime.combine(first + timedelta(days=days), time(0), CHICAGO).astimezone(UTC)


def _count(path: Path, first: date, days: int) -> int:
    connect(path)
    return len(list_occurrences(*_window(first, days)))


def screen_of(app: DocketApp) -> MeetingsScreen:
    screen = app.get_screen("meetings") if app.screen.is_modal else app.screen
    assert isinstance(screen, MeetingsScreen)
    return screen


async def _open_first(
    pilot: Pilot[None], *, series: bool = True, held: bool = False
) -> dict[str, Any]:
    """Go to Meetings, put the cursor on the first (series) occurrence, open it; ``held``:
    of the week before, which has happened (minutes and decisions need that)."""
    await pilot.press("3")
    await settle(pilot)
    if held:
        await pilot.press("left")
        await settle(pilot)
    screen = screen_of(pilot.app)
    index = next(i for i, r in enumerate(screen.rows) if r["series"] == series)
    screen.query_one(DataTable).move_cursor(row=index)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OccurrenceDetail)
    return pilot.app.screen.detail


def test_a_period_is_a_day_or_a_monday_to_sunday_week() -> None:
    assert period(date(2026, 11, 25), week=False) == (date(2026, 11, 25), 1)
    assert period(date(2026, 11, 25), week=True) == (date(2026, 11, 23), 7)
    assert period(date(2026, 11, 29), week=True) == (date(2026, 11, 23), 7)


async def test_the_week_lists_every_occurrence_and_moves_by_day_or_week(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = screen_of(pilot.app)
        week = len(screen.rows)
        status = shown(screen.query_one("#status", Static))
        await pilot.press("w")
        await settle(pilot)
        today = len(screen.rows)
        await pilot.press("right")
        await settle(pilot)
        tomorrow = len(screen.rows)
        day_status = shown(screen.query_one("#status", Static))
        await pilot.press("full_stop", "w", "right")
        await settle(pilot)
        next_week = len(screen.rows)
    assert status.startswith(f"Week of Mon 23 Nov – Sun 29 Nov 2026 · {week} meetings")
    assert day_status.startswith("Tue 24 Nov 2026")
    assert week == _count(demo_db, TODAY, 7) > 0
    assert today == _count(demo_db, TODAY, 1)
    assert tomorrow == _count(demo_db, TODAY + timedelta(days=1), 1)
    assert next_week == _count(demo_db, TODAY + timedelta(days=7), 7)


async def test_an_occurrence_opens_with_its_attendees_agenda_and_invites(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        detail = await _open_first(pilot)
        keys = shown(pilot.app.screen.query_one(".keys", Static))
    connect(demo_db)
    attending = Attendee.select().where(Attendee.meeting == detail["id"]).count()
    assert len(detail["attendees"]) == attending > 0
    assert detail["occurrence"]["meeting"] == detail["id"]
    assert "m minutes · a action" in keys and "x cancel" in keys


async def test_minutes_and_an_action_written_in_the_meeting_are_kept(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        detail = await _open_first(pilot, held=True)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RecordForm)
        await type_text(pilot, "Budget agreed; [bold]not markup[/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # the detail again, with the minutes
        assert isinstance(pilot.app.screen, OccurrenceDetail)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Send the revised budget")
        await pilot.press("tab")
        await type_text(pilot, "ben rossi")
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = pilot.app.screen
        assert isinstance(after, OccurrenceDetail)
    original = datetime.fromisoformat(detail["occurrence"]["occurrence"].replace("Z", "+00:00"))
    connect(demo_db)
    written = Minutes.get(Minutes.meeting == detail["id"], Minutes.occurrence_start == original)
    assert written.notes.startswith("Budget agreed; [bold]not markup[/]")
    item = ActionItem.get(ActionItem.title == "Send the revised budget")
    assert (item.__data__["source_meeting"], item.source_occurrence) == (detail["id"], original)
    assert [a["title"] for a in after.detail["actions_raised"]][-1] == "Send the revised budget"


async def test_a_decision_taken_in_the_meeting_joins_the_decision_log(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        detail = await _open_first(pilot, held=True)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RecordForm)
        await type_text(pilot, "Go live on 1 March")
        await pilot.press("tab")
        await type_text(pilot, "The freeze ends in February")
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = pilot.app.screen
        assert isinstance(after, OccurrenceDetail)
        texts = [shown(s) for s in after.query(Static)]
        assert any("Go live on 1 March" in t for t in texts)
    original = datetime.fromisoformat(detail["occurrence"]["occurrence"].replace("Z", "+00:00"))
    connect(demo_db)
    made = Decision.get(Decision.title == "Go live on 1 March")
    assert (made.__data__["meeting"], made.occurrence_start) == (detail["id"], original)
    assert made.rationale == "The freeze ends in February"
    assert made.program.code == detail["program"]
    assert made.decided_by.name == detail["organizer"]
    assert [d["title"] for d in after.detail["decisions"]][-1] == "Go live on 1 March"


async def test_an_occurrence_is_cancelled_and_restored_from_the_list(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        detail = await _open_first(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        row = screen_of(pilot.app).current_row()
        assert row is not None and row["status"] == "cancelled"
        await pilot.press("r", "y")
        await settle(pilot)
        restored = screen_of(pilot.app).current_row()
    assert restored is not None and restored["status"] != "cancelled"
    connect(demo_db)
    original = datetime.fromisoformat(detail["occurrence"]["occurrence"].replace("Z", "+00:00"))
    change = OccurrenceChange.get_or_none(
        OccurrenceChange.meeting == detail["id"], OccurrenceChange.original_start == original
    )
    assert change is None or not change.cancelled


async def test_a_new_series_previews_its_occurrences_and_the_clock_changes(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        for name, value in (
            ("program", "ERP"),
            ("title", "Vendor sync"),
            ("start", "2027-03-09 10:00"),
            ("timezone", "Europe/Berlin"),
            ("repeat", "weekly on tue for 4 times"),
            ("attendees", "ben rossi"),
        ):
            form.set_values({name: value})
        await settle(pilot)
        preview = shown(form.query_one("#preview", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
    assert "Tue 09 Mar 2027 10:00  →  Tue 09 Mar 03:00" in preview
    # Chicago moves its clocks on 14 March, Berlin on 28 March: the meeting moves twice
    assert "⚠ the clocks change in Europe/Berlin before Tue 30 Mar 2027" in preview
    assert "⚠ the clocks change in your zone before Tue 16 Mar 2027" in preview
    connect(demo_db)
    made = Meeting.get(Meeting.title == "Vendor sync")
    assert (made.timezone, made.rrule) == ("Europe/Berlin", "FREQ=WEEKLY;BYDAY=TU;COUNT=4")


async def test_a_start_that_never_happens_is_explained_and_the_form_keeps_it(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values({"program": "ERP", "title": "Early", "start": "2027-03-14 02:30"})
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        preview = shown(form.query_one("#preview", Static))
        hint = shown(form.query_one("#hint-start", Static))
        assert form.values()["start"] == "2027-03-14 02:30"
    assert "does not exist in America/Chicago" in hint
    assert "does not exist" in preview


async def test_the_invite_is_exported_from_the_detail(
    demo_db: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    from icalendar import Calendar

    target = tmp_path / "steering.ics"
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        detail = await _open_first(pilot)
        await pilot.press("i")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values({"file": str(target)})
        await pilot.press("ctrl+s")
        await settle(pilot)
    calendar = Calendar.from_ical(target.read_bytes())
    assert calendar["METHOD"] == "REQUEST"
    connect(demo_db)
    uid = Meeting.get_by_id(detail["id"]).uid
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {uid}


async def test_today_lists_meetings_today_and_tomorrow(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        ids = [o.id or "" for o in listing.options]
        heading = next(str(o.prompt) for o in listing.options if o.id == "list:meeting:meetings")
        meeting_rows = [i for i in ids if i.startswith("meeting:")]
        listing.highlighted = ids.index(meeting_rows[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OccurrenceDetail)
    connect(demo_db)
    expected = len(meetings_on_days(ctx, TODAY, 2, person=None))
    assert heading.startswith(f"Meetings today and tomorrow ({expected:,})")
    assert len(meeting_rows) == min(expected, 10)


# --- the preview's rules ---------------------------------------------------------------


def test_preview_lists_the_next_occurrences_in_both_zones(db_path: Path, ctx: Context) -> None:
    found = preview_series(ctx, "2026-12-01 10:00", "Europe/Berlin", "weekly on tue")
    assert found["timezone"] == "Europe/Berlin"
    assert found["occurrences"][0] == {
        "meeting_zone": "Tue 01 Dec 2026 10:00",
        "local": "Tue 01 Dec 03:00",
        "utc": "2026-12-01T09:00:00+00:00",
    }
    assert len(found["occurrences"]) == 6 and found["more"] > 90


def test_a_single_meeting_in_your_zone_has_no_warning(db_path: Path, ctx: Context) -> None:
    found = preview_series(ctx, "2026-12-01 10:00")
    assert (found["timezone"], found["repeat_words"], found["more"]) == (
        "America/Chicago",
        "once",
        0,
    )
    assert found["warnings"] == []


def test_a_series_in_your_own_zone_is_warned_once_per_change(db_path: Path, ctx: Context) -> None:
    found = preview_series(ctx, "2027-03-02 09:00", "America/Chicago", "weekly for 3 times")
    # one zone, one change (14 March): said once, not for "yours" too
    assert found["warnings"] == [
        "the clocks change in America/Chicago before Tue 16 Mar 2027: from then the meeting "
        "is at 09:00 your time (09:00 America/Chicago)"
    ]


@pytest.mark.parametrize(
    ("start", "zone", "repeat", "field"),
    [
        ("", "", "", "start"),
        ("2026-12-01 10:00", "Mars/Olympus", "", "timezone"),
        ("2026-12-01 10:00", "", "fortnightly-ish", "repeat"),
    ],
)
def test_preview_names_the_field_it_cannot_read(
    db_path: Path, ctx: Context, start: str, zone: str, repeat: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        preview_series(ctx, start, zone, repeat)
    assert caught.value.field == field


# --- how it looks --------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [
        ["3"],
        ["3", "enter"],
        [
            "3",
            "a",
            "=title:Vendor sync",
            "=start:2027-03-09 10:00",
            "=timezone:Europe/Berlin",
            "=repeat:weekly on tue for 4 times",
        ],
    ],
    ids=["week", "detail", "new-series"],
)
def test_meetings_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))


async def test_slash_narrows_the_week_and_keeps_narrowing_as_the_days_move(
    demo_db: Path, make_app: MakeApp
) -> None:
    from textual.widgets import Input

    from docket.models.core.typed_filters import keep_occurrences

    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = screen_of(pilot.app)
        week = list(screen.rows)
        await pilot.press("slash")
        assert pilot.app.focused is screen.query_one("#filter", Input)
        await type_text(pilot, "steer")
        await settle(pilot)
        steering = list(screen.rows)
        status = shown(screen.query_one("#status", Static))
        await pilot.press("enter")  # back to the list
        assert pilot.app.focused is screen.query_one(DataTable)
        await pilot.press("right")  # the week after, still filtered
        await settle(pilot)
        next_week = list(screen.rows)
        next_all = list(screen.agenda)
        await pilot.press("escape")  # clears the filter
        await settle(pilot)
        assert screen.typed == "" and screen.rows == next_all
    assert steering and len(steering) < len(week)
    assert all("steer" in r["title"].lower() for r in steering)
    assert f"· {len(steering)} of {len(week)} meetings" in status and "filter: steer" in status
    assert next_week == keep_occurrences(next_all, "steer") and next_week != next_all


def test_typed_filters_match_words_by_their_start_without_accents_in_any_order() -> None:
    from docket.models.core.typed_filters import row_matches

    texts = ["Zoë's ERP steering committee", "ERP", "Room 4B", "cancelled"]
    assert row_matches("", texts)
    assert row_matches("committee zoe", texts)
    assert row_matches("STEER cancel", texts)
    assert not row_matches("eer", texts)  # inside a word, not at its start
    assert not row_matches("steering moved", texts)
