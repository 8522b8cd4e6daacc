"""Text from users shown as text: never markup, never terminal control codes.

Every string that came from the database or from typing goes through :func:`plain` before
it reaches a widget, so a title like ``[bold]x[/]`` or one holding an escape sequence
appears literally and cannot restyle or break the screen.
"""

from __future__ import annotations

from rich.text import Text

from docket.tui.cli.output import clean


def plain(value: object, style: str = "") -> Text:
    """A value as one line of literal text (controls shown as visible escapes)."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")


def cell(value: object, style: str = "") -> Text:
    """A table cell: the value after one space, under a heading that starts with one."""
    return plain(f" {clean(value)}", style=style)


# pads numbers flush right: a table cell's leading plain spaces are not drawn
FIGURE_SPACE = "\u2007"


def flush_right(value: str, width: int, style: str = "") -> Text:
    """A number in a column ``width`` cells wide, flush right."""
    return plain(value.rjust(width - 1, FIGURE_SPACE) + " ", style=style)


def lines(value: object) -> Text:
    """Multi-line text (notes) kept literal: line breaks kept, other controls escaped."""
    parts = [clean(part) for part in str(value or "").split("\n")]
    return Text("\n".join(parts))
