"""The docket app: screens switched by number, a program scope, and the database thread.

``DocketApp`` receives everything it depends on (the database file, the clock, the
acting account, the zone), so the command line and the tests build it the same way. Given
no clock, it reads ``DOCKET_NOW`` once, as it starts (``clock.from_environment``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any, ClassVar

from textual import events, work
from textual.app import App
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from docket.models.core.clock import Clock
from docket.models.core.config import MailSettings
from docket.models.core.errors import DocketError
from docket.tui.cli.output import clean, clean_lines
from docket.tui.keys import APP_KEYS, bindings
from docket.tui.screens.base import DocketScreen
from docket.tui.store import Store, app_context
from docket.tui.widgets.dialogs import ALL_PROGRAMS, EDIT_PROGRAM, ErrorDialog, ProgramPicker
from docket.tui.widgets.palette import KeyCommands

log = logging.getLogger("docket")

# what the app was doing, by the group of the worker that failed, in a user's words
DOING = {
    "load": "reading this screen's records",
    "count": "counting the records under the filter",
    "more": "reading more of the list",
    "detail": "opening the record",
    "history": "reading the record's history",
    "members": "reading the group's members",
    "write": "saving the change",
    "save": "saving the form",
    "preview": "checking what you typed",
    "overload": "checking the person's allocation",
    "organizer": "finding the meeting's organizer",
    "poll": "looking for changes others made",
    "preload": "getting the other screens ready",
    "program": "opening the program",
}


def unforeseen(group: str, error: BaseException | None) -> ErrorDialog:
    """The dialog for a failure docket did not foresee: what it was doing and what went
    wrong, in words (never an exception's class name), and that nothing was half-saved
    (every write is one transaction)."""
    doing = DOING.get(group, "doing that")
    said = " ".join(str(error).split()) or "no further detail"
    return ErrorDialog(
        f"Could not finish {doing}",
        f"docket met a failure it did not foresee while {doing}: {said}.\n\n"
        "Nothing was half-saved. Please tell your docket maintainers what you were doing "
        "when this appeared.",
    )


def _programs() -> list[tuple[str, str]]:
    from docket.models.portfolio.programs import list_programs

    return [(p.code, p.name) for p in list_programs()]


class DocketApp(App[None]):
    """docket in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "docket"
    BINDINGS = bindings(APP_KEYS)
    COMMANDS = App.COMMANDS | {KeyCommands}
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, Any]] = {}
    # how often to look for other administrators' changes, in seconds
    POLL_S: ClassVar[float] = 2.0
    # when to load the other screens' code, in seconds after start
    PRELOAD_S: ClassVar[float] = 1.0

    # the program every screen is scoped to (None: all)
    program: reactive[str | None] = reactive(None)
    # rises with every save, so screens know to reload
    generation: reactive[int] = reactive(0)
    # the right of the top bar: the day and the account
    banner: reactive[str] = reactive("")

    def __init__(
        self,
        db: Path | str,
        *,
        clock: Clock | None = None,
        user: str | None = None,
        tz: tzinfo | None = None,
        day_first: bool = False,
        decimal_comma: bool = False,
        store: Store | None = None,
    ) -> None:
        """``store``: one :func:`docket.tui.store.start` began at launch, on ``db``, with
        its own context (the other arguments are then not read)."""
        super().__init__()
        if store is None:
            ctx = app_context(
                clock=clock, user=user, tz=tz, day_first=day_first, decimal_comma=decimal_comma
            )
            store = Store(db, ctx)
        self.store = store
        self.store.open()
        self.ctx = store.ctx  # on PostgreSQL the session user, known once it is open
        # over a slow SSH link every animation frame is bytes on the wire
        self.animation_level = "none"

    def on_mount(self) -> None:
        from docket.tui.screens.registry import MODES, preload, screen_factory

        for name in MODES:
            self.add_mode(name, screen_factory(name))
        from docket.models.accounts.roles import can_write

        # a viewer is told up front, not only when a save is refused
        writer = self.store.call(can_write, self.ctx.actor)
        who = self.ctx.actor if writer else f"{self.ctx.actor}: read-only (viewer)"
        self.banner = f"{self._check_warning()}{self.ctx.today():%a %d %b %Y} │ {who}"
        self.switch_mode("today")
        self._seen_version: int | None = self.store.version_at_open()
        self.set_interval(self.POLL_S, self._look_for_changes)
        # the other screens load once Today is drawn, not in its way
        self.set_timer(
            self.PRELOAD_S,
            lambda: self.run_worker(preload, thread=True, group="preload", exit_on_error=False),
        )

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Under ``NO_COLOR``, docket's own filter in place of Textual's monochrome: alerts
        stay bold and bright instead of turning dark grey (``docket.tui.widgets.no_color``)."""
        from textual.filter import Monochrome

        filters = super().get_line_filters()
        if not any(isinstance(f, Monochrome) for f in filters):
            return filters  # colour: no need to load docket's filter (launch speed)
        from docket.tui.widgets.no_color import PLAIN_COLOURS

        return [PLAIN_COLOURS if isinstance(f, Monochrome) else f for f in filters]

    def _check_warning(self) -> str:
        """A warning while the last ``docket check`` found problems, or when an entry this
        account witnessed no longer matches (first, so a narrow terminal still shows it):
        the database may have been changed outside docket."""
        from docket.models.audit.check import last_check
        from docket.models.audit.witness import own_problems

        rewritten = self.store.call(own_problems)
        if rewritten:
            self.notify(rewritten[0], title="docket check", severity="error", timeout=30)
            return "⚠ history rewritten │ "
        checked = self.store.call(last_check)
        if checked is None or checked.ok:
            return ""
        return "⚠ last check failed │ "

    @work(group="poll", exclusive=True, exit_on_error=False)
    async def _look_for_changes(self) -> None:
        """Reload the screen when someone else has saved (nothing redraws otherwise)."""
        from docket.models.audit.witness import take_notice
        from docket.models.core.database import data_version

        version = await self.store.run(data_version)
        if self._seen_version is not None and version != self._seen_version:
            self.changed()
        self._seen_version = version
        notice = take_notice()  # a witness that could not be kept after a save, said once
        if notice:
            self.notify(notice, severity="warning", timeout=15)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # a blinking cursor redraws twice a second forever: costly over SSH, and noise
        if hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def on_unmount(self) -> None:
        self.store.close()

    def mail_settings(self) -> MailSettings:
        """How to send e-mail (the config's ``[mail]``), read when needed."""
        from docket.models.core.config import load_config

        return load_config().mail

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification, its text made terminal-safe (it may quote stored text)."""
        super().notify(
            clean_lines(message),
            title=clean(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def changed(self) -> None:
        """Something was saved: screens showing data reload."""
        self.generation += 1

    def action_go(self, mode: str) -> None:
        """Switch to a screen by its mode name."""
        if mode != self.current_mode:
            self.switch_mode(mode)

    def show_actions(self, typed_filter: str) -> None:
        """The action list, filtered as typed (Today's counts lead here)."""
        from docket.tui.screens.actions import ActionsScreen

        self.action_go("actions")
        screen = self.screen
        if isinstance(screen, ActionsScreen):
            screen.set_filter(typed_filter)

    def action_help(self) -> None:
        from docket.tui.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, DocketScreen):
            title = next((k.label for k in APP_KEYS if f"'{screen.MODE}'" in k.action), "docket")
            self.push_screen(HelpScreen(title, screen.KEYS, screen.HELP_EXTRA))

    def _record(self, what: str) -> tuple[str, int] | None:
        screen = self.screen
        found = screen.current_record() if isinstance(screen, DocketScreen) else None
        if found is None:
            self.notify(f"Nothing under the cursor to {what}", markup=False)
        return found

    def action_undo(self) -> None:
        from docket.tui.widgets.history_panel import undo

        found = self._record("undo")
        if found is not None:
            undo(self, *found)

    def action_history(self) -> None:
        from docket.tui.widgets.history_panel import show_history

        found = self._record("show the history of")
        if found is not None:
            show_history(self, *found)

    def action_pick_program(self) -> None:
        self.run_worker(self._pick_program(), group="program", exclusive=True, exit_on_error=False)

    async def _pick_program(self, *, editing: bool = False) -> None:
        programs = await self.store.run(_programs)

        def chosen(code: str | None) -> None:
            if code is not None and code.startswith(EDIT_PROGRAM):
                self.action_edit_program(code.removeprefix(EDIT_PROGRAM))
            elif code is not None:
                self.program = None if code == ALL_PROGRAMS else code

        self.push_screen(ProgramPicker(programs, self.program, editing=editing), chosen)

    def action_edit_program(self, code: str | None = None) -> None:
        """Edit a program (RAG, note, objective, owner): ``code``, else the one in scope,
        else the one chosen from the list."""
        code = code or self.program
        job = self._pick_program(editing=True) if code is None else self._edit_program(code)
        self.run_worker(job, group="program", exclusive=True, exit_on_error=False)

    async def _edit_program(self, code: str) -> None:
        from docket.models.portfolio.programs import program_detail
        from docket.tui.forms.programs import edit_program_form

        row = await self.store.run(program_detail, code)

        def saved(result: str | None) -> None:
            if result is not None:
                self.changed()
                self.notify(f"Program {result} saved", markup=False)

        self.push_screen(edit_program_form(self, row), saved)

    def action_capture(self) -> None:
        from docket.tui.widgets.capture import CaptureDialog

        def captured(item_id: int | None) -> None:
            if item_id is not None:
                self.changed()
                self.notify(f"Action item {item_id} added", markup=False)

        self.push_screen(CaptureDialog(self.ctx, self.program), captured)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_failure(event)

    def report_failure(self, event: Worker.StateChanged) -> None:
        """A failed load or save becomes a dialog with its message, never a crash.

        Worker events do not bubble, so every screen and dialog hands its own here.
        """
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, DocketError):
            self.push_screen(ErrorDialog("Could not do that", str(error)))
            return
        log.error("unexpected error in %s", event.worker.name, exc_info=error)
        self.push_screen(unforeseen(event.worker.group, error))
