"""Witnesses: a chain rewritten whole, by a member who knows how it is computed, is caught by
what each account kept of it in its own data directory.

Two members are two data directories (``XDG_DATA_HOME``), as two Unix accounts' homes are;
the forger edits the file with sqlite3 and recomputes every hash with docket's own function,
so the chain alone verifies.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from docket.models.accounts.identity import current_account
from docket.models.actions import items as actions
from docket.models.audit import chain as audit
from docket.models.audit import witness
from docket.models.audit.check import run_check
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import SCHEMA_VERSION, init_database, open_database, write
from docket.models.core.errors import DocketError
from docket.models.core.schema import ActionItem, Meta, database

AT = "2026-11-23 15:00 UTC"  # the fixed clock, as messages show it


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A new database made by the account running the tests."""
    path = tmp_path / "office.db"
    init_database(path, actor=current_account())
    database.close()
    return path


def _as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, member: str) -> Path:
    """Act as another member from now on: their own data directory."""
    home = tmp_path / member
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _forge(db: Path, statements: list[str]) -> None:
    """A member edits the file with sqlite3, then recomputes the whole chain so that it
    verifies (docket's own hash function: a perfect forgery)."""
    database.close()
    with sqlite3.connect(db) as raw:
        for statement in statements:
            raw.execute(statement)
        previous = audit.GENESIS
        rows = raw.execute(
            "SELECT id, at, actor, entity, entity_id, action, changes, note"
            " FROM audit_entry ORDER BY id"
        ).fetchall()
        for row in rows:
            previous = audit.entry_hash(previous, *row)
            raw.execute("UPDATE audit_entry SET hash = ? WHERE id = ?", (previous, row[0]))
    raw.close()


def _retitle(db: Path, entry: int, item: int, old: str, new: str) -> None:
    """Retitle an action item and its creation's entry, the chain recomputed."""
    _forge(
        db,
        [
            f"UPDATE action_item SET title = '{new}' WHERE id = {item}",
            f"UPDATE audit_entry SET changes = replace(changes, '\"{old}\"', '\"{new}\"')"
            f" WHERE id = {entry}",
        ],
    )


def _lines(result: Any) -> list[str]:
    assert "Traceback" not in result.err
    lines: list[str] = result.err.splitlines()
    return lines


def test_a_chain_rewritten_whole_is_named_by_the_witnesses_of_both_members(
    cli: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = os.environ["XDG_DATA_HOME"]
    assert cli("action", "add", "Send the budget").status == 0  # entry 2, mine
    _as(monkeypatch, tmp_path, "mallory")
    assert cli("action", "add", "Book the room").status == 0  # entry 3, mallory's
    assert cli("action", "add", "Call the vendor").status == 0  # entry 4, mallory's
    monkeypatch.setenv("XDG_DATA_HOME", me)
    assert cli("action", "add", "Draft the minutes").status == 0  # entry 5, mine
    exported = cli("witness")
    assert exported.status == 0
    (tmp_path / "mine.json").write_text(exported.out)

    # mallory rewrites her own entry 3 and recomputes the chain: it verifies
    _retitle(db_path, 3, 2, "Book the room", "Cancel the room")
    open_database(db_path)
    breaks, entries, _ = audit.chain_breaks()
    assert (breaks, entries) == ([], 5)
    assert list(audit.unexplained([])) == []
    database.close()

    result = cli("check")
    assert result.status == 1
    assert _lines(result) == [
        f"docket: history rewritten: entry 5 that you wrote at {AT} no longer matches your "
        "record of it; the change lies in entries 3 to 5",
        f"docket: 1 problem(s) in {db_path}",
    ]
    # mallory's own witnesses name it too, and mine, handed to her, say the same
    _as(monkeypatch, tmp_path, "mallory")
    result = cli("check", "--witness", str(tmp_path / "mine.json"))
    assert result.status == 1
    account = current_account()
    assert _lines(result)[:2] == [
        f"docket: history rewritten: entry 3 that you wrote at {AT} no longer matches your "
        "record of it; the change lies in entries 1 to 3; 1 later entry you wrote does not "
        "match either",
        f"docket: history rewritten: entry 5 that {account} wrote at {AT} no longer matches "
        "their record of it; the change lies in entries 3 to 5",
    ]


def test_entries_cut_from_the_end_are_named_gone(cli: Any, db_path: Path) -> None:
    assert cli("action", "add", "Send the budget").status == 0
    assert cli("action", "add", "Book the room").status == 0
    _forge(
        db_path, ["DELETE FROM action_item WHERE id = 2", "DELETE FROM audit_entry WHERE id = 3"]
    )
    result = cli("check")
    assert result.status == 1
    assert _lines(result)[0] == (
        f"docket: history rewritten: entry 3 that you wrote at {AT} is gone from the audit log"
    )


def test_a_fresh_account_without_witnesses_is_not_warned(
    cli: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: Any
) -> None:
    import asyncio

    assert cli("action", "add", "Send the budget").status == 0
    fresh = _as(monkeypatch, tmp_path, "newcomer")
    result = cli("check")
    assert (result.status, result.err) == (0, "")
    assert not fresh.exists()  # checking keeps nothing

    async def banner() -> str:
        app = make_app(db_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return str(app.banner)

    assert not asyncio.run(banner()).startswith("⚠")
    witnessed = cli("witness")
    assert witnessed.status == 0
    assert json.loads(witnessed.out)["witnesses"] == []
    assert "you hold no witnesses of" in witnessed.err


def test_the_app_warns_when_history_was_rewritten(cli: Any, db_path: Path, make_app: Any) -> None:
    import asyncio

    assert cli("action", "add", "Send the budget").status == 0
    _retitle(db_path, 2, 1, "Send the budget", "Cancel the budget")

    async def shown() -> tuple[str, list[str]]:
        app = make_app(db_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return str(app.banner), [str(n.message) for n in app._notifications]

    banner, notes = asyncio.run(shown())
    assert banner.startswith("⚠ history rewritten │ ")
    assert notes == [
        f"history rewritten: entry 2 that you wrote at {AT} no longer matches your record of it"
    ]


def test_one_private_line_per_write_transaction(cli: Any, db_path: Path, tmp_path: Path) -> None:
    assert cli("action", "add", "Send the budget").status == 0
    assert cli("action", "edit", "1", "--title", "Send the budget draft").status == 0
    assert cli("check").status == 0  # keeps its result, writes no entry: no witness
    path = witness.witness_path(db_path)
    assert path.parent == tmp_path / "home" / "data" / "docket" / "witness"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    open_database(db_path)
    ident = witness.database_id()
    assert [(w["entry"], w["database_id"]) for w in lines] == [(1, ident), (2, ident), (3, ident)]
    assert lines[-1]["hash"] == audit.head()[1]


def test_a_write_rolled_back_keeps_no_witness(db_path: Path) -> None:
    open_database(db_path)
    ctx = Context(actor=current_account())
    path = witness.witness_path(db_path)
    before = path.read_bytes()

    def refused() -> None:
        with write():
            records.create(ctx, ActionItem, title="Never saved", status="open")
            raise DocketError("refused after the entry was appended")

    with pytest.raises(DocketError):
        refused()
    assert path.read_bytes() == before
    actions.add_action(ctx, "Saved")  # the next write witnesses its own entry, not the lost one
    assert json.loads(path.read_text().splitlines()[-1])["entry"] == audit.head()[0] == 2


def test_writes_work_when_the_data_directory_cannot_be_written(
    cli: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data directory should be\n")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    first = cli("action", "add", "Send the budget")
    assert (first.status, first.out) == (0, "1\n")
    assert first.err == (
        "docket: your change is saved, but your witness of it could not be kept (cannot write "
        f"{blocked / 'docket' / 'witness'}: Not a directory); 'docket check' cannot vouch for "
        "it later\n"
    )
    second = cli("action", "add", "Book the room")
    assert (second.status, second.err) == (0, "")  # said once
    assert cli("check").status == 0


def test_a_link_planted_at_the_witness_file_is_never_followed(
    cli: Any, db_path: Path, tmp_path: Path
) -> None:
    path = witness.witness_path(db_path)
    path.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n")
    path.symlink_to(victim)
    result = cli("action", "add", "Send the budget")
    assert result.status == 0
    assert "your witness of it could not be kept" in result.err
    assert victim.read_text() == "untouched\n"
    checked = cli("check")
    assert checked.status == 0
    assert _lines(checked)[0] == (
        f"docket: note: your witness file {path} cannot be read (it is a symbolic link)"
    )


def test_unreadable_witnesses_are_reported_not_a_crash(
    cli: Any, db_path: Path, tmp_path: Path
) -> None:
    assert cli("action", "add", "Send the budget").status == 0
    path = witness.witness_path(db_path)
    with path.open("a") as handle:
        handle.write('{"database_id": "x", "entry": "two", "hash": "", "at": ""}\n\xff\n')
    checked = cli("check")
    assert checked.status == 0
    assert _lines(checked)[:2] == [
        f"docket: note: your witness file {path}, line 3, cannot be read (entry must be a "
        "whole number from 1); it is skipped",
        f"docket: note: your witness file {path}, line 4, cannot be read (Expecting value: "
        "line 1 column 1 (char 0)); it is skipped",
    ]
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something else"}))
    missing = tmp_path / "missing.json"
    result = cli("check", *(f"--witness={p}" for p in (missing, garbage, other)))
    assert result.status == 1
    assert [line for line in _lines(result) if "note" not in line] == [
        f"docket: witness file {missing} cannot be read (No such file or directory)",
        f"docket: witness file {garbage} is not JSON (Expecting value: line 1 column 1 (char 0))",
        f"docket: witness file {other} is not what 'docket witness' prints",
        f"docket: 3 problem(s) in {db_path}",
    ]


def test_a_database_replaced_or_given_another_identity_is_named(cli: Any, db_path: Path) -> None:
    assert cli("action", "add", "Send the budget").status == 0
    open_database(db_path)
    ident = witness.database_id()
    database.close()
    _forge(db_path, ["UPDATE docket_meta SET value = 'forged' WHERE key = 'database_id'"])
    result = cli("check")
    assert result.status == 1
    assert _lines(result)[0] == (
        f"docket: database replaced: your witnesses are of database {ident} (entry 2 you wrote "
        f"at {AT}), but this one has identity forged; it was replaced or its identity changed "
        "outside docket (if you made it anew or restored it yourself: 'docket witness --forget')"
    )
    forgot = cli("witness", "--forget")
    assert forgot.status == 0
    assert forgot.out.startswith(f"dropped witnesses of {db_path}")
    assert cli("check").status == 0


def test_a_database_made_before_witnesses_gets_its_identity_at_its_first_write(
    db_path: Path,
) -> None:
    database.close()
    with sqlite3.connect(db_path) as raw:
        raw.execute("DELETE FROM docket_meta WHERE key = 'database_id'")
    raw.close()
    assert witness.forget(db_path)  # as before witnesses: none kept
    open_database(db_path)
    assert witness.database_id() is None
    actions.add_action(Context(actor=current_account()), "Send the budget")
    ident = witness.database_id()
    assert ident is not None and len(ident) == 32
    # no migration
    assert Meta.get(Meta.key == "schema_version").value == str(SCHEMA_VERSION)
    assert run_check().ok


def test_init_anew_drops_this_accounts_witnesses_of_the_old_database(
    cli: Any, db_path: Path
) -> None:
    assert cli("action", "add", "Send the budget").status == 0
    database.close()
    for side in ("", "-wal", "-shm"):
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    assert cli("init").status == 0
    assert cli("check").status == 0


def test_a_long_witness_file_keeps_its_newest_lines(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(witness, "COMPACT_AT", 600)
    monkeypatch.setattr(witness, "KEEP", 3)
    open_database(db_path)
    ctx = Context(actor=current_account())
    for n in range(8):
        actions.add_action(ctx, f"item {n}")
    path = witness.witness_path(db_path)
    kept = [json.loads(line)["entry"] for line in path.read_text().splitlines()]
    assert kept[-1] == 9 and len(kept) <= 5 and kept == sorted(kept)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert run_check().ok
