"""What a calendar import did: the meetings it added, the changes and answers it made,
each event it left out with its line and why, and what is worth knowing besides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from icalendar import Component

from docket.exports.calendar.ical_fields import event_label
from docket.exports.calendar.ical_read import Source


@dataclass(frozen=True)
class Skipped:
    """An event of the file that was not imported, the line it starts on, and why."""

    what: str
    why: str
    line: int | None = None


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    method: str
    dry_run: bool
    meetings: list[int] = field(default_factory=list)
    # occurrences moved, relocated, retitled or cancelled
    changes: int = 0
    responses: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    # things worth knowing that did not stop an event (a zone read as another name,
    # attendees not in the directory)
    notes: list[str] = field(default_factory=list)

    def facts(self) -> dict[str, Any]:
        """The report as plain data (``--format json``)."""
        return {
            "method": self.method,
            "dry_run": self.dry_run,
            "meetings": self.meetings,
            "changes": self.changes,
            "responses": self.responses,
            "skipped": [{"event": s.what, "line": s.line, "why": s.why} for s in self.skipped],
            "notes": self.notes,
        }


def skipped_event(event: Component, why: str, source: Source) -> Skipped:
    """An event left out, named and placed by its line in the file."""
    return Skipped(event_label(event), why, source.line(event))
