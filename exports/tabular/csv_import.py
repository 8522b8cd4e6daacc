"""Records in from CSV files, the way offices keep them in spreadsheets: people,
assignments, expenditures, action items, milestones and risks.

A row that names a record (its ``id``; for people, else an e-mail someone has) updates
that record; any other row adds one. Each kind's columns and rules are in
:mod:`docket.exports.tabular.csv_kinds`. The columns are those docket's own CSV exports write
(:mod:`docket.exports.tabular.csv_records`), so an export can be edited and read back: a cell that
reads as the export writes it changes nothing, so an unchanged export changes nothing and
exporting again gives the same bytes. Columns docket does not know are ignored (and named
in the report); those an export writes for reading only (a state, a score) are ignored
quietly.

The header is checked first (every required column, none twice), then every row is
checked by the same rules the command line uses, before anything is written and without
holding the write lock, so others keep working while a large file is read: when any row is
bad, the report names each bad row (line, field, why) and nothing is imported. Then, in
one short transaction, new records are inserted (:mod:`docket.models.core.bulk`) and changed
ones updated through each kind's edit, which checks the version the file was exported at,
keeps the rules that depend on the record as it is now (a reason for moving a forecast,
the contract ceiling) and audits every change; a row refused there undoes the whole file
too. A dry run goes as far, then undoes it all.

Amounts are read in docket's own form (``12500.50``, as its exports write them), whatever
separator the office's config sets for typing. A cell the export guarded with an
apostrophe (so a spreadsheet would not run it) is read without that one apostrophe
(:func:`docket.exports.tabular.tables.from_spreadsheet`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import peewee

from docket.exports.tabular import csv_records
from docket.exports.tabular.csv_kinds import CHANGE, KEYS, KINDS, Kind, Row
from docket.exports.tabular.tables import from_spreadsheet
from docket.models.accounts.roles import require_writer
from docket.models.core import bulk, records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ConflictError, DocketError, ValidationError
from docket.models.core.inputs import MAX_INTEGER, shown, typed_id
from docket.models.core.schema import Record
from docket.models.people import directory as people
from docket.models.people.persons import checked_changes, holdings


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be imported: its line in the file, the field and why."""

    line: int
    field: str
    why: str


@dataclass
class CsvReport:
    """What an import did or would do: ``added``, ``updated`` and ``unchanged`` count rows
    by what they do (in a dry run, would do); ``imported`` those written."""

    kind: str
    dry_run: bool
    imported: int = 0
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def facts(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "imported": self.imported,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad": [{"line": b.line, "field": b.field, "why": b.why} for b in self.bad],
            "ignored_columns": self.ignored,
        }


@dataclass
class _Update:
    """A row that changes a record: the cells that differ from the record's export."""

    line: int
    record: Record
    changes: Row
    row: Row
    values: dict[str, Any]


class _Undone(Exception):
    """Leaves the import's transaction undone (a dry run, or a row refused inside it)."""


def _cell(value: str | None) -> str:
    return from_spreadsheet((value or "").strip())


def _field_of(error: DocketError) -> tuple[str, str]:
    """The field an error names and what it says about it."""
    if isinstance(error, ValidationError):
        return error.field, error.reason
    if isinstance(error, ConflictError):
        return "version", str(error)
    said = str(error)
    name, sep, rest = said.partition(": ")
    return (name, rest) if sep and " " not in name else ("row", said)


def _taken_in(good: Sequence[tuple[int, dict[str, Any], int | None]]) -> list[BadRow]:
    """People whose e-mail or account someone else in the directory, or an earlier row of
    the file, already has (each row: line, checked fields, the id of the person it
    updates; new people first, then updates in the order they are written). As the rows
    would be written one by one: a person a row updates gives up what they held at that
    row, and holds what the row gives them from then on."""
    emails: dict[str, tuple[int | None, str]] = {}  # by address in lower case: (id, label)
    accounts: dict[str, tuple[int | None, str]] = {}
    held: dict[int, tuple[str | None, str | None]] = {}
    for holder, name, email, account in holdings():
        held[holder] = (email.lower() if email else None, account)
        if email:
            emails[email.lower()] = (holder, f"{name} (#{holder})")
        if account:
            accounts[account] = (holder, f"{name} (#{holder})")
    bad: list[BadRow] = []
    for line, values, ident in good:
        if ident is not None:
            had_email, had_account = held.get(ident, (None, None))
            if had_email and emails.get(had_email, (None,))[0] == ident:
                del emails[had_email]
            if had_account and accounts.get(had_account, (None,))[0] == ident:
                del accounts[had_account]
        email, account = values["email"], values["account"]
        if email and email.lower() in emails:
            bad.append(
                BadRow(line, "email", f"{email} already belongs to {emails[email.lower()][1]}")
            )
        elif account and account in accounts:
            bad.append(
                BadRow(line, "account", f"{account} already belongs to {accounts[account][1]}")
            )
        else:
            now_held = (ident, f"{values['name']} (line {line})")
            if email:
                emails[email.lower()] = now_held
            if account:
                accounts[account] = now_held
    return bad


def _rows(
    reader: Any, header: list[str], known: set[str], report: CsvReport
) -> Iterator[tuple[int, Row]]:
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


def _header(reader: Any, kind: str, spec: Kind) -> list[str]:
    """The header's column names, refused when a required one is missing or one is twice."""
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError("file", "the file is empty: expected a header line") from None
    except csv.Error as exc:
        raise ValidationError("file", f"line 1: {exc}") from None
    missing = [c for c in spec.required if c not in header]
    twice = sorted({h for h in header if header.count(h) > 1 and h})
    if missing or twice:
        problem = f"missing {', '.join(missing)}" if missing else f"{', '.join(twice)} given twice"
        raise ValidationError(
            "header",
            f"{problem}; a {kind} file has {', '.join(spec.required + spec.optional)} "
            "(and id to update a record)",
        )
    return header


def _targets(
    kind: str, spec: Kind, rows: list[tuple[int, Row]], ctx: Context, report: CsvReport
) -> list[tuple[int, Row, tuple[Record, dict[str, Any]] | None]]:
    """Each row with the record it names and that record's CSV row (None: a new record);
    a row naming a record that does not exist, or one an earlier row names, is bad."""
    named: dict[int, int] = {}  # line: the id its row names
    for line, row in rows:
        typed = row.get("id", "")
        number = typed_id(typed) if typed else None
        if typed and (number is None or not 1 <= number <= MAX_INTEGER):
            report.bad.append(BadRow(line, "id", f"expected a record's id, got {shown(typed)}"))
        elif number is not None:
            named[line] = number
    if kind == "people":
        # a person without an id is the one with the row's e-mail, when someone has it
        emails = {line: row.get("email", "") for line, row in rows if not row.get("id")}
        addresses = sorted(set(emails.values()))
        holders: dict[str, Any] = {}
        for at in range(0, len(addresses), 10_000):  # SQLite's limit on parameters
            holders |= people.people_by_email(addresses[at : at + 10_000])
        for line, email in emails.items():
            if email.lower() in holders:
                named[line] = int(holders[email.lower()].id)
    found = csv_records.by_id(kind, named.values(), ctx.today())
    targets: list[tuple[int, Row, tuple[Record, dict[str, Any]] | None]] = []
    first_line: dict[int, int] = {}
    for line, row in rows:
        ident = named.get(line)
        if ident is None:
            if not row.get("id"):  # else a bad id, reported
                targets.append((line, row, None))
        elif ident not in found:
            why = f"no {spec.noun} with id {ident}; leave id empty to add a new one"
            report.bad.append(BadRow(line, "id", why))
        elif ident in first_line:
            why = f"{spec.noun} {ident} is on line {first_line[ident]} too"
            report.bad.append(BadRow(line, "id", why))
        else:
            first_line[ident] = line
            targets.append((line, row, found[ident]))
    return targets


def _changed(
    spec: Kind, line: int, row: Row, record: Record, shown_now: dict[str, Any]
) -> Row | BadRow:
    """The cells of a row that differ from its record's export (none: it changes
    nothing), or why the row cannot update it."""
    changes = {
        c: v
        for c, v in row.items()
        if c not in KEYS and c in shown_now and v != csv_records.cell(shown_now[c])
    }
    if not changes:
        return changes
    for column in spec.fixed:
        if column in changes:
            return BadRow(
                line,
                column,
                f"{spec.noun} {record.id} has {shown(csv_records.cell(shown_now[column]))}; "
                f"an import does not change a {spec.noun}'s {column} (leave id empty to add "
                "a new one)",
            )
    exported_at = row.get("version", "")
    if exported_at and exported_at != str(record.version):
        return BadRow(
            line,
            "version",
            f"{spec.noun} {record.id} was changed since this file was exported (version "
            f"{exported_at}, now {record.version}); export it again and redo the change",
        )
    return changes


def import_csv(
    ctx: Context, kind: str, data: str, *, dry_run: bool = False, reason: str = ""
) -> CsvReport:
    """Import one kind of record from CSV text, adding and updating; all rows or none.
    ``reason`` goes with every change (moving a milestone or correcting an expenditure
    needs one)."""
    if kind not in KINDS:
        raise ValidationError("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    require_writer(ctx)
    spec = KINDS[kind]
    # amounts as docket's exports write them, whatever the office types
    ctx = ctx._replace(decimal_comma=False)
    report = CsvReport(kind, dry_run)
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    header = _header(reader, kind, spec)
    known = {*spec.required, *spec.optional, *KEYS}
    export_only = set(csv_records.KINDS[kind].columns)
    report.ignored = [h for h in header if h and h not in known and h not in export_only]
    # every row checked before anything is written: no lock is held while the file is read
    try:
        rows = list(_rows(reader, header, known, report))
    except csv.Error as exc:
        raise ValidationError("file", f"line {reader.line_num}: {exc}") from None
    new: list[tuple[int, dict[str, Any]]] = []
    updates: list[_Update] = []
    for line, row, target in _targets(kind, spec, rows, ctx, report):
        if target is None:
            try:
                new.append((line, spec.values(ctx, row, None)))
            except DocketError as error:
                report.bad.append(BadRow(line, *_field_of(error)))
            continue
        record, shown_now = target
        changes = _changed(spec, line, row, record, shown_now)
        if isinstance(changes, BadRow):
            report.bad.append(changes)
        elif not changes:
            report.unchanged += 1
        else:
            # the whole row as it would stand, checked as a new one would be
            whole = {c: csv_records.cell(shown_now[c]) for c in known if c in shown_now} | row
            try:
                values = spec.values(ctx, whole, record)
            except DocketError as error:
                report.bad.append(BadRow(line, *_field_of(error)))
                continue
            updates.append(_Update(line, record, changes, whole, values))
    if kind == "people":
        good: list[tuple[int, dict[str, Any], int | None]] = [(line, v, None) for line, v in new]
        good += [(u.line, u.values, int(u.record.id)) for u in updates]
        report.bad += _taken_in(good)
    report.added, report.updated = len(new), len(updates)
    if not report.bad and (new or updates):
        _write(ctx, kind, spec, new, updates, reason, report)
    report.bad.sort(key=lambda b: b.line)
    if not report.bad and not dry_run:
        report.imported = report.added + report.updated
    return report


def _write(
    ctx: Context,
    kind: str,
    spec: Kind,
    new: list[tuple[int, dict[str, Any]]],
    updates: list[_Update],
    reason: str,
    report: CsvReport,
) -> None:
    """Add and update in one short transaction; undone when any row is refused in it (or
    for a dry run). An update that turns out to change nothing is counted unchanged."""
    model = csv_records.KINDS[kind].model
    prepared = bulk.prepare(ctx, model, (values for _, values in new))
    # people's changes are checked here and written all at once: no per-row queries
    changed = _people_changes(updates, report) if kind == "people" else []
    if report.bad:
        return
    try:
        with write():
            ids = bulk.create_many(ctx, prepared) if new else range(0)
            if spec.after is not None and new:
                spec.after(ctx, ids, [values for _, values in new])
            if kind == "people":
                _update_people(ctx, model, updates, changed, reason, report)
            else:
                _update_each(ctx, kind, updates, reason, report)
            if report.bad or report.dry_run:
                raise _Undone
    except _Undone:
        return
    except peewee.IntegrityError:
        # someone took an e-mail or account of the file, or deleted a record it names,
        # since it was checked (the unique indexes and foreign keys say so): nothing written
        if kind == "people":
            report.bad = _taken_in(
                [(line, v, None) for line, v in new]
                + [(u.line, u.values, int(u.record.id)) for u in updates]
            )
            if report.bad:
                return
        raise ConflictError(
            "a record the file names was deleted by someone else while it was read; "
            "nothing was imported: import it again"
        ) from None


def _update_each(
    ctx: Context, kind: str, updates: list[_Update], reason: str, report: CsvReport
) -> None:
    """Update records one by one through their kind's edit, which keeps the rules that
    depend on the record as it is now (inside the transaction)."""
    for update in updates:
        try:
            changes = dict(update.changes)
            made = CHANGE[kind](ctx, update.record, changes, update.row, reason)
        except DocketError as error:
            name, why = _field_of(error)
            if name == "reason" and not reason:
                why += " (give it with --reason)"
            report.bad.append(BadRow(update.line, name, why))
            continue
        if made.version == update.record.version:
            report.updated -= 1
            report.unchanged += 1


def _people_changes(
    updates: list[_Update], report: CsvReport
) -> list[tuple[Record, dict[str, Any]]]:
    """Each updated person's changed fields, checked as a person's edit checks them
    (before the write lock; a refused row goes in the report). Their e-mails and accounts
    were checked by :func:`_taken_in`, and the unique indexes hold them in the write."""
    changed: list[tuple[Record, dict[str, Any]]] = []
    for update in updates:
        try:
            changed.append((update.record, checked_changes(dict(update.changes))))
        except DocketError as error:
            report.bad.append(BadRow(update.line, *_field_of(error)))
    return changed


def _update_people(
    ctx: Context,
    model: type[Record],
    updates: list[_Update],
    changed: list[tuple[Record, dict[str, Any]]],
    reason: str,
    report: CsvReport,
) -> None:
    """Write every person's changes at once, each audited as a person's edit audits it
    (inside the transaction); a person changed by someone else since the file was read is
    a bad row, and one whose values turn out the same is unchanged."""
    done = bulk.update_many(ctx, model, changed, reason)
    lines = {int(u.record.id): u.line for u in updates}
    for ident in done.stale:
        report.bad.append(BadRow(lines[ident], *_field_of(records.conflict(model, ident))))
    if not done.stale:
        same = len(updates) - len(done.changed)
        report.updated -= same
        report.unchanged += same
