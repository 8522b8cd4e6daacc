"""RAID (key 8): risks, issues, decisions and changes as tabs of one list, the 5x5 risk
matrix, metrics against target with a sparkline of their history, and the budget of the
program in scope.

``t`` (or ``[``/``]``) moves between the tabs: Risks, Issues, Decisions, Changes, Matrix,
Metrics, Budget. ``/`` filters the list by words; ``a`` adds to it, ``e`` edits the risk or
issue (or decides the change request); ``h`` shows a record's history.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from docket.models.core.context import Context
from docket.models.governance import budget
from docket.models.governance import raid as governance
from docket.models.governance.raid import NEXT_STATUS
from docket.tui.forms import raid as raid_forms
from docket.tui.keys import Key
from docket.tui.screens.base import FilteredScreen
from docket.tui.widgets.rows import set_columns
from docket.tui.widgets.text import cell, flush_right

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
STATUS_STYLES = {
    "red": "bold red",
    "amber": "yellow",
    "green": "green",
    "critical": "bold red",
    "high": "bold",
}
# columns of numbers, headed and drawn flush right
NUMBERS = frozenset({"id", "score", "days", "amount", "budget", "actual", "estimate", "variance"})
SPARKS = "▁▂▃▄▅▆▇█"
# a tab's columns (key, heading, width) and the function that makes a row's cells
Layout = tuple[list[tuple[str, str, int]], Callable[[dict[str, Any]], list[Text]]]


def load_tab(ctx: Context, tab: str, program: str | None) -> dict[str, Any]:
    """The rows of one tab (database thread)."""
    if tab == "risks":
        return {"rows": [governance.risk_facts(r) for r in governance.list_risks(program)]}
    if tab == "issues":
        return {"rows": [governance.issue_facts(i) for i in governance.list_issues(program)]}
    if tab == "decisions":
        return {"rows": [governance.decision_facts(d) for d in governance.list_decisions(program)]}
    if tab == "changes":
        return {"rows": [governance.change_facts(c) for c in governance.list_changes(program)]}
    if tab == "matrix":
        return {"cells": governance.risk_matrix(program)}
    if tab == "metrics":
        return {"rows": budget.metrics(program)}
    year = budget.fiscal_year_of(ctx.today())
    return {"rows": budget.budget(program, year, ctx.today()), "year": year}


def sparkline(values: list[str]) -> str:
    """A metric's history as eight levels of a bar, lowest to highest of its own range."""
    numbers = [Decimal(v) for v in values]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    if high == low:
        return SPARKS[3] * len(numbers)
    return "".join(SPARKS[int((n - low) / (high - low) * (len(SPARKS) - 1))] for n in numbers)


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
        columns, cells = COLUMNS[self.tab](width)
        set_columns(table, columns, right=NUMBERS)
        rows = self.rows()
        keys = [str(row.get("id") or row.get("program")) for row in rows]
        for key, row in zip(keys, rows, strict=True):
            table.add_row(*cells(row), key=key)
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


def _name_width(width: int) -> int:
    """A person's name column: narrower on a narrow terminal, so titles keep room."""
    return 18 if width >= 100 else 14


def _fixed(
    width: int, first: tuple[str, str], fixed: list[tuple[str, str, int]]
) -> list[tuple[str, str, int]]:
    rest = max(16, width - sum(w for *_, w in fixed))
    return [(first[0], first[1], rest), *fixed]


def _risk_columns(
    width: int,
) -> Layout:
    fixed = [
        ("program", "Prog", 8),
        ("score", "Score", 6),
        ("pi", "P x I", 7),
        ("status", "Status", 11),
        ("owner", "Owner", _name_width(width)),
    ]
    columns = [("id", "#", 5), *_fixed(width - 5, ("title", "Risk"), fixed)]

    def cells(r: dict[str, Any]) -> list[Text]:
        high = r["score"] >= 15
        return [
            flush_right(str(r["id"]), 5),
            cell(r["title"]),
            cell(r["program"], style="cyan"),
            flush_right(str(r["score"]), 6, style="bold red" if high else ""),
            cell(f"{r['probability']} x {r['impact']}"),
            cell(r["status"]),
            cell(r["owner"] or "nobody"),
        ]

    return columns, cells


def _issue_columns(
    width: int,
) -> Layout:
    fixed = [
        ("program", "Prog", 8),
        ("severity", "Severity", 9),
        ("status", "Status", 12),
        ("due", "Due", 11),
        ("owner", "Owner", _name_width(width)),
    ]
    columns = [("id", "#", 5), *_fixed(width - 5, ("title", "Issue"), fixed)]

    def cells(r: dict[str, Any]) -> list[Text]:
        return [
            flush_right(str(r["id"]), 5),
            cell(r["title"]),
            cell(r["program"], style="cyan"),
            cell(r["severity"], style=STATUS_STYLES.get(r["severity"], "")),
            cell(r["status"]),
            cell(r["due"] or ""),
            cell(r["owner"] or "nobody"),
        ]

    return columns, cells


def _decision_columns(
    width: int,
) -> Layout:
    fixed = [
        ("program", "Prog", 8),
        ("on", "Decided", 11),
        ("meeting", "Meeting", 8),
        ("by", "By", _name_width(width)),
    ]
    columns = [("id", "#", 5), *_fixed(width - 5, ("title", "Decision"), fixed)]

    def cells(r: dict[str, Any]) -> list[Text]:
        return [
            flush_right(str(r["id"]), 5),
            cell(r["title"]),
            cell(r["program"], style="cyan"),
            cell(r["decided_on"]),
            cell(f"#{r['meeting']}" if r["meeting"] else ""),
            cell(governance.on_behalf(r["decided_by"], r["entered_by"]) or ""),
        ]

    return columns, cells


def _change_columns(
    width: int,
) -> Layout:
    fixed = [
        ("program", "Prog", 8),
        ("kind", "Kind", 10),
        ("status", "Status", 12),
        ("days", "Days", 6),
        ("amount", "Amount", 12),
        ("by", "Decided by", _name_width(width)),
    ]
    columns = [("id", "#", 5), *_fixed(width - 5, ("title", "Change request"), fixed)]

    def cells(r: dict[str, Any]) -> list[Text]:
        waiting = r["status"] == "proposed"
        return [
            flush_right(str(r["id"]), 5),
            cell(r["title"]),
            cell(r["program"], style="cyan"),
            cell(r["kind"]),
            cell(r["status"], style="yellow" if waiting else ""),
            flush_right(str(r["impact_days"] or ""), 6),
            flush_right(f"{Decimal(r['impact_amount']):,}" if r["impact_amount"] else "", 12),
            cell(governance.on_behalf(r["approver"], r["entered_by"]) or ""),
        ]

    return columns, cells


def _metric_columns(
    width: int,
) -> Layout:
    fixed = [
        ("program", "Prog", 8),
        ("latest", "Latest", 9),
        ("target", "Target", 9),
        ("status", "Status", 9),
        ("spark", "Last 12", 14),
    ]
    columns = _fixed(width, ("name", "Metric"), fixed)

    def cells(r: dict[str, Any]) -> list[Text]:
        unit = f" {r['unit']}" if r["unit"] in ("%",) else ""
        return [
            cell(r["name"]),
            cell(r["program"] or "all", style="cyan"),
            cell(f"{r['latest'] or '-'}{unit}"),
            cell(f"{r['target']}{unit}"),
            cell(r["status"], style=STATUS_STYLES.get(r["status"], "dim")),
            cell(sparkline(r["history"][-12:])),
        ]

    return columns, cells


def _budget_columns(
    width: int,
) -> Layout:
    money = [
        ("budget", "Budget", 15),
        ("actual", "Actual", 15),
        ("estimate", "Estimate", 15),
        ("variance", "Variance", 20),
    ]
    columns = [("program", "Program", max(10, width - 65)), *money]

    def cells(r: dict[str, Any]) -> list[Text]:
        over = r["over"]
        variance = f"{Decimal(r['variance']):,}" + (" over" if over else "")
        return [
            cell(f"{r['program']} FY{r['year']}"),
            flush_right(f"{Decimal(r['budget']):,}", 15),
            flush_right(f"{Decimal(r['actual']):,}", 15),
            flush_right(f"{Decimal(r['estimate_at_completion']):,}", 15),
            flush_right(variance, 20, style="bold red" if over else ""),
        ]

    return columns, cells


COLUMNS: dict[
    str, Callable[[int], tuple[list[tuple[str, str, int]], Callable[[dict[str, Any]], list[Text]]]]
] = {
    "risks": _risk_columns,
    "issues": _issue_columns,
    "decisions": _decision_columns,
    "changes": _change_columns,
    "metrics": _metric_columns,
    "budget": _budget_columns,
}
