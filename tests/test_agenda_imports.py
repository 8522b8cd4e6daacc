"""The agenda (``docket meeting list``) imports what listing occurrences needs, not what
writing meetings needs (issue 22: most of a command's time is imports): no series
operations, no records layer or audit chain, no minutes, no calendar files."""

from __future__ import annotations

from pathlib import Path

from test_command_imports import loaded

NOT_FOR_AN_AGENDA = {
    "docket.models.meetings.series",
    "docket.models.meetings.minutes",
    "docket.models.meetings.changes",
    "docket.models.core.records",
    "docket.models.audit.chain",
    "dateutil.parser",
    "icalendar",
    "textual",
    # strptime compiles its patterns on first use: UNTIL is read by slicing
    "_strptime",
}


def test_the_agenda_imports_only_what_listing_occurrences_needs(demo_db: Path) -> None:
    for args in (("meeting", "list", "--days", "30"), ("meeting", "list", "--format", "json")):
        assert loaded(demo_db, *args) & NOT_FOR_AN_AGENDA == set()
