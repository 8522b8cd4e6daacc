"""Contractors (key 6): assignments, the allocation heatmap and contracts with their burn.

``t`` cycles the three views. Assignments: ``/`` filters by person, program or role; ``a``
adds, ``e`` edits, ``x`` ends one. The heatmap shows each person's allocation per month
as numbers (over 100 marked ``!``), coloured only to help; contracts show a burn bar with
the percent spent, the day the money runs out at the current rate and the committed cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from docket.models.contractors import assignments, contracts
from docket.models.core.context import Context
from docket.tui.forms.actions import date_check, person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.keys import Key
from docket.tui.screens.base import FilteredScreen
from docket.tui.store import store_of
from docket.tui.widgets.dialogs import RecordDetail, summary_table
from docket.tui.widgets.rows import set_columns
from docket.tui.widgets.text import FIGURE_SPACE, flush_right, plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

VIEWS = ("assignments", "allocation", "contracts")
MONTHS = 12
BAR = 10


def load_view(ctx: Context, view: str, program: str | None) -> dict[str, Any]:
    """The rows of one view (database thread)."""
    today = ctx.today()
    if view == "assignments":
        found = assignments.list_assignments(
            assignments.AssignmentFilter(program=program, first=today)
        )
        rows = [assignments.assignment_facts(a, today) for a in found]
        return {"today": today, "rows": rows}
    from docket.models.portfolio.programs import program_and_children

    ids = program_and_children(program) if program else None
    if view == "allocation":
        # scoped: the people who work on the programs, with all their allocation
        people = assignments.people_assigned(ids) if ids is not None else None
        return {"today": today, **assignments.allocation_by_month(today, MONTHS, people)}
    burns = contracts.burns(today, program_ids=ids)
    return {"today": today, "rows": [contracts.burn_facts(b) for b in burns if b.days_left >= 0]}


# the heatmap's person column, at least
PERSON = 30


def fit_person(label: str, room: int) -> str:
    """A person's label (``Name`` or ``Name <e-mail>`` for a namesake) in ``room`` cells,
    keeping what tells namesakes apart: the e-mail's domain goes first, then the name is
    shortened, never the part of the e-mail before the ``@``."""
    if cell_len(label) <= room or " <" not in label:
        return label
    name, _, email = label.rpartition(" <")
    local = email.rstrip(">").partition("@")[0]
    short = f"{name} <{local}@…>"
    if cell_len(short) <= room:
        return short
    tail = f" <{local}@…>"
    keep = max(1, room - cell_len(tail) - 1)
    return f"{name[:keep].rstrip()}…{tail}"


def burn_bar(percent: int) -> str:
    """``███████░░░  70%``: the share of the ceiling spent, readable without colour."""
    filled = max(0, min(BAR, round(percent * BAR / 100)))
    return "█" * filled + "░" * (BAR - filled) + f" {percent:3d}%"


def heat(cell: dict[str, Any]) -> Text:
    """One month of one person: the average allocation, ``!`` when some day passed 100."""
    average, peak = cell["average"], cell["peak"]
    if not peak:
        return Text("·".rjust(4, FIGURE_SPACE), style="dim")
    mark = "!" if peak > 100 else " "
    style = "bold red" if peak > 100 else "green" if average >= 80 else ""
    return Text(f"{average}".rjust(4, FIGURE_SPACE) + mark, style=style)


class ContractorsScreen(FilteredScreen):
    """Who works on what, how much of their time, and what the contracts have left."""

    MODE = "contractors"
    AUTO_FOCUS = "#contractors"
    DEFAULT_CSS = """
    ContractorsScreen #contractors {
        height: 1fr;
    }
    """
    KEYS: ClassVar[tuple[Key, ...]] = (
        Key("t", "next_view", "View", "Cycle: assignments, allocation heatmap, contracts"),
        Key(
            "slash",
            "focus_filter",
            "Filter",
            "Filter assignments: person, program or role",
            display="/",
        ),
        Key("a", "add", "Add", "Add an assignment (on contracts: a contract)"),
        Key("e", "edit", "Edit", "Edit the assignment"),
        Key("x", "end", "End", "End the assignment (today, or the day you type)"),
        Key(
            "enter",
            "open",
            "Open",
            "Open the contract: burn, amendments, expenditures",
            footer=False,
        ),
        Key("s", "spend", "Spend", "Record an expenditure on the contract"),
        Key("v", "amend", "Amend", "Amend the contract's ceiling, dates or rate, with a reason"),
        Key("escape", "clear", "Clear", "Leave the filter, then clear it", footer=False),
    )
    HELP_EXTRA = (
        ("  60 ", "heatmap: the month's average allocation, in percent"),
        (" 120!", "heatmap: above 100 % on some day of the month"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.view = VIEWS[0]
        self.data: dict[str, Any] = {}

    def body(self) -> ComposeResult:
        yield Input(
            self.typed,
            placeholder="/ to filter: person, program or role",
            id="filter",
            compact=True,
        )
        yield Static("", id="status")
        yield DataTable(id="contractors", cursor_type="row", cell_padding=0)

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
        """The rows shown: the view's, filtered by what is typed (assignments)."""
        rows: list[dict[str, Any]] = self.data.get("rows", self.data.get("people", []))
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
        if self.view == "assignments":
            self._assignments(table, rows, width)
        elif self.view == "allocation":
            self._allocation(table, rows, width)
        else:
            self._contracts(table, rows, width)
        keys = [self.key_of(r) for r in rows]
        if current in keys:
            table.move_cursor(row=keys.index(current), animate=False)
        self.query_one("#filter", Input).display = self.view == "assignments"
        self.query_one("#status", Static).update(self.status_line(rows))

    def key_of(self, row: dict[str, Any]) -> str:
        # an assignment or contract by its id; a heatmap row by its person (names repeat)
        return str(row.get("id") or f"person-{row['person_id']}")

    def _assignments(self, table: DataTable[Any], rows: list[dict[str, Any]], width: int) -> None:
        wide = width >= 110
        fixed = [
            ("program", "Prog", 8),
            ("allocation", "Alloc", 6),
            ("start", "Start", 11),
            ("end", "End", 11),
        ]
        if wide:
            fixed += [("contract", "Contract", 13), ("note", "", 16)]
        rest = max(20, width - sum(w for *_, w in fixed))
        set_columns(
            table, [("person", "Person", rest // 2), ("role", "Role", rest - rest // 2), *fixed]
        )
        for r in rows:
            ends = r["ends_in_days"]
            soon = ends is not None and ends <= assignments.ENDING_DAYS
            note = (
                "outside contract" if r["outside_contract"] else f"ends in {ends}d" if soon else ""
            )
            values = {
                "person": plain(" " + r["person"]),
                "role": plain(" " + r["role"]),
                "program": plain(" " + r["program"], style="cyan"),
                "allocation": flush_right(f"{r['allocation']}%", 6),
                "start": plain(" " + r["start"]),
                "end": plain(" " + r["end"], style="yellow" if note.startswith("ends") else ""),
                "contract": plain(" " + (r["contract"] or "")),
                "note": plain(
                    " " + note, style="bold red" if note.startswith("outside") else "yellow"
                ),
            }
            table.add_row(
                *[values[str(c.key.value)] for c in table.columns.values()], key=self.key_of(r)
            )

    def _allocation(self, table: DataTable[Any], rows: list[dict[str, Any]], width: int) -> None:
        months = self.data.get("months", [])
        # the person keeps room for a namesake's e-mail: a month fewer on a narrow terminal
        shown = max(1, min(len(months), (width - PERSON) // 6))
        room = max(12, width - shown * 6)
        wanted = [("person", "Person", room)]
        wanted += [(m, m[2:].replace("-", "/"), 6) for m in months[:shown]]
        set_columns(table, wanted)
        for r in rows:
            label = fit_person(r["person"], room - 2)
            cells = [plain(" " + label)] + [heat(c) for c in r["months"][:shown]]
            table.add_row(*cells, key=self.key_of(r))

    def _contracts(self, table: DataTable[Any], rows: list[dict[str, Any]], width: int) -> None:
        wide = width >= 110
        fixed = [
            ("program", "Prog", 8),
            ("end", "Ends", 11),
            ("bar", "Spent of ceiling", 17),
            ("runs_out", "Runs out", 11),
        ]
        if wide:
            fixed += [("remaining", "Remaining", 16), ("committed", "Committed", 16)]
        rest = max(20, width - sum(w for *_, w in fixed))
        set_columns(table, [("number", "Contract", 13), ("vendor", "Vendor", rest - 13), *fixed])
        for r in rows:
            warn = r["near_ceiling"] or r["over_committed"]
            values = {
                "number": plain(" " + r["number"]),
                "vendor": plain(" " + r["vendor"]),
                "program": plain(" " + r["program"], style="cyan"),
                "end": plain(" " + r["end"], style="yellow" if r["ending_soon"] else ""),
                "bar": plain(" " + burn_bar(r["percent"]), style="bold red" if warn else ""),
                "runs_out": plain(" " + (r["runs_out"] or "")),
                "remaining": plain(f" {r['remaining']:>14}"),
                "committed": plain(
                    f" {r['committed']:>14}", style="bold red" if r["over_committed"] else ""
                ),
            }
            table.add_row(
                *[values[str(c.key.value)] for c in table.columns.values()], key=self.key_of(r)
            )

    def status_line(self, rows: list[dict[str, Any]]) -> Text:
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
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.data = {}
        self.refresh_bindings()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "end", "focus_filter"):
            return self.view == "assignments"
        if action == "add":
            return self.view in ("assignments", "contracts")
        if action in ("open", "spend", "amend"):
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
        row = self.current_assignment()
        return None if row is None else ("assignment", int(row["id"]))

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


def _fields(ctx: Context, row: dict[str, Any] | None, program: str | None) -> list[Field]:
    r = row or {}
    fields = []
    if row is None:
        fields.append(
            Field(
                "person",
                "Person",
                placeholder="name, e-mail or account",
                lookup=person_lookup("person"),
            )
        )
    fields += [
        Field("program", "Program", r.get("program") or program or "", lookup=program_lookup),
        Field(
            "allocation", "Allocation", str(r.get("allocation", "")), placeholder="percent, e.g. 50"
        ),
        Field("start", "Start", r.get("start", ""), check=date_check(ctx, "start")),
        Field("end", "End", r.get("end", ""), check=date_check(ctx, "end")),
        Field("role", "Role", r.get("role", "")),
        Field(
            "contract", "Contract", r.get("contract") or "", placeholder="its number (blank: none)"
        ),
        Field("rate", "Rate", r.get("rate") or "", placeholder="per hour (blank: none)"),
    ]
    return fields


# the fields that change who is booked when: each change re-reads the person's allocation
BOOKING = ("person", "allocation", "start", "end")


class _Overload:
    """Shows, under Allocation and before saving, when the assignment as typed would take
    its person over 100 % on some day (saving is still allowed: the CLI warns the same)."""

    # the assignment being edited (left out of the count), or None for a new one
    editing: int | None = None

    def _check(self, field: Field, typed: str) -> None:
        super()._check(field, typed)  # type: ignore[misc]
        if field.name in BOOKING:
            form: Any = self
            form.run_worker(self._preview, group="overload", exclusive=True, exit_on_error=False)

    async def _preview(self) -> None:
        form: Any = self
        typed = form.values()
        ctx = form.app.ctx
        said = await store_of(form.app).run(
            assignments.overload_preview,
            ctx,
            person=typed.get("person") or None,
            allocation=typed.get("allocation", ""),
            start=typed.get("start", ""),
            end=typed.get("end", ""),
            leaving_out=self.editing,
        )
        if said or not form.query_one("#hint-allocation", Static).has_class("invalid"):
            form.query_one("#hint-allocation", Static).set_class(bool(said), "overload")
            form.show_hint("allocation", f"⚠ {said}" if said else "")


class AssignmentForm(_Overload, RecordForm):
    """A new assignment, warning of over-allocation as typed."""


class AssignmentEditForm(_Overload, EditForm):
    """An assignment's changes, warning of over-allocation as typed."""


def add_form(app: DocketApp) -> RecordForm:
    """The form that adds an assignment; dismisses with its id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        made = assignments.add_assignment(
            ctx,
            values["person"],
            program=values["program"],
            allocation=values["allocation"],
            start=values["start"],
            end=values["end"],
            role=values["role"],
            contract=values["contract"] or None,
            rate=values["rate"] or None,
        )
        return int(made.id)

    return AssignmentForm("New assignment", _fields(ctx, None, app.program), save)


def edit_form(app: DocketApp, row: dict[str, Any]) -> EditForm:
    """The form that edits an assignment; only the fields changed are sent."""
    ctx, ident = app.ctx, int(row["id"])

    def save(changes: dict[str, str], version: int) -> int:
        return int(assignments.update_assignment(ctx, ident, version, **changes).id)

    def reread() -> Revision:
        from docket.models.core.records import get
        from docket.models.core.schema import Assignment

        now = assignments.assignment_facts(get(Assignment, ident), ctx.today())
        return Revision({f.name: f.value for f in _fields(ctx, now, None)}, int(now["version"]))

    title = f"Edit assignment #{ident}: {row['person']}"
    form = AssignmentEditForm(title, _fields(ctx, row, None), int(row["version"]), save, reread)
    form.editing = ident
    return form


def end_form(app: DocketApp, row: dict[str, Any]) -> RecordForm:
    """End an assignment on a day (today unless changed)."""
    ctx, ident = app.ctx, int(row["id"])
    fields = [Field("end", "Ends on", "today", check=date_check(ctx, "end"))]

    def save(values: dict[str, str]) -> int:
        return int(assignments.end_assignment(ctx, ident, values["end"]).id)

    return RecordForm(f"End assignment #{ident}: {row['person']} on {row['program']}", fields, save)


# --- contracts ---------------------------------------------------------------------------


def contract_form(app: DocketApp) -> RecordForm:
    """A new contract; dismisses with its id."""
    ctx = app.ctx
    fields = [
        Field("number", "Number", placeholder="e.g. C-2026-0303"),
        Field("title", "Title"),
        Field("vendor", "Vendor", placeholder="its name (docket vendor add makes one)"),
        Field("program", "Program", app.program or "", lookup=program_lookup),
        Field("start", "Start", check=date_check(ctx, "start")),
        Field("end", "End", check=date_check(ctx, "end")),
        Field("ceiling", "Ceiling", placeholder="e.g. 450000.00"),
        Field("currency", "Currency", "USD"),
    ]

    def save(values: dict[str, str]) -> int:
        number = values.pop("number")
        return int(contracts.add_contract(ctx, number, **values).id)

    return RecordForm("New contract", fields, save)


def spend_form(app: DocketApp, number: str) -> RecordForm:
    """An expenditure on a contract; past the ceiling it needs a reason (the audit and the
    contract keep it)."""
    ctx = app.ctx
    fields = [
        Field("amount", "Amount", placeholder="e.g. 12500.00 (negative: a credit note)"),
        Field("on", "Date", "today", check=date_check(ctx, "date")),
        Field("invoice", "Invoice", placeholder="its reference"),
        Field(
            "over_ceiling", "Past ceiling", placeholder="why it may pass the ceiling (if it does)"
        ),
    ]

    def save(values: dict[str, str]) -> int:
        made = contracts.add_expenditure(
            ctx, number, values["amount"], on=values["on"] or None, invoice=values["invoice"],
            over_ceiling=values["over_ceiling"],
        )  # fmt: skip
        return int(made.id)

    return RecordForm(f"Expenditure on {number}", fields, save)


def amend_form(app: DocketApp, number: str) -> RecordForm:
    """Amend a contract's terms (those filled in), with the reason."""
    ctx = app.ctx
    fields = [
        Field("ceiling", "Ceiling", placeholder="new ceiling (blank: unchanged)"),
        Field("start", "Start", check=date_check(ctx, "start"), placeholder="blank: unchanged"),
        Field("end", "End", check=date_check(ctx, "end"), placeholder="blank: unchanged"),
        Field("rate", "Rate", placeholder="per hour, for its current assignments"),
        Field("reason", "Reason", placeholder="e.g. change order 4"),
    ]

    def save(values: dict[str, str]) -> int:
        given = {k: v or None for k, v in values.items()}
        made = contracts.amend_contract(
            ctx, number, reason=values["reason"], ceiling=given["ceiling"], start=given["start"],
            end=given["end"], rate=given["rate"],
        )  # fmt: skip
        return int(made.id)

    return RecordForm(f"Amend {number}", fields, save)


class ContractDetail(RecordDetail):
    """One contract: burn, amendments, expenditures (void ones and those past the ceiling
    with their reasons); ``s`` spend, ``v`` amend."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("s", "choose('spend')", "Spend"),
        Binding("v", "choose('amend')", "Amend"),
    ]

    def __init__(self, found: dict[str, Any]) -> None:
        super().__init__()
        self.found = found

    def title_text(self) -> Text:
        return plain(f"{self.found['number']} {self.found['title']}".strip())

    def summary(self) -> RenderableType:
        f = self.found
        return summary_table(
            (label, plain(value))
            for label, value in (
                ("Vendor", f["vendor"]),
                ("Program", f["program"]),
                ("Dates", f"{f['start']} to {f['end']}"),
                ("Ceiling", f"{f['ceiling']} {f['currency']}"),
                ("Spent", f"{f['spent']} ({f['percent']} %), remaining {f['remaining']}"),
                ("Runs out", f["runs_out"] or "not at this rate"),
            )
        )

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        amended = [
            f"{a['on']}  {contracts.amendment_text(a['changes'])}  ({a['reason']}; {a['by']})"
            for a in self.found["amendments"]
        ]
        yield "Amendments", plain("\n".join(amended) or "(none)")
        spent = [
            f"#{e['id']}  {e['date']}  {e['amount']:>12}  {e['invoice']}  "
            + contracts.expenditure_note(e)
            for e in self.found["expenditures"][:50]
        ]
        yield "Expenditures", plain("\n".join(line.rstrip() for line in spent) or "(none)")

    def keys_hint(self) -> str:
        return "s record an expenditure · v amend"


def open_contract(app: DocketApp, number: str, saved: Callable[[Any], None]) -> None:
    """Show a contract; its keys record an expenditure or amend it."""

    async def run() -> None:
        found = await app.store.run(contracts.contract_detail, number, app.ctx.today())

        def chosen(what: str | None) -> None:
            if what == "spend":
                app.push_screen(spend_form(app, number), saved)
            elif what == "amend":
                app.push_screen(amend_form(app, number), saved)

        app.push_screen(ContractDetail(found), chosen)

    app.run_worker(run(), group="detail", exit_on_error=False)
