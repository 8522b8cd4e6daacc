"""People, assignments and expenditures in from CSV files, the way offices keep them in
spreadsheets.

The header is checked first (every required column, none twice), then every row is tried
through the same domain operations the command line uses, in one transaction: when any
row is bad, the report names each bad row (line, field, why) and nothing is imported; a dry
run reports the same and imports nothing either way.

The columns are those docket's own CSV exports write, so an export can be edited and read
back; columns docket does not know are ignored (and named in the report). A cell written
by docket's export with an apostrophe before ``=``, ``+``, ``-`` or ``@`` (so a spreadsheet
would not run it) is read without the apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docket.models import assignments, contracts
from docket.models.context import Context
from docket.models.database import write
from docket.models.errors import DocketError, ValidationError
from docket.models.people import add_person

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


class _Rollback(Exception):
    """Undo the whole import: a row was bad, or it was a dry run."""


def _cell(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def _person(ctx: Context, row: dict[str, str]) -> Any:
    return add_person(
        ctx,
        row["name"],
        email=row.get("email") or None,
        organization=row.get("organization") or None,
        title=row.get("title") or None,
        phone=row.get("phone") or None,
        timezone=row.get("timezone") or None,
        kind=row.get("kind") or "staff",
        account=row.get("account") or None,
    )


def _assignment(ctx: Context, row: dict[str, str]) -> Any:
    return assignments.add_assignment(
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


def _expenditure(ctx: Context, row: dict[str, str]) -> Any:
    return contracts.add_expenditure(
        ctx,
        row["contract"],
        row["amount"],
        on=row.get("date") or None,
        invoice=row.get("invoice", ""),
    )


ADD: dict[str, Callable[[Context, dict[str, str]], Any]] = {
    "people": _person,
    "assignments": _assignment,
    "expenditures": _expenditure,
}


def _field_of(error: DocketError) -> tuple[str, str]:
    """The field an error names and what it says about it."""
    if isinstance(error, ValidationError):
        return error.field, error.reason
    said = str(error)
    name, sep, rest = said.partition(": ")
    return (name, rest) if sep and " " not in name else ("row", said)


def import_csv(ctx: Context, kind: str, data: str, *, dry_run: bool = False) -> CsvReport:
    """Import one kind of record from CSV text; all rows or none."""
    if kind not in KINDS:
        raise ValidationError("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    required, optional = KINDS[kind]
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
    try:
        with write():
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                report.rows += 1
                line = reader.line_num
                if len(cells) > len(header):
                    report.bad.append(
                        BadRow(line, "row", f"{len(cells)} cells for {len(header)} columns")
                    )
                    continue
                row = {h: _cell(c) for h, c in zip(header, cells, strict=False) if h in known}
                try:
                    with write():  # a savepoint: one bad row does not stop the check of the rest
                        ADD[kind](ctx, row)
                except DocketError as error:
                    report.bad.append(BadRow(line, *_field_of(error)))
            if report.bad or dry_run:
                raise _Rollback
            report.imported = report.rows
    except _Rollback:
        pass
    except csv.Error as exc:
        raise ValidationError("file", f"line {reader.line_num}: {exc}") from None
    return report
