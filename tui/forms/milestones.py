"""The forms and dialogs for milestones: add, edit (a moved date needs a reason), mark done,
and the detail with its history.

They collect what was typed and call the domain operations in ``docket.models.milestones.schedule``
on the database thread; every rule (what a date may be, when a reason is needed) is there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from docket.models.audit.history import HistoryFacts, readable_history
from docket.models.core.context import Context
from docket.models.core.dates import describe_date
from docket.models.core.inputs import a_date
from docket.models.milestones import schedule as milestones
from docket.models.milestones.schedule import MilestoneDetailFacts
from docket.tui.forms.actions import date_check, person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.keys import MILESTONE_DETAIL_KEYS
from docket.tui.widgets.dialogs import PromptDialog, RecordDetail, summary_table
from docket.tui.widgets.rows import STATE_STYLES, history_table, slip_label
from docket.tui.widgets.text import lines, plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp


def done_check(ctx: Context) -> Any:
    """The form check of "Done on": a day understood, and never in the future (the rule is
    the model's, so the form refuses as you type what saving would refuse)."""

    def check(typed: str) -> str:
        day = milestones.done_day(ctx, typed)
        return describe_date(day, ctx.today()) if day else ""

    return check


def milestone_fields(
    ctx: Context, row: Mapping[str, Any] | None, program: str | None
) -> list[Field]:
    """The fields of a milestone form, filled from ``row`` (a milestone's detail) when
    editing; editing adds the actual date and the reason for a moved date."""
    row = row or {}
    fields = [
        Field(
            "program",
            "Program",
            row.get("program") or program or "",
            placeholder="code, e.g. ERP",
            lookup=program_lookup,
        ),
        Field("title", "Title", row.get("title", ""), placeholder="what is reached"),
        Field(
            "baseline",
            "Baseline",
            row.get("baseline") or "",
            placeholder="the date agreed: 2027-03-01, 1/3, +6w",
            check=date_check(ctx, "baseline"),
        ),
        Field(
            "forecast",
            "Forecast",
            row.get("forecast") or "",
            placeholder="the date now expected (blank: the baseline)" if not row else "",
            check=date_check(ctx, "forecast"),
        ),
    ]
    if row:
        fields += [
            Field(
                "actual",
                "Done on",
                row.get("actual") or "",
                placeholder="blank while not done",
                check=done_check(ctx),
            ),
            # by the dates it explains
            Field("reason", "Reason", placeholder="why a date moved (kept in the history)"),
        ]
    fields += [
        Field(
            "owner",
            "Owner",
            row.get("owner_email") or row.get("owner") or "",
            placeholder="name, e-mail or account",
            lookup=person_lookup("owner"),
        ),
        # "Deliverable" is wider than the form's labels
        Field("deliverable", "Delivers", row.get("deliverable", ""), "multiline"),
    ]
    return fields


def add_form(app: DocketApp) -> RecordForm:
    """The form that adds a milestone; dismisses with the new milestone's id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        milestone = milestones.add_milestone(
            ctx,
            values["program"],
            values["title"],
            values["baseline"],
            forecast=values["forecast"] or None,
            owner=values["owner"] or None,
            deliverable=values["deliverable"],
        )
        return int(milestone.id)

    return RecordForm("New milestone", milestone_fields(ctx, None, app.program), save)


def edit_form(app: DocketApp, detail: MilestoneDetailFacts) -> EditForm:
    """The form that edits a milestone read at ``detail['version']``; only the fields
    changed are sent, so an untouched owner or date is never looked up again. A save
    refused as stale shows theirs and yours (the conflict dialog)."""
    ctx = app.ctx

    def save(changes: dict[str, str], version: int) -> int:
        reason = changes.pop("reason", "")
        milestone = milestones.update_milestone(
            ctx, detail["id"], version, reason=reason or None, **changes
        )
        return int(milestone.id)

    def reread() -> Revision:
        now = milestones.milestone_detail(ctx, detail["id"])
        fields = milestone_fields(ctx, now, None)
        return Revision(
            {f.name: f.value for f in fields if f.name != "reason"}, int(now["version"])
        )

    fields = milestone_fields(ctx, detail, None)
    return EditForm(f"Edit milestone #{detail['id']}", fields, detail["version"], save, reread)


def complete_prompt(app: DocketApp, detail: MilestoneDetailFacts) -> PromptDialog:
    """Ask the day a milestone was done (today unless changed); dismisses with the date."""
    ctx = app.ctx
    today = ctx.today()

    def check(typed: str) -> date:
        return a_date(ctx, "done on", typed, required=True) or today

    def explain(day: Any) -> str:
        return describe_date(day, today)

    already = f" (now done on {detail['actual']})" if detail.get("actual") else ""
    return PromptDialog(
        f"#{detail['id']} {detail['title']} done on{already}",
        check,
        value="today",
        placeholder="today, yesterday, 2026-11-20",
        explain=explain,
    )


async def complete(app: DocketApp, detail: MilestoneDetailFacts, day: date) -> None:
    """Mark a milestone done on ``day`` (database thread), then tell the screens."""
    await app.store.run(
        milestones.complete_milestone, app.ctx, detail["id"], detail["version"], day
    )
    app.changed()
    app.notify(f"#{detail['id']} done on {day:%a %d %b %Y}", markup=False)


def load_milestone(
    ctx: Context, milestone_id: int
) -> tuple[MilestoneDetailFacts, list[HistoryFacts]]:
    """A milestone's detail and its history (database thread)."""
    detail = milestones.milestone_detail(ctx, milestone_id)
    return detail, readable_history("milestone", milestone_id)


class MilestoneDetail(RecordDetail):
    """One milestone with its deliverable, predecessors and history; dismisses with the
    key's action (``edit`` or ``done``) or None."""

    KEYS = MILESTONE_DETAIL_KEYS

    def __init__(self, detail: MilestoneDetailFacts, changes: list[HistoryFacts]) -> None:
        super().__init__()
        self.detail = detail
        self.changes = changes

    def title_text(self) -> Text:
        return plain(f"#{self.detail['id']} {self.detail['title']}")

    def summary(self) -> Table:
        f = self.detail
        status = f"{f['status']} ({slip_label(f['slip_days'])})"
        return summary_table(
            [
                ("Status", plain(status, style=STATE_STYLES.get(f["status"], ""))),
                ("Program", plain(f"{f['program']}: {f['program_name']}")),
                ("Owner", plain(f["owner"] or "nobody")),
                ("Baseline", plain(f["baseline"])),
                ("Forecast", plain(f["forecast"])),
                ("Done on", plain(f["actual"] or "not yet")),
            ]
        )

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        f = self.detail
        for heading, said in (
            ("Deliverable", f["deliverable"]),
            ("Acceptance criteria", f["acceptance_criteria"]),
        ):
            yield heading, lines(said) if said else Text("(none)", style="dim")
        yield "Predecessors", self._predecessors()
        yield (
            "History",
            (
                history_table(self.changes)
                if self.changes
                else Text("(no changes recorded)", style="dim")
            ),
        )

    def _predecessors(self) -> Text:
        found = self.detail["predecessors"]
        if not found:
            return Text("(none)", style="dim")
        text = Text()
        for i, p in enumerate(found):
            text.append("\n" if i else "")
            text.append_text(plain(f"#{p['id']} {p['program']} {p['title']} · {p['date']} · "))
            text.append(p["status"], style=STATE_STYLES.get(p["status"], ""))
        return text
