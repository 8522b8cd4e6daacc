"""One table of keys: each screen's bindings, its footer, the help screen and the command
palette are all built from it, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """A key, the action it runs, a short label for the footer and a line for help."""

    key: str
    action: str
    label: str
    help: str
    footer: bool = True
    # shown as this in the footer and help (``key`` may be a comma list of aliases)
    display: str | None = None
    # bindings that must win over a focused input (quitting, the palette)
    priority: bool = False

    @property
    def shown_key(self) -> str:
        return self.display or self.key.split(",")[0]


def bindings(keys: Iterable[Key]) -> list[BindingType]:
    """Textual bindings for a table of keys."""
    return [
        Binding(
            k.key,
            k.action,
            k.label,
            show=k.footer,
            key_display=k.display,
            priority=k.priority,
            tooltip=k.help,
        )
        for k in keys
    ]


# Keys that work on every screen.
APP_KEYS: tuple[Key, ...] = (
    # the top bar shows these, so the footer need not
    Key("1", "app.go('today')", "Today", "Go to Today: what needs attention now", footer=False),
    Key("2", "app.go('actions')", "Actions", "Go to the action items", footer=False),
    Key(
        "3",
        "app.go('meetings')",
        "Meetings",
        "Go to the meetings: agenda, minutes, invites",
        footer=False,
    ),
    Key(
        "4",
        "app.go('milestones')",
        "Milestones",
        "Go to the milestones and their timeline",
        footer=False,
    ),
    Key(
        "5",
        "app.go('comms')",
        "Comms",
        "Go to the communications plan and status digests",
        footer=False,
    ),
    Key(
        "6",
        "app.go('contractors')",
        "Contractors",
        "Go to the contractors: assignments, allocation heatmap, contracts",
        footer=False,
    ),
    Key(
        "7", "app.go('people')", "People", "Go to the directory of people and groups", footer=False
    ),
    Key(
        "8",
        "app.go('raid')",
        "RAID",
        "Go to risks, issues, decisions, changes, metrics and budget",
        footer=False,
    ),
    # the top bar shows the scope with its key
    Key(
        "p", "app.pick_program", "Scope", "Scope every screen to one program, or all", footer=False
    ),
    Key(
        "P",
        "app.edit_program",
        "Program",
        "Edit a program: RAG status and note, objective, owner (the one in scope, else pick)",
        footer=False,
    ),
    Key("c", "app.capture", "Capture", "Quick capture: one line becomes an action item"),
    # on help and in the palette; the footer keeps its room for each screen's own keys
    Key(
        "u",
        "app.undo",
        "Undo",
        "Undo your own last change to the record under the cursor",
        footer=False,
    ),
    Key(
        "h",
        "app.history",
        "History",
        "Show every change to the record under the cursor (who, when, old, new)",
        footer=False,
    ),
    Key("question_mark", "app.help", "Help", "Show the keys of this screen", display="?"),
    Key(
        "ctrl+p",
        "app.command_palette",
        "Commands",
        "Open the command palette: every action by name",
        footer=False,
        display="ctrl+p",
    ),
    Key("q", "app.quit", "Quit", "Quit docket", footer=False),
)
