"""One table of keys: each screen's and dialog's bindings, its footer, the help screen, the
command palette and the line of keys at a dialog's foot are all built from it, so they never
disagree.

Screens declare their own table (``KEYS`` on each screen class, of :class:`Key`); the keys
that work everywhere and those of the dialogs and record details are here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType

# how a dialog's foot and its buttons name a key
SHORT_NAMES = {"escape": "esc"}


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
    # the words after the key on a dialog's foot (``e edit``); None leaves the key off it
    hint: str | None = None

    @property
    def shown_key(self) -> str:
        return self.display or self.key.split(",")[0]

    @property
    def short_key(self) -> str:
        """The key as a dialog's foot and buttons name it (``esc`` for escape)."""
        return SHORT_NAMES.get(self.shown_key, self.shown_key)

    @property
    def button(self) -> str:
        """A button's text that names its key: ``Save (ctrl+s)``."""
        return f"{self.label} ({self.short_key})"


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


def hint_line(keys: Iterable[Key], *, leave_out: Collection[str] = ()) -> str:
    """A dialog's foot: each key that has a hint, in the table's order (``e edit · d done``);
    ``leave_out`` names keys (as shown) that do not apply to the record at hand."""
    return " · ".join(
        f"{k.short_key} {k.hint}" for k in keys if k.hint and k.short_key not in leave_out
    )


def key_named(keys: Iterable[Key], action: str) -> Key:
    """The key of a table that runs ``action`` (for a button that names its key)."""
    return next(k for k in keys if k.action == action)


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
        "Go to the contractors: assignments, allocation heatmap, contracts, sourcing",
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
    Key(
        "9",
        "app.go('portfolio')",
        "Portfolio",
        "Go to the portfolio: proposals, ranking, selection and the efficient frontier",
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


# --- dialogs ------------------------------------------------------------------------------
# Each dialog's BINDINGS are built from its table; the palette lists them while the dialog is
# open; a key with a hint is named on the dialog's foot, in the table's order.

ERROR_KEYS: tuple[Key, ...] = (Key("escape,enter,space", "dismiss", "Close", "Close this message"),)

CONFIRM_KEYS: tuple[Key, ...] = (
    Key("y,enter", "answer(True)", "Yes", "Answer yes"),
    Key("n,escape", "answer(False)", "No", "Answer no"),
)

PROMPT_KEYS: tuple[Key, ...] = (
    Key("escape", "cancel", "Cancel", "Close the question without an answer"),
)

PROGRAM_PICKER_KEYS: tuple[Key, ...] = (
    Key("escape", "cancel", "Cancel", "Keep the scope as it is", hint="cancels"),
    Key("e", "edit", "Edit program", "Edit the highlighted program", hint="edits it"),
)

CONFLICT_KEYS: tuple[Key, ...] = (
    Key(
        "r",
        "answer('reload')",
        "Reload",
        "Take theirs and drop yours: the form shows the record as it is now",
        hint="reload (take theirs, drop yours)",
    ),
    Key(
        "a",
        "answer('apply')",
        "Apply mine",
        "Save the fields you changed on top of their version",
        hint="apply yours on top",
    ),
    Key("escape", "answer(None)", "Back", "Back to the form, with nothing saved", hint="back"),
)

FORM_KEYS: tuple[Key, ...] = (
    Key("escape", "cancel", "Cancel", "Close the form without saving"),
    Key("ctrl+s", "save", "Save", "Save the form", priority=True),
)

CAPTURE_KEYS: tuple[Key, ...] = (
    Key("escape", "cancel", "Cancel", "Close quick capture without saving"),
)

HELP_SCREEN_KEYS: tuple[Key, ...] = (
    Key("escape,q,question_mark", "dismiss", "Close", "Close the list of keys"),
)


def _close(keys: str = "escape,q", what: str = "this record") -> Key:
    """The key that closes a record's detail: last on its foot, as ``esc close``."""
    return Key(keys, "close", "Close", f"Close {what}", hint="close")


HISTORY_KEYS: tuple[Key, ...] = (
    Key(
        "u",
        "undo",
        "Undo",
        "Undo your own last change to this record",
        hint="undo your last change",
    ),
    _close("escape,q,h", "the history"),
)

ACTION_DETAIL_KEYS: tuple[Key, ...] = (
    Key("e", "choose('edit')", "Edit", "Edit this action item", hint="edit"),
    Key("d", "choose('done')", "Done", "Mark this action item done", hint="done"),
    Key("x", "choose('cancel')", "Cancel item", "Cancel this action item", hint="cancel item"),
    _close(),
)

MILESTONE_DETAIL_KEYS: tuple[Key, ...] = (
    Key("e", "choose('edit')", "Edit", "Edit this milestone", hint="edit"),
    Key("d", "choose('done')", "Done", "Mark this milestone done", hint="done"),
    _close(),
)

OCCURRENCE_DETAIL_KEYS: tuple[Key, ...] = (
    Key("m", "choose('minutes')", "Minutes", "Write this occurrence's minutes", hint="minutes"),
    Key("a", "choose('action')", "Action", "Raise an action item from this meeting", hint="action"),
    Key("d", "choose('decision')", "Decision", "Record a decision taken here", hint="decision"),
    Key("g", "choose('agenda')", "Agenda", "Edit this occurrence's agenda", hint="agenda"),
    Key("e", "choose('edit')", "Edit", "Edit the meeting (every occurrence)", hint="edit"),
    Key("v", "choose('move')", "Move", "Move this occurrence to another time", hint="move"),
    # the foot shows x or r, whichever applies to the occurrence
    Key("x", "choose('cancel')", "Cancel", "Cancel this occurrence", hint="cancel"),
    Key("r", "choose('restore')", "Restore", "Restore this cancelled occurrence", hint="restore"),
    Key("i", "choose('export')", "Export", "Write the invite as .ics or .eml", hint="export"),
    Key("s", "choose('send')", "Send", "Send the invite to the attendees by e-mail", hint="send"),
    _close(),
)

PERSON_DETAIL_KEYS: tuple[Key, ...] = (
    Key("e", "choose('edit')", "Edit", "Edit this person", hint="edit"),
    _close("escape,q,enter"),
)

GROUP_DETAIL_KEYS: tuple[Key, ...] = (
    Key("m", "choose('member')", "Add member", "Add a person to this group", hint="add member"),
    _close("escape,q,enter", "this group"),
)

PLAN_ITEM_DETAIL_KEYS: tuple[Key, ...] = (
    Key(
        "s",
        "choose('sent')",
        "Sent",
        "Mark this communication sent by hand",
        hint="mark sent by hand",
    ),
    Key("d", "choose('digest')", "Digest", "Preview this item's digest", hint="digest preview"),
    _close(),
)

DIGEST_PREVIEW_KEYS: tuple[Key, ...] = (
    Key(
        "w", "save", "Save", "Save the digest to a file (logged as exported)", hint="save to a file"
    ),
    Key(
        "s",
        "send",
        "Send",
        "Send the digest to the item's audience (logged as sent)",
        hint="send to the audience",
    ),
    _close(what="the preview"),
)

CONTRACT_DETAIL_KEYS: tuple[Key, ...] = (
    Key(
        "s",
        "choose('spend')",
        "Spend",
        "Record an expenditure against this contract",
        hint="record an expenditure",
    ),
    Key("v", "choose('amend')", "Amend", "Amend this contract", hint="amend"),
    _close(),
)

PROPOSAL_DETAIL_KEYS: tuple[Key, ...] = (
    Key("e", "choose('edit')", "Edit", "Edit this proposal", hint="edit"),
    Key(
        "y",
        "choose('year')",
        "Year",
        "Set a fiscal year of the business case: costs and benefits",
        hint="case year",
    ),
    Key("s", "choose('score')", "Score", "Score this proposal on each criterion", hint="score"),
    Key(
        "d",
        "choose('decide')",
        "Decide",
        "Decide this proposal: submit, review, approve, defer or reject, with a reason",
        hint="decide",
    ),
    _close(),
)

SOLICITATION_DETAIL_KEYS: tuple[Key, ...] = (
    Key(
        "s",
        "score",
        "Score",
        "Score the conforming bids as you (sealed until every member has revealed)",
        hint="score",
    ),
    Key(
        "c",
        "commit",
        "Commit",
        "Commit your sealed scores: final, they cannot change after",
        hint="commit",
    ),
    Key(
        "r",
        "reveal",
        "Reveal",
        "Reveal your scores, once every member has committed",
        hint="reveal",
    ),
    Key(
        "a",
        "award",
        "Award",
        "Award the solicitation: a decision citing the ranking, and the contract",
        hint="award",
    ),
    Key("h", "history", "History", "Show every change to this solicitation", hint="history"),
    _close(what="this solicitation"),
)
