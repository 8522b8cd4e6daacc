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


def test_today_read_in_a_process_apart_is_what_the_app_reads(demo_db: Path) -> None:
    """The forked reader (``_Apart``) opens the database only when told to and sends back
    exactly Today's facts; told to stop, it sends nothing."""
    import functools
    import threading

    from docket.models.core.database import open_database
    from docket.models.overview.today import today_view
    from docket.tui.store import _Apart

    ctx = _context()
    first = functools.partial(today_view, ctx)
    if threading.active_count() != 1:  # the fork is refused while threads run
        assert _Apart.fork(demo_db, first) is None
        return
    apart = _Apart.fork(demo_db, first)
    assert apart is not None
    open_database(demo_db)
    assert apart.finish(go=True) == today_view(ctx)
    stopped = _Apart.fork(demo_db, first)
    assert stopped is not None
    assert stopped.finish(go=False) is None


# the app in a fresh interpreter, launched as ``docket`` launches it, until Today is drawn;
# then every module it has loaded (the other screens' code waits for ``preload``)
FIRST_FRAME = """
import asyncio, sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo
from docket.tui.store import app_context, start

async def main() -> None:
    now = datetime.fromisoformat(sys.argv[2])
    ctx = app_context(clock=lambda: now, user=sys.argv[3], tz=ZoneInfo(sys.argv[4]))
    from docket.tui.app import DocketApp
    from textual.widgets import OptionList
    DocketApp.PRELOAD_S = 3600
    db = Path(sys.argv[1])
    app = DocketApp(db, store=start(db, ctx))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3000):
            await pilot.pause(0.01)
            lists = pilot.app.screen.query(OptionList)
            if lists and lists.first().option_count:
                break
        print(lists.first().option_count, *sorted(sys.modules))

asyncio.run(main())
"""


def test_the_first_frame_loads_only_what_today_needs(demo_db: Path) -> None:
    """Today is drawn without the other screens, the forms, Markdown, the charts or the
    heavy libraries of the board pack, portfolio selection and calendar files."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(demo_db), NOW.isoformat(), ACTOR, str(ZONE)],
        capture_output=True,
        text=True,
        check=True,
    )
    count, *modules = done.stdout.split()
    assert int(count) > 0, done.stdout
    roots = {name.split(".")[0] for name in modules}
    assert roots & {"matplotlib", "numpy", "scipy", "icalendar", "plotext", "markdown_it"} == set()
    assert roots & {"textual_plotext", "smtplib"} == set()
    screens = {m for m in modules if m.startswith("docket.tui.screens.")}
    assert screens == {
        "docket.tui.screens.base",
        "docket.tui.screens.registry",
        "docket.tui.screens.today",
    }
    assert not any(m.startswith("docket.tui.forms") for m in modules)
