"""Communications in the app (key 5): the plan with overdue first, an item's log, marking it
sent by hand, the item's digest previewed as it goes out (its period and sections), saved to a
file (logged as exported, not sent) and sent through a loopback SMTP server (what arrives is
what was previewed); Today's communications due this week.

Pilot tests drive the real app on the small demo at the fixed clock (Mon 23 Nov 2026).
"""

from __future__ import annotations

import email
from collections.abc import Callable
from datetime import date
from email import policy
from pathlib import Path
from typing import Any

import pytest
from smtp_support import configure_mail, smtp_server
from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown, OptionList, Static
from tui_support import pressing, settle, shown, type_text

from docket.exports.digests import digest as written
from docket.models.audit.stamp import without_stamp
from docket.models.comms import plan as comms
from docket.models.comms.audience import audience_people
from docket.models.comms.digest import item_digest
from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import CommsLogEntry
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.screens.comms import CommsScreen, DigestPreview, ItemDetail

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
    assert (entry.note, entry.sent_by, entry.how) == ("sent after the review", "tester", "by hand")
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


async def test_the_digest_preview_is_the_items_digest_saved_and_logged_as_exported(
    demo_db: Path, make_app: MakeApp, tmp_path: Path, ctx: Context
) -> None:
    target = tmp_path / "status.md"
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        row = await _at_first_overdue(pilot)
        await pilot.press("d")
        await settle(pilot)
        preview = pilot.app.screen
        assert isinstance(preview, DigestPreview)
        assert preview.query_one(Markdown) is not None
        # the first overdue item is a monthly milestone report: its month, its sections
        assert (row["digest"], row["cadence"]) == ("milestones", "FREQ=MONTHLY;BYDAY=1MO")
        assert preview.text.startswith(f"# {row['program']} milestones, 01 Nov – 30 Nov 2026")
        assert [s.key for s in preview.made.sections] == ["milestones"]
        await pilot.press("w")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values({"file": str(target)})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
    # the file saved ends with the stamp of what it was built from; the rest is the preview
    assert without_stamp(target.read_text()) == preview.text
    connect(demo_db)
    # the command line builds the same digest for the item
    assert preview.made.facts() == item_digest(ctx, row["id"]).digest.facts()
    latest = (
        CommsLogEntry.select()
        .where(CommsLogEntry.item == row["id"])
        .order_by(CommsLogEntry.id.desc())
        .get()
    )
    assert latest.artifact.startswith("status.md sha256:")
    assert latest.how == "exported"
    after = next(r for r in comms.plan() if r.item.id == row["id"])
    assert (after.due, after.exported) == (date.fromisoformat(row["due"]), latest.sent_at)


async def test_the_digest_sent_from_the_preview_is_the_preview(
    demo_db: Path, make_app: MakeApp
) -> None:
    with smtp_server() as (inbox, port):
        configure_mail(port)
        async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
            row = await _at_first_overdue(pilot)
            await pilot.press("d")
            await settle(pilot)
            preview = pilot.app.screen
            assert isinstance(preview, DigestPreview)
            await pilot.press("s")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert not pilot.app.screen.is_modal
    ((_, recipients, content),) = inbox.messages
    arrived = email.message_from_bytes(content, policy=policy.default)
    assert arrived["Subject"] == preview.made.title
    # (SMTP carries lines ended CRLF)
    for kind, made in (("plain", written.text), ("html", written.html)):
        body = arrived.get_body((kind,)).get_content().replace("\r\n", "\n")
        assert body == made(preview.made)
    connect(demo_db)
    emails = sorted(p.email for p in audience_people(row["id"]) if p.email)
    assert sorted(recipients) == emails
    latest = (
        CommsLogEntry.select()
        .where(CommsLogEntry.item == row["id"])
        .order_by(CommsLogEntry.id.desc())
        .get()
    )
    assert (latest.how, latest.note) == ("sent", f"digest {preview.made.title}")


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


# --- the filter, adding and editing an item -------------------------------------------------


async def test_slash_filters_the_plan_and_esc_leaves_then_clears_it(
    demo_db: Path, make_app: MakeApp
) -> None:
    from textual.widgets import Input

    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = screen_of(pilot.app)
        everything = list(screen.rows)
        await pilot.press("slash")
        assert pilot.app.focused is screen.query_one("#filter", Input)
        await type_text(pilot, "late")
        await settle(pilot)
        late = list(screen.rows)
        status = shown(screen.query_one("#status", Static))
        await pilot.press("enter")
        assert pilot.app.focused is screen.query_one(DataTable)
        await type_text(pilot, "/erp e-mail")
        await settle(pilot)
        narrowed = list(screen.rows)
        await pilot.press("escape")  # back to the list, the filter kept
        assert pilot.app.focused is screen.query_one(DataTable)
        assert screen.typed == "erp e-mail"
        await pilot.press("escape")  # cleared
        await settle(pilot)
        assert screen.typed == "" and screen.rows == everything
    assert late == [r for r in everything if r["overdue"]] and late
    assert status.startswith(f"{len(late)} of {len(everything)} plan items")
    assert status.endswith("filter: late")
    assert narrowed and all(r["program"] == "ERP" and r["channel"] == "e-mail" for r in narrowed)


async def test_a_adds_a_plan_item_with_its_audience(demo_db: Path, make_app: MakeApp) -> None:
    from docket.models.core.schema import CommsItem

    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values(
            {
                "name": "ERP: cutover bulletin",
                "program": "ERP",
                "channel": "newsletter",
                "cadence": "weekly on thu",
                "starts": "2026-12-03",
                "digest": "milestones",
                "audience": "ERP steering committee",
                "purpose": "Tell every department what changes at cutover",
            }
        )
        await settle(pilot)
        hints = {f.name: shown(form.query_one(f"#hint-{f.name}", Static)) for f in form.fields}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
        listed = [r["name"] for r in screen_of(pilot.app).rows]
    assert hints["cadence"] == "→ every week on Thu"
    assert hints["audience"].startswith("→ ERP steering committee (group of ")
    assert "ERP: cutover bulletin" in listed
    connect(demo_db)
    item = CommsItem.get(CommsItem.name == "ERP: cutover bulletin")
    values = comms.item_values(item.id)
    assert (values["channel"], values["digest"], values["starts"]) == (
        "newsletter",
        "milestones",
        "2026-12-03",
    )
    assert values["audience"] == ["ERP steering committee"]
    assert values["cadence"] == "FREQ=WEEKLY;BYDAY=TH"


async def test_e_edits_a_plan_item_and_its_audience(demo_db: Path, make_app: MakeApp) -> None:
    from docket.tui.forms.base import EditForm

    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        row = await _at_first_overdue(pilot)
        before = pilot.app.store.call(comms.item_values, row["id"])
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, EditForm)
        typed = {f.name: f.value for f in form.fields}
        # the first entry taken out, the finance liaisons added (typed in lower case)
        kept = before["audience"][1:]
        form.set_values(
            {
                "cadence": "monthly on the 2nd tue",
                "digest": "none",
                "active": "no",
                "audience": ", ".join([*kept, "finance liaisons"]),
            }
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
    connect(demo_db)
    after = comms.item_values(row["id"])
    assert typed["audience"] == ", ".join(before["audience"])
    assert typed["name"] == before["name"] and typed["active"] == "yes"
    assert (after["cadence"], after["digest"], after["active"]) == (
        "FREQ=MONTHLY;BYDAY=2TU",
        "",
        False,
    )
    assert before["audience"] and "Finance liaisons" not in before["audience"]
    assert after["audience"] == [*kept, "Finance liaisons"]
    assert after["version"] == before["version"] + 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("keys", [["5", "a"], ["5", "e"]], ids=["add", "edit"])
def test_the_plan_item_form_looks_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))
