"""Opening, creating, upgrading and refusing databases; where the database is found."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import peewee
import pytest

from docket.models.core import database as dbmod
from docket.models.core import upgrades
from docket.models.core.config import resolve_database
from docket.models.core.context import Context
from docket.models.core.database import SCHEMA_VERSION, init_database, open_database, schema_version
from docket.models.core.errors import DatabaseError
from docket.models.core.schema import UserAccount, database

FIXTURES = Path(__file__).parent / "fixtures"


def test_init_creates_the_schema_and_makes_the_first_account_admin(tmp_path: Path) -> None:
    path = tmp_path / "new" / "docket.db"
    result = init_database(path, actor="ana")
    assert result.created
    assert schema_version() == SCHEMA_VERSION
    assert [(u.account, u.role) for u in UserAccount.select()] == [("ana", "admin")]


def test_init_twice_leaves_the_database_as_it_is(db_path: Path) -> None:
    result = init_database(db_path, actor="someone-else")
    assert not result.created and result.upgraded_from is None
    assert UserAccount.select().count() == 1


def test_the_connection_uses_wal_foreign_keys_and_a_busy_timeout(db_path: Path) -> None:
    open_database(db_path)
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == dbmod.BUSY_TIMEOUT_S * 1000


def test_writes_begin_immediate(db_path: Path) -> None:
    statements: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(statements.append)
    with dbmod.write():
        database.execute_sql("SELECT 1")
    connection.set_trace_callback(None)
    # the PRAGMAs before it: the write lock's wait (below)
    assert next(s for s in statements if not s.startswith("PRAGMA")) == "BEGIN IMMEDIATE"


def _held_elsewhere(db_path: Path) -> sqlite3.Connection:
    """Another administrator's connection, holding the write lock."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_write_waits_for_another_s_lock_by_short_polls(
    db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another holds the write lock, a write tries it again after a millisecond or
    so (never more than 25 ms), and begins once the lock is free: here, after three waits."""
    open_database(db_path)
    other = _held_elsewhere(db_path)
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            other.execute("COMMIT")

    # the module's clock and sleep only (not the time module every other library shares):
    # the wait is counted on a clock that stands still, so no real time passes
    monkeypatch.setattr(dbmod, "time", SimpleNamespace(monotonic=lambda: 0.0, sleep=wait))
    with dbmod.write():
        database.execute_sql("SELECT 1")
    assert len(waits) == 3 and all(0 < w <= 0.025 for w in waits)
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == dbmod.BUSY_TIMEOUT_S * 1000
    other.close()


def test_a_write_waits_as_long_as_the_busy_timeout_says_then_fails(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_path)
    database.execute_sql("PRAGMA busy_timeout = 2000")
    other = _held_elsewhere(db_path)
    clock = iter(float(t) for t in range(100))
    fake = SimpleNamespace(monotonic=lambda: next(clock), sleep=lambda seconds: None)
    monkeypatch.setattr(dbmod, "time", fake)
    with pytest.raises(peewee.OperationalError, match="locked"), dbmod.write():
        pass
    # two seconds of the fake clock: tried at 0, 1 and 2, given up at 2
    assert next(clock) == 3
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 2000
    other.close()


def test_a_newer_database_is_refused_and_left_untouched(db_path: Path) -> None:
    database.execute_sql("UPDATE docket_meta SET value = '99' WHERE key = 'schema_version'")
    database.close()
    before = db_path.read_bytes()
    with pytest.raises(
        DatabaseError, match="schema version 99, newer than this docket understands"
    ):
        open_database(db_path)
    with pytest.raises(DatabaseError, match="newer"):
        init_database(db_path, actor="tester")
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no database at .*; create one with 'docket init'"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_text("not sqlite at all, just some text" * 100), "cannot open database"),
    ],
)
def test_a_missing_or_broken_database_is_a_clear_error(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.db"
    make(path)
    with pytest.raises(DatabaseError, match=message):
        open_database(path)


def test_an_unrelated_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE mine (x)")
    with pytest.raises(DatabaseError, match="not docket's"):
        init_database(path, actor="tester")
    with pytest.raises(DatabaseError, match="is not a docket database"):
        open_database(path)


def test_the_database_location_follows_flag_env_config_then_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('db = "/srv/docket/office.db"\n')
    monkeypatch.setenv("DOCKET_CONFIG", str(config))
    assert resolve_database(None).path == Path("/srv/docket/office.db")
    monkeypatch.setenv("DOCKET_DB", "/tmp/env.db")
    assert resolve_database(None).source == "DOCKET_DB"
    assert resolve_database("/tmp/flag.db").path == Path("/tmp/flag.db")
    monkeypatch.delenv("DOCKET_DB")
    config.unlink()
    location = resolve_database(None)
    assert location.path == tmp_path / "home" / "data" / "docket" / "docket.db"


def _v1_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "docket-v1.sql").read_text())


def _schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        )
        return [(name, " ".join(sql.split())) for name, sql in rows]


def test_init_upgrades_a_version_1_database_keeping_data_and_a_backup(tmp_path: Path) -> None:
    old = tmp_path / "office.db"
    _v1_database(old)
    original = _schema(old)
    result = init_database(old, actor="tester")
    assert result.upgraded_from == 1
    assert schema_version() == SCHEMA_VERSION
    from docket.models.core.schema import ActionItem

    assert sorted(a.title for a in ActionItem.select()) == [
        "Book steering room",
        "Send budget draft",
    ]
    database.close()
    # the copy is the untouched version 1 database
    assert result.backup is not None and result.backup.name.startswith("office.db.v1-")
    assert _schema(result.backup) == original
    # and the upgraded schema is exactly what a new database gets
    fresh = tmp_path / "fresh.db"
    init_database(fresh, actor="tester")
    database.close()
    assert _schema(old) == _schema(fresh)


def test_opening_an_older_database_upgrades_it(tmp_path: Path) -> None:
    old = tmp_path / "office.db"
    _v1_database(old)
    open_database(old)
    assert schema_version() == SCHEMA_VERSION
    assert len(list(tmp_path.glob("office.db.v1-*.bak"))) == 1


def test_a_failed_upgrade_leaves_the_database_at_its_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "office.db"
    _v1_database(old)

    def broken(db: object) -> None:
        database.execute_sql('CREATE INDEX "half_done" ON "action_item" ("title")')
        raise peewee.OperationalError("database or disk is full")

    monkeypatch.setitem(upgrades.MIGRATIONS, SCHEMA_VERSION, broken)
    with pytest.raises(
        DatabaseError, match=r"failed \(cannot save to database .* is full; .*\); it is unchanged"
    ):
        open_database(old)
    database.close()
    assert _schema(old) == _schema_of_fixture(tmp_path)


def _schema_of_fixture(tmp_path: Path) -> list[tuple[str, str]]:
    again = tmp_path / "again.db"
    _v1_database(again)
    return _schema(again)


def test_upgrading_to_5_turns_the_decisions_in_minutes_into_decision_records(
    tmp_path: Path, ctx: Context
) -> None:
    from docket.models.core.schema import Decision
    from docket.models.meetings.series import add_meeting
    from docket.models.portfolio.programs import add_program

    old = tmp_path / "office.db"
    init_database(old, actor="tester")
    add_program(ctx, "ERP", "ERP replacement")
    meeting = add_meeting(
        ctx,
        "Steering",
        start="2026-11-03 23:30",
        timezone="America/Chicago",
        program="ERP",
    )
    database.close()
    long = "x" * 250
    # the version 4 minutes held their decisions as text
    with sqlite3.connect(old) as conn:
        conn.execute("ALTER TABLE minutes ADD COLUMN decisions TEXT NOT NULL DEFAULT ''")
        conn.execute(
            "INSERT INTO minutes (meeting_id, occurrence_start, notes, attendance, decisions,"
            " created_at, updated_at, version) VALUES (?, '2026-11-04 05:30:00', '', '', ?,"
            " '2026-11-04 06:00:00', '2026-11-04 06:00:00', 1)",
            (meeting.id, f"- Approve the budget\n\n  • Keep the date\n{long}"),
        )
        conn.execute("UPDATE docket_meta SET value = '4' WHERE key = 'schema_version'")
    open_database(old)
    assert schema_version() == SCHEMA_VERSION
    found = [(d.title, d.rationale, d.decided_on.isoformat()) for d in Decision.select()]
    assert found == [
        ("Approve the budget", "", "2026-11-03"),
        ("Keep the date", "", "2026-11-03"),
        ("x" * 199 + "…", long, "2026-11-03"),
    ]
    assert {d.meeting.id for d in Decision.select()} == {meeting.id}
    database.close()
    fresh = tmp_path / "fresh.db"
    init_database(fresh, actor="tester")
    database.close()
    assert _schema(old) == _schema(fresh)


def test_upgrading_8_to_10_creates_the_indexes_of_versions_9_and_10(tmp_path: Path) -> None:
    from docket.models.actions.pressing import PRESSING_INDEX_SQL
    from docket.models.core.indexes import INDEXES_V9

    fresh = tmp_path / "fresh.db"
    init_database(fresh, actor="tester")
    database.close()
    old = tmp_path / "office.db"
    init_database(old, actor="tester")
    database.close()
    added = [PRESSING_INDEX_SQL, *INDEXES_V9]
    names = [statement.split(" ON ")[0].split()[-1].strip('"') for statement in added]
    assert names == [
        "action_item_pressing_open",
        "action_item_created_at",
        "action_item_program_id_created_at",
        "action_item_program_id_closed_at",
        "audit_entry_at",
    ]
    # as version 8 had it: none of version 9's indexes, nor its text search
    with sqlite3.connect(old) as conn:
        for name in names:
            conn.execute(f'DROP INDEX "{name}"')
        for name in ("insert", "delete", "update"):
            conn.execute(f"DROP TRIGGER action_search_{name}")
        for name in ("action_search_vocab", "action_search"):
            conn.execute(f"DROP TABLE {name}")
        conn.execute("DROP VIEW action_search_text")
        conn.execute("UPDATE docket_meta SET value = '8' WHERE key = 'schema_version'")
    open_database(old)
    assert schema_version() == SCHEMA_VERSION == 10
    database.close()
    indexes = {name for name, _ in _schema(old)}
    assert set(names) <= indexes
    assert _schema(old) == _schema(fresh)
