"""Shared fixtures: a fixed clock, a fresh database file, and the command line in-process.

Every test runs with its own data and config directories, so nothing reads or writes the
developer's real docket files, and with a fixed "now" so dates in results never drift.
Hypothesis runs derandomized with no deadline, so a property test never passes or fails by
chance or by the machine's speed (``--hypothesis-profile=explore`` searches at random).
"""

from __future__ import annotations

import gc
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from pg_support import drain, made_database, pg_url  # noqa: F401 (pg_url: a fixture)

from docket.models.audit.witness import witness_path
from docket.models.core import clock
from docket.models.core.context import Context
from docket.models.core.database import connect, init_database
from docket.models.core.schema import database

# Monday 23 November 2026, 09:00 in Chicago
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")
ACTOR = "tester"

# what a property test may and may not depend on: the same examples on every run, however
# long each takes; "explore" looks for new examples at random, for a developer hunting bugs
# ("explore" first, on Hypothesis' own defaults; registering the profile in use, "default"
# unless --hypothesis-profile says otherwise, loads it anew)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.register_profile(
    "default",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Collect the session's garbage now, and set what is left aside for good.

    pytest collects garbage five times once the session has finished, to report what
    finalizers raised. Under xdist a worker has by then told the controller it has
    finished, and execnet gives it five seconds before sending it a SIGINT: on a heap the
    size of a worker's (the large demo's apps), the collections can take longer, and the
    SIGINT lands in Hypothesis' gc callback as a stray KeyboardInterrupt traceback. Done
    here, before the worker reports, the collections run untimed; ``gc.freeze`` then leaves
    pytest's later ones only the little made since. The PostgreSQL test databases still
    being dropped are waited for first.
    """
    drain()
    for _ in range(3):
        gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line when the PostgreSQL half (tests/test_postgres.py) was skipped: why, and how
    to run it."""
    reasons = [
        str(r.longrepr[2])
        for r in terminalreporter.stats.get("skipped", [])
        if isinstance(r.longrepr, tuple) and "PostgreSQL half skipped" in str(r.longrepr[2])
    ]
    if reasons:
        said = reasons[0].removeprefix("Skipped: ")
        terminalreporter.write_line(f"{said} ({len(reasons)} tests)")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Own config and data directories, a fixed clock, no DOCKET_DB from the developer."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    config = home / "docket.toml"
    config.write_text('timezone = "America/Chicago"\n')
    monkeypatch.setenv("DOCKET_CONFIG", str(config))
    monkeypatch.setenv("DOCKET_SYSTEM_CONFIG", str(home / "no-system-config.toml"))
    monkeypatch.setenv("DOCKET_NOW", NOW.isoformat())  # for processes the tests start
    clock.set_clock(NOW)  # this process's clock, as the command line fixes it from DOCKET_NOW
    monkeypatch.delenv("DOCKET_DB", raising=False)
    yield
    clock.set_clock(None)
    if database.obj is not None and not database.is_closed():
        database.close()


@pytest.fixture
def ctx() -> Context:
    """The acting user, in Chicago, at the fixed instant."""
    return Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)


def erp_team(ctx: Context) -> None:
    """The ERP program and three people with addresses: Ana Lopez (the acting user's account,
    ``ana``), Bo Chen (``bo``) and Cy Diaz (``cy``): the office most meeting, invite and
    communication tests start from."""
    from docket.models.people.persons import add_person
    from docket.models.portfolio.programs import add_program

    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Ana Lopez", email="ana@city.example", account=ACTOR)
    add_person(ctx, "Bo Chen", email="bo@city.example")
    add_person(ctx, "Cy Diaz", email="cy@city.example")


ENGINES = ("sqlite", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module marked ``both_engines`` runs each test taking ``db_path`` twice: on an SQLite
    file, then on a PostgreSQL database (issue 23: the same docket on both), but for a test
    marked ``sqlite_only`` (what it checks is SQLite's own: a query plan, the file)."""
    marked = metafunc.definition.get_closest_marker
    if marked("both_engines") and not marked("sqlite_only") and "db_path" in metafunc.fixturenames:
        metafunc.parametrize("engine_name", ENGINES, indirect=True)


@pytest.fixture
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine of this test's database: SQLite, unless the module runs on both."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db_path(tmp_path: Path, engine_name: str) -> Iterator[Path]:
    """A freshly initialised, empty docket database, bound to the models: a file, or on
    PostgreSQL a database of its own (its URL, typed as the path it stands in for), made by
    the account ``tester`` as the session user, so the actor is the same on both."""
    if engine_name == "sqlite":
        path = tmp_path / "docket.db"
        init_database(path, actor=ACTOR)
        yield path
        return
    with made_database("empty", ACTOR, lambda url: init_database(url, actor=ACTOR)) as url:
        yield url  # type: ignore[misc]  # a URL where tests pass a path: --db takes both


@dataclass
class Result:
    status: int
    out: str
    err: str


@pytest.fixture
def cli(db_path: Path) -> object:
    """Run ``docket --db <the test database> ARGS...`` in-process; returns status and output."""
    from docket.tui.cli.main import run

    def invoke(*args: str, db: Path | None = db_path) -> Result:
        out, err = io.StringIO(), io.StringIO()
        argv = (["--db", str(db)] if db is not None else []) + list(args)
        status = run(argv, out, err)
        return Result(status, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small demo office (seed 1) at the fixed clock, built once per test process in
    its own directories: its file, and the file of the witnesses its builder kept."""
    from docket.models.demo.builder import build_demo

    where = tmp_path_factory.mktemp("small-demo")
    path = where / "demo.db"
    config = where / "docket.toml"
    config.write_text('timezone = "America/Chicago"\n')
    # session-scoped, so set up before the autouse fixture: the same settings, by hand
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_DATA_HOME", str(where / "data"))
        env.setenv("XDG_CONFIG_HOME", str(where / "config"))
        env.setenv("DOCKET_CONFIG", str(config))
        env.setenv("DOCKET_SYSTEM_CONFIG", str(where / "no-system-config.toml"))
        env.setenv("DOCKET_NOW", NOW.isoformat())
        env.delenv("DOCKET_DB", raising=False)
        clock.set_clock(NOW)
        try:
            init_database(path, actor=ACTOR)
            build_demo(Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW), size="small", seed=1)
        finally:
            database.close()
        witnesses = witness_path(path)
    return path, witnesses


@pytest.fixture(scope="session")
def large_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The large demo (seed 1) at the fixed clock, built once per test process: the tests
    that use it are in the xdist group ``large_demo``, so one process builds it for all."""
    from docket.models.demo.builder import build_demo

    path = tmp_path_factory.mktemp("large-demo") / "large.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DOCKET_NOW", NOW.isoformat())
        clock.set_clock(NOW)  # before the autouse fixture fixes it: this is session-scoped
        env.setenv("DOCKET_CONFIG", str(path.with_suffix(".toml")))
        init_database(path, actor=ACTOR)
        try:
            build_demo(Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW), size="large", seed=1)
        finally:
            database.close()
    return path


@pytest.fixture
def demo_db(small_demo: tuple[Path, Path], tmp_path: Path) -> Path:
    """The small demo office (seed 1) at the fixed clock, in a fresh file: a copy of the
    one built for the session (copying is some forty times faster than building), with
    this account's witnesses of it, as if built here."""
    built, witnesses = small_demo
    path = tmp_path / "demo.db"
    shutil.copyfile(built, path)
    if witnesses.exists():
        mine = witness_path(path)  # in this test's own data directory
        mine.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(witnesses, mine)
        os.chmod(mine, 0o600)
    connect(path)  # the models bound to it, and closed, as building it here leaves them
    database.close()
    return path


@pytest.fixture
def make_app() -> object:
    """Build the app as the command line does, on a database, at the fixed clock, as
    ``tester`` in Chicago: ``make_app(path)``."""
    from docket.tui.app import DocketApp

    def build(path: Path) -> DocketApp:
        return DocketApp(path, clock=lambda: NOW, user=ACTOR, tz=ZONE)

    return build
