"""The digest's selection changes: proposals decided (approved, deferred, rejected) in the
period with the decision's reason, and proposals turned into programs, from the audit log in
one query; left out when there is nothing; a program's digest keeps to its proposals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playhouse.test_utils import count_queries

from docket.exports.digests import digest as written
from docket.exports.digests.blocks import _period
from docket.models.comms.digest import Digest, build_digest
from docket.models.comms.digest_scope import scope_of
from docket.models.comms.digest_selection import selection_section
from docket.models.core.context import Context
from docket.models.portfolio import funding, proposals
from docket.models.portfolio.programs import add_program

pytestmark = pytest.mark.both_engines


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_program(ctx, "ERP", "ERP replacement")
    add_program(ctx, "WEB", "Website")
    for code, title, program in (
        ("P-1", "Permits portal", "ERP"),
        ("P-2", "Payroll upgrade", "ERP"),
        ("P-3", "Old idea", "WEB"),
        ("P-4", "Records portal", "ERP"),
    ):
        proposals.add_proposal(ctx, code, title, program=program)
        proposals.move(ctx, code, "submitted")
        proposals.move(ctx, code, "in review")
    funding.decide(ctx, "P-1", "approved", "Pays back in three years")
    funding.decide(ctx, "P-2", "deferred", "No budget this year")
    funding.decide(ctx, "P-3", "rejected", "Duplicates the portal")
    funding.to_program(ctx, "P-1", "PERMIT")
    return ctx


def _facts(made: Digest) -> dict[str, Any]:
    return next(dict(s) for s in made.facts()["sections"] if s["key"] == "selection")


def test_the_decisions_and_programs_of_the_period_with_their_reasons(office: Context) -> None:
    section = _facts(build_digest(office))
    decided = section["decided"]
    assert decided["count"] == 3
    assert [(r["code"], r["status"], r["was"], r["reason"], r["program"], r["on"])
            for r in decided["items"]] == [
        ("P-1", "approved", "in review", "Pays back in three years", "ERP", "2026-11-23"),
        ("P-2", "deferred", "in review", "No budget this year", "ERP", "2026-11-23"),
        ("P-3", "rejected", "in review", "Duplicates the portal", "WEB", "2026-11-23"),
    ]  # fmt: skip
    became = section["became"]
    assert [(r["code"], r["became"], r["by"]) for r in became["items"]] == [
        ("P-1", "PERMIT", office.actor)
    ]


def test_the_section_is_written_in_every_format(office: Context) -> None:
    made = build_digest(office, program="ERP")
    text = written.render(made, "md")
    assert "## Selection changes" in text
    assert "- P-1: Permits portal (ERP): **approved** on Mon 23 Nov: Pays back in three years" in (
        text
    )
    assert "- P-2: Payroll upgrade (ERP): **deferred** on Mon 23 Nov: No budget this year" in text
    assert "- P-1: Permits portal (ERP) became program PERMIT on Mon 23 Nov" in text
    # a program's digest keeps to its own proposals
    assert "P-3" not in text
    assert "Selection changes" in written.render(made, "txt")
    data = json.loads(written.render(made, "json"))
    assert any(s["key"] == "selection" for s in data["sections"])


def test_left_out_when_nothing_was_decided_in_the_period(office: Context) -> None:
    later = build_digest(office, since="2026-11-30", until="2026-12-06")
    assert "selection" not in [s.key for s in later.sections]
    earlier = build_digest(office, since="2026-11-16", until="2026-11-22")
    assert "selection" not in [s.key for s in earlier.sections]


def test_moves_that_are_not_decisions_are_not_selection_changes(
    db_path: Path, ctx: Context
) -> None:
    add_program(ctx, "ERP", "ERP replacement")
    proposals.add_proposal(ctx, "P-1", "Portal", program="ERP")
    proposals.move(ctx, "P-1", "submitted")
    proposals.move(ctx, "P-1", "in review")
    assert "selection" not in [s.key for s in build_digest(ctx).sections]


def test_the_section_reads_in_one_query(office: Context) -> None:
    scope = scope_of(office, None, office.today(), office.today())
    with count_queries() as counter:
        section = selection_section(scope)
    assert counter.count == 1
    assert section.said and section.optional


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        ("2026-07-01", "2026-09-30", "Wed 01 Jul to Wed 30 Sep 2026"),
        ("2025-10-01", "2026-03-31", "Wed 01 Oct 2025 to Tue 31 Mar 2026"),
    ],
)
def test_a_scorecards_period_is_written_with_its_year(start: str, end: str, said: str) -> None:
    """As the digest writes its own period: the year always at the end, at the start too
    when that is another year (a quarter reads the same in any digest)."""
    assert _period(start, end) == said
