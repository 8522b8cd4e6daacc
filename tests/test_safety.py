"""History, backup and the integrity check from the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from docket.models.core.schema import database


def test_history_shows_who_changed_what_newest_first(cli: Any) -> None:
    cli("action", "add", "Send budget draft", "--due", "2026-11-27")
    cli("action", "edit", "1", "--due", "2026-12-01", "--title", "Send the budget draft")
    result = cli("history", "action", "1", "--format", "json")
    changes = json.loads(result.out)
    assert [c["action"] for c in changes] == ["update", "create"]
    assert changes[0]["actor"] == changes[1]["actor"] != ""
    assert ["due", "2026-11-27", "2026-12-01"] in changes[0]["fields"]
    text = cli("history", "action", "1").out
    assert "    due: changed from 2026-11-27 to 2026-12-01\n" in text


def test_history_of_an_unknown_kind_names_the_kinds(cli: Any) -> None:
    result = cli("history", "widget", "1")
    assert result.status == 2
    assert result.err.startswith("docket: kind: expected one of action_item,")
    assert result.err.count("\n") == 1


def test_backup_is_a_complete_copy_and_never_overwrites(cli: Any, tmp_path: Path) -> None:
    cli("action", "add", "Kept in the copy")
    target = tmp_path / "copy.db"
    assert cli("backup", str(target)).status == 0
    with sqlite3.connect(target) as copy:
        titles = [row[0] for row in copy.execute("SELECT title FROM action_item")]
    assert titles == ["Kept in the copy"]
    again = cli("backup", str(target))
    assert (again.status, again.err) == (
        1,
        f"docket: {target} already exists; choose another name, or add --force to replace it\n",
    )
    assert cli("check", db=target).status == 0


def test_check_reports_a_broken_reference_and_fails(cli: Any, db_path: Path) -> None:
    assert cli("check").status == 0
    database.close()
    with sqlite3.connect(db_path) as raw:  # as a damaged copy or a foreign tool might leave it
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(
            "INSERT INTO action_item (title, notes, priority, status, program_id, created_at,"
            " updated_at, version) VALUES ('orphan', '', 'normal', 'open', 99,"
            " '2026-11-23 00:00:00', '2026-11-23 00:00:00', 1)"
        )
    result = cli("check")
    assert result.status == 1
    assert "action_item row 1 refers to a missing program" in result.err
