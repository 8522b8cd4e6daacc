"""RAID (key 8): risks, issues, decisions and changes as tabs of one list, the 5x5 risk
matrix, metrics against target with a sparkline of their history and the chart of the one
under the cursor, the budget of the program in scope with the chart of its spending through
the year, and the programs, each with its spending and its metrics' trends charted.

``t`` (or ``[``/``]``) moves between the tabs: Risks, Issues, Decisions, Changes, Matrix,
Metrics, Budget, Programs. ``/`` filters the list by words; ``a`` adds to it, ``e`` edits the
risk or issue (or decides the change request); ``h`` shows a record's history; on Programs,
``m`` charts the program's next metric.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from docket.exports.tabular.columns import Column, Table
from docket.exports.tabular.lists import governance as lists
from docket.exports.tabular.lists.governance import STATUS_STYLES
from docket.models.core.config import load_config
from docket.models.core.context import Context
from docket.models.governance import budget
from docket.models.governance.changes import NEXT_STATUS, change_facts, list_changes
from docket.models.governance.decisions import decision_facts, list_decisions
from docket.models.governance.issues import issue_facts, list_issues
from docket.models.governance.metrics import metrics
from docket.models.governance.risks import (
    HIGH_SCORE,
    MEDIUM_SCORE,
    band,
    list_risks,
    risk_facts,
    risk_matrix,
)
from docket.models.governance.trends import (
    budget_burns,
    metric_trends,
    metrics_by_program,
    rolled_up_burns,
)
from docket.models.portfolio.evidence import colours_of
from docket.models.portfolio.programs import list_programs, program_and_children, program_facts
from docket.tui.forms import raid as raid_forms
from docket.tui.keys import Key
from docket.tui.screens.base import CLEAR_KEY, TAB_KEYS, TabbedScreen
from docket.tui.widgets.trend_chart import Chart, TrendChart, burn_chart, metric_chart

TABS = ("risks", "issues", "decisions", "changes", "matrix", "metrics", "budget", "programs")
TITLES = {
    "risks": "Risks",
    "issues": "Issues",
    "decisions": "Decisions",
    "changes": "Changes",
    "matrix": "Risk matrix",
    "metrics": "Metrics",
    "budget": "Budget",
    "programs": "Programs",
}
# the entity of each list's rows, for history
ENTITIES = {
    "risks": "risk",
    "issues": "issue",
    "decisions": "decision",
    "changes": "change_request",
}


def load_tab(ctx: Context, tab: str, program: str | None) -> dict[str, Any]:
    """The rows of one tab (database thread)."""
    if tab == "risks":
        return {"rows": [risk_facts(r) for r in list_risks(program)]}
    if tab == "issues":
        return {"rows": [issue_facts(i) for i in list_issues(program)]}
    if tab == "decisions":
        return {"rows": [decision_facts(d) for d in list_decisions(program)]}
    if tab == "changes":
        return {"rows": [change_facts(c) for c in list_changes(program)]}
    if tab == "matrix":
        return {"cells": risk_matrix(program)}
    if tab == "metrics":
        return {"rows": metrics(program), "trends": {t["id"]: t for t in metric_trends(program)}}
    today = ctx.today()
    year = budget.fiscal_year_of(today)
    found: dict[str, Any] = {"year": year, "today": today}
    if tab == "budget":
        # each row's own spending, as the list's rows are
        burns = budget_burns(program, year, today)
        return {**found, "burns": burns, "rows": budget.budget(program, year, today)}
    # a program here stands for its whole tree, as its evidence and the board pack count it
    found["burns"] = rolled_up_burns(program, year, today)
    ids = set(program_and_children(program)) if program else None
    trends = {t["id"]: t for t in metric_trends(program)}
    # each program's metrics in the Metrics tab's order (by name, then program)
    order = {metric: n for n, metric in enumerate(trends)}
    return {
        **found,
        "rows": _program_rows(ctx, ids),
        "trends": trends,
        "metrics": {
            code: sorted(owned, key=order.__getitem__)
            for code, owned in metrics_by_program(program).items()
        },
    }


def _program_rows(ctx: Context, ids: set[int] | None) -> list[dict[str, Any]]:
    """The programs in scope, each with the colour its evidence implies beside its own (the
    config's thresholds, as on the command line)."""
    found = [p for p in list_programs() if ids is None or p.id in ids]
    beside = colours_of([p.code for p in found], ctx.today(), load_config())
    return [{**program_facts(p), "evidence": beside[p.code]["evidence"]} for p in found]


# the shade of each band of the matrix (the counts carry the meaning)
SHADES = {"high": "on dark_red", "medium": "on dark_orange3", "low": "on dark_green"}


def matrix_text(cells: list[list[int]]) -> Text:
    """The 5x5 matrix with counts in the cells (impact down, probability across); the
    score band of each cell is coloured, but the counts carry the meaning."""
    text = Text(
        "Open and mitigating risks: impact (down) by probability (across)\n\n", style="bold"
    )
    text.append("            " + "".join(f"  P{p}  " for p in range(1, 6)) + "\n")
    for row, impact in zip(cells, range(5, 0, -1), strict=True):
        text.append(f"  impact {impact}  ")
        for probability, count in enumerate(row, start=1):
            style = SHADES[band(impact * probability)]
            text.append(f"  {count or '·':>2}  ", style=style)
        text.append("\n")
    text.append(
        f"\nscore = probability x impact; {HIGH_SCORE} and above is high, "
        f"{MEDIUM_SCORE} to {HIGH_SCORE - 1} medium",
        style="dim",
    )
    return text


# each list tab's columns
LISTS: dict[str, Table] = {
    "risks": lists.RISKS.table(),
    "issues": lists.ISSUES.table(),
    "decisions": lists.DECISIONS.table(),
    "changes": lists.CHANGES.table(),
    "metrics": lists.METRICS.table(),
    "budget": lists.BUDGET.table(),
    # the programs, for the charts of the one under the cursor
    "programs": Table(
        (
            Column("code", "Program", 9, style="cyan"),
            Column("name", "Name", flexible=True, least=12),
            Column("rag", "RAG", 7, style=lambda r: STATUS_STYLES.get(r["rag"], "")),
            Column("evidence", "Evidence", 8, style=lambda r: STATUS_STYLES.get(r["evidence"], "")),
            Column("parent", "Parent", 8, only="wide"),
            Column("owner", "Owner", 20, narrow=14),
        ),
        wide_at=100,
    ),
}
# the tabs with a chart of the row under the cursor below the list
CHARTED = ("metrics", "budget", "programs")


class RaidScreen(TabbedScreen):
    """Risks, issues, decisions, changes, the risk matrix, metrics and budget."""

    MODE = "raid"
    AUTO_FOCUS = "#raid"
    DEFAULT_CSS = """
    RaidScreen #matrix {
        height: 1fr;
        padding: 1 2;
    }
    RaidScreen #chart {
        height: 2fr;
        min-height: 9;
    }
    RaidScreen #program-charts {
        height: 3fr;
        min-height: 9;
    }
    RaidScreen #program-charts > TrendChart {
        width: 1fr;
        height: 1fr;
    }
    RaidScreen #program-metric {
        margin-left: 2;
    }
    """
    KEYS: ClassVar[tuple[Key, ...]] = (
        *TAB_KEYS,
        Key("a", "add", "New", "Add a risk, issue, decision or change request (this tab's)"),
        Key(
            "e",
            "edit",
            "Edit",
            "Edit the risk, issue or decision; approve, reject or implement the change request",
        ),
        Key("m", "next_metric", "Next metric", "On Programs: chart the program's next metric"),
        CLEAR_KEY,
    )
    TABS = TABS
    TITLES = TITLES
    LISTS = LISTS
    load_tab = staticmethod(load_tab)

    def __init__(self) -> None:
        super().__init__()
        # which of the program's metrics the Programs tab charts
        self.metric_index = 0
        self.charted_program: str | None = None

    def views(self) -> ComposeResult:
        yield Static("", id="matrix")
        yield TrendChart(id="chart")
        with Horizontal(id="program-charts"):
            yield TrendChart(id="program-burn")
            yield TrendChart(id="program-metric")

    def row_key(self, row: dict[str, Any]) -> str:
        # budget rows are programs (by "program"), as are the Programs tab's (by "code")
        return str(row.get("id") or row.get("program") or row["code"])

    def fill_views(self, listed: bool) -> None:
        matrix = self.query_one("#matrix", Static)
        matrix.display = not listed
        if not listed:
            matrix.update(matrix_text(self.data.get("cells", [[0] * 5] * 5)))
        self.query_one("#chart", TrendChart).display = self.tab in ("metrics", "budget")
        self.query_one("#program-charts").display = self.tab == "programs"

    def fill(self) -> None:
        super().fill()
        self.draw_charts()

    @on(DataTable.RowHighlighted, "#raid")
    def row_highlighted(self) -> None:
        self.draw_charts()

    def draw_charts(self) -> None:
        """Chart the row under the cursor: its metric, or its program's spending (and, on
        Programs, one of its metrics)."""
        if self.tab not in CHARTED or not self.data:
            return
        row = self.row_under_cursor()
        if self.tab == "metrics":
            trend = self.data["trends"].get(row["id"]) if row else None
            self.query_one("#chart", TrendChart).show(metric_chart(trend) if trend else None)
            return
        code = row["program"] if self.tab == "budget" and row else row["code"] if row else None
        burn = None if code is None else self.burn(code)
        if self.tab == "budget":
            self.query_one("#chart", TrendChart).show(burn)
            return
        if code != self.charted_program:
            self.charted_program, self.metric_index = code, 0
        self.query_one("#program-burn", TrendChart).show(burn)
        self.query_one("#program-metric", TrendChart).show(
            None if code is None else self.program_metric(code)
        )

    def burn(self, code: str) -> Chart:
        year, today = self.data["year"], self.data["today"]
        return burn_chart(code, self.data["burns"].get(code), year, today)

    def program_metric(self, code: str) -> Chart:
        """The chart of the program's metric at ``metric_index`` (the count in its title)."""
        ids: list[int] = self.data["metrics"].get(code, [])
        if not ids:
            return Chart(f"{code} metrics", empty="no metrics: add one with docket metric add")
        index = self.metric_index % len(ids)
        chart = metric_chart(self.data["trends"][ids[index]], program=False)
        title = f"{code} metric {index + 1} of {len(ids)} (m next): {chart.title}"
        return replace(chart, title=title)

    def action_next_metric(self) -> None:
        if self.tab == "programs":
            self.metric_index += 1
            self.draw_charts()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_metric":
            return self.tab == "programs"
        return True

    # --- keys ------------------------------------------------------------------------

    def action_add(self) -> None:
        if self.tab in ENTITIES:
            self.app.push_screen(raid_forms.add_form(self.docket, self.tab), self._saved)
        else:
            self.notify("Adding works on Risks, Issues, Decisions and Changes (t moves there).")

    def action_edit(self) -> None:
        row = self.current_row()
        if row is None or self.tab not in ("risks", "issues", "decisions", "changes"):
            return
        if self.tab == "changes" and not NEXT_STATUS[row["status"]]:
            self.notify(f"Change request #{row['id']} is {row['status']}: that is final.")
            return
        self.app.push_screen(raid_forms.edit_form(self.docket, self.tab, row), self._saved)

    def current_row(self) -> dict[str, Any] | None:
        """The list row under the cursor, on the lists of records."""
        if self.tab not in ENTITIES:
            return None
        return self.row_under_cursor()

    def current_record(self) -> tuple[str, int] | None:
        row = self.current_row()
        return None if row is None else (ENTITIES[self.tab], int(row["id"]))
