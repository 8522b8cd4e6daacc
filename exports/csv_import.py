"""People, assignments and expenditures in from CSV files, the way offices keep them in
spreadsheets.

The header is checked first (every required column, none twice), then every row is
checked by the same rules the command line uses, before anything is written and without
holding the write lock, so others keep working while a large file is read: when any row is
bad, the report names each bad row (line, field, why) and nothing is imported; a dry run
reports the same and imports nothing either way. Good rows are then written in one short
transaction (:mod:`docket.models.bulk`), where what others may have changed meanwhile (an
e-mail now taken, a contract deleted) is checked again.

Amounts are read in docket's own form (``12500.50``, as its exports write them), whatever
separator the office's config sets for typing.

The columns are those docket's own CSV exports write, so an export can be edited and read
back; columns docket does not know are ignored (and named in the report). A cell written
by docket's export with an apostrophe before ``=``, ``+``, ``-`` or ``@`` (so a spreadsheet
would not run it) is read without the apostrophe.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import peewee

from docket.models import assignments, bulk, contracts, people
from docket.models.context import Context
from docket.models.database import write
from docket.models.errors import ConflictError, DocketError, ValidationError
from docket.models.roles import require_writer
from docket.models.schema import Assignment, Expenditure, Person, Record

# kind: (required columns, optional columns)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "people": (
        ("name",),
        ("email", "organization", "title", "kind", "account", "phone", "timezone"),
    ),
    "assignments": (
        ("person", "program", "allocation", "start", "end"),
        ("role", "contract", "rate"),
    ),
    "expenditures": (("contract", "amount"), ("date", "invoice")),
}
# columns docket's exports add that an import has no use for
EXPORT_ONLY = {
    "id",
    "version",
    "ends_in_days",
    "outside_contract",
    "note",
    "vendor",
    "program_name",
}


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be imported: its line in the file, the field and why."""

    line: int
    field: str
    why: str


@dataclass
class CsvReport:
    """What an import did or would do."""

    kind: str
    dry_run: bool
    imported: int = 0
    rows: int = 0
    bad: list[BadRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def facts(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "imported": self.imported,
            "bad": [{"line": b.line, "field": b.field, "why": b.why} for b in self.bad],
            "ignored_columns": self.ignored,
        }


def _cell(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def _person(ctx: Context, row: dict[str, str]) -> dict[str, Any]:
    return people.person_values(
        row["name"],
        email=row.get("email") or None,
        organization=row.get("organization") or None,
        title=row.get("title") or None,
        phone=row.get("phone") or None,
        timezone=row.get("timezone") or None,
        kind=row.get("kind") or "staff",
        account=row.get("account") or None,
    )


def _assignment(ctx: Context, row: dict[str, str]) -> dict[str, Any]:
    return assignments.assignment_values(
        ctx,
        row["person"],
        program=row["program"],
        allocation=row["allocation"],
        start=row["start"],
        end=row["end"],
        role=row.get("role", ""),
        contract=row.get("contract") or None,
        rate=row.get("rate") or None,
    )


def _expenditure(ctx: Context, row: dict[str, str]) -> dict[str, Any]:
    return contracts.expenditure_values(
        ctx,
        row["contract"],
        row["amount"],
        on=row.get("date") or None,
        invoice=row.get("invoice", ""),
    )


# kind: (the model, how a row becomes a new record's checked fields)
CHECK: dict[str, tuple[type[Record], Callable[[Context, dict[str, str]], dict[str, Any]]]] = {
    "people": (Person, _person),
    "assignments": (Assignment, _assignment),
    "expenditures": (Expenditure, _expenditure),
}


def _field_of(error: DocketError) -> tuple[str, str]:
    """The field an error names and what it says about it."""
    if isinstance(error, ValidationError):
        return error.field, error.reason
    said = str(error)
    name, sep, rest = said.partition(": ")
    return (name, rest) if sep and " " not in name else ("row", said)


def _taken_in(good: list[tuple[int, dict[str, Any]]]) -> list[BadRow]:
    """New people whose e-mail or account someone in the directory, or an earlier row of the
    file, already has."""
    emails, accounts = people.taken()
    bad: list[BadRow] = []
    for line, values in good:
        email, account = values["email"], values["account"]
        if email and email.lower() in emails:
            bad.append(BadRow(line, "email", f"{email} already belongs to {emails[email.lower()]}"))
        elif account and account in accounts:
            bad.append(BadRow(line, "account", f"{account} already belongs to {accounts[account]}"))
        else:
            holder = f"{values['name']} (line {line})"
            if email:
                emails[email.lower()] = holder
            if account:
                accounts[account] = holder
    return bad


def _rows(
    reader: Any, header: list[str], known: set[str], report: CsvReport
) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's non-blank rows as (line, known columns); rows too long go in the report."""
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        report.rows += 1
        if len(cells) > len(header):
            report.bad.append(
                BadRow(reader.line_num, "row", f"{len(cells)} cells for {len(header)} columns")
            )
            continue
        yield (
            reader.line_num,
            {h: _cell(c) for h, c in zip(header, cells, strict=False) if h in known},
        )


def import_csv(ctx: Context, kind: str, data: str, *, dry_run: bool = False) -> CsvReport:
    """Import one kind of record from CSV text; all rows or none."""
    if kind not in KINDS:
        raise ValidationError("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    require_writer(ctx)
    required, optional = KINDS[kind]
    model, check = CHECK[kind]
    # amounts as docket's exports write them, whatever the office types
    ctx = replace(ctx, decimal_comma=False)
    report = CsvReport(kind, dry_run)
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError("file", "the file is empty: expected a header line") from None
    except csv.Error as exc:
        raise ValidationError("file", f"line 1: {exc}") from None
    missing = [c for c in required if c not in header]
    twice = sorted({h for h in header if header.count(h) > 1 and h})
    if missing or twice:
        problem = f"missing {', '.join(missing)}" if missing else f"{', '.join(twice)} given twice"
        raise ValidationError(
            "header", f"{problem}; a {kind} file has {', '.join(required + optional)}"
        )
    known = set(required) | set(optional)
    report.ignored = [h for h in header if h and h not in known and h not in EXPORT_ONLY]
    # every row checked before anything is written: no lock is held while the file is read
    good: list[tuple[int, dict[str, Any]]] = []
    try:
        for line, row in _rows(reader, header, known, report):
            try:
                good.append((line, check(ctx, row)))
            except DocketError as error:
                report.bad.append(BadRow(line, *_field_of(error)))
    except csv.Error as exc:
        raise ValidationError("file", f"line {reader.line_num}: {exc}") from None
    if kind == "people":
        report.bad += _taken_in(good)
    report.bad.sort(key=lambda b: b.line)
    if report.bad or dry_run:
        return report
    new = bulk.prepare(ctx, model, (values for _, values in good))
    try:
        with write():
            bulk.create_many(ctx, new)
    except (peewee.IntegrityError, sqlite3.IntegrityError):
        # someone took an e-mail or account of the file, or deleted a contract it names,
        # since it was checked (the unique indexes and foreign keys say so): nothing written
        report.bad = _taken_in(good) if kind == "people" else []
        if report.bad:
            return report
        raise ConflictError(
            "a record the file names was deleted by someone else while it was read; "
            "nothing was imported: import it again"
        ) from None
    report.imported = report.rows
    return report
