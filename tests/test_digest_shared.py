"""A digest reads contract burns and over-allocations once and shares them between its
status evidence and its contractor and contract sections (issue 22): each part gets what a
read of its own would give, so the digest is the same with the shared reads as without."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook: both engines)
from playhouse.test_utils import count_queries

from docket.models.comms import digest as digests
from docket.models.comms import digest_scope
from docket.models.comms.digest import build_digest
from docket.models.contractors.allocation import OverallocationsOnce, overallocations
from docket.models.contractors.burn import BurnsOnce, burns
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.schema import Assignment, Program

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(demo_db: Path, ctx: Context) -> Context:
    open_database(demo_db)
    return ctx


def _unshared(ctx: Context, monkeypatch: pytest.MonkeyPatch, **options: Any) -> dict[str, Any]:
    """The digest built with every part reading for itself (no shared reads)."""
    scope_of = digest_scope.scope_of

    def alone(*args: Any, **kwargs: Any) -> Any:
        return scope_of(*args, **kwargs)._replace(shared=None)

    with monkeypatch.context() as patched:
        patched.setattr(digests, "scope_of", alone)
        return dict(build_digest(ctx, **options).facts())


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"period": "month"},
        {"period": "quarter"},
        {"since": "2026-06-01", "until": "2026-12-31"},
        {"program": "ERP"},
        {"program": "CORE", "period": "quarter"},
    ],
)
def test_the_digest_is_the_same_with_its_reads_shared(
    demo: Context, monkeypatch: pytest.MonkeyPatch, options: dict[str, Any]
) -> None:
    if "program" in options and not Program.get_or_none(Program.code == options["program"]):
        pytest.skip("the demo has no such program")
    shared = dict(build_digest(demo, **options).facts())
    assert shared == _unshared(demo, monkeypatch, **options)


def test_the_shared_reads_save_queries(demo: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    with count_queries() as together:
        build_digest(demo)
    with count_queries() as apart:
        _unshared(demo, monkeypatch)
    assert together.count < apart.count


def test_burns_read_once_are_the_burns_of_each_call(demo: Context) -> None:
    ids = [p.id for p in Program.select(Program.id).order_by(Program.id)]
    once = BurnsOnce()
    with count_queries() as counter:
        assert once(TODAY) == burns(TODAY)
    first = counter.count
    with count_queries() as counter:
        for some in (ids, ids[:1], ids[1:3], []):
            assert once(TODAY, program_ids=some) == burns(TODAY, program_ids=some)
    # the burns of all programs answered each part: only the direct reads queried (the
    # first block was one read of the cache's and one direct read, as many queries each)
    assert counter.count == 4 * (first // 2)
    later = TODAY + timedelta(days=40)
    assert once(later, program_ids=ids[:2]) == burns(later, program_ids=ids[:2])


def test_over_allocations_read_once_are_those_of_each_call(demo: Context) -> None:
    first, last = TODAY - timedelta(days=120), TODAY + timedelta(days=120)
    once = OverallocationsOnce(first, last)
    people = sorted({a.__data__["person"] for a in Assignment.select(Assignment.person)})
    windows = [
        (TODAY, TODAY + timedelta(days=30)),
        (first, last),
        (TODAY - timedelta(days=7), TODAY + timedelta(days=13)),
    ]
    for day, until in windows:
        for who in (None, people, people[: len(people) // 2], people[1::3]):
            assert once(day, until, who) == overallocations(day, until, who)
    # days outside those read at first: read for the call itself, the same answer
    outside = (last, last + timedelta(days=60))
    assert once(*outside) == overallocations(*outside)


def test_the_due_rows_are_the_plans_active_items(demo: Context) -> None:
    """A digest's communications read as plain rows: the plan's items, order and due days."""
    from docket.models.comms.plan import due_rows, plan

    ids = [p.id for p in Program.select(Program.id).order_by(Program.id)]
    for programs in (None, ids[:1], ids[2:5]):
        rows = due_rows(programs)
        planned = plan(programs, active_only=True)
        assert [(r.id, r.due, r.program, r.name, r.channel) for r in rows] == [
            (p.item.id, p.due, p.item.program.code, p.item.name, p.item.channel) for p in planned
        ]
        assert [r.owner for r in rows] == [
            p.item.owner.name if p.item.owner is not None else None for p in planned
        ]
    assert due_rows(None)
