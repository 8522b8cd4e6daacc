"""The RAID log (risks, issues, decisions, change requests), metrics, budgets and costs."""

from __future__ import annotations

from decimal import Decimal

from docket.exports.tabular.columns import (
    WARNING,
    Column,
    Listing,
    Row,
    Table,
    View,
    as_is,
    or_nobody,
)
from docket.models.governance.entries import on_behalf

# the styles of severities and metric statuses in the app
STATUS_STYLES = {
    "red": "bold red",
    "amber": "yellow",
    "green": "green",
    "critical": "bold red",
    "high": "bold",
}
# the RAID tables' id, and the owner's column: narrower below 100 cells, so titles keep room
_ID = Column("id", "#", 5, right=True)
_NAMES = 18
_NARROW_NAMES = 14


def _raid(*columns: Column) -> Table:
    return Table(columns, wide_at=100)


RISKS = Listing(
    as_is("id program score probability impact status owner title", flexible="title"),
    _raid(
        _ID,
        Column("title", "Risk", flexible=True, least=16),
        Column("program", "Prog", 8, style="cyan"),
        Column(
            "score", "Score", 6, right=True, style=lambda r: "bold red" if r["score"] >= 15 else ""
        ),
        Column("pi", "P x I", 7, text=lambda r, _: f"{r['probability']} x {r['impact']}"),
        Column("status", "Status", 11),
        Column("owner", "Owner", _NAMES, narrow=_NARROW_NAMES, text=or_nobody("owner")),
    ),
)

RISK_HISTORY = Listing(as_is("at probability impact score by"))

ISSUES = Listing(
    as_is("id program severity status due owner title", flexible="title"),
    _raid(
        _ID,
        Column("title", "Issue", flexible=True, least=16),
        Column("program", "Prog", 8, style="cyan"),
        Column("severity", "Severity", 9, style=lambda r: STATUS_STYLES.get(r["severity"], "")),
        Column("status", "Status", 12),
        Column("due", "Due", 11),
        Column("owner", "Owner", _NAMES, narrow=_NARROW_NAMES, text=or_nobody("owner")),
    ),
)


def _decided_by(row: Row, _: View) -> str:
    """Who decided, and who entered it for them."""
    return on_behalf(row["decided_by"], row["entered_by"]) or ""


DECISIONS = Listing(
    (
        *as_is("id program decided_on"),
        Column("by", "by", text=_decided_by),
        Column("title", "title", flexible=True),
    ),
    _raid(
        _ID,
        Column("title", "Decision", flexible=True, least=16),
        Column("program", "Prog", 8, style="cyan"),
        Column("on", "Decided", 11, text=lambda r, _: r["decided_on"]),
        Column(
            "meeting", "Meeting", 8, text=lambda r, _: f"#{r['meeting']}" if r["meeting"] else ""
        ),
        Column("by", "By", _NAMES, narrow=_NARROW_NAMES, text=_decided_by),
    ),
)

CHANGES = Listing(
    as_is("id program kind status impact_days impact_amount title", flexible="title"),
    _raid(
        _ID,
        Column("title", "Change request", flexible=True, least=16),
        Column("program", "Prog", 8, style="cyan"),
        Column("kind", "Kind", 10),
        Column(
            "status", "Status", 12, style=lambda r: WARNING if r["status"] == "proposed" else ""
        ),
        Column("days", "Days", 6, right=True, text=lambda r, _: str(r["impact_days"] or "")),
        Column(
            "amount",
            "Amount",
            12,
            right=True,
            text=lambda r, _: f"{Decimal(r['impact_amount']):,}" if r["impact_amount"] else "",
        ),
        Column(
            "by",
            "Decided by",
            _NAMES,
            narrow=_NARROW_NAMES,
            text=lambda r, _: on_behalf(r["approver"], r["entered_by"]) or "",
        ),
    ),
)

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[str]) -> str:
    """A metric's history as eight levels of a bar, lowest to highest of its own range."""
    numbers = [Decimal(v) for v in values]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    if high == low:
        return SPARKS[3] * len(numbers)
    return "".join(SPARKS[int((n - low) / (high - low) * (len(SPARKS) - 1))] for n in numbers)


def _unit(row: Row) -> str:
    """A metric's unit after its numbers, where it reads as part of them (``%``)."""
    return f" {row['unit']}" if row["unit"] in ("%",) else ""


METRICS = Listing(
    # the command joins the last eight readings of the history into one cell
    as_is("name latest unit target status taken_on history", flexible="name"),
    _raid(
        Column("name", "Metric", flexible=True, least=16),
        Column("program", "Prog", 8, text=lambda r, _: r["program"] or "all", style="cyan"),
        Column("latest", "Latest", 9, text=lambda r, _: f"{r['latest'] or '-'}{_unit(r)}"),
        Column("target", "Target", 9, text=lambda r, _: f"{r['target']}{_unit(r)}"),
        Column("status", "Status", 9, style=lambda r: STATUS_STYLES.get(r["status"], "dim")),
        Column("spark", "Last 12", 14, text=lambda r, _: sparkline(r["history"][-12:])),
    ),
)


def _money(key: str) -> Column:
    """An amount in the budget table, with thousands separators."""
    return Column(key, key.title(), 15, right=True, text=lambda r, _: f"{Decimal(r[key]):,}")


BUDGET = Listing(
    # the command adds a total row
    as_is("program year budget actual estimate_at_completion variance", flexible="program"),
    _raid(
        Column(
            "program",
            "Program",
            flexible=True,
            least=10,
            text=lambda r, _: f"{r['program']} FY{r['year']}",
        ),
        _money("budget"),
        _money("actual"),
        Column(
            "estimate",
            "Estimate",
            15,
            right=True,
            text=lambda r, _: f"{Decimal(r['estimate_at_completion']):,}",
        ),
        Column(
            "variance",
            "Variance",
            20,
            right=True,
            text=lambda r, _: f"{Decimal(r['variance']):,}" + (" over" if r["over"] else ""),
            style=lambda r: "bold red" if r["over"] else "",
        ),
    ),
)

BUDGET_LINES = Listing(
    as_is("id program year kind amount estimate_at_completion name", flexible="name")
)

COSTS = Listing(as_is("id program date amount currency description", flexible="description"))
