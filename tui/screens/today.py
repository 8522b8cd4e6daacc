"""Today (key 1): what needs attention now, mine first, with counts that lead to the lists."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from docket.models.core.config import load_config
from docket.models.overview.today import Section, TodayFacts, build_today, sections, today_facts
from docket.tui.keys import Key
from docket.tui.screens.base import DocketScreen
from docket.tui.widgets.rows import (
    action_line,
    alert_line,
    comms_line,
    meeting_line,
    milestone_line,
    occurrence_key,
    occurrence_of_key,
)


class TodayScreen(DocketScreen):
    """Overdue and due-soon actions, milestones coming and slipping, meetings today and
    tomorrow."""

    MODE = "today"
    KEYS: ClassVar[tuple[Key, ...]] = (
        Key("enter", "open", "Open", "Open the action item or milestone, or the full list"),
        Key("r", "reload", "Refresh", "Read everything again"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.facts: TodayFacts | None = None
        # each alert's kind by its option (an alert leads to the screen of its kind)
        self.alert_kinds: dict[str, str] = {}

    def body(self) -> ComposeResult:
        yield OptionList(id="today")

    def fetch(self) -> Callable[[], Any]:
        ctx, program = self.docket.ctx, self.docket.program
        # read at launch while the app was loading (tui/store.py start), for all programs
        # and before any save: the first load takes it
        first = self.docket.store.take_first()
        if first is not None and program is None and self.docket.generation == 0:
            return first.result

        def load() -> TodayFacts:
            # the config's thresholds of the evidence behind a program's colour (as
            # models.overview.today.today_view, which the launch's read runs)
            return today_facts(build_today(ctx, program=program, config=load_config()))

        return load

    def show(self, data: Any) -> None:
        self.facts = data
        # after the next refresh, when the list has its width: Today read at launch can
        # arrive before the screen is laid out, and rows are fitted to the list's width
        self.call_after_refresh(self.render_list)

    def on_resize(self) -> None:
        if self.facts is not None:
            self.render_list()

    def render_list(self) -> None:
        facts = self.facts
        if facts is None:
            return
        today = date.fromisoformat(facts["date"])
        listing = self.query_one(OptionList)
        # the list's own width, less its scrollbar and padding: the region without the
        # scrollbar taken off already, so the rows are as wide whether or not the list had
        # its scrollbar yet (Today read at launch can be drawn twice as the screen settles)
        width = max(40, (listing.content_region.width or self.size.width) - 3)
        highlighted = listing.highlighted_option.id if listing.highlighted_option else None
        options: list[Option | None] = []
        self.alert_kinds = {}
        for section in sections(facts):
            options.append(self._header(section, facts))
            rows: Sequence[Mapping[str, Any]] = facts[section.key]
            if not rows:
                options.append(Option(Text("   nothing", style="dim"), disabled=True))
            for row in rows:
                if section.kind == "action":
                    line = action_line(row, today, width)
                    options.append(Option(line, id=f"action:{row['id']}:{section.key}"))
                elif section.kind == "alert":
                    line = alert_line(row, width)
                    option_id = f"alert:{len(options)}:{section.key}"
                    self.alert_kinds[option_id] = str(row["kind"])
                    if section.key == "status_disputes":
                        # the program's code: Enter edits it (its RAG and reason)
                        self.alert_kinds[option_id] = str(row["program"])
                    options.append(Option(line, id=option_id))
                elif section.kind == "comms":
                    line = comms_line(row, today, width)
                    options.append(Option(line, id=f"comms:{row['id']}:{section.key}"))
                elif section.kind == "meeting":
                    line = meeting_line(row, today, width)
                    key = occurrence_key(row)
                    options.append(Option(line, id=f"meeting:{key}:{section.key}"))
                else:
                    line = milestone_line(row, width)
                    options.append(Option(line, id=f"milestone:{row['id']}:{section.key}"))
            options.append(None)
        listing.set_options(options[:-1])
        ids = [o.id for o in listing.options]
        if highlighted in ids:
            listing.highlighted = ids.index(highlighted)

    def _header(self, section: Section, facts: TodayFacts) -> Option:
        total = facts["counts"].get(section.key, 0)
        shown = len(facts[section.key])
        text = Text(f"{section.title} ", style="bold")
        text.append(f"({total:,})", style="bold")
        if total > shown:
            text.append(" · ")
            text.append(f"showing {shown}; Enter for all ▸", style="dim")
        return Option(text, id=f"list:{section.kind}:{section.key}")

    def action_reload(self) -> None:
        self.reload()

    def current_record(self) -> tuple[str, int] | None:
        option = self.query_one(OptionList).highlighted_option
        kind, _, rest = (option.id or "").partition(":") if option is not None else ("", "", "")
        if kind not in ("action", "milestone", "meeting", "comms"):
            return None
        entity = {"action": "action_item", "comms": "comms_item"}.get(kind, kind)
        return (entity, int(rest.split(":")[0].split("@")[0]))

    def action_open(self) -> None:
        listing = self.query_one(OptionList)
        option = listing.highlighted_option
        if option is not None and option.id:
            self.open_option(option.id)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_option(event.option.id)

    def open_option(self, option_id: str) -> None:
        """Open an action item or milestone, or the full list behind a heading."""
        kind, ident, key = option_id.split(":", 2)
        if kind == "action":
            from docket.tui.screens.actions import open_action

            open_action(self.docket, int(ident))
        elif kind == "milestone":
            from docket.tui.screens.milestones import open_milestone

            open_milestone(self.docket, int(ident))
        elif kind == "alert" and key == "status_disputes":
            self.docket.action_edit_program(self.alert_kinds.get(option_id))
        elif kind == "alert":
            self.docket.action_go(alert_screen(key, self.alert_kinds.get(option_id, "")))
        elif kind == "comms" and self.facts is not None:
            from docket.tui.screens.comms import open_item

            open_item(self.docket, next(r for r in self.facts["comms"] if r["id"] == int(ident)))
        elif kind == "meeting":
            from docket.tui.forms.occurrence_detail import open_occurrence

            open_occurrence(self.docket, *occurrence_of_key(ident))
        elif ident == "action" and self.facts is not None:
            section = next(s for s in sections(self.facts) if s.key == key)
            self.docket.show_actions(section.full_list)
        else:
            screens = {"meeting": "meetings", "comms": "comms", "alert": alert_screen(key)}
            self.docket.action_go(screens.get(ident, "milestones"))


def alert_screen(key: str, kind: str = "") -> str:
    """The screen an alert of Today's list ``key`` leads to: governance to RAID, scores owed
    on a proposal to the Portfolio, the rest (contractors, solicitations, bids) to
    Contractors."""
    if key == "governance_alerts":
        return "raid"
    if key == "scores_owed" and kind == "proposal":
        return "portfolio"
    return "contractors"
