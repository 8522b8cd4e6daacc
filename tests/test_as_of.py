"""Reports as of a past date (models/audit/as_of.py) and their stamp (models/audit/stamp.py).

A story of writes over five days, on a fixed clock, through the command line: after each
day its reports are built "now" (at the day's last second) and kept; at the end the same
reports are built with ``--as-of`` each day and must be the same, byte for byte, stamp
included. The database rebuilt for each day must also equal a copy of the file taken that
day, every row of every table. Refusals: a future day, a malformed one, a write.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ACTOR, NOW, ZONE, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from docket.models.audit import as_of as as_of_module
from docket.models.audit.as_of import PastIsReadOnly, as_of, cutoff
from docket.models.audit.stamp import content_hash, stamp_for, stamp_line, without_stamp
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import connect, init_database, open_database, write
from docket.models.core.errors import ValidationError
from docket.models.core.schema import BudgetLine, Person, Program, database

Cli = Callable[..., Result]
# the same on PostgreSQL (issue 23): the past is rebuilt in an SQLite copy of its rows
pytestmark = pytest.mark.both_engines

DAYS = [date(2026, 11, 23) + timedelta(days=n) for n in range(5)]  # Mon 23 to Fri 27

# the reports kept each day
REPORTS: list[tuple[str, ...]] = [
    ("digest", "--format", "txt"),
    ("digest", "--format", "md", "--program", "ERP"),
    ("digest", "--format", "json"),
    ("digest", "--format", "html"),
    ("program", "status"),
    ("program", "status", "--format", "json"),
    ("action", "list", "--status", "all"),
    ("action", "list", "--overdue", "--format", "json"),
    ("action", "list", "--status", "all", "--format", "json"),
    ("milestone", "list"),
    ("milestone", "list", "--format", "json"),
    ("risk", "list"),
    ("issue", "list"),
    ("budget", "list", "--year", "2027"),
]


def _at(day: date, hour: int, minute: int = 0) -> str:
    """An instant of a day in Chicago, as DOCKET_NOW takes it."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).isoformat()


def _ok(result: Result) -> str:
    assert result.status == 0, result.err
    return result.out


def _write_day(cli: Cli, env: pytest.MonkeyPatch, n: int) -> None:
    """The writes of day ``n`` (each at its own minute)."""
    day = DAYS[n]
    minutes = iter(range(0, 60 * 8, 7))

    def run(*args: str) -> str:
        minute = next(minutes)
        env.setenv("DOCKET_NOW", _at(day, 9 + minute // 60, minute % 60))
        return _ok(cli(*args)).strip()

    if n == 0:
        run("person", "add", "Ana Lopez", "--email", "ana@city.example")
        run("program", "add", "ERP", "ERP replacement", "--owner", "ana")
        run("program", "add", "WEB", "Website", "--rag", "amber", "--note", "Vendor late")
        run("milestone", "add", "ERP", "Cut-over", "--baseline", "2026-12-15", "--owner", "ana")
        run("milestone", "add", "WEB", "Launch", "--baseline", "2026-11-25")
        run("vendor", "add", "Acme Consulting")
        run(
            "contract", "add", "C-1", "--vendor", "acme", "--program", "ERP",
            "--start", "2026-01-01", "--end", "2027-12-31", "--ceiling", "100000",
        )  # fmt: skip
        run("budget", "add", "ERP build", "--program", "ERP", "--year", "2027",
            "--kind", "capital", "--amount", "500000")  # fmt: skip
        run("action", "add", "Send budget draft", "--owner", "ana", "--due", "2026-11-25",
            "--program", "ERP", "--priority", "high")  # fmt: skip
        run("action", "add", "Book the board room", "--due", "2026-11-24", "--program", "WEB")
    elif n == 1:
        run("milestone", "edit", "1", "--forecast", "2027-01-10", "--reason", "Data late")
        run("program", "edit", "ERP", "--rag", "amber", "--note", "Cut-over slips")
        run("risk", "add", "Key staff leave", "--program", "ERP", "--probability", "4",
            "--impact", "4", "--owner", "ana")  # fmt: skip
        run("person", "add", "Temp Worker", "--email", "temp@city.example")
        run("expenditure", "add", "C-1", "12500.50", "--invoice", "INV-1")
    elif n == 2:
        run("expenditure", "add", "C-1", "40000", "--invoice", "INV-2")
        run("action", "add", "Chase the vendor", "--due", "2026-11-26", "--program", "WEB")
        run("risk", "edit", "1", "--status", "closed")
        run("person", "delete", "temp@city.example")
        # the deleted person's id is given again: a second life of the same record id
        run("person", "add", "Second Temp", "--email", "second@city.example")
        run("issue", "add", "Test rig down", "--program", "WEB", "--severity", "high")
    elif n == 3:
        run("action", "done", "1")
        run("program", "edit", "ERP", "--rag", "red", "--note", "Data migration failed")
        run("milestone", "edit", "1", "--forecast", "2027-02-01", "--reason", "Rework")
        run("expenditure", "void", "1", "--reason", "Billed twice")
    else:
        run("milestone", "done", "2", "--on", "2026-11-27")
        run("action", "edit", "2", "--title", "Book the big board room")
        run("person", "delete", "second@city.example")


def _reports(cli: Cli, *extra: str) -> dict[tuple[str, ...], str]:
    return {args: _ok(cli(*args, *extra)) for args in REPORTS}


# words looked up in the full-text index of action items (what it finds, not how it is stored)
WORDS = ("boa", "budget", "vendor", "big", "cha")


def _dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a fixed order; for a full-text index, what it finds
    (its own tables store the same entries differently after other writes) and its
    vocabulary."""
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ).fetchall()
    virtual = [n for n, sql in tables if sql.upper().startswith("CREATE VIRTUAL")]
    dump: dict[str, list[tuple[Any, ...]]] = {}
    for name, sql in tables:
        if "fts5vocab" in sql:  # the index's vocabulary: each term, the rows and times it is in
            dump[name] = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall())
        elif name in virtual:
            dump[name] = [
                (w, *conn.execute(f'SELECT rowid FROM "{name}" WHERE "{name}" MATCH ?', (w,)))
                for w in WORDS
            ]
        elif not any(name.startswith(v + "_") for v in virtual):
            dump[name] = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
    return dump


@pytest.fixture
def story(cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """The five days written; for each, its reports built at its last second and a copy of
    the database file as it was then."""
    kept: list[dict[tuple[str, ...], str]] = []
    copies: list[Path] = []
    for n, day in enumerate(DAYS):
        _write_day(cli, monkeypatch, n)
        monkeypatch.setenv("DOCKET_NOW", cutoff(day, ZONE).isoformat())
        kept.append(_reports(cli))
        copy = tmp_path / f"day{n}.db"
        if str(db_path).startswith("postgresql://"):  # the files are compared on SQLite only
            continue
        source = sqlite3.connect(db_path)
        with sqlite3.connect(copy) as target:
            source.backup(target)
        source.close()
        copies.append(copy)
    # the reports as of each day are built a week later
    monkeypatch.setenv("DOCKET_NOW", _at(DAYS[-1] + timedelta(days=7), 10))
    return kept, copies


def test_reports_as_of_each_day_equal_those_built_that_day(cli: Cli, story: Any) -> None:
    kept, _ = story
    for day, then in zip(DAYS, kept, strict=True):
        past = _reports(cli, "--as-of", day.isoformat())
        for args, report in then.items():
            # the stamp too: the same last entry, the same content
            assert past[args] == report, (day, args)


def test_the_reports_say_what_changed_over_the_days(story: Any) -> None:
    kept, _ = story
    status = [json.loads(k[("program", "status", "--format", "json")]) for k in kept]
    assert [s[0]["typed"] for s in status] == ["green", "amber", "amber", "red", "red"]
    forecasts = [
        next(
            m["forecast"]
            for m in json.loads(k[("milestone", "list", "--format", "json")])
            if m["title"] == "Cut-over"
        )
        for k in kept
    ]
    assert forecasts[1:] == ["2027-01-10", "2027-01-10", "2027-02-01", "2027-02-01"]
    assert forecasts[0] in (None, "2026-12-15")
    risks = [k[("risk", "list")] for k in kept]
    assert "Key staff leave" not in risks[0] and "open" in risks[1] and "closed" in risks[2]
    titles = [
        {
            a["title"]
            for a in json.loads(k[("action", "list", "--status", "all", "--format", "json")])
        }
        for k in kept
    ]
    assert "Book the big board room" in titles[4] and "Book the board room" in titles[3]


# the entries after the cutoff read by SQLite's plan (-1: never through the index by time)
# and through that index (1: always): the same rebuild either way
@pytest.mark.parametrize("share", [-1.0, 1.0])
@pytest.mark.sqlite_only
def test_the_database_rebuilt_for_each_day_is_the_file_as_it_was(
    story: Any, db_path: Path, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(as_of_module, "INDEX_SHARE", share)
    _, copies = story
    connect(db_path)
    for day, copy in zip(DAYS, copies, strict=True):
        with as_of(day, ZONE, now=NOW + timedelta(days=30)):
            rebuilt = _dump(database.connection())
        then = sqlite3.connect(copy)
        expected = _dump(then)
        then.close()
        assert rebuilt.keys() == expected.keys()
        for table, rows in expected.items():
            assert rebuilt[table] == rows, (day, table)


def test_a_stamp_names_the_last_entry_and_hashes_the_content(cli: Cli, story: Any) -> None:
    kept, _ = story
    first = _ok(cli("digest", "--format", "txt", "--as-of", DAYS[2].isoformat()))
    again = _ok(cli("digest", "--format", "txt", "--as-of", DAYS[2].isoformat()))
    assert first == again == kept[2][("digest", "--format", "txt")]
    line = first.splitlines()[-1]
    assert line.startswith("Stamp: audit chain to entry ")
    assert line.endswith(content_hash(without_stamp(first)))
    assert without_stamp(first) + "\n" + line + "\n" == first
    data = json.loads(kept[2][("digest", "--format", "json")])
    stamp = data.pop("stamp")
    assert set(stamp) == {"entry_id", "entry_at", "sha256"}
    assert stamp["entry_at"].startswith("2026-11-25 ")
    status = kept[2][("program", "status")]
    assert status.splitlines()[-1].endswith(content_hash(without_stamp(status)))


def test_a_day_after_today_is_refused(cli: Cli, db_path: Path) -> None:
    result = cli("action", "list", "--as-of", "2026-11-24")
    assert result.status == 2
    assert result.err.count("\n") == 1
    assert result.err.startswith("docket: --as-of: expected a day no later than today")
    assert "cannot be true" in result.err


@pytest.mark.parametrize("typed", ["foo", "2026-02-30", "2026-13-01", ""])
def test_a_malformed_day_is_refused_in_one_line(cli: Cli, typed: str) -> None:
    result = cli("milestone", "list", "--as-of", typed)
    assert result.status == 2
    assert result.err.count("\n") == 1 and result.err.startswith("docket: --as-of: ")


def test_today_is_today_and_before_the_first_entry_is_empty(cli: Cli, ctx: Context) -> None:
    _ok(cli("program", "add", "ERP", "ERP replacement"))
    assert _ok(cli("digest", "--as-of", "today")) == _ok(cli("digest"))
    result = cli("program", "status", "--as-of", "2020-01-01")
    assert result.status == 0
    assert "before the first audit entry" in result.err
    assert result.out.splitlines()[-1].startswith("Stamp: no audit entry")


def test_a_past_digest_is_not_sent(cli: Cli) -> None:
    result = cli("digest", "--send", "--as-of", "today")
    assert result.status == 2 and "not sent" in result.err


def _add_someone(ctx: Context) -> None:
    with write():
        records.create(ctx, Person, name="Nobody")


def test_the_past_is_read_only_and_the_present_comes_back(db_path: Path, ctx: Context) -> None:
    open_database(db_path)
    real = database.obj
    with as_of(NOW.date(), ZONE) as past:
        assert past.context(ctx).today() == NOW.astimezone(ZONE).date()
        with pytest.raises(PastIsReadOnly, match="nothing can be written"):
            _add_someone(ctx)
        # a statement outside a write transaction is refused by SQLite, in the same words
        with pytest.raises(PastIsReadOnly, match="nothing can be written"):
            records.create(ctx, Person, name="Nobody")
    assert database.obj is real
    assert Person.select().count() == 0


def test_an_instant_in_the_future_is_refused(db_path: Path) -> None:
    open_database(db_path)
    with pytest.raises(ValidationError, match="no later than now"), as_of(NOW + timedelta(hours=1)):
        pass


def test_the_stamp_of_a_database_without_entries(db_path: Path) -> None:
    open_database(db_path)
    database.execute_sql('DELETE FROM "audit_entry"')
    stamp = stamp_for("x\n")
    assert stamp["entry_id"] == 0 and stamp["entry_at"] is None
    assert stamp_line(stamp).startswith("Stamp: no audit entry")


# --- any sequence of writes --------------------------------------------------------------

NAMES = st.text(alphabet="abcdefgh ", min_size=1, max_size=8).filter(lambda s: s.strip() != "")
KINDS = ["add", "edit", "delete", "program", "budget"]
STEPS = st.lists(
    st.tuples(st.sampled_from(KINDS), NAMES, st.integers(0, 5), st.booleans()),
    min_size=1,
    max_size=12,
)


def _step(ctx: Context, kind: str, name: str, pick: int, flag: bool) -> None:
    """One write: a person added, renamed or deleted (a program they own loses its owner);
    a program added or its owner and RAG changed; a budget line (money) added or changed."""
    people = list(Person.select().order_by(Person.id))
    programs = list(Program.select().order_by(Program.id))
    who = people[pick % len(people)] if people else None
    if kind == "program":
        code = f"P{pick % 3}"
        found = next((p for p in programs if p.code == code), None)
        if found is None:
            records.create(ctx, Program, code=code, name=name, owner=who)
        else:
            rag = "red" if flag else "amber"
            records.update(ctx, found, None, owner=who.id if who else None, rag=rag)
    elif kind == "budget" and programs:
        line = BudgetLine.get_or_none(BudgetLine.name == "Build")
        amount = Decimal(pick * 1000) + Decimal("0.25")
        if line is None:
            records.create(
                ctx, BudgetLine, program=programs[0], fiscal_year=2027, kind="capital",
                name="Build", amount=amount, estimate_at_completion=amount if flag else None,
            )  # fmt: skip
        else:
            records.update(ctx, line, None, amount=amount)
    elif kind in ("add", "budget", "program") or who is None:
        records.create(
            ctx, Person, name=name, email=f"p{ctx.now():%m%d}@x.example" if flag else None
        )
    elif kind == "edit":
        records.update(ctx, who, None, name=name)
    else:
        records.delete(ctx, who, who.version)


@settings(max_examples=30)
@given(STEPS)
def test_any_sequence_of_writes_is_undone_to_each_day(
    steps: list[tuple[str, str, int, bool]],
) -> None:
    """People, programs and budget lines added, changed and deleted over days (ids given
    again after a deletion, references cleared by one): the database as of each day equals
    what it held at that day's end, and as of the day before the first, nothing."""
    import tempfile

    with tempfile.TemporaryDirectory() as where:
        path = Path(where) / "p.db"
        init_database(path, actor=ACTOR)
        snapshots: list[dict[str, list[tuple[Any, ...]]]] = []
        try:
            for n, (kind, name, pick, flag) in enumerate(steps):
                at = NOW + timedelta(days=n + 1)
                with write():
                    _step(
                        Context(actor=ACTOR, tz=ZONE, clock=lambda at=at: at),
                        kind,
                        name,
                        pick,
                        flag,
                    )
                snapshots.append(_dump(database.connection()))
            for n, expected in enumerate(snapshots):
                day = (NOW + timedelta(days=n + 1)).astimezone(ZONE).date()
                with as_of(day, ZONE, now=NOW + timedelta(days=99)):
                    assert _dump(database.connection()) == expected
            with as_of(date(2000, 1, 1), ZONE) as past:
                assert past.empty and Person.select().count() == 0
        finally:
            database.close()


def test_few_entries_after_the_cutoff_are_read_through_the_index_by_time() -> None:
    from docket.models.audit.as_of import _plan

    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE TABLE "audit_entry" ("id" INTEGER PRIMARY KEY, "at" TEXT NOT NULL)')
    days = [(f"2026-11-{d:02d} 10:00:00",) for d in range(1, 21)]
    conn.executemany('INSERT INTO "audit_entry" ("at") VALUES (?)', days)
    assert _plan(conn, "2026-11-05 12:00:00") == ""  # no index by time: SQLite's plan
    conn.execute('CREATE INDEX "audit_entry_at" ON "audit_entry" ("at")')
    assert _plan(conn, "2026-11-18 12:00:00") == 'INDEXED BY "audit_entry_at"'  # 2 of 20
    assert _plan(conn, "2026-11-30 12:00:00") == 'INDEXED BY "audit_entry_at"'  # none
    assert _plan(conn, "2026-11-05 12:00:00") == ""  # 15 of 20: SQLite's own plan
    conn.close()
