"""Portfolio (key 9): the proposals from intake to a decision, their ranking by value with
the reviewers' spread, the selection that fits each fiscal year's budget (and how robust it
is), and the efficient frontier drawn in the terminal.

``t`` (or ``[``/``]``) moves between the tabs: Proposals, Ranking, Selection, Frontier.
``/`` filters a list by words; Enter opens a proposal (its business case and history);
``a`` adds one, ``e`` edits it, ``s`` scores it as you, ``d`` moves it on or decides it with
a reason; ``h`` shows its history. The program scope (``p``) narrows the Proposals tab;
the ranking, the selection and the frontier are the whole portfolio's, as the budget is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from docket.exports.tabular.columns import ALERT, WARNING, Table
from docket.exports.tabular.lists import portfolio as lists
from docket.exports.tabular.lists import selection
from docket.exports.tabular.lists.selection import UNCLASSIFIED, smallest_change, unestablished
from docket.models.core.context import Context
from docket.models.core.errors import DocketError
from docket.models.portfolio import analysis
from docket.models.portfolio.proposals import list_proposals, proposals_facts
from docket.models.portfolio.value import proposal_values
from docket.tui.forms import portfolio as forms
from docket.tui.keys import Key
from docket.tui.screens.base import CLEAR_KEY, TAB_KEYS, TabbedScreen, open_key
from docket.tui.widgets.frontier import frontier_chart, legend, short_amount, short_amounts

TABS = ("proposals", "ranking", "selection", "frontier")
TITLES = {
    "proposals": "Proposals",
    "ranking": "Ranking",
    "selection": "Selection",
    "frontier": "Frontier",
}
# values are shown to two places (the detail and `docket portfolio rank` give four)
CENTS = Decimal("0.01")
# the codes named in a line of the selection's summary, at most
SHOWN_CODES = 6
# the tabs that list proposals (a row under the cursor is a proposal)
LISTED = ("proposals", "ranking", "selection")


def load_tab(ctx: Context, tab: str, program: str | None) -> dict[str, Any]:
    """What one tab shows (database thread): the analysis as ``docket portfolio`` gives it."""
    if tab == "proposals":
        values = {v["id"]: v["value"] for v in proposal_values()}
        rows = [
            {**p, "value": values.get(p["id"], Decimal(0)).quantize(CENTS)}
            for p in proposals_facts(forms.discount_rate(), program=program)
        ]
        return {"rows": rows}
    ids = {p.code: p.id for p in list_proposals()}
    if tab == "ranking":
        return {"rows": [{**r, "id": ids[r["code"]]} for r in analysis.ranking()]}
    if tab == "selection":
        try:
            found = analysis.select_portfolio(ctx)
        except DocketError as exc:
            return {"rows": [], "error": str(exc)}
        rows = [{**c, "id": ids[c["code"]]} for c in found["chosen"]]
        return {"rows": rows, "selection": found}
    try:
        return {"points": analysis.portfolio_frontier(ctx)}
    except DocketError as exc:
        return {"points": [], "error": str(exc)}


def _codes(codes: list[str]) -> str:
    """Some proposals' codes, the first few when there are many (a large portfolio's)."""
    if len(codes) > SHOWN_CODES:
        return ", ".join(codes[:SHOWN_CODES]) + f" and {len(codes) - SHOWN_CODES} more"
    return ", ".join(codes) or "none"


def selection_summary(data: dict[str, Any]) -> Text:
    """Above the chosen set: each fiscal year's spend against its budget, the value chosen
    and the solver, and how robust the choice is to the criteria's weights."""
    if data.get("error"):
        return Text(data["error"], style=ALERT)
    found: analysis.SelectionFacts = data["selection"]
    years = []
    for year in found["years"]:
        spend = Decimal(year["spend"])
        if year["budget"] is None:
            years.append(f"FY{year['year']} {short_amount(spend)} (no limit)")
            continue
        budget = Decimal(year["budget"])
        share = f" ({spend * 100 / budget:.0f} %)" if budget else ""
        spent, limit = short_amounts((spend, budget))
        years.append(f"FY{year['year']} {spent} of {limit}{share}")
    text = Text("Spend: ", style="bold")
    text.append(" · ".join(years) or "nothing")
    text.append("\nChosen: ", style="bold")
    text.append(
        f"{len(found['chosen'])} of {found['candidates']}, value {Decimal(found['value']):.2f}"
        f" · {found['solver']}, {found['status']}"
    )
    blocked = found["blocked"]
    if len(blocked) == 1:
        code, why = next(iter(blocked.items()))
        text.append(f"\nCannot be chosen: {code} {why}", style=WARNING)
    elif blocked:
        text.append(
            f"\nCannot be chosen, for what they need: {_codes(list(blocked))}", style=WARNING
        )
    sturdy = found["robustness"]
    text.append("\nRobust: ", style="bold")
    if not sturdy["criteria"]:
        text.append("no criteria, so every value is 0")
        return text
    change, unknown = smallest_change(sturdy), unestablished(sturdy)
    text.append(change or "")
    if unknown:
        text.append(f"\n{unknown[0].upper()}{unknown[1:]}", style=WARNING)
    if not sturdy["classified"]:
        text.append(f"\n{UNCLASSIFIED[0].upper()}{UNCLASSIFIED[1:]}", style=WARNING)
        return text
    chosen = {c["code"] for c in found["chosen"]}
    always = sturdy["always_in"]
    text.append("\nAlways in: ", style="bold")
    text.append("every one chosen" if set(always) == chosen else _codes(always))
    text.append(" · On the line: ", style="bold")
    text.append(_codes(sturdy["on_the_line"]))
    text.append(" · Never in: ", style="bold")
    text.append(_codes(sturdy["never_in"]))
    return text


# each list tab's columns
LISTS: dict[str, Table] = {
    "proposals": lists.PROPOSALS.table(),
    "ranking": selection.RANK.table(),
    "selection": selection.CHOSEN.table(),
}


class PortfolioScreen(TabbedScreen):
    """Proposals, their ranking, the selection within the budget, and the frontier."""

    MODE = "portfolio"
    AUTO_FOCUS = "#portfolio"
    DEFAULT_CSS = """
    PortfolioScreen #chart {
        height: 1fr;
        padding: 0 1;
    }
    PortfolioScreen #summary {
        height: auto;
        padding: 0 1;
    }
    """
    KEYS: ClassVar[tuple[Key, ...]] = (
        *TAB_KEYS,
        open_key("Open the proposal: business case, scores, history"),
        Key("a", "add", "New", "Add a proposal (in draft)"),
        Key("e", "edit", "Edit", "Edit the proposal"),
        Key("s", "score", "Score", "Score the proposal on each criterion, as you"),
        Key(
            "d",
            "decide",
            "Decide",
            "Move the proposal on (submit, review) or decide it (approve, defer, reject), "
            "with a reason",
        ),
        CLEAR_KEY,
    )
    TABS = TABS
    TITLES = TITLES
    HINT = "   t/[ ] next, previous · enter opens"
    LISTS = LISTS
    load_tab = staticmethod(load_tab)

    def above_list(self) -> ComposeResult:
        yield Static("", id="summary")

    def views(self) -> ComposeResult:
        yield Static("", id="chart")

    def fill_views(self, listed: bool) -> None:
        chart = self.query_one("#chart", Static)
        chart.display = not listed
        summary = self.query_one("#summary", Static)
        summary.display = self.tab == "selection"
        if summary.display and self.data:
            summary.update(selection_summary(self.data))
        if listed:
            return
        width = (chart.size.width or self.size.width - 2) - 1
        # the legend's two lines below
        height = (chart.size.height or self.size.height - 4) - 2
        if self.data.get("error"):
            chart.update(Text(self.data["error"], style=ALERT))
            return
        points = self.data.get("points", [])
        text = frontier_chart(points, width, height)
        text.append("\n")
        text.append_text(legend(points, width))
        chart.update(text)

    # --- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "edit", "score", "decide", "focus_filter"):
            return self.tab in LISTED
        return True

    def current_row(self) -> dict[str, Any] | None:
        """The proposal under the cursor, on the lists."""
        if self.tab not in LISTED or not self.data:
            return None
        return self.row_under_cursor()

    def current_record(self) -> tuple[str, int] | None:
        row = self.current_row()
        return None if row is None else ("proposal", int(row["id"]))

    def action_add(self) -> None:
        self.app.push_screen(forms.add_form(self.docket), self._saved)

    def action_open(self) -> None:
        row = self.current_row()
        if row is not None:
            forms.open_proposal(self.docket, row["code"], self._saved)

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            forms.open_edit(self.docket, row["code"], self._saved)

    def action_score(self) -> None:
        row = self.current_row()
        if row is not None:
            forms.open_scoring(self.docket, row["code"], self._saved)

    def action_decide(self) -> None:
        row = self.current_row()
        if row is not None:
            forms.open_decide(self.docket, row, self._saved)
