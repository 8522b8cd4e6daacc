"""The Contractors screen's fourth view: sourcing, the solicitations (RFP, RFQ) with their
status, dates, bids and committee.

The screen (:mod:`docket.tui.screens.contractors`) cycles to it with ``t`` and delegates here
what is the view's own: its rows, its columns, its filter and its status line. ``/`` narrows
the list by words (code, program, kind, status, title); Enter opens a solicitation's detail
(:mod:`docket.tui.forms.sourcing`), where the acting member scores, commits and reveals, and
the solicitation is awarded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from docket.exports.tabular.lists.sourcing import SOLICITATIONS
from docket.models.sourcing.solicitations import SolicitationFacts, list_solicitations

VIEW = "sourcing"
# the columns of the solicitations
TABLE = SOLICITATIONS.table()
# the row fields the filter's words are looked for in
SEARCHED = ("code", "program", "kind", "status", "title")


def load_sourcing(program: str | None) -> dict[str, Any]:
    """The solicitations (of the program in scope), bids due soonest first (database
    thread)."""
    rows: list[SolicitationFacts] = list_solicitations(program)
    return {"rows": rows}


def matching(rows: Sequence[dict[str, Any]], typed: str) -> list[dict[str, Any]]:
    """The solicitations whose code, program, kind, status or title hold every word typed."""
    words = typed.lower().split()
    if not words:
        return list(rows)
    return [
        r
        for r in rows
        if all(w in " ".join(str(r[k] or "") for k in SEARCHED).lower() for w in words)
    ]


def status_line(rows: Sequence[dict[str, Any]]) -> Text:
    """Above the list: how many, how many open for bids and in evaluation."""
    text = Text("Sourcing", style="bold")
    issued = sum(1 for r in rows if r["status"] == "issued")
    evaluating = sum(1 for r in rows if r["status"] == "evaluating")
    text.append(f" · {len(rows)} solicitations · {issued} issued · {evaluating} evaluating")
    text.append("   t: next view", style="dim")
    return text
