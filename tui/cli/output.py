"""Plain-text output for the command line: aligned tables that fit the terminal.

Text from users is data: control characters, escape sequences and bidirectional overrides
are shown visibly (``␛``, ``<U+202E>``), never sent to the terminal; everything a command
writes to standard output passes through :class:`SafeOutput` as well, so no path can skip
it. Nothing here imports Textual or Rich, so commands start quickly.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
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

    When too wide, text columns are shortened with "…" (:func:`_fitted`).
    """
    cells = [[clean(c) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    widths = _fitted(headers, widths, width, flexible, lambda i: _holds_text(r[i] for r in cells))
    lines = [_line(headers, widths)] + [_line(r, widths) for r in cells]
    return "\n".join(lines)


# a column this wide or narrower is kept whole (a code, a status, a short name); a wider one
# is cut to fit when it holds text (titles, names, places, notes), never when it holds values
# (dates and times, amounts: no letters)
WHOLE = 12
# the fewest columns a cut text column keeps (its heading's width, if that is more)
LEAST = 8
# how many of a column's cells wider than WHOLE tell whether it holds text
SAMPLE = 50
_LETTER = re.compile(r"[^\W\d_]")


def _holds_text(cells: Iterable[str]) -> bool:
    """Whether a column holds text that may be cut: most of its first :data:`SAMPLE` cells
    wider than :data:`WHOLE` have a letter (``2026-11-30 14:00`` and ``1625000.00`` have
    none; an agenda's odd ``2026-11-30 all day`` does not make its times text)."""
    wide = list(islice((c for c in cells if len(c) > WHOLE), SAMPLE))
    return 2 * sum(1 for c in wide if _LETTER.search(c)) > len(wide)


def _fitted(
    headers: Sequence[str],
    widths: list[int],
    width: int | None,
    flexible: int | None,
    text: Callable[[int], bool],
) -> list[int]:
    """The columns' widths, fitted to ``width`` (the terminal's) when the table is wider.
    The ``flexible`` column (the title) and every column wider than :data:`WHOLE` that holds
    text (``text(i)``, asked only then) are cut, the widest first, so they shrink together and
    a title keeps as much as a name or a place beside it. Each keeps at least :data:`LEAST`
    columns and its heading. Values are never cut: a table of more of them than the
    terminal holds stays wider than it."""
    total = width or shutil.get_terminal_size((100, 24)).columns
    widths = list(widths)
    overflow = sum(widths) + 2 * (len(widths) - 1) - total
    if overflow <= 0:
        return widths
    cut = [i for i, w in enumerate(widths) if i == flexible or (w > WHOLE and text(i))]
    floors = {i: max(_width(headers[i]), LEAST) for i in cut}
    while overflow > 0:
        room = [i for i in cut if widths[i] > floors[i]]
        if not room:
            break
        # the widest gives up a column; of two as wide, the one that is not the title
        widest = max(room, key=lambda i: (widths[i], i != flexible))
        widths[widest] -= 1
        overflow -= 1
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
    # per column: of its first cells wider than WHOLE, how many were read and how many
    # had a letter (as _holds_text counts them)
    wide, lettered = [0] * len(headers), [0] * len(headers)
    count = 0
    # cells made terminal-safe hold no tab or line feed: they separate cells and rows
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as kept:
        for row in rows:
            cells = _safe(row)
            _measure(cells, widths, plain, (wide, lettered))
            kept.write("\t".join(cells) + "\n")
            count += 1
        if count == 0:
            return 0
        kept.seek(0)
        lines = (line[:-1].split("\t") for line in kept)
        fitted = _fitted(headers, widths, width, flexible, lambda i: 2 * lettered[i] > wide[i])
        _write_lines(headers, lines, out, widths, fitted, plain)
    return count


def _safe(row: Sequence[object]) -> list[str]:
    """A row's cells as terminal-safe text (plain text as it is: the common case)."""
    return [c if type(c) is str and c.isprintable() else clean(c) for c in row]


def _measure(
    cells: Sequence[str],
    widths: list[int],
    plain: list[bool],
    sample: tuple[list[int], list[int]],
) -> None:
    """Widen ``widths`` to the cells; ``plain``: whether a column's cells are all ASCII;
    ``sample``: per column, its first cells wider than :data:`WHOLE` counted, and those with
    a letter (what :func:`_holds_text` reads)."""
    wide, lettered = sample
    for i, c in enumerate(cells):
        if c.isascii():
            size = len(c)
        else:
            size, plain[i] = _width(c), False
        if size > widths[i]:
            widths[i] = size
        if len(c) > WHOLE and wide[i] < SAMPLE:
            wide[i] += 1
            lettered[i] += _LETTER.search(c) is not None


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
    fitted = _fitted(headers, widths, width, flexible, lambda i: _holds_text(columns[i]))
    _write_lines(headers, list(zip(*columns, strict=True)), out, widths, fitted, plain)
    return len(rows)


def _write_lines(
    headers: Sequence[str],
    lines: Iterable[Sequence[str]],
    out: TextIO,
    wanted: list[int],
    widths: list[int],
    plain: list[bool],
) -> None:
    """The heading and the measured cells' lines, in ``widths`` (the columns ``wanted``,
    fitted): when every cell is ASCII, each line is padded by one format (long cells of a
    shortened column cut first), as :func:`_fit` would pad it; else cell by cell."""
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
