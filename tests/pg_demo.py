"""The small demo office on both engines, for a module marked ``both_engines`` whose tests
read the demo (issue 23: every report the same on both).

A module imports the fixture and the hook from here::

    from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook)

Then each test taking ``demo_db`` (the fixture's name) runs on the SQLite copy conftest
makes, and again on a PostgreSQL database of its own holding the same demo: a copy of the
one this test process moved there once with ``docket migrate`` (verified per table as it
commits; tests/pg_support.py ``made_database``), owned by and connected as ``tester``, with
this account's witnesses of it as on SQLite. A test that also takes ``db_path`` is parametrized by
conftest already; the hook here parametrizes those that take only the demo.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import fresh_database, made_database

from docket.models.audit.witness import witness_path
from docket.models.core.database import open_database
from docket.models.core.migrate import Migrated, migrate
from docket.models.core.schema import database

ENGINES = ("sqlite", "postgres")
ACTOR = "tester"  # as tests/conftest.py: the account every test database is made by


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test of a ``both_engines`` module taking the demo but not ``db_path`` (which
    conftest parametrizes) runs on each engine."""
    marked = metafunc.definition.get_closest_marker
    names = metafunc.fixturenames
    if (
        marked("both_engines")
        and not marked("sqlite_only")
        and "demo_db" in names
        and "db_path" not in names
    ):
        metafunc.parametrize("engine_name", ENGINES, indirect=True)


@pytest.fixture(name="demo_db")
def demo_on_both(demo_db: Path, engine_name: str) -> Iterator[Path]:
    """The small demo at the fixed clock: conftest's SQLite copy, or on PostgreSQL a database
    of its own copied from the one this process migrated that copy into (its URL, typed as
    the path it stands in for)."""
    if engine_name == "sqlite":
        yield demo_db
        return

    def make(url: str) -> None:
        migrate(demo_db, url)
        mine = witness_path(demo_db)
        if mine.exists():  # the witnesses the builder kept, as kept for this database
            theirs = witness_path(url)
            shutil.copyfile(mine, theirs)
            os.chmod(theirs, 0o600)

    with made_database("small demo", ACTOR, make) as url:
        open_database(url)  # bound and closed, as conftest leaves the SQLite copy
        database.close()
        yield url  # type: ignore[misc]  # a URL where tests pass a path: --db takes both


@pytest.fixture(scope="session")
def large_demo_postgres(large_demo: Path) -> Iterator[str]:
    """The large demo migrated into a PostgreSQL database once per test process (a module
    imports this fixture to use it; what the move verified is in :data:`LARGE_MOVED`);
    dropped at the end of the session. Tests only read it."""
    with fresh_database(user=ACTOR) as url:
        LARGE_MOVED[url] = migrate(large_demo, url)
        database.close()
        yield url


# what migrate verified of the large demo, by the URL it moved it to
LARGE_MOVED: dict[str, Migrated] = {}
