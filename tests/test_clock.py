"""The clock: fixed from DOCKET_NOW once, at a program's start, and never read again below."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import NOW

from docket.models.core import clock
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError

LATER = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)


def test_from_environment_fixes_the_clock_and_returns_it() -> None:
    clock.set_clock(None)
    fixed = clock.from_environment({"DOCKET_NOW": "2027-01-04T08:30:00Z"})
    assert fixed() == LATER
    assert Context(actor="x").now() == LATER


def test_a_naive_value_is_utc() -> None:
    clock.from_environment({"DOCKET_NOW": "2027-01-04T08:30:00"})
    assert clock.utcnow() == LATER


def test_unset_or_empty_leaves_the_clock_as_it_was() -> None:
    for environ in ({}, {"DOCKET_NOW": ""}):
        assert clock.from_environment(environ)() == NOW  # the test's fixed clock


def test_the_environment_is_read_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKET_NOW", LATER.isoformat())
    assert clock.utcnow() == NOW
    assert Context(actor="x").today() == NOW.date()
    clock.from_environment()
    assert clock.utcnow() == LATER


def test_a_malformed_value_says_which_variable() -> None:
    with pytest.raises(ValidationError, match="DOCKET_NOW"):
        clock.from_environment({"DOCKET_NOW": "next tuesday"})
    assert clock.utcnow() == NOW  # and changes nothing


def test_the_real_clock_is_aware_and_to_the_second() -> None:
    clock.set_clock(None)
    now = clock.utcnow()
    assert now.tzinfo is UTC and now.microsecond == 0


def test_the_app_given_no_clock_reads_the_environment_as_it_starts(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.tui.app import DocketApp

    monkeypatch.setenv("DOCKET_NOW", LATER.isoformat())
    app = DocketApp(db_path, user="tester", tz=UTC)
    try:
        assert app.ctx.now() == LATER
    finally:
        app.store.close()
