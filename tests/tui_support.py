"""Helpers for driving the app in tests.

Textual's Pilot waits after every key it presses (twice) and every pause until the process
has used almost no CPU for one slice of 20 ms: most of a Pilot test's time was those slices,
not the app. Here the slice is 2 ms, with the same measure of idle (a twentieth of it), so
a test waits for the same thing in smaller steps; :func:`settle` still waits for every
worker to finish, which is what the tests' checks rely on.
"""

from __future__ import annotations

import io
import time
from collections.abc import Awaitable, Callable

import textual._wait
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled, WorkerFailed

textual._wait.SLEEP_GRANULARITY = 1 / 500
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every load and save has finished and the screen has caught up."""
    for _ in range(4):
        # a worker cancelled while waited for (a newer load of the same group, or the change
        # poll overtaken by the next one behind a slow load) is not a failure, nor is a save
        # the domain refused (the app shows why in a dialog, which the test checks): whether
        # such a worker is still listed when the wait starts is chance, so wait again
        for _ in range(10):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except (WorkerCancelled, WorkerFailed):
                continue
        await pilot.pause()


async def until(
    pilot: Pilot[None], done: Callable[[], bool], what: str, seconds: float = 60.0
) -> None:
    """Pause until ``done()`` holds, for what the app does in its own time (a timer's poll,
    a dialog a save waits on, which :func:`settle` cannot wait for). However slow the
    machine, the test waits; ``seconds`` only keeps something that never happens from
    hanging the run."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what}: not after {seconds:.0f} s; the screen is {pilot.app.screen}"
            )
        await pilot.pause(0.02)


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text as keys (spaces included)."""
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


def shown(widget: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text().rstrip()


def pressing(keys: list[str]) -> Callable[[Pilot[None]], Awaitable[None]]:
    """For snapshots: settle, then press each key in turn, settling after each; a key
    written ``=name:value`` puts the value in that field of the open form instead."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            if key.startswith("="):
                name, _, value = key[1:].partition(":")
                pilot.app.screen.set_values({name: value})  # type: ignore[attr-defined]
            else:
                await pilot.press(key)
            await settle(pilot)

    return run
