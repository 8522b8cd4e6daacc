"""The columns of every list docket shows, declared once: key, heading, width, how a cell reads.

A :class:`Column` names the value of a row it shows (its key), its heading, its width in the
app, and how the value reads as text on a terminal; the app's colour for it is a style word
(``"cyan"``, ``"bold red"``) that the words of the cell never depend on. A list's columns in
order drive the command line's table (:func:`headings`, :func:`cells`, :func:`flexible`), its
CSV (the keys are the header, see :func:`docket.exports.tabular.tables.write_csv`) and the
app's table (``docket.tui.widgets.rows`` draws them).

The command line and the app show most lists differently (the app's headings are words and
its widths fixed, the command line's are the JSON keys and fit their content), so a
:class:`Listing` holds both side by side: one place says what each shows. The app's
:class:`Table` fits its columns to the terminal: a column may be narrower, or shown only,
below or above ``wide_at`` cells, and the flexible columns share what the others leave.

The lists themselves are in :mod:`docket.exports.tabular.lists`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Literal, NamedTuple

Row = Mapping[str, Any]

# an alert (late, overdue, over 100 %, refused): bold, so that it stands out under
# NO_COLOR too, where the app draws it in the brightest shade, never dim
ALERT = "bold red"
# worth a look, not yet an alert
WARNING = "yellow"
# the app's colour for a state word; the word itself carries the meaning
STATE_STYLES = {
    "overdue": ALERT,
    "due soon": WARNING,
    "late": ALERT,
    "at risk": WARNING,
    "on track": "green",
    "done": "dim",
    "cancelled": "dim strike",
    "urgent": ALERT,
    "high": "bold",
    "low": "dim",
}


class View(NamedTuple):
    """Where rows are shown: the day (for ``today``, ``Fri 27``) and whether the table is
    wide (the app shows longer dates and more columns at ``Table.wide_at`` cells and more)."""

    today: date | None = None
    wide: bool = True

    def day(self) -> date:
        """The day the rows are shown on (a view that words dates by it has one)."""
        if self.today is None:
            raise ValueError("this list's dates are worded from today: give the view the day")
        return self.today


# a wide view on no day in particular: what a list's cells are shown in unless told
WIDE = View()


class Column(NamedTuple):
    """One column of a list.

    ``width`` is its width in the app (the command line fits each column to its content);
    ``narrow`` its width below the table's ``wide_at`` (None: the same), and ``only`` says
    it is shown only on a wide or only on a narrow table. A ``flexible`` column takes what
    the others leave in the app (at least ``least`` cells; several share it) and is the one
    the command line shortens with "…" when a table is too wide. ``text`` is the cell as
    terminal text (by default the row's value at ``key``, blank for None); ``style`` how the
    app colours it; ``right`` draws a number flush right, its heading too unless
    ``heading_right`` says otherwise.
    """

    key: str
    heading: str
    width: int = 0
    narrow: int | None = None
    only: Literal["", "wide", "narrow"] = ""
    flexible: bool = False
    least: int = 0
    text: Callable[[Row, View], str] | None = None
    style: str | Callable[[Row], str] = ""
    right: bool = False
    heading_right: bool | None = None

    def shown(self, row: Row, view: View = WIDE) -> str:
        """The cell of ``row`` as text (not yet made terminal-safe: the writer does that)."""
        if self.text is not None:
            return self.text(row, view)
        value = row.get(self.key)
        return "" if value is None else str(value)

    def style_of(self, row: Row) -> str:
        """The app's style for the cell of ``row``."""
        return self.style(row) if callable(self.style) else self.style

    @property
    def right_heading(self) -> bool:
        """Whether the heading is drawn flush right (as the numbers under it)."""
        return self.right if self.heading_right is None else self.heading_right


class Table(NamedTuple):
    """A list in the app: its columns, and the width from which the table is wide."""

    columns: tuple[Column, ...]
    wide_at: int = 110

    def fit(self, width: int) -> tuple[Column, ...]:
        """The columns shown in a table ``width`` cells wide, each with its width: the
        flexible ones share what the others leave (the first the smaller half)."""
        wide = width >= self.wide_at
        hidden = "narrow" if wide else "wide"
        shown = [
            c if wide or c.narrow is None else c._replace(width=c.narrow)
            for c in self.columns
            if c.only != hidden
        ]
        flex = [i for i, c in enumerate(shown) if c.flexible]
        if flex:
            fixed = sum(c.width for c in shown if not c.flexible)
            rest = max(sum(shown[i].least for i in flex), width - fixed)
            for n, i in enumerate(flex):
                share = rest * (n + 1) // len(flex) - rest * n // len(flex)
                shown[i] = shown[i]._replace(width=share)
        return tuple(shown)

    def view(self, width: int, today: date | None = None) -> View:
        """How rows read in a table ``width`` cells wide."""
        return View(today=today, wide=width >= self.wide_at)


class Listing(NamedTuple):
    """One list: its columns on the command line (its table, and its CSV where the command
    writes these keys) and its table in the app (None where the app has no such table)."""

    cli: tuple[Column, ...]
    app: Table | None = None

    def table(self) -> Table:
        """The app's table of this list (asked only of a list the app shows)."""
        if self.app is None:
            raise LookupError("the app shows no table of this list")
        return self.app


def as_is(
    keys: str, *, flexible: str | None = None, headings: Mapping[str, str] | None = None
) -> tuple[Column, ...]:
    """Columns that show each value as it is, headed by its key (or by ``headings``):
    ``keys`` space-separated, ``flexible`` the one to shorten when too wide."""
    said = headings or {}
    return tuple(Column(key, said.get(key, key), flexible=key == flexible) for key in keys.split())


def keys(columns: Iterable[Column | str]) -> list[str]:
    """The keys of the columns (a CSV's header); plain keys are taken as they are."""
    return [c if isinstance(c, str) else c.key for c in columns]


def headings(columns: Iterable[Column]) -> list[str]:
    """The headings of the columns (a terminal table's)."""
    return [c.heading for c in columns]


def flexible(columns: Sequence[Column]) -> int | None:
    """The index of the column a terminal table shortens when too wide (None: the widest)."""
    return next((i for i, c in enumerate(columns) if c.flexible), None)


def cells(columns: Sequence[Column], rows: Iterable[Row], view: View = WIDE) -> list[list[str]]:
    """The rows as the text of their cells, column by column."""
    return [[c.shown(row, view) for c in columns] for row in rows]


# --- words the lists share ---------------------------------------------------------------


def due_label(row: Row, today: date) -> str:
    """When an action item is due, as a person says it: ``12d late``, ``today``, ``Fri 27``."""
    if row["days_overdue"]:
        return f"{row['days_overdue']}d late"
    if not row["due"]:
        return "no date"
    due = date.fromisoformat(row["due"])
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if 0 < days < 7:
        return f"{due:%a %d}"
    return f"{due:%d %b %y}" if due.year != today.year else f"{due:%d %b}"


def slip_label(days: int) -> str:
    """Slip in days with its sign: ``+12d``, ``-3d``, ``±0d``."""
    return f"{days:+d}d" if days else "±0d"


def occurrence_state(row: Row) -> str:
    """What is special about a meeting occurrence, in words: cancelled, moved, tentative."""
    words = [row["status"]] if row["status"] != "confirmed" else []
    if row["moved"]:
        words.append("moved")
    return ", ".join(words)


def state_style(key: str, otherwise: str = "") -> Callable[[Row], str]:
    """The style of a state word at ``key`` (``STATE_STYLES``), else ``otherwise``."""
    return lambda row: STATE_STYLES.get(row[key], otherwise)


def or_nobody(key: str) -> Callable[[Row, View], str]:
    """A person's name at ``key``, or ``nobody``."""
    return lambda row, _: row[key] or "nobody"
