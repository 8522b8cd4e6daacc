"""The board pack's sections: the portfolio at a glance, then one per program. Each chart is
followed by a table of the very numbers it draws (its text equivalent)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from docket.exports.boardpack import charts
from docket.exports.boardpack.tables import (
    esc,
    figure,
    matrix_table,
    money,
    rag,
    table,
)
from docket.models.governance.budget import BudgetRow
from docket.models.governance.risks import MEDIUM_SCORE
from docket.models.portfolio.board import (
    ALLOCATION_MONTHS,
    MILESTONES_SHOWN,
    BoardFacts,
    ProgramBoard,
)
from docket.models.portfolio.evidence import NO_REASON, EvidenceFacts, EvidenceLine

# facts listed in a program's evidence, the red ones first (the rest are counted by rule)
EVIDENCE_LISTED = 15
# proposals listed under the value-cost chart (the highest values; the rest are counted)
PROPOSALS_LISTED = 20


def long_day(day: str) -> str:
    """``2026-11-23`` as ``23 November 2026``."""
    found = date.fromisoformat(day)
    return f"{found.day} {found:%B %Y}"


def anchor(code: str) -> str:
    """The id of a program's section (codes are letters and digits; anything else dropped)."""
    return "program-" + "".join(c for c in code if c.isalnum())


# what each rule's lines count, in words: (one, several)
_COUNTED = {
    "milestone late": ("late milestone", "late milestones"),
    "milestone at risk": ("milestone at risk", "milestones at risk"),
    "metric": ("metric off target", "metrics off target"),
    "risk": ("high risk", "high risks"),
    "issue": ("critical issue", "critical issues"),
    "over-allocated": ("person over-allocated", "people over-allocated"),
    "contract": ("contract near its ceiling", "contracts near their ceiling"),
}


def evidence_summary(lines: Sequence[EvidenceLine]) -> str:
    """The evidence in a few words: how many items of each kind, and how many of them red;
    the rules that are one line (overdue actions, the budget) say their fact."""
    counts: dict[str, list[int]] = {}
    facts: dict[str, str] = {}
    for line in lines:
        seen = counts.setdefault(line["rule"], [0, 0])
        seen[0] += 1
        seen[1] += line["colour"] == "red"
        facts.setdefault(line["rule"], line["fact"])
    parts = []
    for rule, (n, red) in counts.items():
        words = _COUNTED.get(rule)
        if words is None:
            said = _one_line(rule, facts[rule])
        else:
            said = f"{n} {words[0] if n == 1 else words[1]}"
        parts.append(said + (f" ({red} red)" if red and n > 1 else " (red)" if red else ""))
    return "; ".join(parts) or "nothing against it"


def _one_line(rule: str, fact: str) -> str:
    """A rule of one line in short: the budget's overrun, else the fact as it is."""
    over = re.search(r"([\d.]+) % over the budget", fact)
    if rule == "budget" and over:
        return f"estimate at completion {over.group(1)} % over budget"
    return fact


def _reason(facts: EvidenceFacts) -> str:
    """The reason cell: the program manager's reason when the typed colour is better than the
    evidence (or that none was given), else the RAG note as a plain note."""
    if facts["disagrees"]:
        return facts["reason"] or NO_REASON
    return facts["reason"]


def _comparison(facts: EvidenceFacts) -> str:
    if facts["disagrees"]:
        return "typed better than evidence"
    return "agree" if facts["typed"] == facts["derived"] else "typed worse than evidence"


def portfolio(facts: BoardFacts, high_score: int) -> str:
    """The first page: every program at a glance, then the portfolio's pictures."""
    rows = []
    for p in facts["programs"]:
        s = p["status"]
        name = f'<a href="#{anchor(p["program"]["code"])}">{esc(p["program"]["code"])}</a>'
        rows.append(
            [
                name,
                esc(p["program"]["name"]),
                rag(s["typed"]),
                rag(s["derived"]),
                _comparison(s),
                esc(_reason(s)),
                esc(evidence_summary(s["evidence"])),
            ]
        )
    disputed = sum(p["status"]["disagrees"] for p in facts["programs"])
    out = [
        '<section class="portfolio" id="portfolio">',
        "<h2>Portfolio at a glance</h2>",
        f"<p>{len(facts['programs'])} programs; {disputed} typed better than their evidence."
        " The typed colour is the program manager's call; the evidence colour is the worst"
        " any fact of the program implies (its section lists them).</p>",
        table(
            [
                "Program",
                "Name",
                "Typed",
                "Evidence",
                "Comparison",
                "Reason or note",
                "Evidence in short",
            ],
            rows,
            raw=range(7),
            cls="glance",
        ),
        _budget(facts["budget"], facts["budget_total"], facts["fiscal_year"]),
        _risks("portfolio", facts["risk_matrix"], high_score, "the portfolio"),
        _allocation(facts),
        _proposals(facts),
        "</section>",
    ]
    return "\n".join(out)


def _budget(rows: Sequence[BudgetRow], total: BudgetRow, year: int) -> str:
    heading = f"<h3>Budget, actuals and estimate at completion, FY{year}</h3>"
    if not rows:
        return heading + f"<p>No budget lines or spending in FY{year}.</p>"
    over = [r["program"] for r in rows if r["over"]]
    label = (
        f"Bar chart: budget, actual to date and estimate at completion for FY{year} of "
        f"{len(rows)} programs; {len(over)} estimated over budget"
        + (f": {', '.join(over)}" if over else "")
    )
    chart = charts.budget_bars("budget", rows, label)
    body = [
        [
            r["program"],
            money(r["budget"]),
            money(r["actual"]),
            money(r["estimate_at_completion"]),
            money(r["variance"]),
            "over" if r["over"] else "within",
        ]
        for r in [*rows, total]
    ]
    return "\n".join(
        [
            heading,
            figure(chart, label + ". Outlined bar: budget; solid: actual; hatched: estimate."),
            table(
                ["Program", "Budget", "Actual", "Estimate at completion", "Variance", ""],
                body,
                numeric=(1, 2, 3, 4),
                cls="budget",
                caption=f"The numbers of the chart (FY{year}; variance: budget minus estimate)",
            ),
        ]
    )


def _risks(
    key: str, matrix: Sequence[Sequence[int]], high: int, whose: str, *, drawn: bool = True
) -> str:
    """The risk heat map: drawn (the portfolio's) with its table beside it, or (a
    program's, to keep the pack quick to build) the table alone, its cells shaded by band."""
    count = sum(sum(row) for row in matrix)
    heading = f"<h3>Risk heat map of {esc(whose)}</h3>"
    if not count:
        return heading + "<p>No open or mitigating risks.</p>"
    label = (
        f"Risk heat map of {whose}: {count} open or mitigating risks counted by impact "
        f"(1 to 5, up) and probability (1 to 5, across)"
    )
    bands = (
        f"The shade is the cell's band by score (impact x probability): high from {high}, "
        f"medium from {MEDIUM_SCORE}, low below; the counts are in the cells."
    )
    if not drawn:
        return "\n".join([heading, matrix_table(matrix, f"{label}. {bands}", high)])
    chart = charts.risk_heatmap(f"risk-{key}", matrix, high, label)
    return "\n".join(
        [
            heading,
            '<div class="side">',
            figure(chart, f"{label}. {bands}"),
            matrix_table(matrix, "Open and mitigating risks by impact and probability", high),
            "</div>",
        ]
    )


def _allocation(facts: BoardFacts) -> str:
    heading = "<h3>People allocated above 100 %</h3>"
    found = facts["allocation"]
    if not found["people"]:
        return heading + (
            f"<p>Nobody assigned is above 100 % in the next {ALLOCATION_MONTHS} months.</p>"
        )
    shown = len(found["people"])
    label = (
        f"Allocation heatmap: the {shown} most loaded of the {facts['overallocated']} people "
        f"above 100 % on some day of the next {ALLOCATION_MONTHS} months, by month"
    )
    chart = charts.allocation_heatmap("allocation", found, label)
    rows = [
        [p["person"], *(f"{c['average']}{'!' if c['peak'] > 100 else ''}" for c in p["months"])]
        for p in found["people"]
    ]
    return "\n".join(
        [
            heading,
            figure(
                chart,
                label + ". Each cell: the month's average allocation across all "
                "programs, in %; ! where some day of the month passed 100 %.",
            ),
            table(
                ["Person", *found["months"]],
                rows,
                numeric=range(1, len(found["months"]) + 1),
                caption="The numbers of the chart (average %; ! a day above 100 %)",
            ),
        ]
    )


def _proposals(facts: BoardFacts) -> str:
    points = facts["proposals"]
    heading = "<h3>Proposals: value against cost</h3>"
    if not points:
        return heading + "<p>No proposals.</p>"
    label = (
        f"Scatter chart: the value (0 to 10) of {len(points)} proposals against the total "
        "cost of their business case; the marker's shape is the status"
    )
    chart = charts.value_cost("proposals", points, label)
    best = sorted(points, key=lambda p: (-Decimal(p["value"]), p["code"]))
    rows = [
        [p["code"], p["title"], p["status"], p["value"], money(p["cost"])]
        for p in best[:PROPOSALS_LISTED]
    ]
    rest = len(best) - PROPOSALS_LISTED
    more = f"<p>{rest} more proposals, of lower value, are in the chart.</p>" if rest > 0 else ""
    return "\n".join(
        [
            heading,
            figure(chart, label + " (the five highest values labelled by code)."),
            table(
                ["Code", "Title", "Status", "Value", "Cost"],
                rows,
                numeric=(3, 4),
                caption="The proposals of highest value",
            ),
            more,
        ]
    )


def program(board: ProgramBoard, high_score: int, today: date) -> str:
    """One program's section: who and what, its colours with every piece of evidence, its
    milestones, budget, metrics and risks."""
    p, s = board["program"], board["status"]
    code = p["code"]
    key = anchor(code)
    facts = [
        ("Owner", esc(p["owner"] or "nobody")),
        ("Under", esc(p["parent"]) if p["parent"] else "no parent program"),
        ("Objective", esc(p["objective"]) or "none written"),
        ("Typed colour", rag(s["typed"])),
        ("Evidence colour", rag(s["derived"])),
    ]
    if s["disagrees"]:
        facts.append(("Reason for the typed colour", esc(s["reason"] or NO_REASON)))
    elif s["reason"]:
        facts.append(("RAG note", esc(s["reason"])))
    listed = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    order = {"red": 0, "amber": 1, "green": 2}
    ordered = sorted(s["evidence"], key=lambda e: order.get(e["colour"], 3))
    lines = ordered[:EVIDENCE_LISTED]
    rest = ordered[len(lines) :]
    more = (
        f"<p>And {len(rest)} more, not listed here: {esc(evidence_summary(rest))}.</p>"
        if rest
        else ""
    )
    out = [
        f'<section class="program" id="{key}">',
        f"<h2>{esc(code)}: {esc(p['name'])}</h2>",
        f'<dl class="facts">{listed}</dl>',
        "<h3>The evidence</h3>",
        table(
            ["Colour", "Rule", "Fact"],
            [[rag(e["colour"]), esc(e["rule"]), esc(e["fact"])] for e in lines],
            raw=(0, 1, 2),
            cls="evidence",
        )
        if lines
        else "<p>Nothing in the data speaks against green.</p>",
        more,
        _milestones(key, board, today),
        _program_budget(board),
        _metrics(key, board),
        _risks(key, board["risk_matrix"], high_score, code, drawn=False),
        "</section>",
    ]
    return "\n".join(out)


def _milestones(key: str, board: ProgramBoard, today: date) -> str:
    counts = board["milestone_counts"]
    total = sum(counts.values())
    said = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
    heading = "<h3>Milestones</h3>"
    if not board["milestones"]:
        return heading + f"<p>{total} milestones{': ' + said if said else ''}.</p>"
    shown = board["milestones"]
    label = (
        f"Milestone timeline of {board['program']['code']}: {len(shown)} of {total} milestones,"
        " baseline against forecast or actual, slip marked"
    )
    chart = charts.timeline(f"{key}-timeline", shown, today, label, board["program"]["code"])
    rows = [
        [
            m["program"],
            m["title"],
            m["baseline"],
            m["forecast"],
            m["actual"] or "",
            f"{m['slip_days']:+d}",
            m["status"],
        ]
        for m in shown
    ]
    return "\n".join(
        [
            heading,
            f"<p>{total} milestones: {said}. The timeline shows {len(shown)} (at most "
            f"{MILESTONES_SHOWN}): the late ones first, then the slipped, the next coming and "
            "those done lately.</p>",
            figure(
                chart,
                "Key: ◇ baseline, ● forecast, ■ actual (done), ━ the slip between them,"
                " ┆ the day of this pack; the colour follows the status, which is written at"
                " the right. " + label + ".",
            ),
            table(
                ["Program", "Milestone", "Baseline", "Forecast", "Actual", "Slip (days)", "Status"],
                rows,
                numeric=(5,),
                cls="milestones",
                caption="The milestones of the chart",
            ),
        ]
    )


def _program_budget(board: ProgramBoard) -> str:
    rows = board["budget"]
    if not rows:
        return "<h3>Budget</h3><p>No budget this fiscal year.</p>"
    body = [
        [
            r["program"],
            money(r["budget"]),
            money(r["actual"]),
            money(r["estimate_at_completion"]),
            money(r["variance"]),
            "over" if r["over"] else "within",
        ]
        for r in [*rows, *([board["budget_total"]] if len(rows) > 1 else [])]
    ]
    return "<h3>Budget</h3>\n" + table(
        ["Program", "Budget", "Actual", "Estimate at completion", "Variance", ""],
        body,
        numeric=(1, 2, 3, 4),
        cls="budget",
        caption=f"FY{rows[0]['year']}: the program, then those under it",
    )


def _metrics(key: str, board: ProgramBoard) -> str:
    code = board["program"]["code"]
    found = [m for m in board["metrics"] if m["history"] and m["program"] == code]
    under = sorted({m["program"] or "" for m in board["metrics"]} - {code})
    heading = "<h3>Metrics</h3>"
    if under:
        heading += (
            f"<p>The metrics of {esc(', '.join(under))} are in their own sections"
            " (their colours count in this program's evidence).</p>"
        )
    if not found:
        return heading + "<p>No metric readings of its own.</p>"
    label = (
        f"Metric trends of {board['program']['code']}: {len(found)} metrics, each reading "
        "oldest to newest against its target, amber and red thresholds"
    )
    chart = charts.metric_trends(f"{key}-metrics", found, label)
    rows = [
        [
            m["name"],
            m["program"] or "",
            m["latest"] or "",
            m["unit"],
            m["target"],
            m["amber"],
            m["red"],
            m["direction"],
            m["status"],
            " ".join(m["history"]),
        ]
        for m in found
    ]
    return "\n".join(
        [
            heading,
            figure(chart, label + ". Solid line: target; dashed: amber; dotted: red."),
            table(
                [
                    "Metric",
                    "Program",
                    "Latest",
                    "Unit",
                    "Target",
                    "Amber",
                    "Red",
                    "Better",
                    "Status",
                    "Readings, oldest first",
                ],
                rows,
                numeric=(2, 4, 5, 6),
                cls="metrics",
                caption="The readings of the charts",
            ),
        ]
    )
