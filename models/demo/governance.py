"""The demo's governance: each program's RAID log (risks and their scorings, issues,
decisions, change requests), its budget and costs, and its metrics with a year of readings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from docket.models.core.schema import (
    BudgetLine,
    ChangeRequest,
    Cost,
    Decision,
    Issue,
    Measurement,
    Metric,
    Risk,
    RiskAssessment,
)
from docket.models.demo.data_work import CHANGES, DECISION_RECORDS, ISSUES, METRICS, RISKS
from docket.models.demo.office import Office
from docket.models.demo.storage import STAMP, Row, insert

RISK_COLUMNS = (
    "id", "program", "title", "cause", "effect", "category", "probability", "impact",
    "owner", "mitigation", "contingency", "trigger", "response_date", "status",
)  # fmt: skip
ASSESSMENT_COLUMNS = ("risk", "assessed_at", "probability", "impact", "assessed_by")
ISSUE_COLUMNS = (
    "id", "program", "title", "description", "severity", "owner", "due", "status", "risk",
)  # fmt: skip
DECISION_COLUMNS = ("program", "title", "rationale", "decided_by", "decided_on")
CHANGE_COLUMNS = (
    "program", "title", "kind", "reason", "impact_days", "impact_amount", "currency",
    "requested_by", "requested_on", "status", "approver", "decided_on", "milestone",
)  # fmt: skip
LINE_COLUMNS = (
    "program", "fiscal_year", "kind", "name", "amount", "currency", "estimate_at_completion",
)  # fmt: skip
COST_COLUMNS = ("program", "budget_line", "date", "amount", "currency", "description")
METRIC_COLUMNS = (
    "program", "name", "unit", "direction", "target", "amber", "red", "cadence",
)  # fmt: skip
MEASUREMENT_COLUMNS = ("metric", "taken_on", "value", "note")
# (kind, name, base amount) of each program's two budget lines
BUDGET_LINES = (
    ("capital", "Build and implementation", 1_500_000),
    ("operating", "Licences and support", 400_000),
)
CHANGE_STATUSES = ("proposed", "approved", "rejected", "implemented")


class _Rows:
    """The rows of every governance table, collected before one insert per table."""

    def __init__(self) -> None:
        self.risks: list[Row] = []
        self.scorings: list[Row] = []
        self.issues: list[Row] = []
        self.decisions: list[Row] = []
        self.changes: list[Row] = []
        self.lines: list[Row] = []
        self.costs: list[Row] = []
        self.metrics: list[Row] = []
        self.readings: list[Row] = []

    def write(self) -> dict[str, int]:
        """Insert every table; how many rows each, by the name the counts use."""
        return {
            "risks": insert(Risk, (*RISK_COLUMNS, *STAMP), self.risks),
            "risk assessments": insert(
                RiskAssessment, (*ASSESSMENT_COLUMNS, *STAMP), self.scorings
            ),
            "issues": insert(Issue, (*ISSUE_COLUMNS, *STAMP), self.issues),
            "decisions": insert(Decision, (*DECISION_COLUMNS, *STAMP), self.decisions),
            "change requests": insert(ChangeRequest, (*CHANGE_COLUMNS, *STAMP), self.changes),
            "budget lines": insert(BudgetLine, (*LINE_COLUMNS, *STAMP), self.lines),
            "costs": insert(Cost, (*COST_COLUMNS, *STAMP), self.costs),
            "metrics": insert(Metric, (*METRIC_COLUMNS, *STAMP), self.metrics),
            "measurements": insert(Measurement, (*MEASUREMENT_COLUMNS, *STAMP), self.readings),
        }


def governance(office: Office) -> dict[str, int]:
    """Each program's RAID log, budget and metrics, with some history."""
    rows = _Rows()
    fiscal = office.today.year + 1 if office.today.month >= 7 else office.today.year
    for pid in office.leaves:
        _risks(office, rows, pid)
        _issues(office, rows, pid)
        _decisions(office, rows, pid)
        _changes(office, rows, pid)
        _budget(office, rows, pid, fiscal)
        _metrics(office, rows, pid)
    return rows.write()


def _risks(office: Office, rows: _Rows, pid: int) -> None:
    """Four of the risks, each scored twice: when raised, and again some weeks later."""
    rng, owner = office.rng, office.owner[pid]
    for k in rng.sample(range(len(RISKS)), 4):
        rid = len(rows.risks) + 1
        title, category, cause, effect, mitigation = RISKS[k]
        p, i = rng.randint(1, 5), rng.randint(2, 5)
        first = office.days_ago(60, 200)
        status = rng.choice(("open", "open", "mitigating", "closed"))
        response = office.today + timedelta(days=rng.randint(-10, 40))
        rows.risks.append(
            (rid, pid, title, cause, effect, category, p, i, owner, mitigation, "", "",
             response, status, *office.stamp(first))
        )  # fmt: skip
        before_p, before_i = max(1, p - rng.randint(0, 2)), i
        rows.scorings.append((rid, first, before_p, before_i, "demo", *office.stamp(first)))
        later = min(office.now, first + timedelta(days=rng.randint(10, 50)))
        rows.scorings.append((rid, later, p, i, "demo", *office.stamp(later)))


def _issues(office: Office, rows: _Rows, pid: int) -> None:
    """One to three open issues, due around now."""
    rng, owner = office.rng, office.owner[pid]
    for title, severity, description in ISSUES[: rng.randint(1, 3)]:
        iid = len(rows.issues) + 1
        made = office.days_ago(5, 60)
        due = office.today + timedelta(days=rng.randint(-5, 20))
        rows.issues.append(
            (iid, pid, title, description, severity, owner, due, "open", None,
             *office.stamp(made))
        )  # fmt: skip


def _decisions(office: Office, rows: _Rows, pid: int) -> None:
    """One to three decisions of the last weeks, outside any meeting."""
    rng, owner = office.rng, office.owner[pid]
    for title, rationale in DECISION_RECORDS[: rng.randint(1, 3)]:
        day = (office.now - timedelta(days=rng.randint(1, 40))).date()
        rows.decisions.append(
            (pid, title, rationale, owner, day, *office.stamp(office.at(day, 15)))
        )


def _changes(office: Office, rows: _Rows, pid: int) -> None:
    """Two to four change requests, in every status; the decided ones three days after."""
    rng, owner = office.rng, office.owner[pid]
    for k, (title, kind, reason, days, amount) in enumerate(CHANGES[: rng.randint(2, 4)]):
        asked = (office.now - timedelta(days=rng.randint(3, 50))).date()
        status = CHANGE_STATUSES[k % 4]
        decided = asked + timedelta(days=3) if status != "proposed" else None
        rows.changes.append(
            (pid, title, kind, reason, days, Decimal(amount) if amount else None, "USD",
             owner, asked, status, owner if decided else None, decided, None,
             *office.stamp(office.at(asked, 11)))
        )  # fmt: skip


def _budget(office: Office, rows: _Rows, pid: int, fiscal: int) -> None:
    """This fiscal year's capital and operating lines, and four costs of recent months."""
    rng = office.rng
    for line_kind, line_name, base in BUDGET_LINES:
        size = Decimal(base * rng.randint(6, 14) // 10)
        made = office.stamp(office.at(office.today - timedelta(days=150)))
        rows.lines.append((pid, fiscal, line_kind, line_name, size, "USD", None, *made))
    for _ in range(4):
        day = office.today - timedelta(days=rng.randint(1, 140))
        amount = Decimal(rng.randint(500, 9000))
        rows.costs.append(
            (pid, None, day, amount, "USD", "Licences and travel", *office.stamp(office.at(day)))
        )


def _metrics(office: Office, rows: _Rows, pid: int) -> None:
    """Every metric, read on the first of each of the last twelve months."""
    rng, today = office.rng, office.today
    for name, unit, direction, target, amber, red, usual, spread in METRICS:
        made = office.stamp(office.at(today - timedelta(days=400)))
        rows.metrics.append((pid, name, unit, direction, target, amber, red, "FREQ=MONTHLY", *made))
        mid = len(rows.metrics)
        for back in range(11, -1, -1):
            year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
            day = date(year, month + 1, 1)
            value = usual + rng.uniform(-spread, spread)
            places = 2 if spread < 1 else 0
            rows.readings.append(
                (mid, day, f"{value:.{places}f}", "", *office.stamp(office.at(day)))
            )
