"""Milestones: slip, derived status, and forecast changes that keep their reason."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import AuditEntry, Milestone
from docket.models.milestones import schedule as milestones
from docket.models.milestones.schedule import MilestoneFilter
from docket.models.people.persons import add_person
from docket.models.portfolio import programs

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)


@pytest.fixture
def erp(db_path: Path, ctx: Context) -> Context:
    programs.add_program(ctx, "ERP", "ERP replacement")
    return ctx


@pytest.mark.parametrize(
    ("baseline", "forecast", "actual", "slip", "status"),
    [
        (TODAY + timedelta(days=10), TODAY + timedelta(days=10), None, 0, "on track"),
        (TODAY + timedelta(days=10), TODAY + timedelta(days=3), None, -7, "on track"),
        (TODAY + timedelta(days=10), TODAY + timedelta(days=24), None, 14, "at risk"),
        (TODAY - timedelta(days=10), TODAY - timedelta(days=1), None, 9, "late"),
        (
            TODAY - timedelta(days=10),
            TODAY - timedelta(days=5),
            TODAY - timedelta(days=2),
            8,
            "done",
        ),
        (TODAY, TODAY, None, 0, "on track"),
    ],
)
def test_slip_and_status_come_from_the_dates_alike_in_sql_and_python(
    erp: Context, baseline: date, forecast: date, actual: date | None, slip: int, status: str
) -> None:
    m = milestones.add_milestone(erp, "ERP", "Go-live", baseline, forecast=forecast, actual=actual)
    assert milestones.slip_days(m) == slip
    assert milestones.status(m, TODAY) == status
    in_sql = [
        w
        for w in milestones.STATUSES
        if Milestone.select().where(milestones.status_clause(w, TODAY)).exists()
    ]
    assert in_sql == [status]


def test_moving_the_forecast_needs_a_reason_which_history_keeps(erp: Context) -> None:
    m = milestones.add_milestone(erp, "ERP", "UAT complete", "2026-12-01")
    with pytest.raises(ValidationError, match="reason: moving the forecast needs a reason"):
        milestones.update_milestone(erp, m.id, m.version, forecast="2026-12-15")
    moved = milestones.update_milestone(
        erp, m.id, m.version, forecast="2026-12-15", reason="vendor late"
    )
    entry = AuditEntry.get(AuditEntry.entity == "milestone", AuditEntry.action == "update")
    assert (entry.note, json.loads(entry.changes)) == (
        "vendor late",
        {"forecast": ["2026-12-01", "2026-12-15"]},
    )
    assert milestones.slip_days(moved) == 14


def test_completing_a_milestone_defaults_to_today(erp: Context) -> None:
    m = milestones.add_milestone(erp, "ERP", "Design complete", "2026-11-20")
    done = milestones.complete_milestone(erp, m.id, m.version)
    assert (done.actual, milestones.status(done, TODAY)) == (TODAY, "done")


def test_lists_filter_by_status_and_window(erp: Context) -> None:
    milestones.add_milestone(erp, "ERP", "Late one", "2026-11-01")
    milestones.add_milestone(erp, "ERP", "Soon", "2026-11-30")
    milestones.add_milestone(erp, "ERP", "Far", "2027-06-01")
    titles = lambda f: [m.title for m in milestones.list_milestones(erp, f)]  # noqa: E731
    assert titles(MilestoneFilter(status="late")) == ["Late one"]
    assert titles(MilestoneFilter(due_within=14)) == ["Late one", "Soon"]
    assert titles(MilestoneFilter()) == ["Late one", "Soon", "Far"]


def test_a_typed_filter_picks_a_status_and_matches_title_or_owner(erp: Context) -> None:
    add_person(erp, "Ana Lopez", email="ana@example.org")
    milestones.add_milestone(erp, "ERP", "Vendor selected", "2026-11-01", owner="ana")
    milestones.add_milestone(erp, "ERP", "Vendor contract", "2026-12-20")
    milestones.add_milestone(erp, "ERP", "Go-live", "2027-01-10", owner="ana")
    titles = lambda typed: [  # noqa: E731
        m.title for m in milestones.list_milestones(erp, milestones.typed_filter(typed, "ERP"))
    ]
    assert milestones.typed_filter("  At   Risk vendor ") == MilestoneFilter(
        status="at risk", search="vendor"
    )
    assert titles("late") == ["Vendor selected"]
    assert titles("vendor") == ["Vendor selected", "Vendor contract"]
    assert titles("lopez") == ["Vendor selected", "Go-live"]
    assert titles("on track vendor") == ["Vendor contract"]
    assert titles("nothing like it") == []


def test_a_milestones_detail_holds_what_the_list_leaves_out(erp: Context) -> None:
    add_person(erp, "Ana Lopez", email="ana@example.org")
    design = milestones.add_milestone(
        erp, "ERP", "Design complete", "2026-10-01", actual="2026-10-03"
    )
    build = milestones.add_milestone(
        erp,
        "ERP",
        "Build complete",
        "2027-02-01",
        owner="Ana Lopez",
        deliverable="Signed build report",
        acceptance_criteria="All P1 defects closed",
        predecessors=[design.id],
    )
    detail = milestones.milestone_detail(erp, build.id)
    assert detail["title"] == "Build complete"
    assert detail["program_name"] == "ERP replacement"
    assert (detail["owner"], detail["owner_email"]) == ("Ana Lopez", "ana@example.org")
    assert (detail["deliverable"], detail["acceptance_criteria"]) == (
        "Signed build report",
        "All P1 defects closed",
    )
    assert detail["predecessors"] == [
        {
            "id": design.id,
            "program": "ERP",
            "title": "Design complete",
            "date": "2026-10-03",
            "status": "done",
        }
    ]


def test_a_milestone_cannot_be_done_on_a_future_day(cli: Any) -> None:
    assert cli("program", "add", "ERP", "ERP replacement").status == 0
    assert cli("milestone", "add", "ERP", "Go-live", "--baseline", "2027-01-15").out == "1\n"
    for argv in (
        ("milestone", "done", "1", "--on", "next fri"),
        ("milestone", "edit", "1", "--actual", "2026-12-01"),
    ):
        refused = cli(*argv)
        assert refused.status == 2, argv
        assert refused.err.startswith("docket: actual: ") and "is in the future" in refused.err
    assert cli("milestone", "done", "1", "--on", "yesterday").status == 0
