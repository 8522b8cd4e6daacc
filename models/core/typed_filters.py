"""What a filter typed over a short list keeps: the meetings of a day or week, the comms plan.

These lists are read whole (a week of occurrences, a plan of a few hundred items), so what
is typed narrows the rows already read. The rule is the one names are matched by
(:func:`docket.models.core.lookup.words`): without case or accents, each typed word must start
a word of the row, in any order; the state words a row shows ("late", "cancelled",
"moved") count as its words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from docket.models.core.lookup import words

# a row of plain facts (``plan_facts``, ``occurrence_facts``), as given and kept
Row = TypeVar("Row", bound=Mapping[str, Any])


def row_matches(typed: str, texts: Iterable[str | None]) -> bool:
    """Whether every word typed starts some word of ``texts`` (nothing typed: yes)."""
    wanted = words(typed)
    if not wanted:
        return True
    have = {w for text in texts if text for w in words(text)}
    return all(any(w.startswith(word) for w in have) for word in wanted)


def plan_texts(row: Mapping[str, Any]) -> list[str | None]:
    """What a comms plan item (``plan_facts``) can be found by: its name, program, channel,
    owner, audience, how often, and its state (``overdue``/``late``, ``inactive``)."""
    states = []
    if not row["active"]:
        states.append("inactive")
    elif row["overdue"]:
        states.append("overdue late")
    return [
        row["name"],
        row["program"],
        row["channel"],
        row["owner"],
        row["cadence_words"],
        row["digest"],
        *row["audience"],
        *states,
    ]


def occurrence_texts(row: Mapping[str, Any]) -> list[str | None]:
    """What a meeting occurrence (``occurrence_facts``) can be found by: its title, program,
    place, and its state (``cancelled``, ``tentative``, ``moved``, ``series``)."""
    states = [row["status"]]
    if row["moved"]:
        states.append("moved")
    if row["series"]:
        states.append("series")
    if row.get("all_day"):
        states.append("all day")
    return [row["title"], row["program"], row["location"], *states]


def keep_plan(rows: Sequence[Row], typed: str) -> list[Row]:
    """The comms plan items a typed filter keeps, in their order."""
    return [r for r in rows if row_matches(typed, plan_texts(r))]


def keep_occurrences(rows: Sequence[Row], typed: str) -> list[Row]:
    """The meeting occurrences a typed filter keeps, in their order."""
    return [r for r in rows if row_matches(typed, occurrence_texts(r))]
