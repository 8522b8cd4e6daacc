"""Live refresh on PostgreSQL (LISTEN/NOTIFY), the app on a PostgreSQL database, and
``docket backup`` from PostgreSQL to a portable SQLite file.

Another session's change is announced by the trigger on the audit log and counted by
``data_version``, as SQLite's ``PRAGMA data_version`` counts another connection's commits;
this connection's own writes are not counted, on either engine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ACTOR, NOW, ZONE
from test_postgres import _demo, docket, ok
from tui_support import settle, until

from docket.models.actions.items import add_action
from docket.models.core.context import Context
from docket.models.core.database import data_version, open_database
from docket.models.core.schema import database

OTHER = """
import sys
from datetime import datetime
from docket.models.actions.items import add_action
from docket.models.core.context import Context
from docket.models.core.database import open_database
open_database(sys.argv[1])
now = datetime.fromisoformat(sys.argv[3])
add_action(Context(actor=sys.argv[2], clock=lambda: now), sys.argv[4])
"""


def _other_session_adds(target: str, title: str) -> None:
    """An action item added by another process (its own connection and backend)."""
    done = subprocess.run(
        [sys.executable, "-c", OTHER, target, ACTOR, NOW.isoformat(), title],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_another_sessions_write_moves_data_version_and_ones_own_does_not(pg_url: str) -> None:
    _demo(pg_url)
    ctx = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
    open_database(pg_url)
    try:
        first = data_version()
        add_action(ctx, "one's own write")
        assert data_version() == first  # as SQLite: this connection's commits do not count
        _other_session_adds(pg_url, "another administrator's write")
        # the NOTIFY was sent at commit, before the other process ended: the next poll has it
        assert data_version() != first
    finally:
        database.close()


async def test_the_app_runs_on_postgresql_and_sees_another_sessions_change(pg_url: str) -> None:
    from textual.widgets import OptionList

    from docket.tui.app import DocketApp
    from docket.tui.screens.actions import ActionsScreen

    _demo(pg_url)
    app = DocketApp(pg_url, clock=lambda: NOW, user=ACTOR, tz=ZONE)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert pilot.app.screen.query_one(OptionList).option_count > 0  # Today
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        before, generation = screen.total, app.generation
        _other_session_adds(pg_url, "added while the app is open")
        # the app's poll (every POLL_S = 2 s) hears the notification and reloads
        await until(pilot, lambda: app.generation > generation, "the poll to see the change")
        await settle(pilot)
        await until(pilot, lambda: screen.total == before + 1, "the list to reload")
        for key in ["3", "4", "5", "6", "7", "8", "9", "1"]:  # every other screen opens too
            await pilot.press(key)
            await settle(pilot)
        assert not [n.message for n in app._notifications if n.severity == "error"]


def test_backup_from_postgresql_is_a_checked_sqlite_copy(
    pg_url: str,
    tmp_path: Path,
) -> None:
    _demo(pg_url)
    copy = tmp_path / "copy.db"
    out = ok(pg_url, "backup", str(copy))
    assert "audit_entry" in out and " NO" not in out and "verified" in out
    assert "docket_meta" in out
    # the same rows and checksums as the PostgreSQL database it came from
    from docket.models.core.migrate import COPIED, digest, read_rows

    open_database(pg_url)
    try:
        there = {m: digest(read_rows(m)) for m in COPIED}
    finally:
        database.close()
    open_database(copy)
    try:
        assert {m: digest(read_rows(m)) for m in COPIED} == there
    finally:
        database.close()
    assert "ok (schema version" in ok(copy, "check")  # (which notes the check in the copy)
    status, _, err = docket(pg_url, "backup", str(copy))
    assert status != 0 and "already exists" in err  # an existing name is kept
    ok(pg_url, "backup", "--force", str(copy))
