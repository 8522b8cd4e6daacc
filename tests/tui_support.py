"""Helpers for driving the app in tests."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every load and save has finished and the screen has caught up."""
    for _ in range(4):
        # a worker cancelled while waited for (a newer load of the same group, or the change
        # poll overtaken by the next one behind a slow load) is not a failure: wait again
        for _ in range(10):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                continue
        await pilot.pause()


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
