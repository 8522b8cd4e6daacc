"""The board pack's "what changed since the last board" section, from
:func:`docket.models.portfolio.changes_since.changes_since`'s facts."""

from __future__ import annotations

from docket.exports.boardpack.tables import esc, money, table
from docket.models.portfolio.changes_since import ChangesSince

# rows listed in each table of the section (the rest are counted; `docket changes` has all)
LISTED = 30


def _part(
    title: str, headers: list[str], rows: list[list[str]], empty: str, numeric: tuple[int, ...] = ()
) -> str:
    """A heading and its table (the first ``LISTED`` rows, the others counted), or a line
    saying there is nothing."""
    heading = f"<h3>{esc(title)}</h3>"
    if not rows:
        return f"{heading}\n<p>{esc(empty)}</p>"
    rest = len(rows) - LISTED
    more = f"\n<p>And {rest} more, not listed here.</p>" if rest > 0 else ""
    return f"{heading}\n{table(headers, rows[:LISTED], numeric=numeric)}{more}"


def changes(found: ChangesSince) -> str:
    """The section: milestones moved (with reasons), RAG changes, risks opened, closed and
    re-scored, budget movements and spend, decisions taken."""
    moved = [
        [
            m["program"],
            m["title"],
            m["field"],
            m["from_day"] or "",
            m["to_day"] or "",
            "" if m["days"] is None else f"{m['days']:+d}",
            m["reason"],
            m["day"],
        ]
        for m in found["milestones"]
    ]
    rag = [
        [r["program"], r["from_rag"] or "", r["to_rag"], r["note"], r["day"]] for r in found["rag"]
    ]
    risks = [
        [
            word,
            r["program"],
            f"#{r['risk_id']} {r['title']}",
            "" if r["from_score"] is None else str(r["from_score"]),
            str(r["to_score"]),
            r["status"],
            r["day"],
        ]
        for word, events in (
            ("opened", found["risks_opened"]),
            ("closed", found["risks_closed"]),
            ("re-scored", found["risks_rescored"]),
        )
        for r in events
    ]
    budget = [
        [
            b["program"],
            b["name"],
            str(b["fiscal_year"]),
            b["field"].replace("_", " "),
            money(b["from_amount"]) if b["from_amount"] else "",
            money(b["to_amount"]) if b["to_amount"] else "",
            money(b["change"]),
            b["day"],
        ]
        for b in found["budget"]
    ]
    spend = [
        [
            s["program"],
            s["currency"],
            money(s["costs"]),
            money(s["expenditures"]),
            money(s["total"]),
            str(s["count"]),
        ]
        for s in found["spend"]
    ]
    decisions = [
        [d["program"], d["title"], d["decided_on"], d["decided_by"] or "", d["rationale"]]
        for d in found["decisions"]
    ]
    parts = [
        '<section class="changes" id="changes">',
        f"<h2>What changed from {esc(found['since'])} to {esc(found['until'])}</h2>",
        _part(
            "Milestones moved",
            ["Program", "Milestone", "Date", "From", "To", "Days", "Reason", "On"],
            moved,
            "No milestone moved.",
            (5,),
        ),
        _part(
            "RAG changes",
            ["Program", "From", "To", "Note", "On"],
            rag,
            "No program changed colour.",
        ),
        _part(
            "Risks",
            ["", "Program", "Risk", "Score was", "Score", "Status", "On"],
            risks,
            "No risk opened, closed or re-scored.",
            (3, 4),
        ),
        _part(
            "Budget movements",
            ["Program", "Line", "FY", "What", "From", "To", "Change", "On"],
            budget,
            "No budget line changed.",
            (4, 5, 6),
        ),
        _part(
            "Spending in the period",
            ["Program", "Currency", "Costs", "Contract expenditures", "Total", "Entries"],
            spend,
            "Nothing spent.",
            (2, 3, 4, 5),
        ),
        _part(
            "Decisions taken",
            ["Program", "Decision", "On", "By", "Rationale"],
            decisions,
            "No decision taken.",
        ),
        "</section>",
    ]
    return "\n".join(parts)
