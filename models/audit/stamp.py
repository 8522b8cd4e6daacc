"""A report's stamp: the database state it was built from and a SHA-256 of its content.

The state is the head of the audit chain the bound database holds (its last entry, by id,
the one ``docket check`` names) with the time of its latest change: in the database as it is
now, the last change written; in a past copy (:mod:`docket.models.audit.as_of`), the last
entry kept at its cutoff. (The head by id, not the latest by time: an entry written with an
earlier time than one before it, as the demo's past is, is still part of the state.) The
SHA-256 is of the report's content without the stamp (UTF-8), so the same report built
again later, as of the same date, can be shown to match: for a text report, everything
before the blank line that precedes the stamp line
(``head -n -2 FILE | sha256sum``).
"""

from __future__ import annotations

import hashlib
from typing import TypedDict

from docket.models.core.schema import database


class ReportStamp(TypedDict):
    """What a report was built from: the head of the audit chain (``entry_id``) and the time
    of the latest change (``entry_at``, UTC text ``YYYY-MM-DD HH:MM:SS``; 0 and None for a
    database with no entries), and the SHA-256 (hex) of the content without its stamp."""

    entry_id: int
    entry_at: str | None
    sha256: str


def last_entry() -> tuple[int, str | None]:
    """The head of the bound database's audit chain (its highest id) and the time of its
    latest change (the latest ``at``, which the demo's past, written after the present,
    shows need not be the head's): (0, None) when there is no entry."""
    # two subqueries, not max(id), max(at) in one: each is then one step down its index
    # (the key, the index by time), where two aggregates in one read the whole log
    row = database.execute_sql(
        'SELECT (SELECT max("id") FROM "audit_entry"), (SELECT max("at") FROM "audit_entry")'
    ).fetchone()
    return (0, None) if row is None or row[0] is None else (int(row[0]), str(row[1]))


def content_hash(content: str) -> str:
    """The SHA-256 (hex) of a report's content, as UTF-8."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def stamp_for(content: str) -> ReportStamp:
    """The stamp of a report whose content (without the stamp) is ``content``, built from
    the database bound now."""
    entry_id, entry_at = last_entry()
    return ReportStamp(entry_id=entry_id, entry_at=entry_at, sha256=content_hash(content))


def stamp_state(stamp: ReportStamp) -> str:
    """The state a report was built from, in words: ``audit chain to entry 1234, last
    change 2026-11-23 15:00:00 UTC`` (no user text in it)."""
    if not stamp["entry_id"]:
        return "no audit entry (an empty database)"
    return f"audit chain to entry {stamp['entry_id']}, last change {stamp['entry_at']} UTC"


def stamp_line(stamp: ReportStamp) -> str:
    """The one line a text report ends with: ``Stamp:``, the state, the content's hash."""
    return f"Stamp: {stamp_state(stamp)}; content sha256 {stamp['sha256']}"


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
