"""RAID in the app (key 8): risks, issues, decisions and changes as tabs, the risk matrix
with counts, metrics with their sparkline, the budget; Today's governance alerts.

Pilot tests drive the real app on the small demo at the fixed clock (Mon 23 Nov 2026).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_trends import spent_by_month
from textual.color import Color
from textual.widgets import DataTable, Input, OptionList, Select, Static
from tui_support import pressing, settle, shown, type_text

from docket.exports.tabular.lists.governance import sparkline
from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import Measurement, Program
from docket.models.governance.budget import budget
from docket.models.governance.changes import change_facts, list_changes
from docket.models.governance.decisions import decision_facts, get_decision, list_decisions
from docket.models.governance.issues import get_issue, list_issues
from docket.models.governance.metrics import add_metric, find_metric, metrics, record_measurement
from docket.models.governance.risks import list_risks, risk_matrix, score
from docket.models.overview.today import governance_alerts
from docket.models.portfolio.programs import add_program
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.screens.raid import RaidScreen
from docket.tui.widgets.dialogs import ErrorDialog
from docket.tui.widgets.trend_chart import ChartCanvas, TrendChart, thinned

MakeApp = Callable[[Path], DocketApp]
TODAY = date(2026, 11, 23)


def screen_of(app: DocketApp) -> RaidScreen:
    screen = app.screen
    assert isinstance(screen, RaidScreen)
    return screen


def test_a_sparkline_spans_its_own_range() -> None:
    assert sparkline(["1", "2", "3", "4", "5", "6", "7", "8"]) == "▁▂▃▄▅▆▇█"
    assert sparkline(["99.5", "99.5"]) == "▄▄"
    assert sparkline([]) == ""


async def test_the_tabs_show_what_the_database_holds(demo_db: Path, make_app: MakeApp) -> None:
    seen: dict[str, Any] = {}
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        for tab in ("risks", "issues", "decisions", "changes"):
            seen[tab] = [r["id"] for r in screen_of(pilot.app).rows()]
            await pilot.press("t")
            await settle(pilot)
        matrix = shown(screen_of(pilot.app).query_one("#matrix", Static))
        await pilot.press("t")
        await settle(pilot)
        metrics = screen_of(pilot.app).rows()
    connect(demo_db)
    assert seen["risks"] == [r.id for r in list_risks()]
    assert seen["issues"] == [i.id for i in list_issues()]
    assert seen["decisions"] == [d.id for d in list_decisions()]
    assert seen["changes"] == [c.id for c in list_changes()]
    cells = risk_matrix()
    impact_4 = next(line for line in matrix.splitlines() if "impact 4" in line)
    assert impact_4.split()[2:] == [str(n or "·") for n in cells[1]]
    assert len(metrics) == 16 and all(len(m["history"]) == 12 for m in metrics)


async def test_the_risk_list_filters_by_words(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "budget cut")
        await settle(pilot)
        titles = {r["title"] for r in screen_of(pilot.app).rows()}
    assert titles == {"Budget cut in the next fiscal year"}


async def test_today_lists_risks_changes_and_metrics_to_look_at(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        heading = next(
            str(o.prompt) for o in listing.options if o.id == "list:alert:governance_alerts"
        )
    connect(demo_db)
    alerts = governance_alerts(TODAY)
    proposed = len(list_changes(status="proposed"))
    assert heading.startswith(f"Risks to review, changes to decide, metrics in red ({len(alerts)})")
    assert sum(1 for a in alerts if a["kind"] == "change") == proposed > 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [["8"], ["8", "t", "t", "t", "t"], ["8", "t", "t", "t", "t", "t"]],
    ids=["risks", "matrix", "metrics"],
)
def test_raid_looks_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))


async def test_a_risk_is_added_and_an_issue_edited_from_the_lists(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "Vendor goes out of business")
        form.query_one("#field-program", Input).value = "ERP"
        form.query_one("#field-probability", Select).value = "2"
        form.query_one("#field-impact", Select).value = "5"
        form.query_one("#field-response_date", Input).value = "next friday"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
        assert "Vendor goes out of business" in [r["title"] for r in screen_of(pilot.app).rows()]
        # the issues tab: the first issue, resolved
        await pilot.press("t")
        await settle(pilot)
        first = screen_of(pilot.app).rows()[0]
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-status", Select).value = "resolved"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
    connect(demo_db)
    risk = next(r for r in list_risks("ERP") if r.title.startswith("Vendor goes"))
    assert (score(risk.probability, risk.impact), str(risk.response_date)) == (
        10,
        "2026-11-27",
    )
    assert get_issue(first["id"]).status == "resolved"


async def test_a_change_request_is_decided_and_a_final_one_says_so(
    demo_db: Path, make_app: MakeApp
) -> None:
    connect(demo_db)
    proposed = next(c.id for c in list_changes(status="proposed"))
    final = next(c.id for c in list_changes(status="rejected"))
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8", "t", "t", "t")
        await settle(pilot)
        screen = screen_of(pilot.app)
        ids = [r["id"] for r in screen.rows()]
        screen.query_one(DataTable).move_cursor(row=ids.index(final))
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
        said = [n.message for n in pilot.app._notifications]
        assert f"Change request #{final} is rejected: that is final." in said
        screen.query_one(DataTable).move_cursor(row=ids.index(proposed))
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-status", Select).value == "approved"
        form.query_one("#field-approver", Input).value = "nobody of that name"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # an unknown approver is named under the field, and nothing is saved
        assert pilot.app.screen is form
        hint = shown(form.query_one("#hint-approver", Static))
        assert hint.startswith("approver:")
        form.query_one("#field-approver", Input).value = "Chen Thompson"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
    connect(demo_db)
    change = change_facts(next(c for c in list_changes() if c.id == proposed))
    assert (change["status"], change["approver"], change["decided_on"]) == (
        "approved",
        "Chen Thompson",
        "2026-11-23",
    )


async def test_likelihood_and_impact_take_typed_digits(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "Key supplier leaves")
        form.query_one("#field-program", Input).value = "ERP"
        form.query_one("#field-probability", Select).focus()
        await pilot.press("4")
        await pilot.press("tab")  # on to Impact, as a user goes
        await pilot.press("5")
        await settle(pilot)
        assert form.query_one("#field-probability", Select).value == "4"
        assert form.query_one("#field-impact", Select).value == "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
    connect(demo_db)
    risk = next(r for r in list_risks("ERP") if r.title == "Key supplier leaves")
    assert score(risk.probability, risk.impact) == 20


async def test_a_decision_is_edited_and_one_for_someone_else_shows_who_entered_it(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8", "t", "t")
        await settle(pilot)
        first = screen_of(pilot.app).rows()[0]
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-decided_by", Input).value = "Ben Rossi"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
        await settle(pilot)
        table = screen_of(pilot.app).query_one(DataTable)
        cells = [str(c) for c in table.get_row_at(0)]
    assert any("Ben Rossi (entered by tester)" in c for c in cells), cells
    connect(demo_db)
    made = decision_facts(get_decision(first["id"]))
    assert (made["decided_by"], made["entered_by"]) == ("Ben Rossi", "tester")


# --- charts: metric trends and budget burn ---------------------------------------------


def value_points(chart: TrendChart, role: str) -> list[tuple[date, Decimal]]:
    series = next(s for s in chart.series if s.role == role)
    return list(series.points)


async def to_tab(pilot: Any, tab: str) -> RaidScreen:
    """RAID, on ``tab`` (``t`` pressed as many times as it takes)."""
    await pilot.press("8")
    await settle(pilot)
    screen = screen_of(pilot.app)
    while screen.tab != tab:
        await pilot.press("t")
        await settle(pilot)
    return screen


async def test_the_metric_under_the_cursor_is_charted_with_its_thresholds(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await to_tab(pilot, "metrics")
        screen.query_one(DataTable).move_cursor(row=5)
        await settle(pilot)
        row = screen.row_under_cursor()
        chart = screen.query_one("#chart", TrendChart)
        drawn = {s.role: list(s.points) for s in chart.series}
        labels = [s.label for s in chart.series]
        canvas = str(chart.query_one(ChartCanvas).render())
    assert row is not None
    connect(demo_db)
    metric = find_metric(row["id"])
    readings = [
        (m.taken_on, Decimal(m.value))
        for m in Measurement.select()
        .where(Measurement.metric == metric)
        .order_by(Measurement.taken_on, Measurement.id)
    ]
    assert drawn["value"] == readings and len(readings) == 12
    span = [readings[0][0], readings[-1][0]]
    assert drawn["target"] == [(day, Decimal(metric.target)) for day in span]
    assert drawn["amber"] == [(day, Decimal(metric.amber)) for day in span]
    assert drawn["red"] == [(day, Decimal(metric.red)) for day in span]
    unit = "%" if metric.unit == "%" else ""
    assert labels == [
        "measured",
        f"target {metric.target}{unit}",
        f"amber at {metric.amber}{unit}",
        f"red at {metric.red}{unit}",
    ]
    # the thresholds are named on the chart, and the axis says the months
    for label in labels[1:]:
        assert label in canvas
    assert readings[0][0].strftime("%Y-%m") in canvas


async def test_the_budget_tab_charts_the_programs_spending_against_budget_and_estimate(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await to_tab(pilot, "budget")
        rows = screen.rows()
        erp = next(i for i, r in enumerate(rows) if r["program"] == "ERP")
        screen.query_one(DataTable).move_cursor(row=erp)
        await settle(pilot)
        chart = screen.query_one("#chart", TrendChart)
        spent = value_points(chart, "value")
        budgeted = value_points(chart, "budget")
        estimate = value_points(chart, "estimate")
    connect(demo_db)
    row = rows[erp]
    months = spent_by_month("ERP", 2027)
    running, expected = Decimal(0), [(date(2026, 7, 1), Decimal(0))]
    for month, end in (("07", 31), ("08", 31), ("09", 30), ("10", 31), ("11", 23)):
        running += months.get(f"2026-{month}", Decimal(0))
        expected.append((date(2026, int(month), end), running))
    assert spent == expected
    assert spent[-1][1] == Decimal(row["actual"]) > Decimal(row["budget"])
    year = [date(2026, 7, 1), date(2027, 6, 30)]
    assert budgeted == [(day, Decimal(row["budget"])) for day in year]
    assert estimate == [(day, Decimal(row["estimate_at_completion"])) for day in year]


async def test_the_programs_tab_charts_a_programs_burn_and_each_of_its_metrics(
    demo_db: Path, make_app: MakeApp
) -> None:
    titles: list[str] = []
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await to_tab(pilot, "programs")
        codes = [r["code"] for r in screen.rows()]
        screen.query_one(DataTable).move_cursor(row=codes.index("ERP"))
        await settle(pilot)
        burn = screen.query_one("#program-burn", TrendChart)
        metric = screen.query_one("#program-metric", TrendChart)
        assert burn.chart is not None and burn.chart.title.startswith("ERP ")
        spent = value_points(burn, "value")
        shown = []
        for _ in range(5):
            assert metric.chart is not None
            titles.append(metric.chart.title)
            shown.append(value_points(metric, "value"))
            await pilot.press("m")
            await settle(pilot)
        # another program: its first metric again
        await pilot.press("down")
        await settle(pilot)
        assert metric.chart is not None
        titles.append(metric.chart.title)
    connect(demo_db)
    assert codes == [p.code for p in Program.select().order_by(Program.code)]
    actual = next(r["actual"] for r in budget(None, 2027, TODAY) if r["program"] == "ERP")
    assert spent[-1][1] == Decimal(actual)
    erp = metrics("ERP")
    assert len(erp) == 4
    for n, (title, points) in enumerate(zip(titles[:4], shown[:4], strict=True)):
        assert title.startswith(f"ERP metric {n + 1} of 4 (m next): {erp[n]['name']}")
        assert [v for _, v in points] == [Decimal(v) for v in erp[n]["history"]]
    # m goes round to the first again; the next program starts at its first
    assert shown[4] == shown[0]
    assert titles[5].startswith("NET metric 1 of 4 (m next): ")


async def test_charts_read_without_colour(
    demo_db: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    drawn: list[str] = []
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        screen = await to_tab(pilot, "programs")
        screen.query_one(DataTable).move_cursor(row=2)
        await settle(pilot)
        for chart in screen.query(TrendChart).results(TrendChart):
            if chart.display and chart.parent is not None and chart.parent.display:
                drawn.append(shown(chart.query_one(".chart-legend", Static)))
                drawn.append(str(chart.query_one(ChartCanvas).render()))
        svg = pilot.app.export_screenshot()
    legends, canvases = " ".join(drawn[::2]), " ".join(drawn[1::2])
    # each line by its character, named in words in the legend
    for words in ("* spent", "= budget", "+ estimate", "* measured", "= target", "- amber at"):
        assert words in legends, words
    assert "x red at" in " ".join(legends.split())
    # the budget, the estimate and the thresholds named on the charts too, each line drawn
    # with its character
    for words in ("budget", "estimate", "target", "amber at", "red at", "+++", "===", "---"):
        assert words in canvases, words
    # no colour anywhere: every fill is a grey (the screenshot's own default text is a
    # grey with a trace of green)
    for fill in set(re.findall(r"fill: (#[0-9a-f]{6})", svg)):
        assert Color.parse(fill).hsl.s < 0.05, fill


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [["8", *["t"] * 6, "down"], ["8", *["t"] * 7, "down", "down", "m"]],
    ids=["budget", "programs"],
)
def test_raid_charts_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))


def test_raid_charts_look_right_without_colour(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    keys = ["8", *["t"] * 5, "down", "down", "down", "down"]
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=pressing(keys))


async def test_a_metric_with_one_reading_or_none_and_a_program_without_budget_are_charted(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    connect(demo_db)
    add_metric(
        ctx, "Aaa one reading", program="ERP", direction="lower", target="5", amber="7", red="9",
        unit="days",
    )  # fmt: skip
    record_measurement(ctx, "Aaa one reading", "6", program="ERP", on="2026-11-02")
    add_program(ctx, "AAA", "Nothing budgeted")
    add_metric(
        ctx, "Aab no readings", program="ERP", direction="higher", target="3", amber="2", red="1"
    )
    legends: list[str] = []
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        screen = await to_tab(pilot, "metrics")
        chart = screen.query_one("#chart", TrendChart)
        for row in (0, 1):
            screen.query_one(DataTable).move_cursor(row=row)
            await settle(pilot)
            legends.append(shown(chart.query_one(".chart-legend", Static)))
            if row == 0:
                assert value_points(chart, "value") == [(date(2026, 11, 2), Decimal(6))]
                assert "2026-11-02" in str(chart.query_one(ChartCanvas).render())
        await pilot.press("t", "t")
        await settle(pilot)
        assert screen.tab == "programs"
        assert [r["code"] for r in screen.rows()[:2]] == ["AAA", "CORE"]
        burn = screen.query_one("#program-burn", TrendChart)
        legends.append(shown(burn.query_one(".chart-legend", Static)))
        # CORE has no budget of its own: it stands for its tree, which has
        screen.query_one(DataTable).move_cursor(row=1)
        await settle(pilot)
        legends.append(shown(burn.query_one(".chart-legend", Static)))
        assert not isinstance(pilot.app.screen, ErrorDialog)
    assert legends[0].startswith("Aaa one reading (days) · ERP · lower is better")
    assert "* measured  = target 5  - amber at 7  x red at 9" in legends[0]
    assert legends[1].splitlines()[1] == "no readings yet"
    assert legends[2].splitlines()[1] == "no budget and no spending in FY2027"
    assert "no budget" not in legends[3] and "CORE" in legends[3]


def test_a_long_history_is_drawn_by_each_cells_lowest_and_highest() -> None:
    start = date(2020, 1, 1).toordinal()
    values = [Decimal((n * 37) % 101) for n in range(3000)]
    points = tuple((date.fromordinal(start + n), v) for n, v in enumerate(values))
    kept = thinned(points, start, start + 2999, 100)
    assert len(kept) <= 200
    assert [x for x, _ in kept] == sorted(x for x, _ in kept)
    assert min(y for _, y in kept) == 0 and max(y for _, y in kept) == 100
    few = points[:150]
    assert thinned(few, start, start + 149, 100) == [(d.toordinal(), float(v)) for d, v in few]
