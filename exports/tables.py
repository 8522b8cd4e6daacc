"""Rows out of docket as CSV and JSON, safe for the programs people open them in.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
some also ``\\t`` and ``\\r``), so such text cells are written with a leading apostrophe; a
CSV from docket can be opened without running anything.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from docket.models.safe_text import UNSAFE

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text rather than evaluates."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> None:
    """Write rows as CSV with a header, text cells made spreadsheet-safe."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(column)) for column in columns])


def json_text(data: Any) -> str:
    """Data as indented JSON (UTF-8 kept, keys in given order) with every character a
    terminal would obey or reorder by written as a ``\\uXXXX`` escape: the same data, safe
    to print."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_json(data: Any, out: TextIO) -> None:
    """Write data as :func:`json_text` with a final newline."""
    out.write(json_text(data) + "\n")
