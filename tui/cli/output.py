"""Plain-text output for the command line: aligned tables that fit the terminal.

Text from users is data: control characters, escape sequences and bidirectional overrides
are shown visibly (``␛``, ``<U+202E>``), never sent to the terminal; everything a command
writes to standard output passes through :class:`SafeOutput` as well, so no path can skip
it. Nothing here imports Textual or Rich, so commands start quickly.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterable, Sequence
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
    if text.isascii():  # the common case: one column a character
        return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
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
    cells = [[clean(c) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    widths = _fitted(headers, widths, width, flexible)
    lines = [_line(headers, widths)] + [_line(r, widths) for r in cells]
    return "\n".join(lines)


def _fitted(
    headers: Sequence[str], widths: list[int], width: int | None, flexible: int | None
) -> list[int]:
    """The columns' widths, the ``flexible`` one (the widest by default) shortened when the
    table is wider than ``width`` (the terminal's)."""
    total = width or shutil.get_terminal_size((100, 24)).columns
    gap = 2
    overflow = sum(widths) + gap * (len(widths) - 1) - total
    if overflow > 0:
        column = (
            flexible if flexible is not None else max(range(len(widths)), key=widths.__getitem__)
        )
        widths[column] = max(len(headers[column]), widths[column] - overflow, 8)
    return widths


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()


def write_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    out: TextIO,
    *,
    width: int | None = None,
    flexible: int | None = None,
) -> int:
    """:func:`table` for more rows than are worth holding: the rows are read once, their
    cells measured and kept in a temporary file, then written line by line from it, so
    memory stays the same however many there are. Nothing is written when there are none;
    how many were written."""
    import tempfile  # only for long lists

    widths = [_width(h) for h in headers]
    count = 0
    # cells made terminal-safe hold no tab or line feed: they separate cells and rows
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as kept:
        for row in rows:
            cells = [c if type(c) is str and c.isprintable() else clean(c) for c in row]
            sizes = [len(c) if c.isascii() else _width(c) for c in cells]
            widths = list(map(max, widths, sizes))
            kept.write("\t".join(cells) + "\n")
            count += 1
        if count == 0:
            return 0
        widths = _fitted(headers, widths, width, flexible)
        out.write(_line(headers, widths) + "\n")
        kept.seek(0)
        batch: list[str] = []
        for line in kept:
            cells = line[:-1].split("\t")
            batch.append("  ".join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
            if len(batch) == 1000:  # fewer, larger writes
                out.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            out.write("\n".join(batch) + "\n")
    return count
