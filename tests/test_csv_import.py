"""A CSV import reads and checks the whole file before it takes the write lock, then writes
every record, each with its audit entry, in one short transaction: others can write while a
large file is being read, and nothing is half-imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import another_account_writes, traced, transactions

from docket.exports.tabular import csv_import, csv_kinds
from docket.models.audit import chain as audit
from docket.models.core.context import Context
from docket.models.core.schema import AuditEntry, Person, database
from docket.models.people.persons import add_person, person_values

pytestmark = pytest.mark.both_engines


def _people_csv(count: int, start: int = 0) -> str:
    lines = ["name,email,organization,kind"]
    lines += [
        f"Person {i},p{i}@city.example,City IT,{'contractor' if i % 3 else 'staff'}"
        for i in range(start, start + count)
    ]
    return "\n".join(lines) + "\n"


def test_rows_are_checked_before_the_write_lock_is_taken(
    db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = person_values
    others_wrote: list[int] = []

    with traced() as statements:

        def check_while_another_writes(name: str, **fields: Any) -> dict[str, Any]:
            # while the file is being checked, no transaction is open here, and another
            # account takes the write lock at once (no wait) and writes
            assert not database.in_transaction()
            if name == "Person 2":
                another_account_writes(db_path)
                others_wrote.append(len(statements))
            return checked(name, **fields)

        monkeypatch.setattr(csv_kinds, "person_values", check_while_another_writes)
        report = csv_import.import_csv(ctx, "people", _people_csv(50))
    assert (report.imported, report.bad) == (50, [])
    begun = transactions(statements)
    # one write transaction, its lock taken after every row was checked
    assert [locked for _, locked in begun] == [True]
    assert others_wrote and begun[0][0] > others_wrote[0]
    assert Person.select().count() == 50


def test_every_imported_record_is_audited_in_the_chain_as_an_add_would_be(
    db_path: Path, ctx: Context
) -> None:
    add_person(
        ctx, "Typed In", email="typed@city.example", organization="City IT", kind="contractor"
    )
    before = audit.chain_breaks()[1]
    report = csv_import.import_csv(ctx, "people", _people_csv(20))
    assert report.imported == 20
    entries = list(AuditEntry.select().where(AuditEntry.entity == "person").order_by(AuditEntry.id))
    assert [e.entity_id for e in entries] == [p.id for p in Person.select().order_by(Person.id)]
    # an imported person's entry reads like a typed one's: same fields, same form
    typed, imported = entries[0].changes, entries[2].changes
    assert typed.replace("Typed In", "X").replace("typed@", "y@") == imported.replace(
        "Person 1", "X"
    ).replace("p1@", "y@")
    breaks, count, _ = audit.chain_breaks()
    assert (breaks, count) == ([], before + 20)
    assert list(audit.unexplained([])) == []


def test_an_email_taken_while_the_file_was_read_imports_nothing(
    db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.models.core import bulk

    prepare = bulk.prepare

    def someone_adds_first(*args: Any) -> Any:
        add_person(ctx, "Quick Colleague", email="P3@city.example")
        return prepare(*args)

    monkeypatch.setattr(bulk, "prepare", someone_adds_first)
    report = csv_import.import_csv(ctx, "people", _people_csv(5))
    assert report.imported == 0
    assert [(b.line, b.field, b.why) for b in report.bad] == [
        (5, "email", "p3@city.example already belongs to Quick Colleague (#1)")
    ]
    assert [p.name for p in Person.select()] == ["Quick Colleague"]


def test_the_same_email_twice_in_a_file_names_the_later_line(db_path: Path, ctx: Context) -> None:
    data = "name,email\nAna,ana@x.example\nBo,bo@x.example\nAnna,ANA@x.example\n"
    report = csv_import.import_csv(ctx, "people", data)
    assert [(b.line, b.field, b.why) for b in report.bad] == [
        (4, "email", "ANA@x.example already belongs to Ana (line 2)")
    ]
    assert Person.select().count() == 0


@pytest.mark.parametrize(
    ("content", "encoding", "status", "name"),
    [
        ("name,email\nJosé García,jose@x.example\n".encode(), None, 0, "José García"),
        ("\ufeffname,email\nJosé García,jose@x.example\n".encode(), None, 0, "José García"),
        ("name,email\nJosé García,jose@x.example\n".encode("latin-1"), None, 2, None),
        ("name,email\nJosé García,jose@x.example\n".encode("latin-1"), "latin-1", 0, "José García"),
        ("name,email\nJosé García,jose@x.example\n".encode(), "klingon", 2, None),
    ],
)
def test_a_file_is_read_as_utf8_or_its_named_encoding_never_guessed(
    cli: Any, tmp_path: Path, content: bytes, encoding: str | None, status: int, name: str | None
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    extra = ("--encoding", encoding) if encoding else ()
    result = cli("import", "csv", "people", str(path), *extra)
    assert result.status == status, result.err
    if status == 2:
        assert result.err.count("\n") == 1
        assert ("--encoding" in result.err) == (encoding is None)
        assert Person.select().count() == 0
    else:
        assert [p.name for p in Person.select()] == [name]
