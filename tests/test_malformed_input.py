"""Malformed numbers and text on the command line: one line on stderr, exit 2, nothing written.

The cases are read off the parser itself: every command that takes a record id, a count, a
window of days or a bounded number is given values no database can hold or mean (beyond
64 bits, negative, zero, not a number), so a command added later is covered too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
import peewee
import pytest
from engine_support import digest as _dump
from engine_support import query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.models.core import dates, inputs
from docket.models.core.engine import is_url
from docket.models.core.errors import ConflictError, DocketError, ValidationError
from docket.models.governance.metrics import number
from docket.models.meetings import recurrence
from docket.models.meetings.times import parse_start
from docket.tui.cli.main import cli, run
from docket.tui.cli.params import WholeNumber

pytestmark = pytest.mark.both_engines

HUGE = "99999999999999999999999"
BAD_NUMBERS = (HUGE, "-1", "1e309", "nan", "12abc", "")


def _commands(
    command: click.Command, ctx: click.Context, words: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every (words, command) leaf of the command line."""
    if not isinstance(command, click.Group):
        yield words, command
        return
    for name in command.list_commands(ctx):
        child = command.get_command(ctx, name)
        assert child is not None, name
        yield from _commands(child, ctx, (*words, name))


def _numeric_cases() -> list[tuple[str, ...]]:
    """argv for each numeric argument of each command, with a placeholder for the value."""
    cases: list[tuple[str, ...]] = []
    for words, command in _commands(cli, click.Context(cli)):
        for param in command.params:
            if not isinstance(param.type, WholeNumber):
                continue
            if isinstance(param, click.Option):
                cases.append((*words, param.opts[0], "{}"))
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
    from docket.tui.cli import today

    def broken(*_: Any, **__: Any) -> int:
        raise KeyError("boom")

    monkeypatch.setattr(today, "show_today", broken)
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


# --- amounts, dates and windows, command by command --------------------------------------


_BOOKS: dict[str, bytes] = {}


@pytest.fixture
def books(cli: Any, db_path: Path, tmp_path: Path) -> Path:
    """A program with one of each record an amount, a date or an edit can name (each id 1),
    made through the command line: on SQLite once, and copied for each test; on PostgreSQL
    in the test's database."""
    if is_url(db_path):
        _make_books(cli, db_path)
        return db_path
    path = tmp_path / "books.db"
    if "made" in _BOOKS:
        path.write_bytes(_BOOKS["made"])
        return path
    assert cli("init", db=path).status == 0
    _make_books(cli, path)
    with sqlite3.connect(path) as conn:  # the file as SQLite reads it, its log included
        _BOOKS["made"] = conn.serialize()
    return path


def _make_books(cli: Any, path: Path) -> None:
    made = (
        ("program", "add", "ERP", "ERP replacement"),
        ("vendor", "add", "Westgate"),
        ("person", "add", "Ana Lopez"),
        ("contract", "add", "C-1", "--vendor", "Westgate", "--program", "ERP",
         "--start", "2026-01-01", "--end", "2027-12-31", "--ceiling", "100000"),
        ("expenditure", "add", "C-1", "500"),
        ("assignment", "add", "Ana Lopez", "--program", "ERP", "--allocation", "50",
         "--start", "2026-01-01", "--end", "2027-06-30", "--rate", "100"),
        ("budget", "add", "Licences", "--program", "ERP", "--year", "2026",
         "--kind", "capital", "--amount", "5000"),
        ("cost", "add", "250", "--program", "ERP"),
        ("milestone", "add", "ERP", "Go-live", "--baseline", "2027-03-01"),
        ("action", "add", "Send budget draft", "--program", "ERP"),
        ("risk", "add", "Data loss", "--program", "ERP", "--probability", "2", "--impact", "4"),
        ("issue", "add", "Late vendor", "--program", "ERP"),
        ("decision", "add", "Go with Westgate", "--program", "ERP"),
        ("change", "add", "More scope", "--program", "ERP", "--kind", "scope"),
        ("comms", "add", "Status report", "--program", "ERP", "--cadence", "weekly"),
        ("metric", "add", "Uptime", "--program", "ERP", "--direction", "higher",
         "--target", "99.9", "--amber", "99", "--red", "98"),
        ("meeting", "add", "Steering", "--program", "ERP", "--start", "2026-12-01 10:00"),
    )  # fmt: skip
    for argv in made:
        result = cli(*argv, db=path)
        assert result.status == 0, (argv, result.err)


def _refusals(
    path: Path, table: tuple[tuple[str, tuple[str, ...]], ...], value: str, where: Path
) -> list[tuple[list[str], int, str]]:
    """Run each (field, argv) of ``table`` with ``value`` in place of ``{}`` (and ``where``
    in place of ``{dir}``): those not
    refused with exit 2 and one line naming the field, with no traceback."""
    failures = []
    for field, case in table:
        words = (w.replace("{}", value).replace("{dir}", str(where)) for w in case)
        argv = ["--db", str(path), *words]
        out, err = _Sink(), _Sink()
        status = run(argv, out, err)  # type: ignore[arg-type]
        text = err.text
        if (
            status != 2
            or text.count("\n") != 1
            or not text.startswith(f"docket: {field}: ")
            or "Traceback" in text
            or "unexpected" in text
        ):
            failures.append((argv[2:], status, text))
    return failures


# every command that takes an amount of money; ``--option={}`` so that -inf is a value
AMOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ceiling", ("contract", "add", "C-2", "--vendor", "Westgate", "--program", "ERP",
                 "--start", "2026-01-01", "--end", "2026-12-31", "--ceiling={}")),
    ("ceiling", ("contract", "amend", "C-1", "--reason", "more", "--ceiling={}")),
    ("rate", ("contract", "amend", "C-1", "--reason", "more", "--rate={}")),
    ("amount", ("expenditure", "add", "C-1", "--", "{}")),
    ("amount", ("expenditure", "edit", "1", "--reason", "typo", "--amount={}")),
    ("rate", ("assignment", "add", "Ana Lopez", "--program", "ERP", "--allocation", "10",
              "--start", "2026-01-01", "--end", "2026-12-31", "--rate={}")),
    ("rate", ("assignment", "edit", "1", "--rate={}")),
    ("amount", ("budget", "add", "Travel", "--program", "ERP", "--year", "2026",
                "--kind", "operating", "--amount={}")),
    ("estimate", ("budget", "add", "Travel", "--program", "ERP", "--year", "2026",
                  "--kind", "operating", "--amount", "5", "--estimate={}")),
    ("amount", ("budget", "edit", "1", "--amount={}")),
    ("estimate", ("budget", "edit", "1", "--estimate={}")),
    ("amount", ("cost", "add", "--program", "ERP", "--", "{}")),
    ("amount", ("cost", "edit", "1", "--amount={}")),
    ("impact amount", ("change", "add", "Scope", "--program", "ERP", "--kind", "scope",
                       "--impact-amount={}")),
)  # fmt: skip
BAD_AMOUNTS = ("999999999999999", "1e309", "nan", "-inf", "1,0,0,0", "0.001")


@pytest.mark.parametrize("value", BAD_AMOUNTS)
def test_every_amount_refuses_what_it_cannot_mean(books: Path, tmp_path: Path, value: str) -> None:
    before = _dump(books)
    assert _refusals(books, AMOUNTS, value, tmp_path) == []
    assert _dump(books) == before


# every command that takes a date, with ``{}`` where the typed date goes
DATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("due", ("action", "add", "Call", "--due={}")),
    ("due", ("action", "edit", "1", "--due={}")),
    ("baseline", ("milestone", "add", "ERP", "Beta", "--baseline={}")),
    ("forecast", ("milestone", "edit", "1", "--reason", "late", "--forecast={}")),
    ("actual", ("milestone", "done", "1", "--on={}")),
    ("start", ("contract", "add", "C-2", "--vendor", "Westgate", "--program", "ERP",
               "--ceiling", "5", "--end", "2026-12-31", "--start={}")),
    ("end", ("contract", "amend", "C-1", "--reason", "longer", "--end={}")),
    ("start", ("assignment", "add", "Ana Lopez", "--program", "ERP", "--allocation", "10",
               "--end", "2026-12-31", "--start={}")),
    ("end", ("assignment", "edit", "1", "--end={}")),
    ("end", ("assignment", "end", "1", "--on={}")),
    ("date", ("expenditure", "add", "C-1", "5", "--date={}")),
    ("date", ("cost", "add", "5", "--program", "ERP", "--date={}")),
    ("response date", ("risk", "add", "R", "--program", "ERP", "--probability", "2",
                       "--impact", "2", "--response-date={}")),
    ("due", ("issue", "add", "I", "--program", "ERP", "--due={}")),
    ("decided on", ("decision", "add", "D", "--program", "ERP", "--on={}")),
    ("starts", ("comms", "add", "N", "--program", "ERP", "--cadence", "weekly",
                "--starts={}")),
    ("start", ("meeting", "add", "M", "--program", "ERP", "--start={} 10:00")),
    ("from", ("meeting", "list", "--from={}")),
    ("from", ("calendar", "-o", "{dir}/never-written.ics", "--from={}")),
    ("since", ("digest", "--until", "2026-12-31", "--since={}")),
    ("from", ("allocation", "--from={}")),
    ("from", ("assignment", "list", "--overallocated", "--from={}")),
)  # fmt: skip
BAD_DATES = ("2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01", "+9999y", "31/31/2026")


@pytest.mark.parametrize("value", BAD_DATES)
def test_every_date_refuses_what_is_no_day_docket_can_plan(
    books: Path, tmp_path: Path, value: str
) -> None:
    before = _dump(books)
    assert _refusals(books, DATES, value, tmp_path) == []
    assert _dump(books) == before


# windows of days past a hundred years, each naming its field
WINDOWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("to", ("calendar", "-o", "{dir}/never-written.ics", "--from", "2026-01-01", "--to", "{}")),
    ("until", ("digest", "--since", "2026-01-01", "--until", "{}")),
    ("due within", ("milestone", "list", "--due-within", "36526")),
    ("due within", ("action", "list", "--due-within", "36526")),
    ("days", ("meeting", "list", "--days", "36526")),
    ("within", ("comms", "due", "--within", "36526")),
    ("days", ("assignment", "list", "--overallocated", "--days", "36526")),
    ("ending within", ("contract", "list", "--ending-within", "36526")),
    ("months", ("allocation", "--months", "1201")),
    ("impact days", ("change", "add", "S", "--program", "ERP", "--kind", "schedule",
                     "--impact-days", "36526")),
    ("impact days", ("change", "add", "S", "--program", "ERP", "--kind", "schedule",
                     "--impact-days=-99999999999999999999999")),
)  # fmt: skip


def test_a_window_of_more_than_a_hundred_years_is_refused(
    books: Path, cli: Any, tmp_path: Path
) -> None:
    before = _dump(books)
    assert _refusals(books, WINDOWS, "2126-01-03", tmp_path) == []
    assert _dump(books) == before
    assert not (tmp_path / "never-written.ics").exists()
    # a hundred years (36,525 days) is still a window
    assert cli("digest", "--since", "2026-01-01", "--until", "2126-01-02").status == 0
    assert cli("digest", "--since", "2026-01-01", "--until", "2126-01-03").err == (
        "docket: until: expected at most 36525 days (a hundred years) after 2026-01-01, "
        "got 2126-01-03\n"
    )


def test_the_tables_count_their_cases() -> None:
    cases = len(AMOUNTS) * len(BAD_AMOUNTS) + len(DATES) * len(BAD_DATES) + len(WINDOWS)
    assert cases >= 200, cases


# --- edits on the command line read and write in one transaction --------------------------

# (table, argv): every edit command, on the records of ``books``
EDITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("action_item", ("action", "edit", "1", "--title", "Renamed")),
    ("action_item", ("action", "done", "1")),
    ("milestone", ("milestone", "edit", "1", "--title", "Renamed")),
    ("milestone", ("milestone", "done", "1")),
    ("risk", ("risk", "edit", "1", "--title", "Renamed")),
    ("risk", ("risk", "occurred", "1")),
    ("issue", ("issue", "edit", "1", "--title", "Renamed")),
    ("decision", ("decision", "edit", "1", "--title", "Renamed")),
    ("change_request", ("change", "edit", "1", "--status", "approved", "--approver", "Ana Lopez")),
    ("comms_item", ("comms", "edit", "1", "--name", "Renamed")),
    ("budget_line", ("budget", "edit", "1", "--name", "Renamed")),
    ("cost", ("cost", "edit", "1", "--description", "Renamed")),
    ("metric", ("metric", "edit", "Uptime", "--program", "ERP", "--unit", "%")),
    ("expenditure", ("expenditure", "edit", "1", "--invoice", "INV-9", "--reason", "typo")),
    ("expenditure", ("expenditure", "void", "1", "--reason", "entered twice")),
    ("contract", ("contract", "amend", "C-1", "--ceiling", "200000", "--reason", "more")),
    ("assignment", ("assignment", "edit", "1", "--role", "Lead")),
    ("assignment", ("assignment", "end", "1", "--on", "2026-12-31")),
    ("person", ("person", "edit", "Ana Lopez", "--title", "Lead")),
    ("program", ("program", "edit", "ERP", "--name", "Renamed")),
    ("vendor", ("vendor", "edit", "Westgate", "--note", "Renamed")),
    ("meeting", ("meeting", "edit", "1", "--title", "Renamed")),
)


def _version(path: Path, table: str) -> int:
    return int(query(path, f'SELECT version FROM "{table}" WHERE id = 1')[0][0])


def _changed_before_each_write(monkeypatch: pytest.MonkeyPatch, path: Path, table: str) -> None:
    """Just before each write transaction begins, another connection saves record 1 of
    ``table`` (its version goes up), as another user's command would."""
    real = peewee.DatabaseProxy.atomic  # what the models' write() enters

    def atomic(self: peewee.DatabaseProxy, *args: Any, **kwargs: Any) -> Any:
        if not self.in_transaction():
            query(path, f'UPDATE "{table}" SET version = version + 1 WHERE id = 1')
        return real(self, *args, **kwargs)

    monkeypatch.setattr(peewee.DatabaseProxy, "atomic", atomic)


@pytest.mark.parametrize(("table", "argv"), EDITS, ids=[" ".join(a[:2]) for _, a in EDITS])
def test_an_edit_on_the_command_line_never_meets_a_conflict_its_user_did_not_cause(
    books: Path, cli: Any, monkeypatch: pytest.MonkeyPatch, table: str, argv: tuple[str, ...]
) -> None:
    before = _version(books, table)
    _changed_before_each_write(monkeypatch, books, table)
    result = cli(*argv, db=books)
    assert (result.status, result.err) == (0, ""), argv
    assert _version(books, table) >= before + 2  # another's save, then this edit


def test_the_app_keeps_its_version_check(
    books: Path, cli: Any, monkeypatch: pytest.MonkeyPatch, ctx: Any
) -> None:
    from docket.models.core.database import open_database
    from docket.models.governance.risks import get_risk, update_risk

    open_database(books)
    read = get_risk(1).version
    _changed_before_each_write(monkeypatch, books, "risk")
    with pytest.raises(ConflictError):
        update_risk(ctx, 1, read, title="Mine")


# --- every parser of typed input raises the domain's error or none ----------------------

TODAY = date(2026, 11, 23)
START = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("America/Chicago"))
PARSERS: dict[str, Callable[[Any, str], object]] = {
    "parse_date": lambda ctx, t: dates.parse_date(t, TODAY),
    "parse_date day first": lambda ctx, t: dates.parse_date(t, TODAY, day_first=True),
    "parse_time": lambda ctx, t: dates.parse_time(t),
    "parse_datetime": lambda ctx, t: dates.parse_datetime(t, datetime(2026, 11, 23, 9)),
    "parse_datetime with a default time": lambda ctx, t: dates.parse_datetime(
        t, datetime(2026, 11, 23, 9), default_time=time(9)
    ),
    "parse_duration": lambda ctx, t: dates.parse_duration(t),
    "parse_repeat": lambda ctx, t: recurrence.parse_repeat(t, START),
    "parse_start": lambda ctx, t: parse_start(ctx, t, START.tzinfo),  # type: ignore[arg-type]
    "whole_number": lambda ctx, t: inputs.whole_number("n", t),
    "record_id": lambda ctx, t: inputs.record_id("id", t),
    "count": lambda ctx, t: inputs.count("limit", t),
    "days": lambda ctx, t: inputs.days("within", t),
    "typed_id": lambda ctx, t: inputs.typed_id(t),
    "text": lambda ctx, t: inputs.text("title", t),
    "text over lines": lambda ctx, t: inputs.text("notes", t, multiline=True, required=False),
    "choice": lambda ctx, t: inputs.choice("kind", t, ("staff", "contractor")),
    "a_date": lambda ctx, t: inputs.a_date(ctx, "due", t),
    "valid_utf8": lambda ctx, t: inputs.valid_utf8("title", t),
    "money": lambda ctx, t: inputs.money("amount", t),
    "money with a decimal comma": lambda ctx, t: inputs.money("amount", t, decimal_comma=True),
    "file_text": lambda ctx, t: inputs.file_text(t.encode("utf-8", "surrogateescape")),
    "file_text's encoding": lambda ctx, t: inputs.file_text(b"name\n", t),
    "metric number": lambda ctx, t: number("value", t),
}
TYPED = st.one_of(
    st.text(),
    st.integers().map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(lambda i: f"{i:,}"),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.binary().map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.from_regex(r"[+-]?[0-9]{1,6} ?(d|w|m|y|days|years)", fullmatch=True),
    st.from_regex(r"[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}( [0-9]{1,3}:[0-9]{1,3})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}/[0-9]{1,3}(/[0-9]{1,5})?", fullmatch=True),
    st.from_regex(
        r"FREQ=(DAILY|WEEKLY|MONTHLY);(COUNT|INTERVAL|BYMONTHDAY|BYSETPOS)=-?[0-9²]{1,25}",
        fullmatch=True,
    ),
    st.sampled_from(
        (
            "nan",
            "NaN",
            "inf",
            "-Infinity",
            "1e309",
            "-0",
            "²",
            "١٢",
            "1_000",
            "9" * 40,
            "9999-12-31",
            "0001-01-01",
            "every 99999999999999999999 days",
            "FREQ=DAILY;COUNT=²",
        )
    ),
)


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(TYPED)
def test_every_parser_of_typed_input_raises_only_the_domains_error(ctx: Any, typed: str) -> None:
    for name, parse in PARSERS.items():
        try:
            parse(ctx, typed)
        except DocketError:
            continue
        except Exception as exc:  # pragma: no cover - the assertion says which
            raise AssertionError(f"{name}({typed!r}) raised {exc!r}") from exc


# --- the app says what failed in words ---------------------------------------------------


async def test_the_apps_unforeseen_failure_says_what_failed_in_words(
    demo_db: Path, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_support import settle

    from docket.tui.screens import today as today_screen
    from docket.tui.widgets.dialogs import ErrorDialog

    def broken(*_: Any, **__: Any) -> Any:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(today_screen, "build_today", broken)
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.title_text == "Could not finish reading this screen's records"
        assert dialog.message.startswith(
            "docket met a failure it did not foresee while reading this screen's records: "
            "date value out of range."
        )
        assert "OverflowError" not in dialog.title_text + dialog.message
