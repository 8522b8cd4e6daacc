"""``docket import ics FILE`` (meetings from Outlook and Google calendar exports, and
replies) and ``docket import csv KIND FILE`` (people, assignments, expenditures, action
items, milestones, risks: added or updated).

The handlers read the file and print the report; the rules live in
:mod:`docket.exports.calendar.ical_import` and :mod:`docket.exports.tabular.csv_import`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docket.exports.tabular.tables import write_json
from docket.models.core import inputs
from docket.models.core.errors import ValidationError
from docket.tui.cli.main import add_format, verbs
from docket.tui.cli.output import clean

if TYPE_CHECKING:
    from docket.exports.calendar.ical_import import ImportReport
    from docket.exports.tabular.csv_import import CsvReport
    from docket.tui.cli.main import Session

IMPORT_HELP = "bring records in from calendar and spreadsheet files"
# what ``import csv`` reads (docket.exports.tabular.csv_import.KINDS, without importing it here)
CSV_KINDS = ("people", "assignments", "expenditures", "actions", "milestones", "risks")


def register(sub: Any) -> None:
    """Add ``docket import ics``."""
    group = verbs(sub, "import", IMPORT_HELP)
    p = group.add_parser(
        "ics",
        help="meetings from a calendar export (.ics), or responses from a METHOD:REPLY file",
    )
    p.add_argument("file", metavar="FILE.ics")
    p.add_argument("--program", metavar="CODE", help="the program the meetings belong to")
    p.add_argument(
        "--dry-run", action="store_true", help="report what would happen; change nothing"
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="the file's text encoding when it is not UTF-8 (e.g. cp1252)",
    )
    add_format(p, "text", "json")
    p.set_defaults(handler=import_ics)

    p = group.add_parser(
        "csv",
        help="add or update people, assignments, expenditures, actions, milestones or risks "
        "from a spreadsheet's CSV (all or none)",
    )
    p.add_argument("kind", choices=CSV_KINDS)
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--dry-run", action="store_true", help="check every row; import nothing")
    p.add_argument(
        "--reason",
        default="",
        help="why, kept with every change (moving a forecast or correcting an amount needs one)",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="the file's text encoding when it is not UTF-8 (e.g. cp1252 from Excel on Windows)",
    )
    add_format(p, "text", "json")
    p.set_defaults(handler=import_csv)


def read_file(typed: str) -> bytes:
    """The bytes of the file named on the command line (a clear error when it cannot be read)."""
    path = Path(typed).expanduser()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationError("file", f"no file {path}") from None
    except IsADirectoryError:
        raise ValidationError("file", f"{path} is a directory, not a file") from None
    except OSError as exc:
        raise ValidationError("file", f"cannot read {path}: {exc.strerror}") from None


def import_ics(session: Session, args: argparse.Namespace) -> int:
    """Import, print the report; exit 1 when some event was skipped (the rest is in), with
    one line on stderr saying so; a file that is not a calendar exits 2 (nothing imported)."""
    from docket.exports.calendar.ical_import import import_calendar

    data = read_file(args.file)
    report = import_calendar(
        session.ctx, data, program=args.program, dry_run=args.dry_run, encoding=args.encoding
    )
    if args.format == "json":
        write_json(report.facts(), session.out)
    else:
        for line in summary(report):
            session.print(line)
    if report.skipped:
        what = "event" if len(report.skipped) == 1 else "events"
        session.err.write(
            f"docket: {len(report.skipped)} {what} of {clean(args.file)} not imported "
            "(listed in the report)\n"
        )
        return 1
    return 0


def summary(report: ImportReport) -> list[str]:
    """The report in lines a person reads: what went in, then what did not and why."""
    would = "would import" if report.dry_run else "imported"
    lines: list[str] = []
    if report.method == "REPLY":
        lines.append(f"{would.replace('import', 'record')} {report.responses} response(s)")
    else:
        ids = ", ".join(str(i) for i in report.meetings)
        lines.append(
            f"{would} {len(report.meetings)} meeting(s)"
            + (f" ({ids})" if ids and not report.dry_run else "")
            + f" with {report.changes} changed or cancelled occurrence(s)"
        )
    for note in report.notes:
        lines.append(f"note: {clean(note)}")
    if report.skipped:
        lines.append(f"skipped {len(report.skipped)}:")
        lines.extend(
            f"  {f'line {s.line}: ' if s.line else ''}{clean(s.what)}: {clean(s.why)}"
            for s in report.skipped
        )
    return lines


def _what_rows_do(report: CsvReport) -> str:
    """`` (2 added, 1 updated, 40 unchanged)`` when a file updates or leaves records alone."""
    if not report.updated and not report.unchanged:
        return ""
    return f" ({report.added} added, {report.updated} updated, {report.unchanged} unchanged)"


def import_csv(session: Session, args: argparse.Namespace) -> int:
    """Import, print the report; exit 2 when a row was bad (then nothing was imported)."""
    from docket.exports.tabular.csv_import import import_csv as read_csv

    text = inputs.file_text(read_file(args.file), args.encoding)
    report = read_csv(session.ctx, args.kind, text, dry_run=args.dry_run, reason=args.reason)
    if args.format == "json":
        write_json(report.facts(), session.out)
    else:
        if report.bad:
            session.print(f"{len(report.bad)} bad row(s) of {report.rows}; nothing imported:")
            for bad in report.bad:
                session.print(f"  line {bad.line}: {clean(bad.field)}: {clean(bad.why)}")
        elif report.dry_run:
            session.print(
                f"{report.rows} {args.kind} row(s) are good{_what_rows_do(report)}; "
                "nothing imported (dry run)"
            )
        elif report.imported:
            session.print(f"imported {report.imported} {args.kind}{_what_rows_do(report)}")
        else:
            session.print(f"nothing to import: {report.unchanged} {args.kind} unchanged")
        if report.ignored:
            session.print(f"ignored columns: {', '.join(clean(c) for c in report.ignored)}")
    if report.bad:
        rows = "row" if len(report.bad) == 1 else "rows"
        session.err.write(
            f"docket: {len(report.bad)} bad {rows} in {clean(args.file)}; nothing imported "
            "(listed in the report)\n"
        )
        return 2
    return 0
