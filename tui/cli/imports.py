"""``docket import ics FILE`` (meetings from Outlook and Google calendar exports, and
replies) and ``docket import csv KIND FILE`` (people, assignments, expenditures, action
items, milestones, risks: added or updated).

The commands read the file and print the report; the rules live in
:mod:`docket.exports.calendar.ical_import` and :mod:`docket.exports.tabular.csv_import`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docket.exports.tabular.tables import write_json
from docket.models.core import inputs
from docket.models.core.errors import ValidationError
from docket.tui.cli.groups import verbs
from docket.tui.cli.output import clean
from docket.tui.cli.params import F, format_option
from docket.tui.cli.session import Session, pass_session

if TYPE_CHECKING:
    from docket.exports.calendar.ical_report import ImportReport
    from docket.exports.tabular.csv_import import CsvReport

# what ``import csv`` reads (docket.exports.tabular.csv_kinds.KINDS, without importing it here)
CSV_KINDS = ("people", "assignments", "expenditures", "actions", "milestones", "risks")


@verbs("import")
def import_() -> None:
    """Bring records in from calendar and spreadsheet files."""


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


def _encoding_option(example: str) -> Callable[[F], F]:
    """``--encoding NAME``: how to decode a file that is not UTF-8 (``example`` names one)."""
    return click.option(
        "--encoding",
        metavar="NAME",
        help=f"the file's text encoding when it is not UTF-8 (e.g. {example})",
    )


@import_.command("ics")
@click.argument("file", metavar="FILE.ics")
@click.option("--program", metavar="CODE", help="the program the meetings belong to")
@click.option("--dry-run", is_flag=True, help="report what would happen; change nothing")
@_encoding_option("cp1252")
@format_option("text", "json")
@pass_session
def import_ics(
    session: Session,
    file: str,
    program: str | None,
    dry_run: bool,
    encoding: str | None,
    fmt: str,
) -> int:
    """Meetings from a calendar export (.ics), or responses from a METHOD:REPLY file."""
    # exit 1 when some event was skipped (the rest is in), with one line on stderr saying
    # so; a file that is not a calendar exits 2 (nothing imported)
    from docket.exports.calendar.ical_import import import_calendar

    data = read_file(file)
    report = import_calendar(session.ctx, data, program=program, dry_run=dry_run, encoding=encoding)
    if fmt == "json":
        write_json(report.facts(), session.out)
    else:
        for line in summary(report):
            session.print(line)
    if report.skipped:
        what = "event" if len(report.skipped) == 1 else "events"
        session.err.write(
            f"docket: {len(report.skipped)} {what} of {clean(file)} not imported "
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


@import_.command("csv")
@click.argument("kind", metavar="KIND", type=click.Choice(CSV_KINDS))
@click.argument("file", metavar="FILE.csv")
@click.option("--dry-run", is_flag=True, help="check every row; import nothing")
@click.option(
    "--reason",
    default="",
    help="why, kept with every change (moving a forecast or correcting an amount needs one)",
)
@_encoding_option("cp1252 from Excel on Windows")
@format_option("text", "json")
@pass_session
def import_csv(
    session: Session,
    kind: str,
    file: str,
    dry_run: bool,
    reason: str,
    encoding: str | None,
    fmt: str,
) -> int:
    """Add or update people, assignments, expenditures, actions, milestones or risks
    from a spreadsheet's CSV (all or none)."""
    # exit 2 when a row was bad (then nothing was imported)
    from docket.exports.tabular.csv_import import import_csv as read_csv

    text = inputs.file_text(read_file(file), encoding)
    report = read_csv(session.ctx, kind, text, dry_run=dry_run, reason=reason)
    if fmt == "json":
        write_json(report.facts(), session.out)
    else:
        if report.bad:
            session.print(f"{len(report.bad)} bad row(s) of {report.rows}; nothing imported:")
            for bad in report.bad:
                session.print(f"  line {bad.line}: {clean(bad.field)}: {clean(bad.why)}")
        elif report.dry_run:
            session.print(
                f"{report.rows} {kind} row(s) are good{_what_rows_do(report)}; "
                "nothing imported (dry run)"
            )
        elif report.imported:
            session.print(f"imported {report.imported} {kind}{_what_rows_do(report)}")
        else:
            session.print(f"nothing to import: {report.unchanged} {kind} unchanged")
        if report.ignored:
            session.print(f"ignored columns: {', '.join(clean(c) for c in report.ignored)}")
    if report.bad:
        rows = "row" if len(report.bad) == 1 else "rows"
        session.err.write(
            f"docket: {len(report.bad)} bad {rows} in {clean(file)}; nothing imported "
            "(listed in the report)\n"
        )
        return 2
    return 0
