"""A report's stamp: the database state it was built from and a SHA-256 of its content.

The state is the latest audit entry the bound database holds (by time, then id): in the
database as it is now, the last change; in a past copy (:mod:`docket.models.audit.as_of`),
the last change kept at its cutoff. The SHA-256 is of the report's content without the stamp
(UTF-8), so the same report built again later, as of the same date, can be shown to match:
for a text report, everything before the blank line that precedes the stamp line
(``head -n -2 FILE | sha256sum``).
"""

from __future__ import annotations

import hashlib
from typing import TypedDict

from docket.models.core.schema import database


class ReportStamp(TypedDict):
    """What a report was built from: the last audit entry (``entry_id`` 0 and
    ``entry_at`` None for a database with no entries; ``entry_at`` is UTC text,
    ``YYYY-MM-DD HH:MM:SS``) and the SHA-256 (hex) of the content without its stamp."""

    entry_id: int
    entry_at: str | None
    sha256: str


def last_entry() -> tuple[int, str | None]:
    """The latest audit entry of the bound database (by time, then id): its id and time
    (0, None when there is none)."""
    row = database.execute_sql(
        'SELECT "id", "at" FROM "audit_entry" ORDER BY "at" DESC, "id" DESC LIMIT 1'
    ).fetchone()
    return (0, None) if row is None else (int(row[0]), str(row[1]))


def content_hash(content: str) -> str:
    """The SHA-256 (hex) of a report's content, as UTF-8."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def stamp_for(content: str) -> ReportStamp:
    """The stamp of a report whose content (without the stamp) is ``content``, built from
    the database bound now."""
    entry_id, entry_at = last_entry()
    return ReportStamp(entry_id=entry_id, entry_at=entry_at, sha256=content_hash(content))


def stamp_line(stamp: ReportStamp) -> str:
    """The one line a text report ends with, such as ``Stamp: audit entry 1234 of
    2026-11-23 15:00:00 UTC; content sha256 3f2a...`` (no user text in it)."""
    state = (
        f"audit entry {stamp['entry_id']} of {stamp['entry_at']} UTC"
        if stamp["entry_id"]
        else "no audit entry (an empty database)"
    )
    return f"Stamp: {state}; content sha256 {stamp['sha256']}"


def with_stamp(content: str) -> str:
    """A text report with its stamp: ``content``, a blank line, the stamp line. ``content``
    ends with a newline (one is added when it does not)."""
    body = content if content.endswith("\n") else content + "\n"
    return f"{body}\n{stamp_line(stamp_for(body))}\n"


def without_stamp(report: str) -> str:
    """A stamped text report's content again (what its hash is of): the report without
    its last two lines (the blank line and the stamp). A report without a stamp is
    returned as it is."""
    lines = report.splitlines(keepends=True)
    if len(lines) >= 2 and lines[-1].startswith("Stamp: ") and lines[-2] == "\n":
        return "".join(lines[:-2])
    return report


__all__ = [
    "ReportStamp",
    "content_hash",
    "last_entry",
    "stamp_for",
    "stamp_line",
    "with_stamp",
    "without_stamp",
]
