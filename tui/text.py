"""Text from users shown as text: never markup, never terminal control codes.

Every string that came from the database or from typing goes through :func:`plain` before
it reaches a widget, so a title like ``[bold]x[/]`` or one holding an escape sequence
appears literally and cannot restyle or break the screen.
"""

from __future__ import annotations

from rich.text import Text

from docket.tui.output import clean


def plain(value: object, style: str = "") -> Text:
    """A value as one line of literal text (controls shown as visible escapes)."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")


def lines(value: object) -> Text:
    """Multi-line text (notes) kept literal: line breaks kept, other controls escaped."""
    parts = [clean(part) for part in str(value or "").split("\n")]
    return Text("\n".join(parts))
