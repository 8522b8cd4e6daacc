"""History in the app as a person reads it, and alerts that stay visible under NO_COLOR.

The history panel (``h``) and undo (``u``) name people and programs instead of ids and show
long values whole; under ``NO_COLOR`` the alerts ("60d late", "late") are bold and bright,
never the dark grey that red becomes in shades of grey.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from rich.style import Style
from textual.color import Color
from textual.filter import monochrome_style
from textual.widgets import DataTable, Static
from tui_support import settle, shown

from docket.models.actions import items as actions
from docket.models.core.context import Context
from docket.tui.app import DocketApp
from docket.tui.screens.actions import ActionsScreen
from docket.tui.widgets.history_panel import HistoryPanel
from docket.tui.widgets.no_color import plain_style

MakeApp = Callable[[Path], DocketApp]
LONG = "Walk the migration plan through with finance, the records office and the vendor " * 3


async def test_the_history_panel_names_people_and_shows_long_values_whole(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        first = screen.rows[0]

        def edit() -> str:
            item = actions.get_action(first["id"])
            actions.update_action(ctx, item.id, item.version, owner="", notes=LONG)
            return str(first["owner"])

        owner = pilot.app.store.call(edit)
        await pilot.press("h")
        await settle(pilot)
        panel = pilot.app.screen
        assert isinstance(panel, HistoryPanel)
        text = " ".join(shown(panel.query_one("#history", Static)).split())
        await pilot.press("escape", "u")
        await settle(pilot)
        said = [n.message for n in pilot.app._notifications]
    assert f"owner: cleared (was {owner})" in text
    assert f" to {' '.join(LONG.split())} " in text
    assert "notes: changed from" in text
    assert "owner: set to" in text and "program: set to" in text
    assert "…" not in text and "None" not in text and "∅" not in text
    assert f"Undone on action item #{first['id']}: notes changed from " in said[-1]
    assert f"owner cleared (was {owner})" in said[-1]


# --- NO_COLOR ------------------------------------------------------------------------------

BACKGROUND = Color.parse("#1e1e1e")


def _luminance(hex_colour: str) -> float:
    return Color.parse(hex_colour).brightness


def test_red_text_is_bright_under_no_color_where_monochrome_made_it_dark_grey() -> None:
    alert = Style.parse("bold red") + Style.from_color(bgcolor=BACKGROUND.rich_color)
    ours = plain_style(alert, BACKGROUND)
    theirs = monochrome_style(alert)
    assert ours.bold and not ours.dim
    assert ours.color is not None and theirs.color is not None
    assert Color.from_rich_color(ours.color).brightness > 0.8
    assert Color.from_rich_color(theirs.color).brightness < 0.5
    # greys (muted text) keep their shade; nothing is left in colour
    muted = plain_style(Style.parse("#808080"), BACKGROUND)
    assert muted.color is not None and Color.from_rich_color(muted.color).hsl.s == 0
    for colour in ("red", "yellow", "green", "cyan", "#ff8800"):
        shade = plain_style(Style.parse(colour), BACKGROUND).color
        assert shade is not None and Color.from_rich_color(shade).hsl.s < 0.01


def _styles_of(svg: str, pattern: str) -> list[tuple[str, bool]]:
    """(fill, bold) of every text element of a screenshot whose text is ``pattern``."""
    rules = {name: body for name, body in re.findall(r"\.(terminal-[\w-]+) \{([^}]*)\}", svg)}
    found = []
    for name, text in re.findall(r'<text class="([^"]+)"[^>]*>([^<]*)</text>', svg):
        if re.fullmatch(pattern, unescape(text).replace("\xa0", " ").strip()):
            body = rules.get(name, "")
            fill = re.search(r"fill: (#[0-9a-f]{6})", body)
            found.append((fill[1] if fill else "#000000", "font-weight: bold" in body))
    return found


@pytest.mark.parametrize(
    ("key", "alert"),
    [("2", r"\d+d late"), ("4", "late"), ("5", r"\d+d late")],
    ids=["actions overdue", "milestones late", "comms overdue"],
)
async def test_alerts_are_bold_and_bright_under_no_color(
    demo_db: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, key: str, alert: str
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        await settle(pilot)
        # the cursor off the first row: what is measured is a row as the list shows it
        pilot.app.screen.query_one(DataTable).move_cursor(row=3)
        await settle(pilot)
        svg = pilot.app.export_screenshot()
    styles = _styles_of(svg, alert)
    assert styles, f"no {alert!r} on screen {key}"
    # ordinary text: the program codes, in the shade most of them have
    fills = [fill for fill, _ in _styles_of(svg, "ERP")]
    ordinary = max(set(fills), key=fills.count)
    for fill, bold in styles:
        assert bold, f"{alert!r} is not bold"
        assert _luminance(fill) >= _luminance(ordinary), f"{alert!r} in {fill} is dim"
