"""Stored text made safe to show on a terminal: one rule for every output and every input.

A terminal obeys control characters: ESC starts sequences that move the cursor, clear the
screen or write the clipboard (OSC 52), and the C1 controls (U+0080-U+009F) do the same on
some terminals. Bidirectional formatting characters (U+202E and its kin) reorder what is
shown, so ``txt.exe`` can read as ``exe.txt``. Input refuses all of these, but text can reach
the database another way (``sqlite3``), so whatever is shown passes through :func:`visible`,
which replaces each with a visible stand-in: C0 controls and DEL by their Control Pictures
(ESC as ``␛``), C1 and formatting characters by their code point (``<U+202E>``).
"""

from __future__ import annotations

import re

# The Unicode Bidi_Control characters: marks, embeddings, overrides and isolates.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Line and paragraph separators, which some programs break lines at and others do not.
SEPARATORS = "\u2028\u2029"
# Everything a terminal may obey or reorder by, except line feed and tab.
_UNSAFE_CLASS = f"\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}{SEPARATORS}"
UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
# For one line of text: line feed and tab too.
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_UNSAFE_CLASS}]")
# For lines of text: a carriage return that ends a line (CR LF) is kept, a lone one is not.
_UNSAFE_IN_LINES = re.compile(
    f"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}{SEPARATORS}]"
)


def stand_in(char: str) -> str:
    """What is shown instead of one unsafe character."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def _replace(match: re.Match[str]) -> str:
    return stand_in(match.group())


def _one_line(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char in "\t\n" else stand_in(char)


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with every control and bidirectional formatting character shown visibly.

    As one line (the default), line feeds and tabs become spaces; with ``lines``, line
    feeds, tabs and a carriage return before a line feed are kept.
    """
    if lines:
        return _UNSAFE_IN_LINES.sub(_replace, text)
    if text.isprintable():  # no control or formatting character at all: the common case
        return text
    return _UNSAFE_IN_LINE.sub(_one_line, text)


def first_unsafe(text: str, *, lines: bool = False) -> str | None:
    """The first character of ``text`` that :func:`visible` would replace (line feeds and
    tabs allowed with ``lines``), or None."""
    found = (UNSAFE if lines else _UNSAFE_IN_LINE).search(text)
    return found.group() if found else None
