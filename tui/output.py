"""Plain-text output for the command line: aligned tables that fit the terminal.

Text from users is data: control characters are shown as visible escapes, never sent to
the terminal. Nothing here imports Textual or Rich, so commands start quickly.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(value: object) -> str:
    """A value as one line of terminal-safe text."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable():  # no control characters: the common case, kept quick
        return text
    text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
