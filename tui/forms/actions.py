"""The forms and dialogs for action items: add, edit, detail with history, bulk changes.

They collect what was typed and call the domain operations in ``docket.models.actions.items``
on the database thread; every rule (what a due date may be, who an owner is) is there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from docket.models.actions import items as actions
from docket.models.actions.items import ActionFacts
from docket.models.audit.history import HistoryFacts, readable_history
from docket.models.core.context import Context
from docket.models.core.dates import describe_date, parse_date
from docket.models.core.schema import ACTION_STATUSES, PRIORITIES
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.keys import ACTION_DETAIL_KEYS
from docket.tui.widgets.dialogs import RecordDetail, summary_table
from docket.tui.widgets.rows import history_table
from docket.tui.widgets.text import lines, plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp


def date_check(ctx: Context, field: str) -> Any:
    """A form check that shows what a typed date was understood as."""

    def check(typed: str) -> str:
        today = ctx.today()
        return describe_date(parse_date(typed, today, field=field, day_first=ctx.day_first), today)

    return check


def person_lookup(field: str) -> Any:
    """A form look-up that shows who a typed name, e-mail or account is."""

    def lookup(typed: str) -> str:
        person = find_person(typed, field=field)
        return f"{person.name}" + (f" <{person.email}>" if person.email else "")

    return lookup


def program_lookup(typed: str) -> str:
    """A form look-up that shows which program a code is."""
    program = get_program(typed)
    return f"{program.code}: {program.name}"


def action_fields(ctx: Context, row: Mapping[str, Any] | None, program: str | None) -> list[Field]:
    """The fields of an action item form, filled from ``row`` when editing."""
    row = row or {}
    fields = [
        Field("title", "Title", row.get("title", ""), placeholder="what needs doing"),
        Field(
            "owner",
            "Owner",
            row.get("owner_email") or row.get("owner") or "",
            placeholder="name, e-mail or account",
            lookup=person_lookup("owner"),
        ),
        Field(
            "due",
            "Due",
            row.get("due") or "",
            placeholder="fri, +3d, 2026-12-01",
            check=date_check(ctx, "due"),
        ),
        Field(
            "program",
            "Program",
            row.get("program") or program or "",
            placeholder="code, e.g. ERP",
            lookup=program_lookup,
        ),
        Field("priority", "Priority", row.get("priority", "normal"), "choice", PRIORITIES),
    ]
    if row:
        fields.append(Field("status", "Status", row["status"], "choice", ACTION_STATUSES))
    fields.append(Field("notes", "Notes", row.get("notes", ""), "multiline"))
    return fields


def add_form(app: DocketApp) -> RecordForm:
    """The form that adds an action item; dismisses with the new item's id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        item = actions.add_action(
            ctx,
            values["title"],
            owner=values["owner"] or None,
            due=values["due"] or None,
            program=values["program"] or None,
            priority=values["priority"] or "normal",
            notes=values["notes"],
        )
        return int(item.id)

    return RecordForm("New action item", action_fields(ctx, None, app.program), save)


def edit_form(app: DocketApp, row: ActionFacts) -> EditForm:
    """The form that edits an action item read at ``row['version']``; a save refused as
    stale shows theirs and yours (the conflict dialog)."""
    ctx = app.ctx

    def save(changes: dict[str, str], version: int) -> int:
        # only what was changed: an owner left alone is not looked up again (a name two
        # people share would otherwise refuse every edit)
        values: dict[str, Any] = {
            name: value if name in ("title", "notes") else (value or None)
            for name, value in changes.items()
        }
        item = actions.update_action(ctx, row["id"], version, **values)
        return int(item.id)

    def reread() -> Revision:
        facts = actions.action_facts(actions.get_action(row["id"]), ctx.today())
        fields = action_fields(ctx, facts, None)
        return Revision({f.name: f.value for f in fields}, int(facts["version"]))

    return EditForm(
        f"Edit action item #{row['id']}",
        action_fields(ctx, row, None),
        row["version"],
        save,
        reread,
    )


def load_action(ctx: Context, action_id: int) -> tuple[ActionFacts, list[HistoryFacts]]:
    """An item's facts and its history (database thread)."""
    item = actions.get_action(action_id)
    facts = actions.action_facts(item, ctx.today())
    return facts, readable_history("action_item", action_id)


class ActionDetail(RecordDetail):
    """One action item with its notes and history; dismisses with the key's action."""

    KEYS = ACTION_DETAIL_KEYS

    def __init__(self, facts: ActionFacts, changes: list[HistoryFacts]) -> None:
        super().__init__()
        self.facts = facts
        self.changes = changes

    def title_text(self) -> Text:
        return plain(f"#{self.facts['id']} {self.facts['title']}")

    def summary(self) -> Table:
        f = self.facts
        return summary_table(
            (label, plain(value))
            for label, value in (
                ("Status", f"{f['status']} ({f['state']})"),
                ("Due", f["due"] or "no date"),
                ("Owner", f["owner"] or "nobody"),
                ("Program", f["program"] or "none"),
                ("Priority", f["priority"]),
            )
        )

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        notes = self.facts["notes"]
        yield "Notes", lines(notes) if notes else Text("(none)", style="dim")
        yield "History", history_table(self.changes)
