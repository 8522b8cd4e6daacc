"""``--as-of`` on PostgreSQL: the past rebuilt from the same rows as on SQLite.

The small demo is built on SQLite and moved with ``docket migrate``; then every report as of
a past day, at the fixed clock, must be byte for byte the one SQLite gives (its stamp too:
the same last entry kept, the same content). Skipped like tests/test_postgres.py when no
server answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_postgres import docket, ok

REPORTS: tuple[tuple[str, ...], ...] = (
    ("digest", "--format", "txt"),
    ("today",),
    ("program", "status"),
    ("program", "status", "--format", "json"),
    ("action", "list", "--status", "all"),
    ("milestone", "list", "--format", "json"),
)
# the demo's log runs up to the fixed clock (2026-11-23): days in it, and today
DAYS = ("2026-09-30", "2026-11-02", "2026-11-20", "today")


@pytest.fixture
def both(demo_db: Path, pg_url: str) -> tuple[Path, str]:
    """The small demo on SQLite, and the same office moved to PostgreSQL."""
    ok(demo_db, "migrate", "--to", pg_url)
    return demo_db, pg_url


def test_reports_as_of_a_day_are_the_same_on_both_engines(both: tuple[Path, str]) -> None:
    sqlite, postgres = both
    differ = 0
    for day in DAYS:
        for report in REPORTS:
            past = ok(sqlite, *report, "--as-of", day)
            assert ok(postgres, *report, "--as-of", day) == past, (day, report)
            differ += past != ok(sqlite, *report)
    assert differ >= len(REPORTS)  # the past days are not today's office


def test_a_record_made_after_the_day_did_not_exist_then_on_both(
    both: tuple[Path, str],
) -> None:
    said = []
    for target in both:
        ok(target, "program", "add", "LATE", "Added after the day")
        before = ok(target, "program", "status")
        status, out, err = docket(target, "program", "status", "LATE", "--as-of", "2026-11-20")
        said.append((status, out, err))
        assert ok(target, "program", "status") == before  # the present is bound again, whole
    assert said[0] == said[1]
    assert said[0] == (
        2,
        "",
        "docket: program: LATE did not exist on 2026-11-20 (created 2026-11-23)\n",
    )
