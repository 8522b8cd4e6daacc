"""One occurrence in detail (attendees and their answers, the agenda with carried actions,
minutes, decisions, actions raised, who holds which invite), and what its keys do: each
opens a form of :mod:`docket.tui.forms.meetings`, after which the detail shows again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from docket.models.core.context import Context
from docket.models.meetings.views import OccurrenceDetailFacts, occurrence_detail
from docket.tui.forms.meetings import (
    action_form,
    agenda_form,
    ask_cancel_or_restore,
    ask_send,
    decision_form,
    edit_form,
    export_form,
    minutes_form,
    move_form,
    original_of,
    when_of,
)
from docket.tui.keys import OCCURRENCE_DETAIL_KEYS, hint_line
from docket.tui.widgets.dialogs import RecordDetail, summary_table
from docket.tui.widgets.rows import ALERT, STATE_STYLES, occurrence_state
from docket.tui.widgets.text import lines, plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

# a row of one of the dialog's lists (attendees, carried actions, invites...)
Row = TypeVar("Row")

RESPONSE_STYLES = {"accepted": "green", "declined": "red", "tentative": "yellow"}


class OccurrenceDetail(RecordDetail):
    """One occurrence of a meeting and everything around it; dismisses with the action of
    the key pressed (``minutes``, ``action``, ...) or None."""

    KEYS = OCCURRENCE_DETAIL_KEYS

    def __init__(self, detail: ShownOccurrence) -> None:
        super().__init__()
        self.detail = detail

    def title_text(self) -> Text:
        return plain(f"#{self.detail['id']} {self.detail['title']}")

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        yield "Attendees", self._attendees()
        yield "Agenda", self._agenda()
        yield "Minutes", self._minutes()
        yield "Decided here", self._decisions()
        yield "Actions raised here", self._actions()
        if self.detail["invites"]:
            yield "Invites", self._invites()

    def keys_hint(self) -> str:
        state = occurrence_state(self.detail["occurrence"])
        # x cancels an occurrence, r restores a cancelled one: the foot names the one that applies
        return hint_line(self.KEYS, leave_out={"x" if "cancelled" in state else "r"})

    def summary(self) -> Table:
        d, occurrence = self.detail, self.detail["occurrence"]
        when = when_of(occurrence)
        if occurrence["timezone"] != d["viewer_zone"]:
            own = datetime.fromisoformat(occurrence["meeting_start"])
            when += f" (your time; {own:%H:%M} {occurrence['timezone']})"
        rows = [("When", plain(when))]
        state = occurrence_state(occurrence)
        if state:
            rows.append(("State", plain(state, style=STATE_STYLES.get(occurrence["status"], ""))))
        for label, value in (
            ("Repeats", d["repeat_words"] if d["repeat"] else "does not repeat"),
            ("Program", d["program"]),
            ("Where", occurrence["location"] or "(no room)"),
            ("Join", occurrence["link"]),
            ("Organizer", d["organizer"] or "nobody"),
        ):
            if value:
                rows.append((label, plain(value)))
        return summary_table(rows)

    def _attendees(self) -> Text:
        return _listing(
            self.detail["attendees"],
            "(nobody invited)",
            lambda a: (f"{a['name']} ({a['role']}) ", a["response"]),
            RESPONSE_STYLES,
            "dim",
        )

    def _agenda(self) -> Text:
        agenda = self.detail["agenda_of_occurrence"]
        text = lines(agenda["text"]) if agenda["text"].strip() else Text("(none)", style="dim")
        carried = agenda["carried_actions"]
        if carried:
            text.append("\nOpen actions from earlier meetings:\n", style="bold")
            text.append_text(
                _listing(
                    carried,
                    "",
                    lambda c: (
                        f"#{c['id']} {c['title']} · {c['owner'] or 'nobody'} · ",
                        f"{c['age_days']} days old",
                    ),
                    {},
                    "yellow",
                )
            )
        return text

    def _minutes(self) -> Text:
        minutes = self.detail["minutes"]
        if not any(minutes.values()):
            return Text("(not written; m to write them)", style="dim")
        text = Text()
        for label, said in (("Notes", minutes["notes"]), ("Present", minutes["attendance"])):
            if said.strip():
                text.append(f"{label}: ", style="bold")
                text.append_text(lines(said))
                text.append("\n")
        text.rstrip()
        return text

    def _decisions(self) -> Text:
        return _listing(
            self.detail["decisions"],
            "(none; d to record one)",
            lambda d: (
                f"#{d['id']} {d['title']}",
                f" · {d['decided_by']}" if d["decided_by"] else "",
            ),
            {},
            "dim",
        )

    def _actions(self) -> Text:
        return _listing(
            self.detail["actions_raised"],
            "(none; a to raise one)",
            lambda a: (
                f"#{a['id']} {a['title']} · ",
                a["status"] + (f", due {a['due']}" if a["due"] else ""),
            ),
            {},
        )

    def _invites(self) -> Text:
        rows = self.detail["invites"]
        # refused in bold red (an alert, bold under NO_COLOR too): that address received
        # nothing; everything else not current in yellow
        styles = {"up to date": "green", **{r["state"]: ALERT for r in rows if r["refused"]}}
        return _listing(
            rows,
            "",
            lambda row: (f"{row['name']} <{row['email']}> ", row["state"]),
            styles,
            "yellow",
        )


def _listing(
    rows: Sequence[Row],
    empty: str,
    line: Callable[[Row], tuple[str, str]],
    styles: dict[str, str],
    otherwise: str = "",
) -> Text:
    """Rows one per line: literal text, then a state word in its colour (``styles``, else
    ``otherwise``); ``empty`` (dim) when there are none."""
    if not rows:
        return Text(empty, style="dim")
    text = Text()
    for i, row in enumerate(rows):
        words, state = line(row)
        text.append("\n" if i else "")
        text.append_text(plain(words))
        text.append_text(plain(state, style=styles.get(state, otherwise)))
    return text


class ShownOccurrence(OccurrenceDetailFacts):
    """An occurrence's detail as the dialog shows it: with the viewer's zone."""

    viewer_zone: str | None


def load_occurrence(ctx: Context, meeting_id: int, original: datetime) -> ShownOccurrence:
    """An occurrence's detail, with the viewer's zone (database thread)."""
    detail = occurrence_detail(ctx, meeting_id, original)
    return {**detail, "viewer_zone": getattr(ctx.tz, "key", None)}


def open_occurrence(app: DocketApp, meeting_id: int, original: datetime) -> None:
    """Show one occurrence; its keys write minutes, raise actions, move or cancel it, edit
    the meeting, or export and send the invite. After each, the detail shows again."""
    app.run_worker(_open(app, meeting_id, original), group="detail", exit_on_error=False)


async def _open(app: DocketApp, meeting_id: int, original: datetime) -> None:
    detail = await app.store.run(load_occurrence, app.ctx, meeting_id, original)

    def chosen(what: str | None) -> None:
        if what is not None:
            act(app, detail, what)

    app.push_screen(OccurrenceDetail(detail), chosen)


def act(app: DocketApp, detail: ShownOccurrence, what: str, *, reopen: bool = True) -> None:
    """Do what a key of the detail (or of the meeting list) asks for this occurrence; from
    the detail, the detail shows again afterwards."""
    meeting_id, original = int(detail["id"]), original_of(detail)

    def again(result: Any) -> None:
        if result is not None:
            app.changed()
        if reopen:
            open_occurrence(app, meeting_id, original)

    if what in ("cancel", "restore"):
        ask_cancel_or_restore(app, detail, what, again)
    elif what == "send":
        ask_send(app, detail, again)
    else:
        forms = {
            "minutes": minutes_form,
            "action": action_form,
            "decision": decision_form,
            "agenda": agenda_form,
            "move": move_form,
            "export": export_form,
            "edit": edit_form,
        }
        app.push_screen(forms[what](app, detail), again)
