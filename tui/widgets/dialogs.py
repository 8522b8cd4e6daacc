"""Modal dialogs: an error, a yes/no question, a one-line prompt, a choice of program, the
conflict between what someone else saved and what you typed, and the frame of a record's
detail."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from docket.models.core.errors import DocketError
from docket.tui.keys import (
    CONFIRM_KEYS,
    CONFLICT_KEYS,
    ERROR_KEYS,
    PROGRAM_PICKER_KEYS,
    PROMPT_KEYS,
    Key,
    bindings,
    hint_line,
    key_named,
)
from docket.tui.widgets.text import plain


class ErrorDialog(ModalScreen[None]):
    """A failure, with the message that says what to do; any key closes it."""

    KEYS = ERROR_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, title: str, message: str) -> None:
        super().__init__(classes="dialog error")
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(plain(self.title_text), classes="dialog-title")
            yield Static(Text(self.message), classes="dialog-body")
            yield Button("Close", variant="error", id="close", compact=True)

    @on(Button.Pressed)
    def close(self) -> None:
        self.dismiss()


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; y or Enter answers yes, n or Escape no."""

    KEYS = CONFIRM_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Static(Text(self.question), classes="dialog-body")
            with Horizontal(classes="buttons"):
                yes = key_named(self.KEYS, "answer(True)").button
                yield Button(yes, variant="primary", id="yes", compact=True)
                yield Button(key_named(self.KEYS, "answer(False)").button, id="no", compact=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class PromptDialog(ModalScreen[Any]):
    """One value typed and checked: ``check`` turns the text into the result or raises a
    DocketError, whose message is shown under the input; what was typed stays."""

    KEYS = PROMPT_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self,
        question: str,
        check: Callable[[str], Any],
        *,
        value: str = "",
        placeholder: str = "",
        explain: Callable[[Any], str] | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.check = check
        self.explain = explain
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(Text(self.question), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="answer", compact=True)
            yield Static("", id="hint", classes="hint")

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        hint = self.query_one("#hint", Static)
        if not event.value.strip():
            hint.update("")
            return
        try:
            result = self.check(event.value)
        except DocketError as exc:
            hint.update(Text(str(exc), style="bold"))
            hint.set_class(True, "invalid")
        else:
            hint.set_class(False, "invalid")
            hint.update(Text("→ " + (self.explain(result) if self.explain else str(result))))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        try:
            result = self.check(event.value)
        except DocketError as exc:
            hint = self.query_one("#hint", Static)
            hint.update(Text(str(exc), style="bold"))
            hint.set_class(True, "invalid")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


ALL_PROGRAMS = "*"
# what the picker returns, before a code, when ``e`` asked to edit that program
EDIT_PROGRAM = "edit:"


class ProgramPicker(ModalScreen[str | None]):
    """Choose the program every screen is scoped to; returns its code, ``ALL_PROGRAMS``
    for all, ``EDIT_PROGRAM`` + a code when ``e`` asked to edit it, or None when
    cancelled. With ``editing``, only the programs are listed and Enter edits too."""

    KEYS = PROGRAM_PICKER_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self, programs: list[tuple[str, str]], current: str | None, *, editing: bool = False
    ) -> None:
        super().__init__(classes="dialog")
        self.programs = programs
        self.current = current
        self.editing = editing

    def compose(self) -> ComposeResult:
        options = [] if self.editing else [Option(Text("All programs"), id=ALL_PROGRAMS)]
        options += [Option(plain(f"{code:<6} {name}"), id=code) for code, name in self.programs]
        title = "Edit which program?" if self.editing else "Scope every screen to"
        with Vertical(classes="box"):
            yield Label(title, classes="dialog-title")
            yield OptionList(*options, id="programs")
            # Enter is the list's own key: it chooses the highlighted program
            if self.editing:
                hint = "enter edits · " + hint_line(self.KEYS, leave_out={"e"})
            else:
                hint = "enter scopes · " + hint_line(self.KEYS, leave_out={"esc"})
            yield Static(Text(hint, style="dim"), classes="hint")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        ids = ([] if self.editing else [ALL_PROGRAMS]) + [code for code, _ in self.programs]
        picker.highlighted = ids.index(self.current) if self.current in ids else 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        code = event.option.id
        self.dismiss(f"{EDIT_PROGRAM}{code}" if self.editing else code)

    def action_edit(self) -> None:
        picker = self.query_one(OptionList)
        index = picker.highlighted
        code = picker.get_option_at_index(index).id if index is not None else None
        if code and code != ALL_PROGRAMS:
            self.dismiss(f"{EDIT_PROGRAM}{code}")

    def action_cancel(self) -> None:
        self.dismiss(None)


# what a field looks like in the conflict dialog: its first line, and a mark for more
def _one_line(value: str) -> Text:
    first, _, rest = value.strip().partition("\n")
    return plain(first + (" …" if rest else "")) if first or rest else Text("(blank)", style="dim")


class ConflictDialog(ModalScreen[str | None]):
    """A save refused because someone else changed the record since it was read.

    Field by field: the record as it is now in the database ("theirs") and what was typed
    ("yours"), each marked where it differs from what the form started with. ``r`` reloads
    (take theirs, drop yours), ``a`` applies yours on top (your changed fields saved against
    their version), Escape goes back to the form; nothing is saved without one of those.
    Dismisses with ``"reload"``, ``"apply"`` or None.
    """

    KEYS = CONFLICT_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self,
        message: str,
        rows: list[tuple[str, str, str, str]],
    ) -> None:
        """``rows``: (label, as read, theirs, yours) for each field of the form."""
        super().__init__(classes="dialog conflict")
        self.message = message
        self.rows = rows

    def table(self) -> Table:
        """The fields where theirs or yours differ from what was read."""
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column("Field", no_wrap=True)
        table.add_column("Theirs (now)", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Yours", ratio=1, no_wrap=True, overflow="ellipsis")
        for label, read, theirs, yours in self.rows:
            if theirs == read and yours == read:
                continue
            mine = _one_line(yours)
            other = _one_line(theirs)
            # the side that changed a field is bold; a clash is marked with "!"
            if theirs != read:
                other.stylize("bold")
            if yours != read:
                mine.stylize("bold")
            clash = theirs != read and yours != read and theirs != yours
            table.add_row(plain(("! " if clash else "  ") + label), other, mine)
        return table

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("Someone else changed this record", classes="dialog-title")
            yield Static(Text(self.message), classes="dialog-body")
            with VerticalScroll(classes="conflict-fields"):
                yield Static(self.table(), id="conflict-table")
            yield Static(
                Text(
                    "bold: changed since the form opened · ! both changed it\n"
                    + hint_line(self.KEYS),
                    style="dim",
                ),
                classes="keys",
            )
            reload, apply, back = (
                key_named(self.KEYS, f"answer({answer})").button
                for answer in ("'reload'", "'apply'", "None")
            )
            with Horizontal(classes="buttons"):
                yield Button(reload, id="reload", compact=True)
                yield Button(apply, variant="primary", id="apply", compact=True)
                yield Button(back, id="back", compact=True)

    def action_answer(self, what: str | None) -> None:
        self.dismiss(what)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id if event.button.id in ("reload", "apply") else None)


def summary_table(rows: Iterable[tuple[str, Text]]) -> Table:
    """Labels in bold and their values, without borders: the top of a record's detail (a
    value too long for its line folds, so a long link is shown whole)."""
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, value)
    return table


class RecordDetail(ModalScreen[str | None]):
    """One record in full: its title, a summary, sections under bold headings, and a line
    naming its keys. A key dismisses it with the name of what to do (``edit``, ``done``...);
    escape with None, and the screen that opened it does the rest.

    A subclass declares its keys as ``KEYS`` (a table in ``docket.tui.keys``); its bindings
    and the line of keys at its foot are built from that table."""

    KEYS: ClassVar[tuple[Key, ...]] = ()
    # the summary's CSS classes ("dialog-body" leaves a line under it)
    SUMMARY_CLASSES: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # before Textual's own hook, which merges the class's BINDINGS
        cls.BINDINGS = bindings(cls.KEYS)
        super().__init_subclass__(**kwargs)

    def __init__(self, *, classes: str = "dialog detail") -> None:
        super().__init__(classes=classes)

    def title_text(self) -> Text:
        """The first line: the record's number and name."""
        raise NotImplementedError

    def summary(self) -> RenderableType | None:
        """What comes first under the title (a :func:`summary_table`, usually)."""
        return None

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        """Each section's heading and body, in order."""
        return ()

    def keys_hint(self) -> str:
        """The record's keys, as the bottom line shows them (``e edit · d done · esc close``)."""
        return hint_line(self.KEYS)

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(self.title_text(), classes="dialog-title")
            with VerticalScroll():
                summary = self.summary()
                if summary is not None:
                    yield Static(summary, classes=self.SUMMARY_CLASSES)
                for heading, body in self.sections():
                    yield Label(Text(heading, style="bold"), classes="heading")
                    yield Static(body)
            yield Static(Text(self.keys_hint(), style="dim"), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_choose(self, what: str) -> None:
        self.dismiss(what)
