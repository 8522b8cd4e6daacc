"""Plain-text output for the command line: aligned tables that fit the terminal.

Text from users is data: control characters, escape sequences and bidirectional overrides
are shown visibly (``␛``, ``<U+202E>``), never sent to the terminal; everything a command
writes to standard output passes through :class:`SafeOutput` as well, so no path can skip
it. Nothing here imports Textual or Rich, so commands start quickly.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO

from docket.models.core.safe_text import visible


def clean(value: object) -> str:
    """A value as one line of terminal-safe text (line breaks and tabs become spaces)."""
    return "" if value is None else visible(str(value))


def clean_lines(value: object) -> str:
    """Multi-line text made terminal-safe, its line breaks kept."""
    return "" if value is None else visible(str(value), lines=True)


class SafeOutput:
    """A text stream that shows control and bidirectional formatting characters visibly:
    what a command writes to the terminal, whichever way it was made."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(visible(text, lines=True))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding: the stream's own
        return getattr(self.out, name)


def _width(text: str) -> int:
    """Columns ``text`` takes: two for wide (East Asian) characters."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    used = _width(text)
    if used <= width:
        return text + " " * (width - used)
    kept: list[str] = []
    used = 0
    for char in text:
        size = _width(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…" + " " * (width - used - 1)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    width: int | None = None,
    flexible: int | None = None,
) -> str:
    """Rows under headers in aligned columns, fitted to ``width`` (the terminal's).

    When too wide, the ``flexible`` column (the widest by default) is shortened with "…".
    """
    total = width or shutil.get_terminal_size((100, 24)).columns
    cells = [[clean(c) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    gap = 2
    overflow = sum(widths) + gap * (len(widths) - 1) - total
    if overflow > 0:
        column = (
            flexible if flexible is not None else max(range(len(widths)), key=widths.__getitem__)
        )
        widths[column] = max(len(headers[column]), widths[column] - overflow, 8)
    lines = ["  ".join(_fit(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(_fit(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)
