"""The allocation heatmap: each person's allocation per month as numbers (over 100 marked
``!``), coloured only to help; namesakes stay apart however narrow the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from docket.exports.tabular.columns import Table
from docket.exports.tabular.lists.contractors import allocation_columns
from docket.tui.widgets.rows import set_columns
from docket.tui.widgets.text import FIGURE_SPACE, plain

# the heatmap's person column, at least
PERSON = 30


def fit_person(label: str, room: int) -> str:
    """A person's label (``Name`` or ``Name <e-mail>`` for a namesake) in ``room`` cells,
    keeping what tells namesakes apart: the e-mail's domain goes first, then the name is
    shortened, never the part of the e-mail before the ``@``."""
    if cell_len(label) <= room or " <" not in label:
        return label
    name, _, email = label.rpartition(" <")
    local = email.rstrip(">").partition("@")[0]
    short = f"{name} <{local}@…>"
    if cell_len(short) <= room:
        return short
    tail = f" <{local}@…>"
    keep = max(1, room - cell_len(tail) - 1)
    return f"{name[:keep].rstrip()}…{tail}"


def heat(cell: dict[str, Any]) -> Text:
    """One month of one person: the average allocation, ``!`` when some day passed 100."""
    average, peak = cell["average"], cell["peak"]
    if not peak:
        return Text("·".rjust(4, FIGURE_SPACE), style="dim")
    mark = "!" if peak > 100 else " "
    style = "bold red" if peak > 100 else "green" if average >= 80 else ""
    return Text(f"{average}".rjust(4, FIGURE_SPACE) + mark, style=style)


def fill_heatmap(
    table: DataTable[Any],
    rows: list[dict[str, Any]],
    months: list[str],
    width: int,
    key_of: Callable[[dict[str, Any]], str],
) -> None:
    """Show each person's months in a table ``width`` cells wide: the person keeps room
    for a namesake's e-mail, so a narrow terminal shows a month fewer."""
    shown = max(1, min(len(months), (width - PERSON) // 6))
    columns = Table(allocation_columns(months[:shown], "Person")).fit(width)
    set_columns(table, columns)
    room = columns[0].width
    for r in rows:
        label = fit_person(r["person"], room - 2)
        cells = [plain(" " + label)] + [heat(c) for c in r["months"][:shown]]
        table.add_row(*cells, key=key_of(r))
