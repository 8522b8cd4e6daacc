"""Work that stays flat in the data: Today, the digest and the calendar feed run as many SQL
statements on the large demo (20 programs, 2,000 people, 100,000 action items) as on the
small one (issue 22). A lookup per row slipping back in (the person behind each decision,
the changes of every 500 meetings) makes the large count grow, and fails here whatever the
machine's speed. Statements are counted as SQLite runs them (its trace callback), and on
PostgreSQL as docket sends them (tests/sql_trace.py).

The large demo is built once per test process (conftest, xdist group ``large_demo``; marked
``slow``), on PostgreSQL migrated once per process (tests/pg_demo.py), and only read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import ACTOR, NOW, ZONE
from pg_demo import (  # noqa: F401 (fixtures, hook: both engines)
    demo_on_both,
    large_demo_postgres,
    pytest_generate_tests,
)
from sql_trace import statements

from docket.exports.calendar.ical_feed import feed
from docket.models.actions.items import due_soon_clause, overdue_clause
from docket.models.comms.digest import build_digest
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.schema import ActionItem, database
from docket.models.overview.today import build_today

pytestmark = pytest.mark.both_engines

CTX = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
WINDOW = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

# what is counted: each a call on the models or exports, as the commands make it
COUNTED: dict[str, Callable[[], Any]] = {
    "today": lambda: build_today(CTX),
    "today of a program": lambda: build_today(CTX, program="ERP"),
    "today of a parent program": lambda: build_today(CTX, program="CORE"),
    "digest of everything": lambda: build_digest(CTX),
    "digest of a program, a quarter": lambda: build_digest(CTX, program="ERP", period="quarter"),
    "calendar feed of everything": lambda: feed(NOW),
    "calendar feed of a program": lambda: feed(NOW, program="ERP"),
    "calendar feed of two months": lambda: feed(NOW, window_start=WINDOW[0], window_end=WINDOW[1]),
}


def counts(path: Path | str) -> dict[str, int]:
    """How many statements each of :data:`COUNTED` runs on the database at ``path`` (each
    once first, so what a first call alone does, such as reading the config, is not
    counted)."""
    open_database(path)
    try:
        found = {}
        for name, work in COUNTED.items():
            work()
            with statements() as seen:
                work()
            found[name] = len(seen)
        return found
    finally:
        database.close()


@pytest.mark.slow
@pytest.mark.xdist_group("large_demo")
def test_counts_do_not_grow_with_the_data(
    demo_db: Path, large_demo: Path, engine_name: str, request: pytest.FixtureRequest
) -> None:
    if engine_name == "postgres":  # the same large demo, migrated once for the process
        large_demo = request.getfixturevalue("large_demo_postgres")
    small, large = counts(demo_db), counts(large_demo)
    assert large == small
    # and the lookups are joined: a handful of statements per section, not one per row
    assert max(small.values()) < 100


def test_everyone_elses_counts_are_everyones_less_mine(demo_db: Path) -> None:
    """Today counts "everyone else's" as everyone's less mine (no count reads the rows of
    the items it does not show); the figures are those of counting them directly."""
    open_database(demo_db)
    try:
        view = build_today(CTX)
        assert view.me is not None
        others = ActionItem.owner.is_null() | (ActionItem.owner != view.me.id)
        for key, clause in (("overdue", overdue_clause), ("due_soon", due_soon_clause)):
            direct = ActionItem.select().where(clause(CTX.today()) & others).count()
            assert view.counts[key] == direct > 0
            mine = ActionItem.select().where(clause(CTX.today()), ActionItem.owner == view.me)
            assert view.counts[f"my_{key}"] == mine.count() > 0
    finally:
        database.close()


def test_the_feed_reads_each_kind_of_row_once(demo_db: Path) -> None:
    """The feed's statements: meetings, the programs, the organizers, the people they
    invite, their attendees, their changed occurrences and the milestones, one each, however
    many meetings there are."""
    open_database(demo_db)
    try:
        feed(NOW)
        with statements() as seen:
            feed(NOW)
        tables = [s.split(" FROM ", 1)[1].split()[0] for s in seen]
        assert tables == [
            '"meeting"',
            '"program"',
            '"person"',
            '"person"',
            '"attendee"',
            '"occurrence_change"',
            '"milestone"',
        ]
    finally:
        database.close()
