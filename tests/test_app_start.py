"""The app's launch (issue 22): the database opens and Today is read while Textual loads
(``docket.tui.store.start``, as ``docket`` with no command runs it); the app then shows
exactly what it shows when it reads Today itself, and reads it itself when the scope
changed before Today was first shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import ACTOR, NOW, ZONE
from textual.widgets import OptionList
from tui_support import settle

from docket.tui.app import DocketApp
from docket.tui.store import app_context, start


def _context() -> Any:
    return app_context(clock=lambda: NOW, user=ACTOR, tz=ZONE)


async def _shown(app: DocketApp) -> tuple[Any, list[str]]:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        prompts = [str(o.prompt) for o in screen.query_one(OptionList).options]
        return getattr(screen, "facts", None), prompts


async def test_today_read_at_launch_shows_what_the_app_reads_itself(
    demo_db: Path, make_app: Any
) -> None:
    itself = await _shown(make_app(demo_db))
    store = start(demo_db, _context())
    launched = DocketApp(demo_db, store=store)
    assert launched.ctx is store.ctx
    shown = await _shown(launched)
    assert shown == itself
    assert shown[0] is not None and shown[0]["date"] == NOW.date().isoformat()
    # taken by Today's first load
    assert store.take_first() is None


async def test_today_read_at_launch_is_left_when_the_scope_changed_first(
    demo_db: Path, make_app: Any
) -> None:
    scoped = make_app(demo_db)
    scoped.program = "ERP"
    itself = await _shown(scoped)
    launched = DocketApp(demo_db, store=start(demo_db, _context()))
    launched.program = "ERP"
    assert await _shown(launched) == itself
