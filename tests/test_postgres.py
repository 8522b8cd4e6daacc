"""The same docket on PostgreSQL: init, the demo, the commands and reports, ``docket migrate``.

Tests taking ``engine_target`` run on both engines (SQLite, then PostgreSQL), each on a
database of its own; the server, and skipping without one: tests/pg_support.py.
"""

from __future__ import annotations

import io
import secrets
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import ACTOR, NOW, ZONE
from pg_demo import LARGE_MOVED, large_demo_postgres  # noqa: F401 (a fixture)
from pg_support import admin_sql

from docket.models.core import engine
from docket.models.core.context import Context
from docket.models.core.database import SCHEMA_VERSION, init_database, open_database
from docket.models.core.errors import DatabaseError
from docket.models.core.schema import Meta, database


@pytest.fixture(params=["sqlite", "postgres"])
def engine_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a fresh database goes on the engine of this run: a file, or a URL."""
    if request.param == "sqlite":
        return tmp_path / "docket.db"
    return str(request.getfixturevalue("pg_url"))


def docket(target: Path | str, *args: str) -> tuple[int, str, str]:
    """``docket --db TARGET ARGS...`` in-process: status, output, errors."""
    from docket.tui.cli.main import run

    out, err = io.StringIO(), io.StringIO()
    status = run(["--db", str(target), *args], out, err)
    return status, out.getvalue(), err.getvalue()


def ok(target: Path | str, *args: str) -> str:
    status, out, err = docket(target, *args)
    assert status == 0, (args, err)
    return out


def _demo(target: Path | str) -> None:
    from docket.models.demo.builder import build_demo

    init_database(target, actor=ACTOR)
    try:
        build_demo(Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW), size="small", seed=1)
    finally:
        database.close()


# --- SQLite's SQL as PostgreSQL reads it (no server needed) -----------------------------------


def test_parameters_become_psycopgs_and_literal_percents_are_doubled() -> None:
    sql = "SELECT * FROM t WHERE a = ? AND b LIKE '50%' AND c = '?'"
    assert engine.postgres_sql(sql, (1,)) == (
        "SELECT * FROM t WHERE a = %s AND b LIKE '50%%' AND c = '?'"
    )
    assert engine.postgres_sql("SELECT '%d'", None) == "SELECT '%%d'"
    # peewee's own SQL, placeholders already psycopg's, passes as it is
    assert engine.postgres_sql('SELECT "a" FROM "t" WHERE "b" = %s', ("x",)) == (
        'SELECT "a" FROM "t" WHERE "b" = %s'
    )


def test_sqlite_only_checks_say_the_same_on_postgresql() -> None:
    ddl = engine.portable_checks(
        "CREATE TABLE x (code VARCHAR CHECK (code GLOB '[A-Z0-9]*' AND NOT code GLOB "
        "'*[^A-Z0-9-]*'), currency VARCHAR CHECK (currency GLOB '[A-Z][A-Z][A-Z]'), "
        "month DATE CHECK (strftime('%d', month) = '01'), all_day BOOLEAN NOT NULL DEFAULT 0)"
    )
    assert "code ~ '^[A-Z0-9].*$'" in ddl
    assert "NOT code ~ '^.*[^A-Z0-9-].*$'" in ddl
    assert "currency ~ '^[A-Z][A-Z][A-Z]$'" in ddl
    assert "substr(month, 9, 2) = '01'" in ddl
    assert "DEFAULT False" in ddl
    assert "GLOB" not in ddl and "strftime" not in ddl


def test_a_url_is_postgresql_and_its_password_is_never_shown() -> None:
    assert engine.is_url("postgresql://u@h/db") and engine.is_url("postgres://h/db")
    assert not engine.is_url("/srv/docket/docket.db") and not engine.is_url(None)
    assert engine.shown_url("postgresql://u:secret@h:5433/db") == "postgresql://u:***@h:5433/db"


# --- both engines ----------------------------------------------------------------------------


def test_init_demo_and_the_everyday_commands(engine_target: Path | str) -> None:
    assert "(you, " in ok(engine_target, "init")
    assert "small demo" in ok(engine_target, "demo", "--size", "small")
    new = ok(engine_target, "action", "add", "Ship it", "--owner", "#1", "--due", "2026-11-30")
    ident = new.strip()
    assert ok(engine_target, "action", "edit", ident, "--title", "Ship it now").strip()
    status, _, err = docket(
        engine_target, "action", "edit", ident, "--title", "x", "--version", "1"
    )
    assert status != 0 and "version" in err  # a stale version is a conflict, as ever
    ok(engine_target, "action", "done", ident)
    assert "Ship it now" in ok(engine_target, "history", "action", ident)
    assert "Ship it now" in ok(
        engine_target, "action", "list", "--status", "done", "--format", "csv"
    )
    assert ok(engine_target, "milestone", "add", "NET", "Go live", "--baseline", "2026-12-15")
    for report in (("today",), ("digest",), ("program", "status"), ("milestone", "list")):
        assert ok(engine_target, *report)
    assert ": ok (schema version" in ok(engine_target, "check")


def test_a_newer_schema_is_refused(engine_target: Path | str) -> None:
    init_database(engine_target, actor=ACTOR)
    Meta.update(value=str(SCHEMA_VERSION + 1)).where(Meta.key == "schema_version").execute()
    database.close()
    with pytest.raises(DatabaseError, match="newer than this docket understands"):
        open_database(engine_target)
    status, _, err = docket(engine_target, "today")
    assert status == 1 and "newer than this docket understands" in err


REPORTS = (
    ("today",),
    ("today", "--format", "json"),
    ("digest",),
    ("program", "status"),
    ("action", "list"),
    ("action", "list", "--format", "json"),
    ("action", "list", "--search", "port"),
    ("milestone", "list"),
    ("history", "action", "3"),
    ("vendor", "list"),
    ("person", "list"),
    ("budget", "list"),
    ("meeting", "list"),
)


def test_the_same_reports_from_both_engines(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one account writes on both, as peer authentication makes the Unix account the session
    # user: on SQLite the process's account is the one the PostgreSQL URL logs in as
    who = urlsplit(pg_url).username
    monkeypatch.setattr("docket.tui.cli.session.current_account", lambda: who)
    lite = tmp_path / "demo.db"
    _demo(lite)
    _demo(pg_url)
    people = tmp_path / "people.csv"
    people.write_text("name,email\nNew Person,new@x.example\nChen T,chen.thompson@city.example\n")
    for target in (lite, pg_url):  # the same writes on both, ids and all
        ok(target, "import", "csv", "people", str(people))
        ok(
            target,
            "action",
            "add",
            "Café budget — 50% done",
            "--owner",
            "#2",
            "--due",
            "2026-11-25",
        )
        ok(target, "action", "done", "7")
    for report in REPORTS:
        assert ok(lite, *report) == ok(pg_url, *report), report
    lines = [ok(t, "check").split(": ok ", 1)[1] for t in (lite, pg_url)]
    assert lines[0] == lines[1]  # the audit chain ends in the same hash


# --- moving an office ------------------------------------------------------------------------


def _counts(path: Path) -> dict[str, int]:
    from docket.models.core.migrate import COPIED

    with sqlite3.connect(path) as conn:
        return {
            str(m._meta.table_name): conn.execute(
                f'SELECT count(*) FROM "{m._meta.table_name}"'
            ).fetchone()[0]
            for m in COPIED
        }


def test_migrate_copies_and_verifies_the_small_demo(demo_db: Path, pg_url: str) -> None:
    from docket.models.core.migrate import migrate

    done = migrate(demo_db, pg_url)
    counts = _counts(demo_db)
    assert {t.table: t.target_rows for t in done.tables} == counts
    assert all(t.same for t in done.tables)
    assert counts["audit_entry"] > 1000
    for report in REPORTS:
        assert ok(demo_db, *report) == ok(pg_url, *report), report
    # ids go on after the largest copied, on both
    assert ok(pg_url, "action", "add", "Next") == ok(demo_db, "action", "add", "Next")


def test_migrate_prints_each_table_checked(demo_db: Path, pg_url: str) -> None:
    out = ok(demo_db, "migrate", "--to", pg_url)
    lines = out.splitlines()
    assert lines[0].split() == ["table", "rows", "sha256", "same", "on", "both"]
    audit = next(line for line in lines if line.startswith("audit_entry "))
    assert audit.endswith(" yes")
    assert lines[-1].startswith(f"copied {demo_db} to ") and "verified" in lines[-1]


def test_migrate_refuses_a_target_that_is_not_empty(demo_db: Path, pg_url: str) -> None:
    init_database(pg_url, actor=ACTOR)
    database.close()
    status, out, err = docket(demo_db, "migrate", "--to", pg_url)
    assert (status, out) == (1, "")
    assert "is not empty" in err and "nothing was copied" in err


def test_an_upgrade_is_one_transaction_on_postgresql(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.models.core import upgrades

    init_database(pg_url, actor=ACTOR)
    Meta.update(value=str(SCHEMA_VERSION - 1)).where(Meta.key == "schema_version").execute()
    database.close()

    def half_then_fail(db: Any) -> None:
        db.execute_sql('CREATE TABLE "half_made" ("id" INTEGER)')
        raise DatabaseError("a step failed")

    monkeypatch.setitem(upgrades.MIGRATIONS, SCHEMA_VERSION, half_then_fail)
    with pytest.raises(DatabaseError, match="it is unchanged"):
        open_database(pg_url)
    assert not database.table_exists("half_made")
    assert Meta.get(Meta.key == "schema_version").value == str(SCHEMA_VERSION - 1)
    database.close()
    monkeypatch.setitem(upgrades.MIGRATIONS, SCHEMA_VERSION, lambda db: None)
    result = init_database(pg_url, actor=ACTOR)
    assert (result.upgraded_from, result.backup) == (SCHEMA_VERSION - 1, None)
    assert Meta.get(Meta.key == "schema_version").value == str(SCHEMA_VERSION)


def _pg_schema() -> list[tuple[str, ...]]:
    """Every column, constraint and index of the bound PostgreSQL database, by name."""
    columns = database.execute_sql(
        "SELECT table_name, column_name, data_type, coalesce(column_default, '') FROM"
        " information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2"
    ).fetchall()
    checks = database.execute_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE connamespace = current_schema()::regnamespace ORDER BY 1"
    ).fetchall()
    indexes = database.execute_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
    ).fetchall()
    return [tuple(map(str, r)) for r in (*columns, *checks, *indexes)]


def test_a_migrated_database_has_the_schema_init_makes(demo_db: Path, pg_url: str) -> None:
    from docket.models.core.migrate import migrate

    migrate(demo_db, pg_url)
    open_database(pg_url)
    migrated = _pg_schema()
    database.close()
    database.execute_sql("DROP SCHEMA public CASCADE")  # the same database, made anew
    database.execute_sql("CREATE SCHEMA public")
    database.close()
    init_database(pg_url, actor=ACTOR)
    assert _pg_schema() == migrated
    # docket's indexes on expressions are there, as on SQLite
    names = {row[0] for row in migrated}
    assert {"person_email_nocase", "action_item_open_by_due"} <= names


@pytest.mark.slow
@pytest.mark.xdist_group("large_demo")
def test_migrate_verifies_the_large_demo(
    large_demo: Path,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # moved once per test process (tests/pg_demo.py), as other tests of the large demo read it
    pg_url = str(request.getfixturevalue("large_demo_postgres"))
    done = LARGE_MOVED[pg_url]
    # one account reads both: the URL's session user is the process's account on SQLite
    monkeypatch.setattr("docket.tui.cli.session.current_account", lambda: ACTOR)
    assert all(t.same for t in done.tables)
    assert done.rows > 400_000
    reports = (
        ("today",),
        ("digest",),
        ("digest", "--all", "--format", "md"),
        ("program", "status"),
        ("action", "list", "--search", "vendor", "--limit", "50"),
    )
    for report in reports:
        assert ok(large_demo, *report) == ok(pg_url, *report), report
    # the board pack, byte for byte (charts and all)
    packs = [tmp_path / "sqlite.html", tmp_path / "postgres.html"]
    for target, pack in zip((large_demo, pg_url), packs, strict=True):
        ok(target, "boardpack", "--since", "2026-10-01", "-o", str(pack))
    assert packs[0].read_bytes() == packs[1].read_bytes()


def _pg_writer(url: str, number: int, results: Any) -> None:
    """25 writes as account ``w<number>``: adds, and renames of shared items read at their
    version (others come between: a conflict is an answer, any other error is not)."""
    import random

    from docket.models.actions import items as actions
    from docket.models.core.engine_postgres import connect_url
    from docket.models.core.errors import ConflictError
    from docket.models.core.schema import ActionItem

    database.initialize(None)
    connect_url(url)
    ctx = Context(actor=f"w{number}")
    rng = random.Random(number)
    outcomes: list[list[Any]] = []
    try:
        for i in range(25):
            if rng.random() < 0.4:
                outcomes.append(["added", actions.add_action(ctx, f"w{number}-{i}").id])
                continue
            target = rng.randint(1, 4)
            version = ActionItem.get_by_id(target).version
            try:
                actions.update_action(ctx, target, version, title=f"w{number}-{i}")
                outcomes.append(["applied", target])
            except ConflictError:
                outcomes.append(["conflict", target])
    except Exception as exc:  # noqa: BLE001 - any other failure is what the test looks for
        outcomes.append(["error", repr(exc)])
    results.put(outcomes)
    database.close()


def test_writers_at_once_on_postgresql_lose_nothing(pg_url: str, ctx: Context) -> None:
    import multiprocessing

    from docket.models.actions import items as actions
    from docket.models.audit.chain import chain_breaks
    from docket.models.core.schema import ActionItem

    init_database(pg_url, actor=ACTOR)
    for n in range(4):
        actions.add_action(ctx, f"shared item {n}")
    database.close()
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    workers = [fork.Process(target=_pg_writer, args=(pg_url, n, results)) for n in range(4)]
    for w in workers:
        w.start()
    outcomes = [o for _ in workers for o in results.get(timeout=600)]
    for w in workers:
        w.join()
    assert [o for o in outcomes if o[0] == "error"] == []
    open_database(pg_url)
    added = sorted(o[1] for o in outcomes if o[0] == "added")
    assert added == list(range(5, 5 + len(added)))  # every add there, ids in one sequence
    assert ActionItem.select().count() == 4 + len(added)
    breaks, count, _ = chain_breaks()
    assert breaks == [] and count > len(added)


def test_init_refuses_a_database_that_sorts_by_a_language(pg_url: str) -> None:
    name = f"docket_t_{secrets.token_hex(6)}"
    admin_sql(
        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
        " LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
    )
    url = urlunsplit(urlsplit(pg_url)._replace(path=f"/{name}"))
    try:
        with pytest.raises(DatabaseError, match="sorts text by the ICU locale en-US"):
            init_database(url, actor=ACTOR)
        assert database.get_tables() == []  # nothing was made
    finally:
        database.close()
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
