"""The demo office's work as data: the phrases action items are made of, and the risks,
issues, change requests, decisions and metrics of each program's RAID log and dashboard.
Choices are drawn from these tables in order, so their order is part of what makes the
same seed give the same office."""

from __future__ import annotations

from typing import NamedTuple

# cumulative weights: mostly normal priority; open items mostly open, some in progress
PRIORITY_NAMES = ("low", "normal", "high", "urgent")
PRIORITY_CUMULATIVE = (10, 80, 95, 100)
OPEN_NAMES = ("open", "in progress", "blocked")
OPEN_CUMULATIVE = (55, 85, 100)


class RiskSpec(NamedTuple):
    """A risk a program carries: what causes it, what it would do, and the answer to it."""

    title: str
    category: str
    cause: str
    effect: str
    mitigation: str


class IssueSpec(NamedTuple):
    """An open issue of a program."""

    title: str
    severity: str
    description: str


class ChangeSpec(NamedTuple):
    """A change request: its kind, why, and what it would cost in days or money (or None)."""

    title: str
    kind: str
    reason: str
    days: int | None
    amount: str | None


class DecisionSpec(NamedTuple):
    """A decision recorded in a RAID log, and why it was taken."""

    title: str
    rationale: str


class MetricSpec(NamedTuple):
    """A dashboard metric: its thresholds, and the usual reading with its spread either side."""

    name: str
    unit: str
    direction: str
    target: str
    amber: str
    red: str
    usual: float
    spread: float


ACTION_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Send",
        (
            "revised budget draft to Finance",
            "meeting notes to the steering committee",
            "updated project schedule to {dept}",
            "signed SOW back to {vendor}",
            "test results to {vendor}",
        ),
    ),
    (
        "Confirm",
        (
            "UAT environment with vendor",
            "training room booking",
            "go-live date with {dept}",
            "data migration window with {vendor}",
            "licence counts with procurement",
        ),
    ),
    (
        "Review",
        (
            "change request for scope",
            "risk register",
            "draft cutover plan",
            "{vendor} invoice",
            "security assessment findings",
            "interface specification",
        ),
    ),
    (
        "Draft",
        (
            "steering committee deck",
            "communications plan for go-live",
            "business case addendum",
            "RFP evaluation criteria",
            "lessons learned summary",
        ),
    ),
    (
        "Update",
        (
            "risk register",
            "RAID log",
            "resource plan",
            "milestone forecast",
            "status report for {dept}",
        ),
    ),
    (
        "Schedule",
        (
            "UAT kickoff",
            "design workshop with {dept}",
            "vendor demo",
            "go/no-go meeting",
            "training sessions for {dept}",
        ),
    ),
    (
        "Chase",
        (
            "{vendor} for revised timeline",
            "outstanding timesheets",
            "{dept} sign-off on requirements",
            "procurement on purchase order",
        ),
    ),
    ("Approve", ("{vendor} invoice", "test exit report", "change request", "timesheets")),
    (
        "Collect",
        (
            "requirements from {dept}",
            "feedback on the pilot",
            "site survey results",
            "user access lists from {dept}",
        ),
    ),
    (
        "Escalate",
        (
            "data quality issue to the CIO",
            "contract dispute with {vendor}",
            "staffing gap to IT leadership",
        ),
    ),
    (
        "Prepare",
        (
            "budget variance report",
            "go-live checklist",
            "council briefing note",
            "contract amendment for {vendor}",
        ),
    ),
    (
        "Follow up with",
        (
            "{dept} on open defects",
            "{vendor} on security questionnaire",
            "legal on data sharing agreement",
        ),
    ),
    ("Book", ("room for design workshop", "training lab for {dept}")),
    ("Sign off", ("test scripts", "design document", "acceptance certificate")),
)
ACTION_NOTES = (
    "Raised at the steering committee.",
    "Waiting on the vendor's answer.",
    "See the e-mail thread from Finance.",
    "Needs the CIO's approval first.",
    "Partial answer received; follow up Friday.",
    "Agreed with the department lead in the hallway; confirm in writing.",
)
BLOCKED_NOTES = (
    "Blocked until the test environment is rebuilt.",
    "Blocked: purchase order not yet issued.",
    "Blocked on the vendor's security questionnaire.",
)

# the risks programs carry; each program draws four of them
RISKS = (
    RiskSpec(
        "Key vendor staff leave mid-project",
        "resources",
        "Tight market for specialists",
        "Delivery slows while replacements learn the system",
        "Named backups in the SOW",
    ),
    RiskSpec(
        "Data migration quality below go-live threshold",
        "technical",
        "Legacy data never cleaned",
        "Go-live slips or opens with bad records",
        "Two rehearsals with sign-off",
    ),
    RiskSpec(
        "Department sign-off arrives late",
        "stakeholders",
        "Competing priorities in departments",
        "Requirements freeze moves, build starts late",
        "Steering committee escalation path",
    ),
    RiskSpec(
        "Budget cut in the next fiscal year",
        "financial",
        "Council revenue forecast down",
        "Phase two deferred",
        "Prioritised backlog with a minimum release",
    ),
    RiskSpec(
        "Security review finds a high-severity issue",
        "security",
        "New vendor components",
        "Go-live blocked until fixed",
        "Early penetration test",
    ),
    RiskSpec(
        "Integration partner API changes",
        "technical",
        "Partner on its own release cycle",
        "Interfaces break in test",
        "Contract tests run nightly",
    ),
)
ISSUES = (
    IssueSpec(
        "Test environment unavailable",
        "high",
        "The shared test environment has been down since a storage failure.",
    ),
    IssueSpec(
        "Vendor invoice disputed", "medium", "Hours billed do not match the timesheets approved."
    ),
    IssueSpec(
        "Requirements gap in reporting", "medium", "Finance reports were not in the original scope."
    ),
)
CHANGES = (
    ChangeSpec(
        "Add mobile inspection forms", "scope", "Inspectors asked for field entry", None, "85000"
    ),
    ChangeSpec(
        "Move go-live after the holiday freeze", "schedule", "Freeze from 15 Dec to 5 Jan", 21, None
    ),
    ChangeSpec(
        "Extend the data migration contractor", "resources", "Second rehearsal needed", 14, "42000"
    ),
    ChangeSpec(
        "Upgrade the reporting licence",
        "cost",
        "Finance reports need the pro edition",
        None,
        "12500",
    ),
)
DECISION_RECORDS = (
    DecisionSpec(
        "Go with a phased rollout by department", "Limits the blast radius of a bad release"
    ),
    DecisionSpec("Keep the legacy system read-only for a year", "Auditors need the history"),
    DecisionSpec(
        "Use the vendor's hosted test environment", "Ours will not be rebuilt before January"
    ),
)
METRICS = (
    MetricSpec("Schedule performance index", "", "higher", "1.00", "0.95", "0.90", 0.96, 0.05),
    MetricSpec("Ticket backlog", "tickets", "lower", "50", "80", "120", 70, 30),
    MetricSpec("System availability", "%", "higher", "99.9", "99.5", "99.0", 99.6, 0.4),
    MetricSpec("User satisfaction", "of 5", "higher", "4.2", "3.8", "3.5", 4.0, 0.4),
)
