"""The demo office's calendar as data: the phases a project meets, the meetings it holds
(weekly series and one-offs), where and with what agenda, what minutes say, and the comms
plan items it keeps. Choices are drawn from these tables in order, so their order is part
of what makes the same seed give the same office."""

from __future__ import annotations

from typing import NamedTuple

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Phase(NamedTuple):
    """A milestone a project meets, in the order it meets them."""

    title: str
    deliverable: str
    criteria: str


class SeriesKind(NamedTuple):
    """A weekly meeting series: on which days, every how many weeks, how long, for whom."""

    kind: str
    byday: str
    interval: int
    minutes: int
    audience: str
    hour: int


class SingleKind(NamedTuple):
    """A one-off meeting: for whom, how long, how often it is drawn, whether about a
    workstream (its title names one)."""

    kind: str
    audience: str
    minutes: int
    weight: int
    topical: bool


class CommsKind(NamedTuple):
    """A comms plan item: its channel, its cadence (None: a one-off date), the digest it
    sends (if any) and the audience it goes to."""

    name: str
    channel: str
    cadence: str | None
    digest: str | None
    audience: str


# in the order a project meets them
PHASES = (
    Phase("Business case approved", "Business case", "Approved by the CIO and the budget office"),
    Phase("Requirements signed off", "Requirements catalogue", "Signed by every process owner"),
    Phase("Vendor selected", "Evaluation report and award", "Award approved by procurement"),
    Phase("Contract signed", "Executed contract", "Signed by both parties; PO issued"),
    Phase("Design complete", "Solution design", "Reviewed by architecture board"),
    Phase("Build complete", "Configured system in test", "All build items closed"),
    Phase("Data migration rehearsal", "Rehearsal report", "Reconciliation within 0.1 %"),
    Phase("System test complete", "Test exit report", "No open severity 1 or 2 defects"),
    Phase("UAT complete", "UAT sign-off", "Signed by department leads"),
    Phase("Training delivered", "Training records", "90 % of users trained"),
    Phase("Go-live", "Production cutover", "Go/no-go approved; system live"),
    Phase("Hypercare ends", "Hypercare closure report", "Ticket volume back to baseline"),
)

# each program's first series is its steering committee
SERIES_KINDS = (
    SeriesKind("steering committee", "TH", 1, 60, "steering", 14),
    SeriesKind("team standup", "MO,WE,FR", 1, 15, "team", 9),
    SeriesKind("vendor check-in", "TU", 1, 30, "vendor", 10),
    SeriesKind("product team sync", "WE", 1, 45, "team", 13),
    SeriesKind("risk and issues review", "FR", 2, 30, "pmo", 11),
    SeriesKind("workstream sync", "MO", 1, 60, "team", 15),
)
WORKSTREAMS = (
    "finance",
    "data migration",
    "integration",
    "testing",
    "training",
    "change management",
    "reporting",
    "infrastructure",
    "security",
    "cutover",
)
SINGLE_KINDS = (
    SingleKind("working session", "team", 60, 8, True),
    SingleKind("design workshop", "team", 120, 6, True),
    SingleKind("requirements session", "team", 90, 6, True),
    SingleKind("training session", "team", 120, 4, True),
    SingleKind("vendor demo", "vendor", 90, 2, True),
    SingleKind("vendor one-on-one", "vendor", 30, 3, False),
    SingleKind("budget review", "steering", 60, 3, False),
    SingleKind("risk workshop", "pmo", 90, 2, False),
    SingleKind("site walkthrough", "team", 60, 2, False),
    SingleKind("go/no-go decision", "steering", 60, 1, False),
    SingleKind("UAT kickoff", "team", 60, 1, False),
    SingleKind("lessons learned", "team", 60, 1, False),
    SingleKind("contract negotiation", "vendor", 60, 1, False),
    SingleKind("council briefing", "steering", 30, 1, False),
    SingleKind("dress rehearsal review", "team", 60, 1, False),
)
LOCATIONS = (
    "City Hall, room 402",
    "City Hall, room 210",
    "IT building, conference room B",
    "Emergency operations centre, room 1",
    "Public Works annex, training room",
    "Online",
)
AGENDAS = {
    "steering": (
        "1. Actions from last meeting\n2. Status and RAG\n3. Budget\n4. Risks\n5. Decisions"
    ),
    "team": "1. Progress since last time\n2. Blockers\n3. Next steps",
    "vendor": "1. Deliverables due\n2. Open defects\n3. Invoices and timesheets\n4. Risks",
    "pmo": "1. New risks and issues\n2. Escalations\n3. Dependencies between programs",
}
DECISIONS = (
    "Approved the revised timeline.",
    "Deferred the reporting module to phase 2.",
    "Agreed to add a second UAT cycle.",
    "Chose option B for data migration.",
    "Approved change request for additional interfaces.",
    "Go-live moved by two weeks to avoid year-end close.",
    "Accepted the risk on legacy reports; workaround documented.",
    "Asked the vendor for a recovery plan by Friday.",
)
MINUTES_NOTES = (
    "Reviewed status and open actions; most actions on track.",
    "Walked through the revised schedule and the top five risks.",
    "Vendor presented test results; defects trending down.",
    "Discussed budget variance and contingency.",
    "Short meeting; only blockers discussed.",
)

# a program's items are taken in this order, so even a small one has a one-off among them
COMMS_KINDS = (
    CommsKind("Weekly status e-mail", "e-mail", "FREQ=WEEKLY;BYDAY=FR", "status", "steering"),
    CommsKind("Milestone report", "report", "FREQ=MONTHLY;BYDAY=1MO", "milestones", "leadership"),
    CommsKind("Go-live announcement", "e-mail", None, None, "heads"),
    CommsKind("Open actions digest", "e-mail", "FREQ=WEEKLY;BYDAY=MO", "actions", "team"),
    CommsKind(
        "Contract burn report", "report", "FREQ=MONTHLY;BYMONTHDAY=5", "contracts", "finance"
    ),
    CommsKind("Council briefing", "meeting", None, None, "steering"),
    CommsKind(
        "Department newsletter item", "newsletter", "FREQ=MONTHLY;BYMONTHDAY=15", None, "heads"
    ),
    CommsKind("Dashboard refresh", "dashboard", "FREQ=WEEKLY;BYDAY=WE", "status", "leadership"),
    CommsKind(
        "Vendor performance note", "e-mail", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "contracts", "team"
    ),
    CommsKind("Training invitation", "e-mail", None, None, "team"),
)
COMMS_NOTES = (
    "Sent as planned.",
    "Sent as planned.",
    "Sent; two replies with questions, answered.",
    "Sent with the updated schedule attached.",
)
COMMS_PURPOSES: dict[str | None, str] = {
    "status": "Keep sponsors informed of progress, risks and decisions",
    "milestones": "Show what is due, what slipped and why",
    "actions": "Remind owners of open and overdue actions",
    "contracts": "Track spend against ceilings before money runs out",
    None: "Tell the people affected what changes for them and when",
}
