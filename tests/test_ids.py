"""A record's id is never given twice, on either engine: a deleted record's id is not
given to the next one, whichever way it is made (one by one, a CSV import, an office moved
to PostgreSQL), so its history is its own.

SQLite alone would give the deleted newest record's id again, and ``docket history`` would
then tell two records' stories as one (found comparing the engines, issue 23).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from docket.models.core.database import open_database
from docket.models.core.schema import database

pytestmark = pytest.mark.both_engines


def ok(cli: Any, *args: str) -> str:
    result = cli(*args)
    assert result.status == 0, (args, result.err)
    return str(result.out)


def _people(cli: Any) -> dict[str, int]:
    rows = ok(cli, "person", "list", "--format", "csv").splitlines()[1:]
    return {row.split(",")[1]: int(row.split(",")[0]) for row in rows}


def test_the_next_person_after_a_deletion_gets_a_new_id(cli: Any) -> None:
    ok(cli, "person", "add", "Ann Apple", "--email", "ann@x.example")
    ok(cli, "person", "add", "Bob Birch", "--email", "bob@x.example")
    ok(cli, "person", "delete", "bob@x.example")
    ok(cli, "person", "add", "Cy Cedar", "--email", "cy@x.example")
    assert _people(cli) == {"Ann Apple": 1, "Cy Cedar": 3}
    bob = ok(cli, "history", "person", "2")
    assert "Bob Birch" in bob and "Cy Cedar" not in bob
    assert "Bob Birch" not in ok(cli, "history", "person", "3")


def test_an_import_after_a_deletion_gives_new_ids(cli: Any, tmp_path: Path) -> None:
    ok(cli, "person", "add", "Ann Apple", "--email", "ann@x.example")
    ok(cli, "person", "add", "Bob Birch", "--email", "bob@x.example")
    ok(cli, "person", "delete", "bob@x.example")
    people = tmp_path / "people.csv"
    people.write_text("name,email\nDee Dogwood,dee@x.example\nEd Elm,ed@x.example\n")
    ok(cli, "import", "csv", "people", str(people))
    assert _people(cli) == {"Ann Apple": 1, "Dee Dogwood": 3, "Ed Elm": 4}
    # and the one-by-one way after the import carries on past them
    ok(cli, "person", "add", "Fay Fir", "--email", "fay@x.example")
    assert _people(cli)["Fay Fir"] == 5


@pytest.mark.sqlite_only  # an SQLite office, moved to PostgreSQL
def test_an_office_moved_to_postgresql_never_gives_a_deleted_id_again(
    cli: Any, db_path: Path, pg_url: str
) -> None:
    from docket.models.core.migrate import migrate

    ok(cli, "person", "add", "Ann Apple", "--email", "ann@x.example")
    ok(cli, "person", "add", "Bob Birch", "--email", "bob@x.example")
    ok(cli, "person", "delete", "bob@x.example")
    database.close()
    migrate(db_path, pg_url)
    database.close()
    open_database(pg_url)
    ok(cli, "--db", pg_url, "person", "add", "Cy Cedar", "--email", "cy@x.example")
    assert _people(lambda *a: cli(*a, db=pg_url)) == {"Ann Apple": 1, "Cy Cedar": 3}
