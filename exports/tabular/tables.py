"""Rows out of docket as CSV and JSON, safe for the programs people open them in.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
some also ``\\t`` and ``\\r``), so such text cells are written with a leading apostrophe; a
CSV from docket can be opened without running anything. A plain number (``-500.00``, a
credit) runs nothing and is written as it is, so a spreadsheet reads it as a number.

The guard is reversible, so an export reads back as it was: text that already starts
with apostrophes before such a character (``'-x``) gets one more, and
:func:`from_spreadsheet` takes exactly one away where :func:`spreadsheet_safe` put one.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from docket.exports.tabular.columns import Column, keys
from docket.models.core.safe_text import UNSAFE

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# a number as docket writes one (an amount, a count): a spreadsheet reads it, runs nothing
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _guarded(text: str) -> bool:
    """Whether :func:`spreadsheet_safe` puts an apostrophe before this text: it starts
    like a formula (and is not a plain number), or it is apostrophes before such a start,
    so that the apostrophe added can always be told from the text's own."""
    bare = text.lstrip("'")
    if not bare.startswith(_FORMULA_START):
        return False
    return bare != text or not _NUMBER.fullmatch(text)


def spreadsheet_safe(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text rather than evaluates."""
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return "" if value is None else value


def from_spreadsheet(cell: str) -> str:
    """A cell's text as it was before :func:`spreadsheet_safe`: the one apostrophe it added
    taken away, any other kept (``'Twas`` stays, ``'-x`` is ``-x``, ``''-x`` is ``'-x``)."""
    if cell.startswith("'") and _guarded(cell[1:]):
        return cell[1:]
    return cell


def write_csv(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[Column | str], out: TextIO
) -> None:
    """Write rows as CSV with a header of the columns' keys (:class:`Column` declarations
    or plain keys), each cell the row's value as it is, text made spreadsheet-safe."""
    names = keys(columns)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(name)) for name in names])


def json_text(data: Any) -> str:
    """Data as indented JSON (UTF-8 kept, keys in given order) with every character a
    terminal would obey or reorder written as a ``\\uXXXX`` escape: the same data, safe
    to print."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_json(data: Any, out: TextIO, columns: Sequence[Column | str] | None = None) -> None:
    """Write data as :func:`json_text` with a final newline; given ``columns``, data is
    rows and each keeps only the columns' keys, in their order."""
    if columns is not None:
        names = keys(columns)
        data = [{name: row.get(name) for name in names} for row in data]
    out.write(json_text(data) + "\n")
