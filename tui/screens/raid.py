"""RAID (key 8): risks, issues, decisions and changes as tabs of one list, the 5x5 risk
matrix, metrics against target with a sparkline of their history, and the budget of the
program in scope.

``t`` (or ``[``/``]``) moves between the tabs: Risks, Issues, Decisions, Changes, Matrix,
Metrics, Budget. ``/`` filters the list by words; ``a`` adds to it, ``e`` edits the risk or
issue (or decides the change request); ``h`` shows a record's history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

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
from docket.tui.screens.base import FilteredScreen
from docket.tui.widgets.rows import row_cells, set_columns

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


class RaidScreen(FilteredScreen):
    """Risks, issues, decisions, changes, the risk matrix, metrics and budget."""

    MODE = "raid"
    AUTO_FOCUS = "#raid"
    DEFAULT_CSS = """
    RaidScreen #raid {
        height: 1fr;
    }
    RaidScreen #matrix {
        height: 1fr;
        padding: 1 2;
    }
    """
    KEYS: ClassVar[tuple[Key, ...]] = (
        Key("t,right_square_bracket", "tab(1)", "Next", "The next tab (] too)", display="t"),
        Key("left_square_bracket", "tab(-1)", "Previous", "The previous tab", display="["),
        Key("slash", "focus_filter", "Filter", "Filter the list by words", display="/"),
        Key("a", "add", "New", "Add a risk, issue, decision or change request (this tab's)"),
        Key(
            "e",
            "edit",
            "Edit",
            "Edit the risk, issue or decision; approve, reject or implement the change request",
        ),
        Key("escape", "clear", "Clear", "Leave the filter, then clear it", footer=False),
    )

    def __init__(self) -> None:
        super().__init__()
        self.tab = TABS[0]
        self.data: dict[str, Any] = {}
        # the tab whose rows the table holds
        self.shown_tab = ""

    def body(self) -> ComposeResult:
        yield Static("", id="tabs")
        yield Input(self.typed, placeholder="/ to filter by words", id="filter", compact=True)
        yield DataTable(id="raid", cursor_type="row", cell_padding=0)
        yield Static("", id="matrix")

    def fetch(self) -> Callable[[], Any]:
        ctx, tab, program = self.docket.ctx, self.tab, self.docket.program

        def load() -> dict[str, Any]:
            return load_tab(ctx, tab, program)

        return load

    def show(self, data: Any) -> None:
        self.data = data
        self.fill()

    def on_resize(self) -> None:
        if self.data:
            self.fill()

    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.data.get("rows", [])
        words = self.typed.lower().split()
        if words:
            rows = [
                r for r in rows if all(w in " ".join(map(str, r.values())).lower() for w in words)
            ]
        return rows

    def fill(self) -> None:
        tabs = Text()
        for name in TABS:
            tabs.append(f" {TITLES[name]} ", style="reverse" if name == self.tab else "")
        hint = "   t/[ ] next, previous"
        if tabs.cell_len + len(hint) <= self.size.width:
            tabs.append(hint, style="dim")
        self.query_one("#tabs", Static).update(tabs)
        table = self.query_one(DataTable)
        matrix = self.query_one("#matrix", Static)
        table.display = self.tab != "matrix"
        matrix.display = self.tab == "matrix"
        self.query_one("#filter", Input).display = self.tab != "matrix"
        if table.display and self.focused is None:
            # the matrix hid the list and took its focus: give it back, or the cursor
            # keys do nothing on the tabs after it
            table.focus()
        if self.tab == "matrix":
            matrix.update(matrix_text(self.data.get("cells", [[0] * 5] * 5)))
            return
        # the row under the cursor, kept there when the same tab is shown again (a save,
        # a resize, the filter)
        current = None
        if self.shown_tab == self.tab and 0 <= table.cursor_row < table.row_count:
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear(columns=True)
        width = (table.size.width or self.size.width) - 2
        layout = LISTS[self.tab]
        columns = layout.fit(width)
        view = layout.view(width)
        set_columns(table, columns)
        rows = self.rows()
        keys = [str(row.get("id") or row.get("program")) for row in rows]
        for key, row in zip(keys, rows, strict=True):
            table.add_row(*row_cells(columns, row, view), key=key)
        if current in keys:
            table.move_cursor(row=keys.index(current), animate=False)
        self.shown_tab = self.tab

    # --- keys ------------------------------------------------------------------------

    def action_tab(self, step: int) -> None:
        self.tab = TABS[(TABS.index(self.tab) + step) % len(TABS)]
        self.data = {}
        self.reload()

    def action_focus_filter(self) -> None:
        # every tab that is a list filters (metrics and budget too); the matrix does not
        if self.tab != "matrix":
            super().action_focus_filter()

    def filtered(self) -> None:
        # the tab's records are all loaded: the filter narrows them here
        if self.data:
            self.fill()

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

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.docket.changed()

    def current_row(self) -> dict[str, Any] | None:
        """The list row under the cursor, on the lists of records."""
        if self.tab not in ENTITIES:
            return None
        table = self.query_one(DataTable)
        rows = self.rows()
        if not 0 <= table.cursor_row < min(table.row_count, len(rows)):
            return None
        return rows[table.cursor_row]

    def current_record(self) -> tuple[str, int] | None:
        row = self.current_row()
        return None if row is None else (ENTITIES[self.tab], int(row["id"]))


# each list tab's columns
LISTS: dict[str, Table] = {
    "risks": lists.RISKS.table(),
    "issues": lists.ISSUES.table(),
    "decisions": lists.DECISIONS.table(),
    "changes": lists.CHANGES.table(),
    "metrics": lists.METRICS.table(),
    "budget": lists.BUDGET.table(),
}
