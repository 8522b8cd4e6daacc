"""The contractors screen's dialogs: adding, editing and ending an assignment (warning,
as typed, when it would take its person over 100 %), adding a contract, recording an
expenditure, amending a contract, and a contract's detail (burn, amendments, spend)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import Static

from docket.models.contractors import assignments, contracts
from docket.models.contractors.allocation import overload_preview
from docket.models.contractors.amendments import amend_contract, amendment_text
from docket.models.contractors.burn import ContractDetailFacts, contract_detail
from docket.models.contractors.expenditures import add_expenditure, expenditure_note
from docket.models.core.context import Context
from docket.tui.forms.actions import date_check, person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.keys import CONTRACT_DETAIL_KEYS
from docket.tui.store import store_of
from docket.tui.widgets.dialogs import RecordDetail, summary_table
from docket.tui.widgets.text import plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp


def _fields(ctx: Context, row: Mapping[str, Any] | None, program: str | None) -> list[Field]:
    r: Mapping[str, Any] = row or {}
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
            overload_preview,
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


def edit_form(app: DocketApp, row: Mapping[str, Any]) -> EditForm:
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
        made = add_expenditure(
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
        made = amend_contract(
            ctx, number, reason=values["reason"], ceiling=given["ceiling"], start=given["start"],
            end=given["end"], rate=given["rate"],
        )  # fmt: skip
        return int(made.id)

    return RecordForm(f"Amend {number}", fields, save)


class ContractDetail(RecordDetail):
    """One contract: burn, amendments, expenditures (void ones and those past the ceiling
    with their reasons); ``s`` spend, ``v`` amend."""

    KEYS = CONTRACT_DETAIL_KEYS

    def __init__(self, found: ContractDetailFacts) -> None:
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
            f"{a['on']}  {amendment_text(a['changes'])}  ({a['reason']}; {a['by']})"
            for a in self.found["amendments"]
        ]
        yield "Amendments", plain("\n".join(amended) or "(none)")
        spent = [
            f"#{e['id']}  {e['date']}  {e['amount']:>12}  {e['invoice']}  " + expenditure_note(e)
            for e in self.found["expenditures"][:50]
        ]
        yield "Expenditures", plain("\n".join(line.rstrip() for line in spent) or "(none)")


def open_contract(app: DocketApp, number: str, saved: Callable[[Any], None]) -> None:
    """Show a contract; its keys record an expenditure or amend it."""

    async def run() -> None:
        found = await app.store.run(contract_detail, number, app.ctx.today())

        def chosen(what: str | None) -> None:
            if what == "spend":
                app.push_screen(spend_form(app, number), saved)
            elif what == "amend":
                app.push_screen(amend_form(app, number), saved)

        app.push_screen(ContractDetail(found), chosen)

    app.run_worker(run(), group="detail", exit_on_error=False)
