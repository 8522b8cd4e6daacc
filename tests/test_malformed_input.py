"""Malformed numbers and text on the command line: one line on stderr, exit 2, nothing written.

The cases are read off the parser itself: every command that takes a record id, a count, a
window of days or a bounded number is given values no database can hold or mean (beyond
64 bits, negative, zero, not a number), so a command added later is covered too.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.models import inputs
from docket.models.errors import DocketError, ValidationError
from docket.tui.cli import build_parser, run

HUGE = "99999999999999999999999"
BAD_NUMBERS = (HUGE, "-1", "1e309", "nan", "12abc", "")


def _dump(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        rows = [(t, conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()) for t in tables]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Any]:
    """Every (words, parser) leaf of the command line."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield words, parser
        return
    for name, child in subs[0].choices.items():
        yield from _commands(child, (*words, name))


def _numeric_cases() -> list[tuple[str, ...]]:
    """argv for each numeric argument of each command, with a placeholder for the value."""
    cases: list[tuple[str, ...]] = []
    for words, parser in _commands(build_parser(None)):
        for action in parser._actions:
            convert = action.type
            if not callable(convert) or getattr(convert, "__module__", "") != "docket.tui.cli":
                continue
            if action.option_strings:
                cases.append((*words, action.option_strings[0], "{}"))
            else:
                cases.append((*words, "{}"))
    return cases


NUMERIC = _numeric_cases()


def test_the_table_covers_ids_counts_and_windows() -> None:
    flat = {" ".join(c) for c in NUMERIC}
    for expected in (
        "action show {}",
        "action done {}",
        "action list --limit {}",
        "history {}",
        "milestone done {}",
        "meeting show {}",
        "invite {}",
        "comms sent {}",
        "milestone list --due-within {}",
        "assignment end {}",
        "risk edit {}",
    ):
        assert any(case.startswith(expected.split(" {}")[0]) for case in flat), expected
    assert len(NUMERIC) >= 40


@pytest.fixture
def office(cli: Any, db_path: Path) -> Path:
    assert cli("program", "add", "ERP", "ERP replacement").status == 0
    assert cli("action", "add", "Send budget draft", "--program", "ERP").status == 0
    return db_path


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_every_numeric_argument_refuses_what_it_cannot_hold(office: Path, value: str) -> None:
    before = _dump(office)
    failures = []
    for case in NUMERIC:
        argv = ["--db", str(office), *(value if w == "{}" else w for w in case)]
        if case[0] == "history":  # its id follows a kind
            argv.insert(argv.index(value), "action")
        out, err = _Sink(), _Sink()
        status = run(argv, out, err)  # type: ignore[arg-type]
        text = err.text
        if status != 2 or text.count("\n") != 1 or "Traceback" in text or "unexpected" in text:
            failures.append((argv[2:], status, text))
    assert failures == []
    assert _dump(office) == before


def test_a_refusal_names_the_field_and_the_range(cli: Any) -> None:
    result = cli("action", "show", HUGE)
    assert result.status == 2
    assert result.err == f"docket: id: expected at most {inputs.MAX_INTEGER}, got {HUGE}\n"
    assert cli("action", "list", "--limit", "-5").err == (
        "docket: limit: expected at least 1, got -5\n"
    )
    assert cli("history", "action", "-1").status == 2
    assert (
        "due within: expected at most 36525"
        in cli("milestone", "list", "--due-within", "9999999").err
    )


def test_arguments_that_are_not_utf8_are_refused_before_anything_runs(
    office: Path, cli: Any
) -> None:
    before = _dump(office)
    title = b"Budget \xff draft".decode("utf-8", "surrogateescape")
    for argv in (
        ("action", "add", title),
        ("action", "add", "ok", "--owner", title),
        ("program", "add", "CRM", title),
        ("person", "add", title),
    ):
        result = cli(*argv)
        assert result.status == 2, argv
        assert "is not valid UTF-8" in result.err and result.err.count("\n") == 1
    assert _dump(office) == before


def test_an_unforeseen_failure_is_one_line_and_debug_shows_the_traceback(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.tui import commands

    def broken(*_: Any) -> int:
        raise KeyError("boom")

    monkeypatch.setattr(commands, "today", broken)
    out, err = _Sink(), _Sink()
    assert run(["--db", str(office), "today"], out, err) == 1  # type: ignore[arg-type]
    assert err.text.startswith("docket: unexpected failure (KeyError: 'boom'); run it again")
    assert err.text.count("\n") == 1
    with pytest.raises(KeyError):
        run(["--debug", "--db", str(office), "today"], _Sink(), _Sink())  # type: ignore[arg-type]


class _Sink:
    """A text stream that keeps what is written (and is not a terminal)."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(
    st.one_of(
        st.text(),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.binary().map(lambda b: b.decode("utf-8", "surrogateescape")),
    )
)
def test_number_and_text_parsers_raise_only_the_domains_error(typed: str) -> None:
    for check in (
        lambda: inputs.record_id("id", typed),
        lambda: inputs.count("limit", typed),
        lambda: inputs.days("within", typed),
        lambda: inputs.valid_utf8("title", typed),
        lambda: inputs.text("title", inputs.valid_utf8("title", typed)),
    ):
        try:
            value = check()
        except ValidationError:
            continue
        except DocketError as exc:  # pragma: no cover - the assertion says which
            raise AssertionError(f"not a ValidationError: {exc!r}") from exc
        if isinstance(value, int):
            assert 0 <= value <= inputs.MAX_INTEGER
