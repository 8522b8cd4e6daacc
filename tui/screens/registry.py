"""The app's screens by mode name; the keys that switch to them are in ``keys.APP_KEYS``.

Each screen's module is imported when the screen is first shown (or by ``preload`` once
Today is on the screen): the app draws Today without loading the other eight screens and
what they need (forms, Markdown, the meetings and contractor models).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from docket.tui.screens.base import DocketScreen

# mode name -> the module and class of its screen
MODES: dict[str, tuple[str, str]] = {
    "today": ("docket.tui.screens.today", "TodayScreen"),
    "actions": ("docket.tui.screens.actions", "ActionsScreen"),
    "meetings": ("docket.tui.screens.meetings", "MeetingsScreen"),
    "comms": ("docket.tui.screens.comms", "CommsScreen"),
    "contractors": ("docket.tui.screens.contractors", "ContractorsScreen"),
    "milestones": ("docket.tui.screens.milestones", "MilestonesScreen"),
    "people": ("docket.tui.screens.people", "PeopleScreen"),
    "raid": ("docket.tui.screens.raid", "RaidScreen"),
    "portfolio": ("docket.tui.screens.portfolio", "PortfolioScreen"),
}


def screen_class(mode: str) -> type[DocketScreen]:
    module, name = MODES[mode]
    found: type[DocketScreen] = getattr(import_module(module), name)
    return found


def screen_factory(mode: str) -> Callable[[], DocketScreen]:
    """What makes the screen of ``mode`` when it is first switched to."""
    return lambda: screen_class(mode)()


def preload() -> None:
    """Import every screen's module, so the first switch to one does not wait for it."""
    for mode in MODES:
        screen_class(mode)
