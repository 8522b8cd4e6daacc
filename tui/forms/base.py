"""Record forms: modal, checked as you type, and never losing what was typed.

A form is a list of :class:`Field` and a ``save`` function. Each field is checked as it
changes: quick checks (dates, choices) on the spot, look-ups (a person) on the database
thread; what a field was understood as is shown under it ("→ Fri 27 Nov 2026"). Saving
runs ``save`` on the database thread; a ``ValidationError`` is shown by the field it
names, any other failure (a conflict, a read-only database) at the foot of the form, and
the form stays open with everything as typed.

A form may ask before it saves (``ask``: a question, say that the name is someone else's
already); No leaves it open with everything as typed.

An :class:`EditForm` edits a record read at a version and sends only the fields changed.
When someone else saved the record in between, the save is refused as a conflict and the
form shows theirs and yours side by side (:class:`~docket.tui.widgets.dialogs.ConflictDialog`):
reload takes theirs, apply re-saves your changed fields on top of their version. Every form
that edits a stored record is an ``EditForm``, so no edit overwrites someone else's unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from docket.models.core.errors import ConflictError, DocketError, ValidationError
from docket.tui.keys import FORM_KEYS, bindings, key_named
from docket.tui.screens.base import ReportsFailures
from docket.tui.store import store_of
from docket.tui.widgets.dialogs import ConfirmDialog, ConflictDialog

# a quick check or a look-up: the typed text to what it was understood as (or "" for
# nothing to say); raises DocketError when the text is not acceptable
Check = Callable[[str], str]
# what to ask before saving these values (database thread), or None to save at once
Ask = Callable[[dict[str, str]], str | None]


@dataclass(frozen=True)
class Field:
    """One field of a form; ``name`` is the key of the saved values and the field that the
    domain's errors name (spaces for underscores)."""

    name: str
    label: str
    value: str = ""
    kind: str = "text"  # text, choice, multiline
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    check: Check | None = None  # quick, on the UI thread
    lookup: Check | None = None  # needs the database: on the database thread
    # look up blank text too: a field whose blank means a default worth explaining
    lookup_blank: bool = False


class TypedSelect(Select[str]):
    """A choice that takes typed input while closed, as a list box does: a key picks the
    next choice starting with it (``4`` on a 1 to 5 scale, ``h`` for high), again and again
    through those that do."""

    def __init__(self, choices: tuple[str, ...], **options: Any) -> None:
        super().__init__([(c, c) for c in choices], **options)
        self.choices = choices

    def on_key(self, event: events.Key) -> None:
        if self.expanded or not event.is_printable or not (event.character or "").strip():
            return
        typed = (event.character or "").lower()
        starting = [c for c in self.choices if c.lower().startswith(typed)]
        if not starting:
            return
        event.stop()
        event.prevent_default()
        current = self.value if self.value in starting else None
        after = starting.index(current) + 1 if current is not None else 0
        self.value = starting[after % len(starting)]


def _matches(error: ValidationError, field: Field) -> bool:
    named = error.field.lower().replace(" ", "_")
    return named in (field.name, field.label.lower().replace(" ", "_"))


class RecordForm(ReportsFailures, ModalScreen[Any]):
    """A modal form; dismisses with what ``save`` returned, or None when cancelled. With
    ``ask``, a question answered No leaves the form open and saves nothing."""

    KEYS = FORM_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self,
        title: str,
        fields: list[Field],
        save: Callable[[dict[str, str]], Any],
        *,
        ask: Ask | None = None,
    ) -> None:
        super().__init__(classes="dialog form")
        self.form_title = title
        self.fields = fields
        self.save = save
        self.ask = ask
        # a save in flight: a second Enter must not save twice
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(Text(self.form_title), classes="dialog-title")
            with VerticalScroll(classes="fields", can_focus=False):
                for field in self.fields:
                    with Horizontal(classes="field-row"):
                        yield Label(field.label, classes="field-label")
                        yield self._widget(field)
                    yield Static("", id=f"hint-{field.name}", classes="hint")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="buttons"):
                save, cancel = (key_named(self.KEYS, a).button for a in ("save", "cancel"))
                yield Button(save, variant="primary", id="save", compact=True)
                yield Button(cancel, id="cancel", compact=True)

    def _widget(self, field: Field) -> Input | Select[str] | TextArea:
        if field.kind == "choice":
            return TypedSelect(
                field.choices,
                value=field.value if field.value in field.choices else Select.NULL,
                allow_blank=field.value not in field.choices,
                id=f"field-{field.name}",
                compact=True,
            )
        if field.kind == "multiline":
            return TextArea(field.value, id=f"field-{field.name}", soft_wrap=True)
        return Input(
            field.value, placeholder=field.placeholder, id=f"field-{field.name}", compact=True
        )

    def on_mount(self) -> None:
        for field in self.fields:
            if field.value or field.lookup_blank:
                self._check(field, field.value)

    def values(self) -> dict[str, str]:
        """Everything as typed, by field name."""
        result: dict[str, str] = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, TextArea):
                result[field.name] = widget.text
            elif isinstance(widget, Select):
                result[field.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                result[field.name] = widget.value
        return result

    def _field(self, widget_id: str | None) -> Field | None:
        name = (widget_id or "").removeprefix("field-")
        return next((f for f in self.fields if f.name == name), None)

    @on(Input.Changed)
    def input_changed(self, event: Input.Changed) -> None:
        field = self._field(event.input.id)
        if field is not None:
            self._check(field, event.value)

    def _check(self, field: Field, typed: str) -> None:
        """Check a field as typed: quick checks here, look-ups on the database thread."""
        if field.check is not None:
            try:
                understood = field.check(typed) if typed.strip() else ""
            except DocketError as exc:
                self.show_hint(field.name, str(exc), invalid=True)
                return
            self.show_hint(field.name, f"→ {understood}" if understood else "")
        if field.lookup is not None:
            # each field its own group, so one field's look-up never cancels another's
            self.run_worker(
                cast(Any, partial(self._look_up, field, typed)),
                group=f"lookup-{field.name}",
                exclusive=True,
                exit_on_error=False,
            )

    async def _look_up(self, field: Field, typed: str) -> None:
        lookup = field.lookup
        if lookup is None or not (typed.strip() or field.lookup_blank):
            self.show_hint(field.name, "")
            return
        try:
            understood = await store_of(self.app).run(lookup, typed)
        except DocketError as exc:
            self.show_hint(field.name, str(exc), invalid=True)
        else:
            self.show_hint(field.name, f"→ {understood}" if understood else "")

    def show_hint(self, name: str, message: str, *, invalid: bool = False) -> None:
        """Show what a field was understood as, or what is wrong with it, under it."""
        hint = self.query_one(f"#hint-{name}", Static)
        hint.update(Text(message))
        hint.set_class(invalid, "invalid")
        hint.display = bool(message)

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if not self.saving:
            self.saving = True
            self.query_one("#save", Button).disabled = True
            self._save(self.values())

    @work(group="save", exit_on_error=False)
    async def _save(self, values: dict[str, str]) -> None:
        try:
            if await self._go_ahead(values):
                await self._try_save(values)
        finally:
            self.saving = False
            if self.is_attached:
                self.query_one("#save", Button).disabled = False

    async def _go_ahead(self, values: dict[str, str]) -> bool:
        """Ask ``ask``'s question, if it has one for these values; False when answered No."""
        if self.ask is None:
            return True
        try:
            question = await store_of(self.app).run(self.ask, values)
        except DocketError:
            question = None  # the save itself says what is wrong, by the field
        if question is not None and not await self.app.push_screen_wait(ConfirmDialog(question)):
            self.query_one("#form-error", Static).update(Text("Not saved; nothing changed."))
            return False
        return True

    async def _try_save(self, values: dict[str, str]) -> None:
        error = self.query_one("#form-error", Static)
        error.update("")
        try:
            result = await store_of(self.app).run(self.save, values)
        except ValidationError as exc:
            field = next((f for f in self.fields if _matches(exc, f)), None)
            if field is None:
                error.update(Text(str(exc)))
                return
            self.show_hint(field.name, str(exc), invalid=True)
            self.query_one(f"#field-{field.name}").focus()
            return
        except ConflictError as exc:
            if not await self.resolve_conflict(exc, values):
                error.update(Text(str(exc)))
            return
        except DocketError as exc:
            error.update(Text(str(exc)))
            return
        self.dismiss(result)

    async def resolve_conflict(self, error: ConflictError, values: dict[str, str]) -> bool:
        """Deal with a save refused as stale; False leaves the message at the foot."""
        return False

    def set_values(self, values: dict[str, str]) -> None:
        """Put values in the fields, as if typed (each is checked again)."""
        for field in self.fields:
            if field.name not in values:
                continue
            widget = self.query_one(f"#field-{field.name}")
            value = values[field.name]
            if isinstance(widget, TextArea):
                widget.load_text(value)
            elif isinstance(widget, Select):
                widget.value = value if value in field.choices else Select.NULL
            elif isinstance(widget, Input):
                widget.value = value


@dataclass(frozen=True)
class Revision:
    """A record as an edit form shows it: each field's text, and the version read."""

    values: dict[str, str]
    version: int


class EditForm(RecordForm):
    """A form editing a record read at a version; ``save(changes, version)`` gets only the
    fields whose text differs from what the form was opened with, and ``reread()`` (on the
    database thread) the record as it is now, for the conflict dialog."""

    def __init__(
        self,
        title: str,
        fields: list[Field],
        version: int,
        save: Callable[[dict[str, str], int], Any],
        reread: Callable[[], Revision],
        *,
        ask: Ask | None = None,
    ) -> None:
        super().__init__(title, fields, self._save_changes, ask=ask)
        self.save_changes = save
        self.reread = reread
        self.base = {field.name: field.value for field in fields}
        self.version = version

    def _save_changes(self, values: dict[str, str]) -> Any:
        changes = {name: value for name, value in values.items() if value != self.base[name]}
        return self.save_changes(changes, self.version)

    async def resolve_conflict(self, error: ConflictError, values: dict[str, str]) -> bool:
        form_error = self.query_one("#form-error", Static)
        try:
            now = await store_of(self.app).run(self.reread)
        except DocketError as exc:  # deleted meanwhile, say
            form_error.update(Text(f"{error}\n{exc}"))
            return True
        rows = [
            (f.label, self.base[f.name], now.values.get(f.name, self.base[f.name]), values[f.name])
            for f in self.fields
        ]
        said = (
            f"Changed by {error.changed_by} at {error.changed_at} since this form was "
            "opened; nothing of yours is saved yet."
            if error.changed_by
            else str(error)
        )
        answer = await self.app.push_screen_wait(ConflictDialog(said, rows))
        if answer == "reload":
            self.base = {**self.base, **now.values}
            self.version = now.version
            self.set_values(now.values)
            form_error.update(Text("Reloaded: the form shows the record as it is now."))
        elif answer == "apply":
            # your changes, measured from what you started with, on their version
            self.version = now.version
            await self._try_save(values)
        else:
            form_error.update(Text(str(error)))
        return True
