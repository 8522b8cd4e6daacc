"""Shared fixtures: a fixed clock, a fresh database file, and the command line in-process.

Every test runs with its own data and config directories, so nothing reads or writes the
developer's real docket files, and with a fixed "now" so dates in results never drift.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from docket.models.core import clock
from docket.models.core.context import Context
from docket.models.core.database import init_database
from docket.models.core.schema import database

# Monday 23 November 2026, 09:00 in Chicago
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")
ACTOR = "tester"


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
    monkeypatch.setenv("DOCKET_NOW", NOW.isoformat())
    monkeypatch.delenv("DOCKET_DB", raising=False)
    yield
    clock.set_clock(None)
    if database.obj is not None and not database.is_closed():
        database.close()


@pytest.fixture
def ctx() -> Context:
    """The acting user, in Chicago, at the fixed instant."""
    return Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A freshly initialised, empty docket database, bound to the models."""
    path = tmp_path / "docket.db"
    init_database(path, actor=ACTOR)
    return path


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


@pytest.fixture
def demo_db(tmp_path: Path, ctx: Context) -> Path:
    """The small demo office (seed 1) at the fixed clock, in a fresh file."""
    from docket.models.demo.builder import build_demo

    path = tmp_path / "demo.db"
    init_database(path, actor=ACTOR)
    build_demo(ctx, size="small", seed=1)
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
