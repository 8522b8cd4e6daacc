"""RAID (key 8): risks, issues, decisions and changes as tabs of one list, the 5x5 risk
matrix, metrics against target with a sparkline of their history, and the budget of the
program in scope.

``t`` (or ``[``/``]``) moves between the tabs: Risks, Issues, Decisions, Changes, Matrix,
Metrics, Budget. ``/`` filters the list by words; ``a`` adds to it, ``e`` edits the risk or
issue (or decides the change request); ``h`` shows a record's history.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from docket.exports.tabular.columns import Table
from docket.exports.tabular.lists import governance as lists
from docket.models.core.context import Context
from docket.models.governance import budget
from docket.models.governance.changes import NEXT_STATUS, change_facts, list_changes
from docket.models.governance.decisions import decision_facts, list_decisions
from docket.models.governance.issues import issue_facts, list_issues
from docket.models.governance.metrics import metrics
from docket.models.governance.risks import list_risks, risk_facts, risk_matrix
from docket.tui.forms import raid as raid_forms
from docket.tui.keys import Key
from docket.tui.screens.base import CLEAR_KEY, TAB_KEYS, TabbedScreen

TABS = ("risks", "issues", "decisions", "changes", "matrix", "metrics", "budget")
TITLES = {
    "risks": "Risks",
    "issues": "Issues",
    "decisions": "Decisions",
    "changes": "Changes",
    "matrix": "Risk matrix",
    "metrics": "Metrics",
    "budget": "Budget",
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
        return {"rows": metrics(program)}
    year = budget.fiscal_year_of(ctx.today())
    return {"rows": budget.budget(program, year, ctx.today()), "year": year}


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
            band = impact * probability
            style = (
                "on dark_red" if band >= 15 else "on dark_orange3" if band >= 8 else "on dark_green"
            )
            text.append(f"  {count or '·':>2}  ", style=style)
        text.append("\n")
    text.append("\nscore = probability x impact; 15 and above is high, 8 to 14 medium", style="dim")
    return text


# each list tab's columns
LISTS: dict[str, Table] = {
    "risks": lists.RISKS.table(),
    "issues": lists.ISSUES.table(),
    "decisions": lists.DECISIONS.table(),
    "changes": lists.CHANGES.table(),
    "metrics": lists.METRICS.table(),
    "budget": lists.BUDGET.table(),
}


class RaidScreen(TabbedScreen):
    """Risks, issues, decisions, changes, the risk matrix, metrics and budget."""

    MODE = "raid"
    AUTO_FOCUS = "#raid"
    DEFAULT_CSS = """
    RaidScreen #matrix {
        height: 1fr;
        padding: 1 2;
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
        CLEAR_KEY,
    )
    TABS = TABS
    TITLES = TITLES
    LISTS = LISTS
    load_tab = staticmethod(load_tab)

    def views(self) -> ComposeResult:
        yield Static("", id="matrix")

    def row_key(self, row: dict[str, Any]) -> str:
        # budget rows are programs
        return str(row.get("id") or row.get("program"))

    def fill_views(self, listed: bool) -> None:
        matrix = self.query_one("#matrix", Static)
        matrix.display = not listed
        if not listed:
            matrix.update(matrix_text(self.data.get("cells", [[0] * 5] * 5)))

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
