"""``docket today`` (and ``docket`` piped): what needs attention today, as text or JSON.

The view is built by :mod:`docket.models.overview.today` and its sections' columns are
declared in :mod:`docket.exports.tabular.lists.today`; this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from docket.exports.tabular.columns import Listing
from docket.exports.tabular.lists.today import (
    TODAY_ACTIONS,
    TODAY_ALERTS,
    TODAY_COMMS,
    TODAY_MEETINGS,
    TODAY_MILESTONES,
)
from docket.exports.tabular.tables import write_json
from docket.models.overview.today import build_today, sections, today_facts
from docket.tui.cli.emit import declared_table
from docket.tui.cli.groups import command
from docket.tui.cli.output import clean
from docket.tui.cli.params import as_of_option, format_option
from docket.tui.cli.session import Session, pass_session

_LISTINGS: dict[str, Listing] = {
    "meeting": TODAY_MEETINGS,
    "comms": TODAY_COMMS,
    "alert": TODAY_ALERTS,
    "action": TODAY_ACTIONS,
    "milestone": TODAY_MILESTONES,
}
"""Each kind of Today section's declared columns."""


@command("today")
@click.option("--program", metavar="CODE")
@format_option("text", "json")
@as_of_option
@pass_session
def today(session: Session, program: str | None, fmt: str) -> None:
    """What needs attention today."""
    show_today(session, program=program, fmt=fmt)


def show_today(session: Session, *, program: str | None, fmt: str) -> None:
    """Print the Today view of ``program`` (all when None) as text or JSON."""
    view = build_today(session.ctx, program=program, config=session.config)
    facts = today_facts(view, session.ctx.tz)
    if fmt == "json":
        write_json(facts, session.out)
        return
    who = f" for {clean(facts['me'])}" if facts["me"] else ""
    session.print(f"Today{who}: {view.day:%a %d %b %Y}")
    for part in sections(facts):
        rows = _heading(session, facts, part.key, part.title)
        if rows:
            session.print(_indent(declared_table(_LISTINGS[part.kind].cli, rows)))


def _heading(
    session: Session, facts: Mapping[str, Any], key: str, title: str
) -> list[dict[str, Any]]:
    """Print a Today section's heading with its full count (and how many are shown, or
    "nothing"); the rows to list under it."""
    rows: list[dict[str, Any]] = facts[key]
    total = facts["counts"].get(key, 0)
    more = f" (showing {len(rows)} of {total})" if total > len(rows) else ""
    session.print("")
    session.print(f"{title}: {total}{more}")
    if not rows:
        session.print("  nothing")
    return rows


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
