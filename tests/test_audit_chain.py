"""The audit log as a hash chain, and `docket check` naming what was changed outside docket.

A member of the office group can write the database file with sqlite3; these tests do what
such a member would and expect `docket check` to name the change and exit 1.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docket.models.accounts.identity import current_account
from docket.models.actions import items as actions
from docket.models.audit import chain as audit
from docket.models.audit.check import last_check, run_check
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import SCHEMA_VERSION, init_database, open_database, write
from docket.models.core.schema import AuditEntry, Person, database
from docket.models.people.groups import add_group
from docket.models.people.persons import add_person


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A new database made by the account running the tests (so it may hand out roles)."""
    path = tmp_path / "office.db"
    init_database(path, actor=current_account())
    return path


def _edit(db: Path, *statements: str) -> None:
    """Change the file as another member would: sqlite3, no docket."""
    database.close()
    with sqlite3.connect(db) as raw:
        for statement in statements:
            raw.execute(statement)
    raw.close()


def _failed(cli: Any) -> list[str]:
    result = cli("check")
    assert result.status == 1, result.out
    assert "Traceback" not in result.err
    lines: list[str] = result.err.splitlines()
    assert all(line.startswith("docket: ") for line in lines)
    return lines


def _office(cli: Any) -> None:
    assert cli("user", "add", "nobody", "--role", "viewer").status == 0
    assert cli("action", "add", "Send budget draft", "--due", "2026-11-27").status == 0
    assert cli("action", "edit", "1", "--title", "Send the budget draft").status == 0
    assert cli("action", "add", "Book steering room").status == 0


def test_every_change_is_chained_and_check_says_ok(cli: Any) -> None:
    _office(cli)
    result = cli("check")
    assert result.status == 0, result.err
    assert (
        f"ok (schema version {SCHEMA_VERSION}; 5 audit entries chained, the last 5 with hash"
        in (result.out)
    )
    rows = AuditEntry.select().order_by(AuditEntry.id)
    previous = audit.GENESIS
    for e in rows:
        at = e.at.strftime("%Y-%m-%d %H:%M:%S")
        expected = audit.entry_hash(
            previous, e.id, at, e.actor, e.entity, e.entity_id, e.action, e.changes, e.note
        )
        assert e.hash == expected
        previous = e.hash
    # the first admin, made by init, is an audited change like any other
    assert (rows[0].entity, rows[0].action) == ("user_account", "create")


def test_a_role_changed_with_sqlite_is_named(cli: Any, db_path: Path) -> None:
    _office(cli)
    _edit(db_path, "UPDATE user_account SET role = 'admin' WHERE account = 'nobody'")
    assert _failed(cli)[0] == (
        'docket: user account 2 (nobody): role is "admin", but the audit log (entry 2) says '
        '"viewer": it was changed outside docket'
    )


def test_a_value_changed_without_an_audit_entry_is_named(cli: Any, db_path: Path) -> None:
    _office(cli)
    _edit(db_path, "UPDATE action_item SET due = '2027-01-01' WHERE id = 1")
    assert _failed(cli) == [
        'docket: action item 1: due is "2027-01-01", but the audit log (entry 4) says '
        '"2026-11-27": it was changed outside docket',
        f"docket: 1 problem(s) in {db_path}",
    ]


def test_an_entry_written_in_someone_elses_name_is_named(cli: Any, db_path: Path) -> None:
    _office(cli)
    _edit(
        db_path,
        "UPDATE action_item SET title = 'Cancel the budget' WHERE id = 1",
        "INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes, note)"
        " VALUES ('2026-11-23 15:00:00', 'tester', 'action_item', 1, 'update',"
        ' \'{"title": ["Send the budget draft", "Cancel the budget"]}\', \'\')',
    )
    lines = _failed(cli)
    assert lines[0] == (
        "docket: audit entry 6 (tester: update action item 1) does not match the chain: "
        "it was written or changed outside docket"
    )
    assert len(lines) == 2  # the record itself agrees with the forged entry


def test_an_entry_rewritten_or_removed_is_named(cli: Any, db_path: Path) -> None:
    _office(cli)
    _edit(db_path, "UPDATE audit_entry SET actor = 'someone' WHERE id = 3")
    assert _failed(cli)[0].startswith("docket: audit entry 3 (someone: create action item 1)")
    _edit(db_path, f"UPDATE audit_entry SET actor = '{current_account()}' WHERE id = 3")
    assert cli("check").status == 0
    _edit(db_path, "DELETE FROM audit_entry WHERE id = 4")
    lines = _failed(cli)
    assert lines[0] == ("docket: audit entry 4 removed outside docket (the chain skips to entry 5)")
    # the account that wrote entry 4 kept a witness of it (tests/test_witness.py)
    assert lines[1] == (
        "docket: history rewritten: entry 4 that you wrote at 2026-11-23 15:00 UTC is gone "
        "from the audit log"
    )
    assert lines[2].startswith('docket: action item 1: title is "Send the budget draft"')


def test_records_added_or_deleted_outside_docket_are_named(cli: Any, db_path: Path) -> None:
    _office(cli)
    _edit(
        db_path,
        "INSERT INTO user_account (account, role, created_at, updated_at, version)"
        " VALUES ('mallory', 'admin', '2026-11-23 15:00:00', '2026-11-23 15:00:00', 1)",
        "DELETE FROM action_item WHERE id = 2",
    )
    lines = _failed(cli)
    assert lines[:2] == [
        "docket: user account 3 (mallory) is not in the audit log: it was added outside docket",
        "docket: action item 2 is gone, but the audit log does not record its deletion "
        "(last entry 5): it was deleted outside docket",
    ]


def test_a_deletion_audits_what_goes_with_it(db_path: Path) -> None:
    ctx = Context(actor=current_account())
    ana = add_person(ctx, "Ana Lopez", email="ana@city.example")
    add_group(ctx, "Sponsors", members=["Ana Lopez"])
    item = actions.add_action(ctx, "Call vendor", owner="Ana Lopez")
    with write():  # what the database would cascade or clear is done, and audited, first
        records.delete(ctx, records.get(Person, ana.id), ana.version)
    report = run_check()
    assert report.problems == ()
    kinds = [(e.entity, e.action, e.note) for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert kinds[-3:] == [
        ("group_member", "delete", "with person 1"),
        ("action_item", "update", "person 1 deleted"),
        ("person", "delete", ""),
    ]
    assert actions.get_action(item.id).owner is None


def test_flipped_bytes_are_reported_without_a_traceback(
    cli: Any, demo_db: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(demo_db, damaged)
    data = bytearray(damaged.read_bytes())
    # 64 bytes in the middle of the file, as a failing disk might leave them
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0x5A for b in data[middle : middle + 64])
    damaged.write_bytes(bytes(data))
    result = cli("check", db=damaged)
    assert result.status == 1
    assert "Traceback" not in result.err
    assert all(line.startswith("docket: ") for line in result.err.splitlines())


def test_a_date_the_commands_would_trip_on_is_named_first(
    cli: Any, demo_db: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(demo_db, damaged)
    with sqlite3.connect(damaged) as raw:  # one byte of a stored day, flipped in place
        raw.execute("UPDATE action_item SET due = '2026-1\x03-04' WHERE id = 7")
    raw.close()
    lines = _failed(lambda *a: cli(*a, db=damaged))
    assert lines[0].startswith("docket: action item 7: due cannot be read (")
    assert lines[0].endswith("the commands that show it will fail")


def test_the_demo_and_an_upgrade_leave_a_chain_that_explains_every_record(
    demo_db: Path, tmp_path: Path
) -> None:
    open_database(demo_db)
    assert run_check().problems == ()
    database.close()
    # the same office as a version 6 database: no hashes, records the log never saw
    old = tmp_path / "old.db"
    shutil.copy(demo_db, old)
    _edit(
        old,
        "DELETE FROM audit_entry WHERE note = 'demo data'",
        "ALTER TABLE audit_entry DROP COLUMN hash",
        "UPDATE docket_meta SET value = '6' WHERE key = 'schema_version'",
    )
    with sqlite3.connect(old) as raw:
        kept = raw.execute("SELECT max(id) FROM audit_entry").fetchone()[0]
    raw.close()
    open_database(old)
    report = run_check()
    assert (report.problems, report.entries) == ((), AuditEntry.select().count())
    notes = {e.note for e in AuditEntry.select() if e.id > kept}
    assert notes == {"as found by the upgrade to 7"}


def test_the_app_warns_while_the_last_check_failed(cli: Any, db_path: Path) -> None:
    import asyncio

    from docket.tui.app import DocketApp

    _office(cli)
    _edit(db_path, "UPDATE user_account SET role = 'admin' WHERE account = 'nobody'")
    assert cli("check").status == 1
    open_database(db_path)
    checked = last_check()
    assert checked is not None and (checked.problems, checked.by) == (1, current_account())
    database.close()

    async def banner() -> str:
        app = DocketApp(db_path, user=current_account())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return str(app.banner)

    assert asyncio.run(banner()).startswith("⚠ last check failed │ ")
    _edit(db_path, "UPDATE user_account SET role = 'viewer' WHERE account = 'nobody'")
    assert cli("check").status == 0
    assert "last check failed" not in asyncio.run(banner())


values = st.one_of(st.text(), st.integers(), st.booleans(), st.text().map(lambda t: t or "x"))


@given(st.dictionaries(st.text(min_size=1), values))
def test_the_bulk_form_of_a_creation_is_the_same_json(changes: dict[str, Any]) -> None:
    pairs = sorted((n, v) for n, v in changes.items() if v is not None and v != "")
    [text] = audit.creation_texts([n for n, _ in pairs], [[v for _, v in pairs]])
    assert text == audit.changes_text({n: [None, v] for n, v in pairs})
    assert json.loads(text) == {n: [None, v] for n, v in pairs}


@given(st.lists(st.text(), min_size=2, max_size=2), st.lists(st.text(), min_size=2, max_size=2))
def test_no_two_entries_hash_alike_by_moving_text_between_fields(
    first: list[str], second: list[str]
) -> None:
    def digest(actor: str, note: str) -> str:
        return audit.entry_hash(
            "", 1, "2026-11-23 15:00:00", actor, "person", 1, "create", "{}", note
        )

    if first != second:
        assert digest(*first) != digest(*second)
