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
    """:func:`table` written to ``out``. A list of rows is measured and written from
    memory; any other iterable (more rows than are worth holding) is read once, its cells
    measured and kept in a temporary file, then written line by line from it, so memory
    stays the same however many there are. Nothing is written when there are none; how
    many were written."""
    if isinstance(rows, list):
        return _write_kept(headers, rows, out, width, flexible)
    import tempfile  # only for long lists

    widths = [_width(h) for h in headers]
    plain = [True] * len(headers)
    count = 0
    # cells made terminal-safe hold no tab or line feed: they separate cells and rows
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as kept:
        for row in rows:
            cells = _safe(row)
            _measure(cells, widths, plain)
            kept.write("\t".join(cells) + "\n")
            count += 1
        if count == 0:
            return 0
        kept.seek(0)
        _write_lines(
            headers, (line[:-1].split("\t") for line in kept), out, widths, plain, width, flexible
        )
    return count


def _safe(row: Sequence[object]) -> list[str]:
    """A row's cells as terminal-safe text (plain text as it is: the common case)."""
    return [c if type(c) is str and c.isprintable() else clean(c) for c in row]


def _measure(cells: Sequence[str], widths: list[int], plain: list[bool]) -> None:
    """Widen ``widths`` to the cells; ``plain``: whether a column's cells are all ASCII."""
    for i, c in enumerate(cells):
        if c.isascii():
            size = len(c)
        else:
            size, plain[i] = _width(c), False
        if size > widths[i]:
            widths[i] = size


def _write_kept(
    headers: Sequence[str],
    rows: list[Sequence[object]],
    out: TextIO,
    width: int | None,
    flexible: int | None,
) -> int:
    if not rows:
        return 0
    widths = [_width(h) for h in headers]
    plain = [True] * len(headers)
    # measured column by column: a whole column of plain text is checked at C speed
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, column in enumerate(columns):
        if not all(type(c) is str for c in column) or not all(map(str.isprintable, column)):
            column = columns[i] = [
                c if type(c) is str and c.isprintable() else clean(c) for c in column
            ]
        if all(map(str.isascii, column)):
            widths[i] = max(widths[i], *map(len, column))
        else:
            widths[i], plain[i] = max(widths[i], *map(_width, column)), False
    _write_lines(headers, list(zip(*columns, strict=True)), out, widths, plain, width, flexible)
    return len(rows)


def _write_lines(
    headers: Sequence[str],
    lines: Iterable[Sequence[str]],
    out: TextIO,
    widths: list[int],
    plain: list[bool],
    width: int | None,
    flexible: int | None,
) -> None:
    """The heading and the measured cells' lines: when every cell is ASCII, each line is
    padded by one format (long cells of a shortened column cut first), as :func:`_fit`
    would pad it; else cell by cell."""
    wanted = list(widths)
    widths = _fitted(headers, widths, width, flexible)
    out.write(_line(headers, widths) + "\n")
    fast = all(plain)
    # the columns shortened to fit: their long cells cut, with "…", before the padding
    cut = [(i, w) for i, (w, m) in enumerate(zip(widths, wanted, strict=True)) if w < m]
    pattern = "  ".join(f"{{:<{w}}}" for w in widths)
    batch: list[str] = []
    for cells in lines:
        if fast:
            if cut:
                cells = list(cells)
                for i, w in cut:
                    if len(cells[i]) > w:
                        cells[i] = cells[i][: w - 1] + "…"
            batch.append(pattern.format(*cells).rstrip())
        else:
            batch.append("  ".join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
        if len(batch) == 1000:  # fewer, larger writes
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
