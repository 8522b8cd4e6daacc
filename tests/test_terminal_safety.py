"""Stored text never controls the terminal: escape sequences (CSI, OSC 52), C1 controls and
bidirectional overrides put into the database with sqlite3, past every input check, are
shown visibly by every command and by the app, never sent as they are.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tui_support import settle

from docket.exports.tabular.tables import json_text
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import text
from docket.models.core.safe_text import visible
from docket.tui.cli.main import run

# clear the screen (CSI), write the clipboard (OSC 52, ended by BEL), C1 CSI and DCS ... ST,
# a right-to-left override, DEL and a backspace: each a way to act on a terminal or to
# disguise what it shows
HOSTILE = "\x1b[2J\x1b]52;c;cHduZWQ=\x07\x9b31m\x90q\x9c\u202eevil\x7f\x08"
SHOWN = "␛[2J␛]52;c;cHduZWQ=␇<U+009B>31m<U+0090>q<U+009C><U+202E>evil␡␈"
# checked independently of docket's own list: C0 but line feed and tab, DEL, C1, and the
# Unicode bidirectional controls (a CR counts unless it ends a line, as CSV's CR LF does)
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
)

# (table, column) of stored text the commands and screens print
COLUMNS = [
    ("action_item", "title"),
    ("action_item", "notes"),
    ("person", "name"),
    ("program", "name"),
    ("program", "rag_note"),
    ("meeting", "title"),
    ("meeting", "location"),
    ("meeting", "agenda"),
    ("milestone", "title"),
    ("comms_item", "name"),
    ("comms_item", "purpose"),
    ('"group"', "name"),
    ("vendor", "name"),
    ("contract", "title"),
    ("risk", "title"),
    ("issue", "title"),
    ("decision", "title"),
    ("change_request", "title"),
]


@pytest.fixture
def hostile_db(demo_db: Path) -> Path:
    """The demo office with hostile text appended to its stored text, and a forged audit
    entry, all written with sqlite3 as a member of the group could."""
    assert run(["--db", str(demo_db), "action", "edit", "1", "--priority", "high"], *_io()) == 0
    with sqlite3.connect(demo_db) as conn:
        for table, column in COLUMNS:
            conn.execute(f"UPDATE {table} SET {column} = coalesce({column}, '') || ?", (HOSTILE,))
        changes = json.dumps({f"priority{HOSTILE}": [f"normal{HOSTILE}", f"high{HOSTILE}"]})
        conn.execute(
            "UPDATE audit_entry SET actor = ?, note = ?, changes = ? WHERE entity = 'action_item'",
            (f"mallory{HOSTILE}", f"why{HOSTILE}", changes),
        )
    return demo_db


def _io() -> tuple[io.StringIO, io.StringIO]:
    return io.StringIO(), io.StringIO()


def _program(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("SELECT code FROM program ORDER BY id").fetchone()[0])


def _meeting(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("SELECT id FROM meeting ORDER BY id").fetchone()[0])


COMMANDS: list[list[str]] = [
    ["action", "list"],
    ["action", "list", "--format", "csv"],
    ["action", "list", "--format", "json"],
    ["action", "show", "1"],
    ["action", "show", "1", "--format", "json"],
    ["today"],
    [],  # no command, output piped: Today as text
    ["history", "action", "1"],
    ["history", "action", "1", "--format", "json"],
    ["digest", "--program", "{program}", "--format", "txt"],
    ["digest", "--program", "{program}", "--format", "md"],
    ["digest", "--program", "{program}", "--format", "json"],
    ["meeting", "show", "{meeting}"],
    ["meeting", "list"],
    ["comms", "list"],
    ["program", "list"],
    ["person", "list"],
    ["milestone", "list"],
    ["risk", "list"],
    ["contract", "list"],
    ["changes", "--since", "2026-06-01"],
    ["changes", "--since", "2026-06-01", "--format", "json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "(none)")
def test_no_command_sends_a_control_sequence_from_the_data(
    hostile_db: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "2000")  # wide enough that no column is cut
    argv = [a.format(program=_program(hostile_db), meeting=_meeting(hostile_db)) for a in command]
    out, err = _io()
    status = run(["--db", str(hostile_db), *argv], out, err)
    written = out.getvalue() + err.getvalue()
    assert status == 0, written
    assert not CONTROL.search(written), repr(CONTROL.search(written))
    # the stored text was printed, visibly (JSON keeps it exact, as \u escapes)
    if "json" in argv:
        assert "\\u202eevil" in written
        assert any(HOSTILE in t for t in _strings(json.loads(out.getvalue())))
    else:
        assert "<U+202E>evil" in written


def _strings(value: Any) -> list[str]:
    """Every string in decoded JSON, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_action_show_prints_the_hostile_title_visibly_on_one_line(hostile_db: Path) -> None:
    out, err = _io()
    assert run(["--db", str(hostile_db), "action", "show", "1"], out, err) == 0
    title = next(line for line in out.getvalue().splitlines() if line.startswith("title"))
    assert title.endswith(SHOWN)


def test_visible_stand_ins() -> None:
    assert visible(HOSTILE) == SHOWN
    assert visible("a\nb\tc") == "a b c"
    assert visible("a\r\nb\rc\n\td", lines=True) == "a\r\nb␍c\n\td"
    assert visible("שלום \u2067x\u2069 \u2028") == "שלום <U+2067>x<U+2069> <U+2028>"
    assert visible("Zoë 東京 👩‍💻") == "Zoë 東京 👩‍💻"  # letters and joiners are not controls


@given(st.text())
def test_visible_never_lets_a_control_through(value: str) -> None:
    assert not CONTROL.search(visible(value, lines=True))
    one_line = visible(value)
    assert not CONTROL.search(one_line)
    assert "\n" not in one_line and "\t" not in one_line
    # text without controls is left alone
    if not CONTROL.search(value) and not re.search("[\n\t\u2028\u2029]", value):
        assert one_line == value


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_is_exact_and_safe_to_print(value: Any) -> None:
    written = json_text(value)
    assert not CONTROL.search(written)
    assert json.loads(written) == value


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\x1b", "\x9b", "\u2028"])
def test_typed_text_with_a_control_or_bidi_override_is_refused(char: str) -> None:
    with pytest.raises(ValidationError) as refused:
        text("title", f"invoice{char}fdp.exe")
    assert str(refused.value).startswith("title: contains a")


async def test_the_app_shows_hostile_text_visibly(hostile_db: Path, make_app: Any) -> None:
    """Today and the digest preview: the screen's cells hold no control character, and the
    bytes the app writes to the terminal carry none of the data's sequences."""
    from textual.widgets import Markdown

    async with make_app(hostile_db).run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        cells, sent = _drawn(pilot.app)
        assert "<U+202E>evil" in cells
        assert not CONTROL.search(cells), repr(CONTROL.search(cells))
        assert not _FROM_DATA.search(sent), repr(_FROM_DATA.search(sent))
        await pilot.press("5")  # communications
        await settle(pilot)
        await pilot.press("d")  # the digest preview of the plan item under the cursor
        await settle(pilot)
        preview = pilot.app.screen.query_one(Markdown)
        assert "<U+202E>evil" in preview.source
        cells, sent = _drawn(pilot.app)
        assert "␛[2J" in cells
        assert not CONTROL.search(cells), repr(CONTROL.search(cells))
        assert not _FROM_DATA.search(sent), repr(_FROM_DATA.search(sent))


# what the hostile text would send if it went through: Textual itself never clears the
# screen this way in an update, nor writes the clipboard, nor sends C1 or bidi controls
_FROM_DATA = re.compile("\x1b\\[2J|\x1b\\]52|[\x7f-\x9f\u202a-\u202e]")


def _drawn(app: Any) -> tuple[str, str]:
    """The screen as drawn: the text of its cells, and the bytes of a full repaint."""
    from rich.console import Console

    compositor = app.screen._compositor
    cells = "\n".join(strip.text for strip in compositor.render_strips())
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(compositor.render_update(full=True), end="")
    return cells, console.file.getvalue()
