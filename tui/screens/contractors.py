"""Contractors (key 6): assignments, the allocation heatmap, contracts with their burn, and
sourcing (solicitations, their bids, scoring and award).

``t`` cycles the four views. Assignments: ``/`` filters by person, program or role; ``a``
adds, ``e`` edits, ``x`` ends one. The heatmap shows each person's allocation per month
as numbers (over 100 marked ``!``), coloured only to help; contracts show a burn bar with
the percent spent, the day the money runs out at the current rate and the committed cost.
Sourcing lists the solicitations (``/`` filters them, Enter opens one); what is its own is in
:mod:`docket.tui.screens.sourcing_view`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from docket.exports.tabular.lists import contractors as lists
from docket.models.contractors import assignments, burn
from docket.models.contractors.allocation import allocation_by_month
from docket.models.contractors.burn import burn_facts
from docket.models.core.context import Context
from docket.tui.forms.contractors import (
    add_form,
    amend_form,
    contract_form,
    edit_form,
    end_form,
    open_contract,
    spend_form,
)
from docket.tui.forms.sourcing import open_solicitation
from docket.tui.keys import Key
from docket.tui.screens import sourcing_view
from docket.tui.screens.base import CLEAR_KEY, FilteredScreen, filter_key, open_key
from docket.tui.widgets.heatmap import fill_heatmap
from docket.tui.widgets.rows import row_cells, set_columns

VIEWS = ("assignments", "allocation", "contracts", sourcing_view.VIEW)
# the views with a filter box
FILTERED = ("assignments", sourcing_view.VIEW)
PLACEHOLDERS = {
    "assignments": "/ to filter: person, program or role",
    sourcing_view.VIEW: "/ to filter: code, program, status or title words",
}
MONTHS = 12
# the columns of the assignments and of the contracts with their burn
ASSIGNMENTS = lists.ASSIGNMENTS.table()
CONTRACTS = lists.CONTRACTS.table()


def load_view(ctx: Context, view: str, program: str | None) -> dict[str, Any]:
    """The rows of one view (database thread)."""
    today = ctx.today()
    if view == "assignments":
        found = assignments.list_assignments(
            assignments.AssignmentFilter(program=program, first=today)
        )
        rows = [assignments.assignment_facts(a, today) for a in found]
        return {"today": today, "rows": rows}
    if view == sourcing_view.VIEW:
        return sourcing_view.load_sourcing(program)
    from docket.models.portfolio.programs import program_and_children

    ids = program_and_children(program) if program else None
    if view == "allocation":
        # scoped: the people who work on the programs, with all their allocation
        people = assignments.people_assigned(ids) if ids is not None else None
        return {"today": today, **allocation_by_month(today, MONTHS, people)}
    burns = burn.burns(today, program_ids=ids)
    return {"today": today, "rows": [burn_facts(b) for b in burns if b.days_left >= 0]}


class ContractorsScreen(FilteredScreen):
    """Who works on what, how much of their time, and what the contracts have left."""

    MODE = "contractors"
    AUTO_FOCUS = "#contractors"
    KEYS: ClassVar[tuple[Key, ...]] = (
        Key(
            "t", "next_view", "View", "Cycle: assignments, allocation heatmap, contracts, sourcing"
        ),
        filter_key("Filter assignments (person, program or role) or solicitations (words)"),
        Key("a", "add", "Add", "Add an assignment (on contracts: a contract)"),
        Key("e", "edit", "Edit", "Edit the assignment"),
        Key("x", "end", "End", "End the assignment (today, or the day you type)"),
        open_key(
            "Open the contract (burn, amendments, expenditures) or the solicitation "
            "(bids, committee, scoring, ranking, award)"
        ),
        Key("s", "spend", "Spend", "Record an expenditure on the contract"),
        Key("v", "amend", "Amend", "Amend the contract's ceiling, dates or rate, with a reason"),
        CLEAR_KEY,
    )
    HELP_EXTRA = (
        ("  60 ", "heatmap: the month's average allocation, in percent"),
        (" 120!", "heatmap: above 100 % on some day of the month"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.view = VIEWS[0]
        self.data: dict[str, Any] = {}
        # what was typed in each filtered view's box (each view keeps its own filter)
        self.typed_in: dict[str, str] = {}

    def body(self) -> ComposeResult:
        yield Input(
            self.typed,
            placeholder=PLACEHOLDERS[self.view],
            id="filter",
            compact=True,
        )
        yield Static("", id="status")
        yield DataTable(
            id="contractors", classes="filtered-list", cursor_type="row", cell_padding=0
        )

    def fetch(self) -> Callable[[], Any]:
        ctx, view, program = self.docket.ctx, self.view, self.docket.program

        def load() -> dict[str, Any]:
            return load_view(ctx, view, program)

        return load

    def show(self, data: Any) -> None:
        current = self.current_key()
        self.data = data
        self.fill(current)

    def on_resize(self) -> None:
        if self.data:
            self.fill(self.current_key())

    def rows(self) -> list[dict[str, Any]]:
        """The rows shown: the view's, filtered by what is typed (assignments, sourcing)."""
        rows: list[dict[str, Any]] = self.data.get("rows", self.data.get("people", []))
        if self.view == sourcing_view.VIEW:
            return sourcing_view.matching(rows, self.typed)
        words = self.typed.lower().split()
        if self.view == "assignments" and words:
            rows = [
                r for r in rows
                if all(w in f"{r['person']} {r['program']} {r['role']}".lower() for w in words)
            ]  # fmt: skip
        return rows

    def fill(self, current: str | None) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = (table.size.width or self.size.width) - 2
        rows = self.rows()
        if self.view == "allocation":
            fill_heatmap(table, rows, self.data.get("months", []), width, self.key_of)
        else:
            layout = {"assignments": ASSIGNMENTS, sourcing_view.VIEW: sourcing_view.TABLE}.get(
                self.view, CONTRACTS
            )
            shown, view = layout.fit(width), layout.view(width)
            set_columns(table, shown)
            for r in rows:
                table.add_row(*row_cells(shown, r, view), key=self.key_of(r))
        keys = [self.key_of(r) for r in rows]
        if current in keys:
            table.move_cursor(row=keys.index(current), animate=False)
        self.query_one("#filter", Input).display = self.view in FILTERED
        self.query_one("#status", Static).update(self.status_line(rows))

    def key_of(self, row: dict[str, Any]) -> str:
        # an assignment or contract by its id; a heatmap row by its person (names repeat)
        return str(row.get("id") or f"person-{row['person_id']}")

    def status_line(self, rows: list[dict[str, Any]]) -> Text:
        if self.view == sourcing_view.VIEW:
            return sourcing_view.status_line(rows)
        label = {
            "assignments": "Assignments",
            "allocation": "Allocation by month",
            "contracts": "Contracts",
        }
        text = Text(label[self.view], style="bold")
        text.append(f" · {len(rows)}")
        if self.view == "allocation":
            over = sum(1 for r in rows if any(c["peak"] > 100 for c in r["months"]))
            text.append(f" people · {over} above 100 % on some day (!)")
        elif self.view == "contracts":
            near = sum(1 for r in rows if r["near_ceiling"])
            text.append(f" active · {near} above 80 % of the ceiling")
        else:
            text.append(" current or coming")
        text.append("   t: next view", style="dim")
        return text

    # --- keys ------------------------------------------------------------------------

    def action_next_view(self) -> None:
        self.typed_in[self.view] = self.typed
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.data = {}
        if self.view in FILTERED:
            box = self.query_one("#filter", Input)
            box.placeholder = PLACEHOLDERS[self.view]
            self.typed = self.typed_in.get(self.view, "")
            box.value = self.typed
        self.refresh_bindings()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "end"):
            return self.view == "assignments"
        if action == "focus_filter":
            return self.view in FILTERED
        if action == "add":
            return self.view in ("assignments", "contracts")
        if action == "open":
            return self.view in ("contracts", sourcing_view.VIEW)
        if action in ("spend", "amend"):
            return self.view == "contracts"
        return True

    def filtered(self) -> None:
        # the assignments are all loaded: the filter narrows them here
        if self.data:
            self.fill(self.current_key())

    def current_key(self) -> str | None:
        table = self.query_one(DataTable)
        rows = self.rows() if self.data else []
        if not 0 <= table.cursor_row < min(table.row_count, len(rows)):
            return None
        return self.key_of(rows[table.cursor_row])

    def current_assignment(self) -> dict[str, Any] | None:
        if self.view != "assignments":
            return None
        key = self.current_key()
        return next((r for r in self.rows() if self.key_of(r) == key), None)

    def current_record(self) -> tuple[str, int] | None:
        solicitation = self.current_solicitation()
        if solicitation is not None:
            return ("solicitation", int(solicitation["id"]))
        row = self.current_assignment()
        return None if row is None else ("assignment", int(row["id"]))

    def current_solicitation(self) -> dict[str, Any] | None:
        if self.view != sourcing_view.VIEW:
            return None
        key = self.current_key()
        return next((r for r in self.rows() if self.key_of(r) == key), None)

    def action_add(self) -> None:
        if self.view == "contracts":
            self.app.push_screen(contract_form(self.docket), self._saved)
        else:
            self.app.push_screen(add_form(self.docket), self._saved)

    def current_contract(self) -> dict[str, Any] | None:
        if self.view != "contracts":
            return None
        key = self.current_key()
        return next((r for r in self.rows() if self.key_of(r) == key), None)

    def action_open(self) -> None:
        solicitation = self.current_solicitation()
        if solicitation is not None:
            open_solicitation(self.docket, solicitation["code"], self._saved)
        row = self.current_contract()
        if row is not None:
            open_contract(self.docket, row["number"], self._saved)

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_spend(self) -> None:
        row = self.current_contract()
        if row is not None:
            self.app.push_screen(spend_form(self.docket, row["number"]), self._saved)

    def action_amend(self) -> None:
        row = self.current_contract()
        if row is not None:
            self.app.push_screen(amend_form(self.docket, row["number"]), self._saved)

    def action_edit(self) -> None:
        row = self.current_assignment()
        if row is not None:
            self.app.push_screen(edit_form(self.docket, row), self._saved)

    def action_end(self) -> None:
        row = self.current_assignment()
        if row is not None:
            self.app.push_screen(end_form(self.docket, row), self._saved)

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.docket.changed()
