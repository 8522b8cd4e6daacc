"""Communications in the app (key 5): the plan with overdue first, an item's log, marking it
sent, the digest preview saved to a file and logged; Today's communications due this week.

Pilot tests drive the real app on the small demo at the fixed clock (Mon 23 Nov 2026).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown, OptionList, Static
from tui_support import pressing, settle, shown, type_text

from docket.models import comms
from docket.models.database import connect
from docket.models.schema import CommsLogEntry
from docket.tui.app import DocketApp
from docket.tui.comms_screen import CommsScreen, DigestPreview, ItemDetail
from docket.tui.forms import RecordForm

MakeApp = Callable[[Path], DocketApp]
TODAY = date(2026, 11, 23)


def screen_of(app: DocketApp) -> CommsScreen:
    screen = app.get_screen("comms") if app.screen.is_modal else app.screen
    assert isinstance(screen, CommsScreen)
    return screen


async def _at_first_overdue(pilot: Pilot[None]) -> dict[str, Any]:
    await pilot.press("5")
    await settle(pilot)
    screen = screen_of(pilot.app)
    screen.query_one(DataTable).move_cursor(row=0)
    await settle(pilot)
    row = screen.current_row()
    assert row is not None and row["overdue"]
    return row


async def test_the_plan_lists_every_item_overdue_first(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = screen_of(pilot.app)
        rows = screen.rows
        status = shown(screen.query_one("#status", Static))
    connect(demo_db)
    plan = comms.plan()
    overdue = [r for r in plan if r.overdue(TODAY)]
    assert [r["id"] for r in rows] == [r.item.id for r in plan]
    assert status == f"{len(plan)} plan items · {len(overdue)} overdue"
    flags = [r["overdue"] for r in rows]
    assert flags == sorted(flags, reverse=True) and any(flags)


async def test_marking_an_item_sent_logs_it_and_moves_its_due_day(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        row = await _at_first_overdue(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RecordForm)
        await type_text(pilot, "sent after the review")
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = next(r for r in screen_of(pilot.app).rows if r["id"] == row["id"])
    connect(demo_db)
    entry = (
        CommsLogEntry.select()
        .where(CommsLogEntry.item == row["id"])
        .order_by(CommsLogEntry.sent_at.desc())
        .get()
    )
    assert (entry.note, entry.sent_by) == ("sent after the review", "tester")
    assert after["due"] != row["due"] or after["due"] is None


async def test_an_item_opens_with_its_audience_and_log(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        row = await _at_first_overdue(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ItemDetail)
        sendings = detail.sendings
    connect(demo_db)
    assert len(sendings) == CommsLogEntry.select().where(CommsLogEntry.item == row["id"]).count()


async def test_the_digest_preview_is_saved_and_logged(
    demo_db: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    target = tmp_path / "status.md"
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        row = await _at_first_overdue(pilot)
        await pilot.press("d")
        await settle(pilot)
        preview = pilot.app.screen
        assert isinstance(preview, DigestPreview)
        assert preview.query_one(Markdown) is not None
        assert preview.text.startswith(f"# {row['program']} status, 23 Nov – 29 Nov 2026")
        await pilot.press("w")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values({"file": str(target)})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
    assert target.read_text() == preview.text
    connect(demo_db)
    latest = (
        CommsLogEntry.select()
        .where(CommsLogEntry.item == row["id"])
        .order_by(CommsLogEntry.id.desc())
        .get()
    )
    assert latest.artifact.startswith("status.md sha256:")


async def test_today_lists_communications_due_this_week(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        heading = next(str(o.prompt) for o in listing.options if o.id == "list:comms:comms")
        ids = [o.id or "" for o in listing.options]
        listing.highlighted = next(i for i, x in enumerate(ids) if x.startswith("comms:"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ItemDetail)
    connect(demo_db)
    expected = len(comms.due_within(TODAY, 7))
    assert heading.startswith(f"Communications due this week ({expected})")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys", [["5"], ["5", "enter"], ["5", "d"]], ids=["plan", "item", "digest"]
)
def test_communications_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))
