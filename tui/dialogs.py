"""Small modal dialogs: an error, a yes/no question, a one-line prompt, a choice of program."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from docket.models.errors import DocketError
from docket.tui.text import plain


class ErrorDialog(ModalScreen[None]):
    """A failure, with the message that says what to do; any key closes it."""

    BINDINGS = [Binding("escape,enter,space", "dismiss", "Close")]

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

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Static(Text(self.question), classes="dialog-body")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="primary", id="yes", compact=True)
                yield Button("No (n)", id="no", compact=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class PromptDialog(ModalScreen[Any]):
    """One value typed and checked: ``check`` turns the text into the result or raises a
    DocketError, whose message is shown under the input; what was typed stays."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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


class ProgramPicker(ModalScreen[str | None]):
    """Choose the program every screen is scoped to; returns its code, ``ALL_PROGRAMS``
    for all, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, programs: list[tuple[str, str]], current: str | None) -> None:
        super().__init__(classes="dialog")
        self.programs = programs
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(Text("All programs"), id=ALL_PROGRAMS)]
        options += [Option(plain(f"{code:<6} {name}"), id=code) for code, name in self.programs]
        with Vertical(classes="box"):
            yield Label("Scope every screen to", classes="dialog-title")
            yield OptionList(*options, id="programs")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        ids = [ALL_PROGRAMS] + [code for code, _ in self.programs]
        picker.highlighted = ids.index(self.current) if self.current in ids else 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
