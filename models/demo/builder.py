"""A demo program office: a city IT department's portfolio, the same for the same seed.

``small`` is for trying docket; ``large`` is exactly the scale of DESIGN section 7 (20
programs, 2,000 people, 100,000 action items, 5,000 meetings of which 500 weekly series,
2,000 milestones, 300 comms plan items, 1,000 assignments, 100 contracts with
expenditures), for feeling and measuring the app at the size it is built for.

Every choice comes from one ``random.Random(seed)`` and every date and time is relative to
the context's clock, so the same seed on the same clock gives byte-identical data. The
office is written in one transaction with prepared bulk inserts (one statement per table,
values converted by the columns' own fields): at the large size, building rows one
``create`` at a time would take minutes. Each record gets one audit entry, ``create`` at its
creation time by the acting account, chained like every other entry, so the audit trail
explains every record (``docket check``).
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from peewee import BooleanField, DateField, Field, Model

from docket.models.audit.chain import UNAUDITED, NewEntry, append, creation_texts
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.fields import MoneyField, UTCDateTimeField
from docket.models.core.schema import (
    TABLES,
    ActionItem,
    Assignment,
    Attendee,
    AuditEntry,
    BudgetLine,
    ChangeRequest,
    CommsAudience,
    CommsItem,
    CommsLogEntry,
    Contract,
    Cost,
    Decision,
    Expenditure,
    Group,
    GroupMember,
    Issue,
    Measurement,
    Meeting,
    Metric,
    Milestone,
    MilestoneDependency,
    Minutes,
    OccurrenceChange,
    Person,
    Program,
    Record,
    Risk,
    RiskAssessment,
    UserAccount,
    Vendor,
    database,
)

HOME_ZONE = "America/Chicago"
STAMP = ("created_at", "updated_at", "version")
# a bulk insert at least this long drops and rebuilds the table's indexes
REBUILD_INDEXES_FROM = 50_000
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# cumulative weights: mostly normal priority; open items mostly open, some in progress
PRIORITY_NAMES = ("low", "normal", "high", "urgent")
PRIORITY_CUMULATIVE = (10, 80, 95, 100)
OPEN_NAMES = ("open", "in progress", "blocked")
OPEN_CUMULATIVE = (55, 85, 100)


@dataclass(frozen=True)
class Scale:
    """How many of each record a demo size has."""

    programs: int
    people: int
    actions: int
    meetings: int
    series: int
    milestones: int
    comms: int
    assignments: int
    contracts: int
    vendors: int


SIZES = {
    "small": Scale(6, 60, 400, 40, 10, 40, 20, 40, 10, 6),
    "large": Scale(20, 2000, 100_000, 5000, 500, 2000, 300, 1000, 100, 24),
}


# --- the catalogue: programs, people, vendors ---------------------------------------------


@dataclass(frozen=True)
class ProgramSpec:
    """A program of the office; ``weight`` is how busy it is relative to the others."""

    code: str
    name: str
    objective: str
    parent: str | None = None
    weight: int = 2


# the two portfolios come first; a size takes the first N, so small is two portfolios
# and ERP, CRM, PERMIT and NET
PROGRAMS = (
    ProgramSpec(
        "CORE",
        "Enterprise systems portfolio",
        "Modernise the city's systems of record and the network they run on",
    ),
    ProgramSpec(
        "SVC",
        "Resident services portfolio",
        "Make city services easy to find, request and pay for",
    ),
    ProgramSpec(
        "ERP",
        "ERP replacement",
        "Replace the 1998 financial and procurement system with a cloud ERP by July 2028",
        "CORE",
        5,
    ),
    ProgramSpec(
        "CRM",
        "311 CRM",
        "One system for residents' service requests by phone, app and web",
        "SVC",
        4,
    ),
    ProgramSpec(
        "PERMIT",
        "Permitting portal",
        "Apply for, pay for and track building permits online",
        "SVC",
        3,
    ),
    ProgramSpec(
        "NET",
        "Network refresh",
        "Replace end-of-life switches and firewalls at 140 city sites",
        "CORE",
        3,
    ),
    ProgramSpec(
        "GIS",
        "GIS modernisation",
        "Move the city's maps and address data to a hosted GIS platform",
        "CORE",
    ),
    ProgramSpec(
        "PAY",
        "Payroll upgrade",
        "Upgrade payroll and timekeeping for 9,000 employees",
        "CORE",
        3,
    ),
    ProgramSpec(
        "BODYCAM",
        "Body-worn cameras",
        "Equip 900 officers with cameras and cloud evidence storage",
        "SVC",
    ),
    ProgramSpec(
        "WIFI",
        "Public Wi-Fi",
        "Free Wi-Fi in libraries, parks and recreation centres",
        "SVC",
        1,
    ),
    ProgramSpec(
        "DATA",
        "Data warehouse",
        "A governed warehouse and dashboards for citywide reporting",
        "CORE",
    ),
    ProgramSpec(
        "SEC",
        "Security operations",
        "Round-the-clock monitoring and incident response for city systems",
        "CORE",
    ),
    ProgramSpec(
        "CLOUD",
        "Cloud migration",
        "Move 300 servers out of the ageing data centre",
        "CORE",
        3,
    ),
    ProgramSpec(
        "PHONE",
        "VoIP telephony",
        "Replace the PBX with hosted voice and contact-centre software",
        "CORE",
        1,
    ),
    ProgramSpec(
        "LIB",
        "Library systems",
        "A new integrated library system and self-checkout in 22 branches",
        "SVC",
        1,
    ),
    ProgramSpec(
        "COURT",
        "Court case management",
        "Municipal court case management and e-filing",
        "SVC",
    ),
    ProgramSpec(
        "911CAD",
        "911 dispatch (CAD)",
        "Replace computer-aided dispatch for police, fire and EMS",
        "SVC",
        3,
    ),
    ProgramSpec(
        "UTIL",
        "Utility billing",
        "New billing and customer portal for 180,000 water and sewer accounts",
        "SVC",
    ),
    ProgramSpec(
        "PARKS",
        "Parks reservations",
        "Online booking of fields, shelters and rooms",
        "SVC",
        1,
    ),
    ProgramSpec(
        "DMS",
        "Document management",
        "Records retention schedules and one document management system",
        "CORE",
        1,
    ),
)

RAG_NOTES = {
    "green": (
        "On schedule and within budget.",
        "Pilot sites live; no open high risks.",
        "Design signed off on time; build under way.",
        "Vendor delivering to plan; next milestone on track.",
    ),
    "amber": (
        "Vendor test build two weeks late; go-live date holds for now.",
        "Hardware prices up 12 %; contingency covers it if nothing else moves.",
        "Lead business analyst on leave; backfill requested.",
        "Integration with the finance system behind plan; recovery plan agreed.",
        "Two departments have not signed off requirements.",
    ),
    "red": (
        "Data migration failed its dress rehearsal; go-live at risk.",
        "Integrator disputes the scope of change request 14; escalated to the CIO.",
        "Forecast spend exceeds the contract ceiling by 9 %; council approval needed.",
        "Vendor withdrew two key consultants; schedule being re-baselined.",
    ),
}

FIRST_NAMES = (
    "Aaliyah Aaron Abdul Adriana Aiko Alejandro Amara Ana Andre Anjali Arjun Beatriz Ben "
    "Björn Bo Camila Carmen Chen Chiamaka Chloe Daniel Darnell DeShawn Diego Dmitri Elena "
    "Emeka Emily Esther Fatima Felix François Gabriel Grace Hana Hassan Hiro Ibrahim Imani "
    "Inés Isabel Jamal Javier Jin Jorge José Kai Keisha Kenji Lakshmi Lamar Latoya Lena Liam "
    "Lucia Malik Marcus Maria Maya Mei Michael Mohammed Nadia Nia Noor Olga Omar Oscar Paula "
    "Pedro Priya Quinn Rahul Renée Rosa Ryan Samira Sara Sean Sofia Tamika Tariq Thanh Tomas "
    "Uma Valeria Victor Wei Will Xavier Yara Yusuf Zainab Zoë"
).split()
LAST_NAMES = (
    "Abdi Adeyemi Ahmed Alvarez Anderson Baker Bauer Brooks Castillo Chen Cohen Costa Davis "
    "Delgado Dubois Edwards Fischer Flores García Gonzalez Gupta Haddad Hansen Harris Hughes "
    "Ito Ivanova Jackson Jensen Johnson Kaminski Khan Kim Kowalski Lee Lindqvist Lopez "
    "Mahmoud Martin Mendoza Mensah Moreau Morales Murphy Nakamura Nguyen Novak Núñez O'Brien "
    "Obi Okafor Olsen Ortiz Osei Park Patel Petrov Phillips Ramirez Reyes Robinson Romero "
    "Rossi Russo Santos Schmidt Shah Silva Singh Sokolov Sullivan Tanaka Thompson Tran "
    "Turner Vargas Walsh Ward Washington Williams Wilson Wong Yamamoto Young Zhang"
).split()

DEPARTMENTS = (
    "Finance",
    "Police",
    "Fire",
    "Public Works",
    "Planning and Development",
    "Parks and Recreation",
    "Library",
    "Human Resources",
    "Water Utility",
    "Municipal Court",
    "Emergency Communications",
    "Office of the Mayor",
    "City Clerk",
)
STAFF_TITLES = (
    "Program Manager",
    "Project Manager",
    "Business Analyst",
    "Systems Analyst",
    "Enterprise Architect",
    "Database Administrator",
    "Network Engineer",
    "Security Analyst",
    "Service Desk Lead",
    "IT Procurement Specialist",
    "Applications Manager",
    "Infrastructure Manager",
)
STAKEHOLDER_TITLES = (
    "Director",
    "Deputy Director",
    "Budget Officer",
    "Operations Manager",
    "Division Chief",
    "Records Manager",
    "Business Process Owner",
    "Training Coordinator",
    "Council Liaison",
)
CONTRACTOR_TITLES = (
    "Account Manager",
    "Implementation Consultant",
    "Solution Architect",
    "Developer",
    "Business Analyst",
    "Test Lead",
    "Project Manager",
    "Data Engineer",
    "Network Engineer",
    "Trainer",
)
# (zone, weight) for contractors; city people all work in Chicago
CONTRACTOR_ZONES = (
    (HOME_ZONE, 14),
    ("America/New_York", 3),
    ("America/Denver", 1),
    ("America/Los_Angeles", 2),
    ("Asia/Kolkata", 1),
)

# (vendor, program codes it serves; empty for generalists); small takes the first six
VENDORS = (
    ("Oakline ERP Partners", ("ERP", "PAY")),
    ("Tallgrass Digital", ("CRM", "PERMIT", "PARKS", "UTIL")),
    ("Keystone GovTech", ("PERMIT", "COURT", "LIB")),
    ("Northpoint Networks", ("NET", "WIFI", "PHONE")),
    ("Lakeshore Consulting", ()),
    ("Westgate Staffing", ()),
    ("Fieldstone GIS", ("GIS",)),
    ("Pioneer Payroll Services", ("PAY",)),
    ("Beacon Dispatch Systems", ("911CAD", "BODYCAM")),
    ("Ironwood Security", ("SEC", "BODYCAM")),
    ("Summit Cloud Services", ("CLOUD", "DATA")),
    ("Riverbend Telecom", ("PHONE", "WIFI")),
    ("Cedar Ridge Analytics", ("DATA",)),
    ("Larkspur Library Solutions", ("LIB",)),
    ("Anchor Court Systems", ("COURT",)),
    ("Trident Utility Software", ("UTIL",)),
    ("Maple Street Records", ("DMS",)),
    ("Bluestem Software", ("CRM", "PARKS")),
    ("Quarry Data Works", ("DATA", "ERP")),
    ("Blue Heron Training", ()),
    ("Foxglove Design Studio", ("CRM", "PERMIT")),
    ("Granite Integration Partners", ("ERP", "CRM", "UTIL")),
    ("Harbor & Hale Consulting", ()),
    ("Corvid Networks", ("NET", "SEC")),
)
CONTRACT_SERVICES = (
    "implementation services",
    "software subscription",
    "staff augmentation",
    "hardware and installation",
    "managed services",
    "training and change management",
)

# (title, deliverable, acceptance criteria), in the order a project meets them
PHASES = (
    ("Business case approved", "Business case", "Approved by the CIO and the budget office"),
    ("Requirements signed off", "Requirements catalogue", "Signed by every process owner"),
    ("Vendor selected", "Evaluation report and award", "Award approved by procurement"),
    ("Contract signed", "Executed contract", "Signed by both parties; PO issued"),
    ("Design complete", "Solution design", "Reviewed by architecture board"),
    ("Build complete", "Configured system in test", "All build items closed"),
    ("Data migration rehearsal", "Rehearsal report", "Reconciliation within 0.1 %"),
    ("System test complete", "Test exit report", "No open severity 1 or 2 defects"),
    ("UAT complete", "UAT sign-off", "Signed by department leads"),
    ("Training delivered", "Training records", "90 % of users trained"),
    ("Go-live", "Production cutover", "Go/no-go approved; system live"),
    ("Hypercare ends", "Hypercare closure report", "Ticket volume back to baseline"),
)

# (kind, BYDAY, INTERVAL, minutes, audience, hour); each program's first series is its
# steering committee
SERIES_KINDS = (
    ("steering committee", "TH", 1, 60, "steering", 14),
    ("team standup", "MO,WE,FR", 1, 15, "team", 9),
    ("vendor check-in", "TU", 1, 30, "vendor", 10),
    ("product team sync", "WE", 1, 45, "team", 13),
    ("risk and issues review", "FR", 2, 30, "pmo", 11),
    ("workstream sync", "MO", 1, 60, "team", 15),
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
# (kind, audience, minutes)
# (kind, audience, minutes, weight, about a workstream)
SINGLE_KINDS = (
    ("working session", "team", 60, 8, True),
    ("design workshop", "team", 120, 6, True),
    ("requirements session", "team", 90, 6, True),
    ("training session", "team", 120, 4, True),
    ("vendor demo", "vendor", 90, 2, True),
    ("vendor one-on-one", "vendor", 30, 3, False),
    ("budget review", "steering", 60, 3, False),
    ("risk workshop", "pmo", 90, 2, False),
    ("site walkthrough", "team", 60, 2, False),
    ("go/no-go decision", "steering", 60, 1, False),
    ("UAT kickoff", "team", 60, 1, False),
    ("lessons learned", "team", 60, 1, False),
    ("contract negotiation", "vendor", 60, 1, False),
    ("council briefing", "steering", 30, 1, False),
    ("dress rehearsal review", "team", 60, 1, False),
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

# (verb, objects); {vendor} and {dept} are filled in per item
ACTION_PHRASES = (
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

# governance: (title, category, cause, effect, mitigation) of the risks programs carry
RISKS = (
    (
        "Key vendor staff leave mid-project",
        "resources",
        "Tight market for specialists",
        "Delivery slows while replacements learn the system",
        "Named backups in the SOW",
    ),
    (
        "Data migration quality below go-live threshold",
        "technical",
        "Legacy data never cleaned",
        "Go-live slips or opens with bad records",
        "Two rehearsals with sign-off",
    ),
    (
        "Department sign-off arrives late",
        "stakeholders",
        "Competing priorities in departments",
        "Requirements freeze moves, build starts late",
        "Steering committee escalation path",
    ),
    (
        "Budget cut in the next fiscal year",
        "financial",
        "Council revenue forecast down",
        "Phase two deferred",
        "Prioritised backlog with a minimum release",
    ),
    (
        "Security review finds a high-severity issue",
        "security",
        "New vendor components",
        "Go-live blocked until fixed",
        "Early penetration test",
    ),
    (
        "Integration partner API changes",
        "technical",
        "Partner on its own release cycle",
        "Interfaces break in test",
        "Contract tests run nightly",
    ),
)
ISSUES = (
    (
        "Test environment unavailable",
        "high",
        "The shared test environment has been down since a storage failure.",
    ),
    ("Vendor invoice disputed", "medium", "Hours billed do not match the timesheets approved."),
    ("Requirements gap in reporting", "medium", "Finance reports were not in the original scope."),
)
CHANGES = (
    ("Add mobile inspection forms", "scope", "Inspectors asked for field entry", None, "85000"),
    ("Move go-live after the holiday freeze", "schedule", "Freeze from 15 Dec to 5 Jan", 21, None),
    ("Extend the data migration contractor", "resources", "Second rehearsal needed", 14, "42000"),
    (
        "Upgrade the reporting licence",
        "cost",
        "Finance reports need the pro edition",
        None,
        "12500",
    ),
)
DECISION_RECORDS = (
    ("Go with a phased rollout by department", "Limits the blast radius of a bad release"),
    ("Keep the legacy system read-only for a year", "Auditors need the history"),
    ("Use the vendor's hosted test environment", "Ours will not be rebuilt before January"),
)
# (name, unit, direction, target, amber, red, the usual value, its spread)
METRICS = (
    ("Schedule performance index", "", "higher", "1.00", "0.95", "0.90", 0.96, 0.05),
    ("Ticket backlog", "tickets", "lower", "50", "80", "120", 70, 30),
    ("System availability", "%", "higher", "99.9", "99.5", "99.0", 99.6, 0.4),
    ("User satisfaction", "of 5", "higher", "4.2", "3.8", "3.5", 4.0, 0.4),
)

# (name, channel, cadence or None for a one-off date, digest kind, audience); a program's
# items are taken in this order, so even a small one has a one-off among them
COMMS_KINDS = (
    ("Weekly status e-mail", "e-mail", "FREQ=WEEKLY;BYDAY=FR", "status", "steering"),
    ("Milestone report", "report", "FREQ=MONTHLY;BYDAY=1MO", "milestones", "leadership"),
    ("Go-live announcement", "e-mail", None, None, "heads"),
    ("Open actions digest", "e-mail", "FREQ=WEEKLY;BYDAY=MO", "actions", "team"),
    ("Contract burn report", "report", "FREQ=MONTHLY;BYMONTHDAY=5", "contracts", "finance"),
    ("Council briefing", "meeting", None, None, "steering"),
    ("Department newsletter item", "newsletter", "FREQ=MONTHLY;BYMONTHDAY=15", None, "heads"),
    ("Dashboard refresh", "dashboard", "FREQ=WEEKLY;BYDAY=WE", "status", "leadership"),
    ("Vendor performance note", "e-mail", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "contracts", "team"),
    ("Training invitation", "e-mail", None, None, "team"),
)
COMMS_NOTES = (
    "Sent as planned.",
    "Sent as planned.",
    "Sent; two replies with questions, answered.",
    "Sent with the updated schedule attached.",
)
COMMS_PURPOSES = {
    "status": "Keep sponsors informed of progress, risks and decisions",
    "milestones": "Show what is due, what slipped and why",
    "actions": "Remind owners of open and overdue actions",
    "contracts": "Track spend against ceilings before money runs out",
    None: "Tell the people affected what changes for them and when",
}


# --- storage --------------------------------------------------------------------------------


def _utc_text(value: datetime) -> str:
    """The stored text of an aware instant: what ``fields.to_utc_text`` gives, several times
    faster (``isoformat`` instead of ``strftime``), which matters for 300,000 of them."""
    if value.tzinfo is None:
        raise ValueError("date-times stored by docket must be time zone aware")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "seconds")


def _stored_by(field: Field) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes its stored value; None when sqlite3 takes it as is."""
    if isinstance(field, UTCDateTimeField):
        return _utc_text
    if isinstance(field, MoneyField):
        return field.db_value
    if isinstance(field, DateField):
        return date.isoformat
    return None


def _insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (values in ``columns`` order) with one prepared statement; how many."""
    fields = [model._meta.fields[name] for name in columns]
    typed = [(i, conv) for i, f in enumerate(fields) if (conv := _stored_by(f)) is not None]
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'
    stored = []
    for row in rows:
        values = list(row)
        for i, convert in typed:
            if values[i] is not None:
                values[i] = convert(values[i])
        stored.append(values)
    if len(stored) >= REBUILD_INDEXES_FROM:
        with _indexes_rebuilt_after(model):
            database.connection().executemany(sql, stored)
    elif stored:
        database.connection().executemany(sql, stored)
    return len(stored)


def _created_entries(actor: str) -> Iterator[NewEntry]:
    for model in TABLES:
        if not issubclass(model, Record) or model is UserAccount:
            continue
        fields = sorted(
            (f for f in model._meta.sorted_fields if f.name not in UNAUDITED), key=lambda f: f.name
        )
        columns = ", ".join(
            f'"{c}"' for c in ("id", "created_at", *(f.column_name for f in fields))
        )
        table = model._meta.table_name
        rows = database.execute_sql(f'SELECT {columns} FROM "{table}" ORDER BY "id"').fetchall()
        plain = [
            (i + 2, f.python_value)
            for i, f in enumerate(fields)
            if isinstance(f, (MoneyField, BooleanField))
        ]
        if plain:
            rows = [list(row) for row in rows]
            for row in rows:
                for i, convert in plain:
                    if row[i] is not None:
                        value = convert(row[i])
                        row[i] = str(value) if isinstance(value, Decimal) else value
        texts = creation_texts([f.name for f in fields], (row[2:] for row in rows))
        for row, changes in zip(rows, texts, strict=True):
            yield NewEntry(row[1], actor, table, row[0], "create", changes, "demo data")


@contextmanager
def _indexes_rebuilt_after(model: type[Model]) -> Iterator[None]:
    """Drop the (empty) table's indexes for a bulk load and create them again after, from the
    exact SQL they were made with: building an index once from sorted rows is about twice as
    fast as updating nine of them for every row. Inside the write transaction, so a failure
    leaves the schema as it was."""
    indexes = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        (model._meta.table_name,),
    ).fetchall()
    for name, _ in indexes:
        database.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        database.execute_sql(sql)


def _spread(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights``, summing exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _ascii(text: str) -> str:
    """Lower-case letters and digits only, accents dropped: for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _workday(day: date, *, back: bool = False) -> date:
    """The day itself, or for a weekend the Monday after (the Friday before when ``back``)."""
    if day.weekday() < 5:
        return day
    return (
        day - timedelta(days=day.weekday() - 4) if back else day + timedelta(days=7 - day.weekday())
    )


@dataclass(frozen=True)
class ContractFacts:
    """What later records need to know about a contract."""

    id: int
    vendor: int
    program: int
    start: date
    end: date


@dataclass(frozen=True)
class Held:
    """One held meeting occurrence with minutes, which action items can point back to."""

    meeting: int
    program: int
    start: datetime


class _Office:
    """Builds one demo office: the random source, the clock, and the ids made so far."""

    def __init__(self, ctx: Context, scale: Scale, seed: int) -> None:
        self.ctx = ctx
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = ctx.now()
        self.today = ctx.today()
        self.home = ZoneInfo(HOME_ZONE)
        self.specs = PROGRAMS[: scale.programs]
        self.program_id = {spec.code: i for i, spec in enumerate(self.specs, start=1)}
        self.leaves = [self.program_id[s.code] for s in self.specs if s.parent is not None]
        self.weights = [self.specs[pid - 1].weight for pid in self.leaves]
        self.names: list[str] = [""]  # index by person id
        self.staff: list[int] = []
        self.stakeholders: list[int] = []
        self.contractors: list[int] = []
        self.directors: list[int] = []
        self.organization: dict[int, str] = {}
        self.title: dict[int, str] = {}
        self.owner: dict[int, int] = {}
        self.vendor_names = [name for name, _ in VENDORS[: scale.vendors]]
        self.vendor_contact: dict[int, int] = {}
        self.steering: dict[int, list[int]] = {}
        self.team: dict[int, list[int]] = {}
        self.pmo: list[int] = []
        self.group_id: dict[str, int] = {}
        self.contracts: list[ContractFacts] = []
        self.program_vendors: dict[int, list[int]] = {pid: [] for pid in self.leaves}
        self.assigned: dict[int, list[int]] = {pid: [] for pid in self.leaves}
        self.held: list[Held] = []

    # --- small helpers ------------------------------------------------------------------

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        """An instant: a wall-clock time in the home zone on ``day``, in UTC."""
        return datetime.combine(day, time(hour, minute), self.home).astimezone(UTC)

    def days_ago(self, low: int, high: int) -> datetime:
        """A business-hours instant between ``high`` and ``low`` days ago, never in the future."""
        day = self.today - timedelta(days=self.rng.randint(low, high))
        return min(self.now, self.at(day, self.rng.randint(8, 17), self.rng.choice((0, 15, 30))))

    def stamp(self, at: datetime) -> tuple[datetime, datetime, int]:
        """created_at, updated_at and version of a record made at ``at`` and never changed."""
        return (at, at, 1)

    def pick_leaf(self) -> int:
        return self.rng.choices(self.leaves, self.weights)[0]

    # --- people and programs ------------------------------------------------------------

    def people(self) -> int:
        """Staff, stakeholders and contractors; person 1 is the acting account's person."""
        columns = (
            "id",
            "name",
            "email",
            "organization",
            "title",
            "phone",
            "timezone",
            "kind",
            "account",
            *STAMP,
        )
        taken: set[str] = set()
        rows = []
        for pid in range(1, self.scale.people + 1):
            kind, organization, title = self.role(pid)
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            self.names.append(f"{first} {last}")
            {"staff": self.staff, "stakeholder": self.stakeholders, "contractor": self.contractors}[
                kind
            ].append(pid)
            self.organization[pid], self.title[pid] = organization, title
            if kind == "stakeholder" and title == "Director":
                self.directors.append(pid)
            rows.append(
                (
                    pid,
                    f"{first} {last}",
                    self.email(first, last, taken),
                    organization,
                    title,
                    self.phone(kind),
                    self.timezone(kind),
                    kind,
                    self.ctx.actor if pid == 1 else None,
                    *self.stamp(self.days_ago(800, 1500)),
                )
            )
        return _insert(Person, columns, rows)

    def role(self, pid: int) -> tuple[str, str, str]:
        """kind, organization and title of a person; the first three hold fixed posts."""
        fixed = {
            1: "Associate Program Administrator",
            2: "Chief Information Officer",
            3: "Director, Program Management Office",
        }
        if pid in fixed:
            return "staff", "City IT", fixed[pid]
        kind = self.rng.choices(("staff", "stakeholder", "contractor"), (30, 35, 35))[0]
        if kind == "staff":
            return kind, "City IT", self.rng.choice(STAFF_TITLES)
        if kind == "stakeholder":
            return kind, self.rng.choice(DEPARTMENTS), self.rng.choice(STAKEHOLDER_TITLES)
        return kind, self.rng.choice(self.vendor_names), self.rng.choice(CONTRACTOR_TITLES)

    def email(self, first: str, last: str, taken: set[str]) -> str:
        """first.last@city.example, numbered from 2 when the name is taken."""
        local = f"{_ascii(first)}.{_ascii(last)}"
        candidate, n = local, 1
        while candidate in taken:
            n += 1
            candidate = f"{local}{n}"
        taken.add(candidate)
        return f"{candidate}@city.example"

    def phone(self, kind: str) -> str | None:
        if kind == "contractor" and self.rng.random() < 0.4:
            return None
        return f"(312) 555-{self.rng.randrange(100, 200):04d}"

    def timezone(self, kind: str) -> str:
        if kind != "contractor":
            return HOME_ZONE
        zones = [zone for zone, _ in CONTRACTOR_ZONES]
        return self.rng.choices(zones, [weight for _, weight in CONTRACTOR_ZONES])[0]

    def programs(self) -> int:
        """Portfolios and their programs, with owners and RAG; a portfolio shows its worst."""
        columns = ("id", "code", "name", "parent", "owner", "rag", "rag_note", "objective")
        managers = [p for p in self.staff if p > 3] or [2]
        rags: dict[int, str] = {}
        rows: list[tuple[Any, ...]] = []
        for pid in self.leaves:
            rags[pid] = self.rng.choices(("green", "amber", "red"), (5, 4, 1))[0]
            self.owner[pid] = self.rng.choice(managers)
        for pid, spec in enumerate(self.specs, start=1):
            if spec.parent is None:
                rag, note = self.roll_up(pid, rags)
                self.owner[pid] = 2 if pid == 1 else 3
            else:
                rag, note = rags[pid], self.rng.choice(RAG_NOTES[rags[pid]])
            parent = self.program_id[spec.parent] if spec.parent else None
            rows.append(
                (pid, spec.code, spec.name, parent, self.owner[pid], rag, note, spec.objective)
            )
        at = self.days_ago(720, 800)
        return _insert(Program, (*columns, *STAMP), [(*r, *self.stamp(at)) for r in rows])

    def roll_up(self, portfolio: int, rags: dict[int, str]) -> tuple[str, str]:
        code = self.specs[portfolio - 1].code
        children = [rags[p] for p in self.leaves if self.specs[p - 1].parent == code]
        worst = max(children, key=("green", "amber", "red").index) if children else "green"
        counts = ", ".join(f"{children.count(c)} {c}" for c in ("green", "amber", "red"))
        return worst, f"Roll-up of {len(children)} programs: {counts}."

    # --- vendors and groups -------------------------------------------------------------

    def vendors(self) -> int:
        """Vendor companies; the contact is the first of their people the city knows."""
        rows = []
        for vid, name in enumerate(self.vendor_names, start=1):
            people = [p for p in self.contractors if self.organization[p] == name]
            if people:
                self.vendor_contact[vid] = people[0]
            domain = _ascii(name.split()[0])
            rows.append(
                (
                    vid,
                    name,
                    people[0] if people else None,
                    f"Invoices to billing@{domain}.example; account reviews quarterly.",
                    *self.stamp(self.days_ago(720, 800)),
                )
            )
        return _insert(Vendor, ("id", "name", "contact", "contact_note", *STAMP), rows)

    def groups(self) -> tuple[int, int]:
        """Each program's steering committee and product team, and office-wide lists."""
        lists: dict[str, tuple[str, list[int]]] = {}
        leaders = [p for p in self.staff if p > 3]
        for pid in self.leaves:
            code, owner = self.specs[pid - 1].code, self.owner[pid]
            steering = [owner, 2, 1, *self.sample(self.stakeholders, 4, 8)]
            team = [owner, 1, *self.sample(leaders, 3, 6), *self.sample(self.contractors, 2, 5)]
            self.steering[pid] = list(dict.fromkeys(steering))
            self.team[pid] = list(dict.fromkeys(team))
            lists[f"{code} steering committee"] = (
                f"Sponsors and department heads who decide for {self.specs[pid - 1].name}",
                self.steering[pid],
            )
            lists[f"{code} product team"] = (
                f"Everyone building {self.specs[pid - 1].name}, city and vendor",
                self.team[pid],
            )
        self.pmo = list(dict.fromkeys([3, 1, *self.sample(leaders, 3, 5)]))
        lists["IT leadership"] = ("CIO and IT directors", [2, 3, *self.sample(leaders, 4, 6)])
        lists["Program management office"] = ("The PMO: schedules, risks, reporting", self.pmo)
        heads: dict[str, int] = {}
        for person in self.directors:
            heads.setdefault(self.organization[person], person)
        lists["Department heads"] = (
            "Directors of the departments the programs serve",
            list(heads.values()) or self.sample(self.stakeholders, 4, 8),
        )
        lists["Vendor account managers"] = (
            "One contact at each vendor",
            list(self.vendor_contact.values()),
        )
        lists["Finance liaisons"] = (
            "Budget officers who review spend",
            [p for p in self.stakeholders if self.organization[p] == "Finance"][:8] or [2],
        )
        return self.write_groups(lists)

    def sample(self, pool: Sequence[int], low: int, high: int) -> list[int]:
        """Between ``low`` and ``high`` distinct people from ``pool`` (fewer if it is small)."""
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def write_groups(self, lists: dict[str, tuple[str, list[int]]]) -> tuple[int, int]:
        groups, members = [], []
        at = self.days_ago(250, 400)
        for gid, (name, (description, people)) in enumerate(lists.items(), start=1):
            self.group_id[name] = gid
            groups.append((gid, name, description, *self.stamp(at)))
            members += [(gid, p, *self.stamp(at)) for p in dict.fromkeys(people)]
        return (
            _insert(Group, ("id", "name", "description", *STAMP), groups),
            _insert(GroupMember, ("group", "person", *STAMP), members),
        )

    # --- contracts, spend and assignments -----------------------------------------------

    def contracts_and_spend(self) -> tuple[int, int]:
        """Contracts across the year (some near their ceiling, some ending soon) and invoices."""
        columns = ("id", "vendor", "number", "title", "program", "start", "end", "ceiling")
        numbers = self.rng.sample(range(100, 1000), self.scale.contracts)
        contracts, spend = [], []
        for cid in range(1, self.scale.contracts + 1):
            vendor, program = self.vendor_and_program(cid)
            start = self.today - timedelta(days=self.rng.randint(30, 700))
            end = start + timedelta(days=self.rng.choice((365, 540, 730, 1095)))
            if cid % 6 == 0:  # ends within the next few weeks
                end = max(start, self.today + timedelta(days=self.rng.randint(5, 45)))
            ceiling = Decimal(self.rng.randint(8, 120) * 25_000)
            if self.specs[program - 1].code == "ERP" and cid % 3 == 0:
                ceiling *= 4
            service = self.rng.choice(CONTRACT_SERVICES)
            contracts.append(
                (
                    cid,
                    vendor,
                    f"C-{start.year}-{numbers[cid - 1]:04d}",
                    f"{self.specs[program - 1].name}: {service}",
                    program,
                    start,
                    end,
                    ceiling,
                    "USD",
                    *self.stamp(self.at(start, 11)),
                )
            )
            facts = ContractFacts(cid, vendor, program, start, end)
            self.contracts.append(facts)
            self.program_vendors[program].append(vendor)
            spend += self.expenditures(facts, ceiling, near_ceiling=cid % 5 == 1)
        return (
            _insert(Contract, (*columns, "currency", *STAMP), contracts),
            _insert(Expenditure, ("contract", "date", "amount", "invoice_ref", *STAMP), spend),
        )

    def vendor_and_program(self, cid: int) -> tuple[int, int]:
        """Every vendor gets a contract first; then programs pick vendors that serve them."""
        if cid <= len(self.vendor_names):
            vendor = cid
            serves = [self.program_id[c] for c in VENDORS[vendor - 1][1] if c in self.program_id]
            return vendor, self.rng.choice(serves) if serves else self.pick_leaf()
        program = self.pick_leaf()
        code = self.specs[program - 1].code
        able = [
            vid
            for vid, (_, serves) in enumerate(VENDORS[: self.scale.vendors], start=1)
            if code in serves or not serves
        ]
        return self.rng.choice(able), program

    def expenditures(
        self, contract: ContractFacts, ceiling: Decimal, *, near_ceiling: bool
    ) -> list[tuple[Any, ...]]:
        """Monthly invoices to date; their total is a share of the ceiling, exact to the cent."""
        last = min(self.today - timedelta(days=1), contract.end)
        dates = []
        day = contract.start + timedelta(days=30)
        while day <= last:
            dates.append(day)
            day += timedelta(days=30)
        if not dates:
            return []
        length = max(30, (contract.end - contract.start).days)
        if near_ceiling:
            per_mille = self.rng.randint(900, 985)
        else:
            elapsed = 1000 * (last - contract.start).days // length
            per_mille = min(950, elapsed * self.rng.randint(55, 105) // 100)
        total = int(ceiling * 100) * per_mille // 1000
        weights = [self.rng.randint(70, 130) for _ in dates]
        cents = [total * w // sum(weights) for w in weights]
        cents[-1] += total - sum(cents)
        prefix = "".join(word[0] for word in self.vendor_names[contract.vendor - 1].split())
        return [
            (
                contract.id,
                day,
                Decimal(amount) / 100,
                f"INV-{prefix.upper()}-{day:%Y%m}-{self.rng.randint(1000, 9999)}",
                *self.stamp(self.at(day, 14)),
            )
            for day, amount in zip(dates, cents, strict=True)
        ]

    def assignments(self) -> int:
        """Contractors on their vendor's contracts; some overlap past 100 %, some end soon."""
        columns = ("person", "program", "contract", "role", "allocation", "start", "end", "rate")
        by_vendor: dict[int, list[ContractFacts]] = {}
        for c in self.contracts:
            by_vendor.setdefault(c.vendor, []).append(c)
        vendor_of = {name: vid for vid, name in enumerate(self.vendor_names, start=1)}
        people = self.rng.sample(self.contractors, len(self.contractors))
        firsts = min(len(people), self.scale.assignments * 3 // 4)
        earlier: dict[int, tuple[int, date, date]] = {}
        rows = []
        for n in range(self.scale.assignments):
            person = people[n] if n < firsts else self.rng.choice(people[:firsts])
            contract = self.rng.choice(by_vendor[vendor_of[self.organization[person]]])
            allocation, start, end = self.assignment_terms(n, contract, earlier.get(person))
            earlier.setdefault(person, (allocation, start, end))
            self.assigned[contract.program].append(person)
            rows.append(
                (
                    person,
                    contract.program,
                    contract.id,
                    self.title[person].replace("Account Manager", "Project Manager"),
                    allocation,
                    start,
                    end,
                    Decimal(self.rng.randint(340, 960)) / 4,
                    *self.stamp(min(self.now - timedelta(hours=1), self.at(start, 9))),
                )
            )
        return _insert(Assignment, (*columns, *STAMP), rows)

    def assignment_terms(
        self, n: int, contract: ContractFacts, first: tuple[int, date, date] | None
    ) -> tuple[int, date, date]:
        """Allocation, start and end; a second assignment often overlaps the first past 100 %."""
        if first is not None and self.rng.random() < 0.6:
            allocation = min(100, 110 - first[0] + self.rng.choice((0, 10, 20, 30)))
            return max(10, allocation), first[1], first[2]
        allocation = self.rng.choice((10, 20, 25, 30, 40, 50, 50, 60, 75, 80, 100, 100))
        start = max(contract.start, self.today - timedelta(days=self.rng.randint(0, 330)))
        if start > contract.end:
            start = contract.start
        end = min(contract.end, start + timedelta(days=self.rng.choice((90, 120, 180, 270, 365))))
        if n % 8 == 3 and start <= self.today:  # ends within the next 30 days
            end = self.today + timedelta(days=self.rng.randint(1, 29))
        return allocation, start, max(start, end)

    # --- milestones -----------------------------------------------------------------------

    def milestones(self) -> tuple[int, int]:
        """Each program's milestones in phase order: done, late, slipped and on track."""
        columns = ("id", "program", "title", "owner", "baseline", "forecast", "actual")
        rows, links = [], []
        staff = set(self.staff)
        mid = 0
        for pid, count in zip(
            self.leaves, _spread(self.scale.milestones, self.weights), strict=True
        ):
            first = self.today - timedelta(days=self.rng.randint(300, 500))
            span = self.rng.randint(550, 950)
            owners = [p for p in self.team[pid] if p in staff] or [self.owner[pid]]
            for j in range(count):
                mid += 1
                baseline = first + timedelta(
                    days=span * j // max(1, count) + self.rng.randint(-5, 5)
                )
                forecast, actual = self.milestone_dates(baseline)
                title, deliverable, criteria = PHASES[j % len(PHASES)]
                if j >= len(PHASES):
                    title = f"{title}, release {j // len(PHASES) + 1}"
                rows.append(
                    (
                        mid,
                        pid,
                        title,
                        self.rng.choice(owners),
                        baseline,
                        forecast,
                        actual,
                        deliverable,
                        criteria,
                        *self.stamp(min(self.now, self.at(first - timedelta(days=30), 10))),
                    )
                )
                if j > 0:
                    links.append((mid, mid - 1, *self.stamp(self.at(first, 10))))
        return (
            _insert(Milestone, (*columns, "deliverable", "acceptance_criteria", *STAMP), rows),
            _insert(MilestoneDependency, ("milestone", "predecessor", *STAMP), links),
        )

    def milestone_dates(self, baseline: date) -> tuple[date, date | None]:
        """Forecast and actual for a milestone, chosen so each derived status occurs."""
        rng, today = self.rng, self.today
        ahead = (baseline - today).days
        if ahead < -14:
            if rng.random() < 0.85:  # done, a little early or late
                actual = min(
                    today - timedelta(days=1),
                    baseline + timedelta(days=rng.choice((-7, -3, 0, 0, 0, 2, 5, 9, 14, 21))),
                )
                return actual, actual
            late = today - timedelta(days=rng.randint(1, 40))
            return max(baseline, late), None
        if ahead < 30:
            roll = rng.random()
            if roll < 0.25:
                return today - timedelta(days=rng.randint(1, 13)), None  # late
            if roll < 0.45:
                actual = today - timedelta(days=rng.randint(0, 10))
                return actual, actual
        if rng.random() < 0.6 and baseline >= today:  # on track, sometimes ahead of plan
            return max(today, baseline - timedelta(days=rng.choice((0, 0, 0, 3, 7)))), None
        return max(today, baseline) + timedelta(days=rng.choice((7, 14, 21, 30, 45, 60))), None

    # --- meetings -------------------------------------------------------------------------

    def meetings(self) -> dict[str, int]:
        """Weekly series and single meetings per program, with attendees, changes and minutes."""
        rows = _MeetingRows()
        mid = 0
        series = _spread(self.scale.series, self.weights)
        singles = _spread(self.scale.meetings - self.scale.series, self.weights)
        for pid, n_series, n_single in zip(self.leaves, series, singles, strict=True):
            for k in range(n_series):
                mid += 1
                self.series(rows, mid, pid, k)
            for _ in range(n_single):
                mid += 1
                self.single(rows, mid, pid)
        return rows.write()

    def series(self, rows: _MeetingRows, mid: int, pid: int, k: int) -> None:
        """A weekly series: COUNT, UNTIL or open-ended, with a few moved or cancelled dates."""
        rng, code = self.rng, self.specs[pid - 1].code
        if k < len(SERIES_KINDS):
            kind, byday, interval, minutes, audience, hour = SERIES_KINDS[k]
            title = f"{code} {kind}"
        else:
            kind, byday, interval, minutes, audience, hour = rng.choice(SERIES_KINDS[1:])
            title = f"{code} {rng.choice(WORKSTREAMS)} {kind}"
        zone = self.meeting_zone(audience)
        first = _weekday_on_or_after(
            self.today - timedelta(days=rng.randint(14, 210)), WEEKDAYS.index(byday[:2])
        )
        start = datetime.combine(first, time(hour, rng.choice((0, 0, 30))), ZoneInfo(zone))
        rule = self.series_rule(byday, interval, start)
        recurrence = rrulestr(rule, dtstart=start)
        if "COUNT=" in rule or "UNTIL=" in rule:
            occurrences = list(recurrence)
            until = occurrences[-1].astimezone(UTC)
        else:
            occurrences = recurrence.between(start, self.now + timedelta(days=120), inc=True)
            until = None
        changed = self.occurrence_changes(rows, mid, occurrences, minutes)
        people = self.audience(pid, audience)
        organizer = 1 if audience in ("steering", "pmo") else self.owner[pid]
        head = self.meeting_row(mid, pid, title, audience, organizer, start, minutes)
        stamp = self.created_before(start)
        rows.meetings.append((*head, rule, until, "confirmed", self.uid(mid), len(changed), *stamp))
        responses = self.attendees(rows, mid, people, organizer, start)
        past = [
            o for o in occurrences if o + timedelta(minutes=minutes) < self.now and o not in changed
        ]
        for occurrence in past[-3:]:
            if rng.random() < 0.85:
                self.minutes(rows, mid, pid, occurrence, responses)

    def series_rule(self, byday: str, interval: int, start: datetime) -> str:
        """The RRULE text: weekly on ``byday``, ending by COUNT, by UNTIL (in UTC) or never."""
        parts = ["FREQ=WEEKLY"]
        if interval > 1:
            parts.append(f"INTERVAL={interval}")
        parts.append(f"BYDAY={byday}")
        roll = self.rng.random()
        if roll < 0.4:
            parts.append(f"COUNT={self.rng.choice((8, 12, 16, 26, 39, 52))}")
        elif roll < 0.75:
            last_day = start.date() + timedelta(days=self.rng.randint(60, 400))
            until = datetime.combine(last_day, time(23, 59, 59), start.tzinfo).astimezone(UTC)
            parts.append(f"UNTIL={until:%Y%m%dT%H%M%SZ}")
        return ";".join(parts)

    def occurrence_changes(
        self, rows: _MeetingRows, mid: int, occurrences: list[datetime], minutes: int
    ) -> set[datetime]:
        """Move or cancel one or two real occurrences of a series (never the first); the
        changes alternate between cancelled and moved, so both kinds always occur."""
        if len(occurrences) < 3 or self.rng.random() >= 0.5:
            return set()
        picked = self.rng.sample(occurrences[1:], self.rng.choice((1, 1, 2)))
        for original in sorted(picked):
            cancelled = len(rows.changes) % 2 == 0
            moved = None
            if not cancelled:
                moved = original + self.rng.choice((timedelta(days=1), timedelta(hours=2)))
            rows.changes.append(
                (
                    mid,
                    original.astimezone(UTC),
                    moved.astimezone(UTC) if moved else None,
                    self.rng.choice((None, None, minutes // 2 or None)) if moved else None,
                    self.rng.choice((None, None, "Online")) if moved else None,
                    None,
                    cancelled,
                    *self.created_before(original),
                )
            )
        return set(picked)

    def single(self, rows: _MeetingRows, mid: int, pid: int) -> None:
        """A one-off meeting, past or coming; past ones often have minutes."""
        rng, code = self.rng, self.specs[pid - 1].code
        kind, audience, minutes, _, topical = rng.choices(
            SINGLE_KINDS, [k[3] for k in SINGLE_KINDS]
        )[0]
        title = f"{code} {kind}: {rng.choice(WORKSTREAMS)}" if topical else f"{code} {kind}"
        zone = self.meeting_zone(audience)
        day = _workday(self.today + timedelta(days=rng.randint(-150, 60)))
        start = datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 30))), ZoneInfo(zone))
        future = start > self.now
        weights = (84, 12 if future else 0, 4)
        status = rng.choices(("confirmed", "tentative", "cancelled"), weights)[0]
        organizer = 1 if audience in ("steering", "pmo") else self.owner[pid]
        head = self.meeting_row(mid, pid, title, audience, organizer, start, minutes)
        stamp = self.created_before(start)
        rows.meetings.append((*head, "", None, status, self.uid(mid), 0, *stamp))
        responses = self.attendees(rows, mid, self.audience(pid, audience), organizer, start)
        if not future and status != "cancelled" and rng.random() < 0.65:
            self.minutes(rows, mid, pid, start, responses)

    def meeting_zone(self, audience: str) -> str:
        """Meetings are in Chicago, except some vendor calls set up from the vendor's zone."""
        if audience == "vendor" and self.rng.random() < 0.3:
            return self.rng.choice(("America/New_York", "America/Los_Angeles"))
        return HOME_ZONE

    def meeting_row(
        self,
        mid: int,
        pid: int,
        title: str,
        audience: str,
        organizer: int,
        start: datetime,
        minutes: int,
    ) -> tuple[Any, ...]:
        """The columns a series and a single meeting share (``start`` is zone-aware)."""
        location = self.rng.choice(LOCATIONS)
        link = f"https://meet.city.example/j/{self.rng.randrange(10**9, 10**10)}"
        return (
            mid,
            pid,
            title,
            AGENDAS[audience],
            location,
            "" if location != "Online" and self.rng.random() < 0.3 else link,
            organizer,
            start.strftime("%Y-%m-%d %H:%M:%S"),
            str(start.tzinfo),
            start.astimezone(UTC),
            minutes,
        )

    def uid(self, mid: int) -> str:
        return f"{mid:05d}-{self.rng.getrandbits(64):016x}@docket.demo"

    def created_before(self, start: datetime) -> tuple[datetime, datetime, int]:
        """The stamp of a record made one to three weeks before ``start`` (never later than now)."""
        at = start.astimezone(UTC) - timedelta(days=self.rng.randint(7, 21), hours=3)
        latest = self.now - timedelta(hours=self.rng.randint(1, 72))
        return self.stamp(min(latest, at))

    def audience(self, pid: int, kind: str) -> list[int]:
        """Who attends a meeting of this kind for this program (at most twelve people)."""
        if kind == "steering":
            pool = self.steering[pid]
        elif kind == "team":
            pool = self.team[pid]
        elif kind == "pmo":
            pool = [*self.pmo, self.owner[pid]]
        else:
            vendor_people = self.sample(sorted(set(self.assigned[pid])), 1, 3)
            pool = [self.owner[pid], 1, *vendor_people, *self.sample(self.team[pid], 1, 2)]
        return list(dict.fromkeys(pool))[:12]

    def attendees(
        self, rows: _MeetingRows, mid: int, people: list[int], chair: int, start: datetime
    ) -> dict[int, str]:
        """Attendee rows; past meetings are mostly accepted, coming ones often unanswered."""
        weights = (35, 50, 5, 10) if start > self.now else (7, 75, 8, 10)
        responses: dict[int, str] = {}
        stamp = self.created_before(start)
        for person in dict.fromkeys([chair, *people]):
            role = (
                "chair" if person == chair else self.rng.choice(("required",) * 3 + ("optional",))
            )
            response = (
                "accepted"
                if person == chair
                else self.rng.choices(
                    ("needs action", "accepted", "declined", "tentative"), weights
                )[0]
            )
            responses[person] = response
            rows.attendees.append((mid, person, role, response, *stamp))
        return responses

    def minutes(
        self, rows: _MeetingRows, mid: int, pid: int, start: datetime, responses: dict[int, str]
    ) -> None:
        """Minutes of a held occurrence: who came, what was said and decided."""
        present = [self.names[p] for p, r in responses.items() if r in ("accepted", "tentative")]
        apologies = [self.names[p] for p, r in responses.items() if r == "declined"]
        attendance = ", ".join(present)
        if apologies:
            attendance += ". Apologies: " + ", ".join(apologies)
        decided: list[str] = []
        if self.rng.random() < 0.6:
            decided = self.rng.sample(DECISIONS, self.rng.choice((1, 1, 2)))
        at = min(self.now, start.astimezone(UTC) + timedelta(hours=self.rng.randint(2, 30)))
        chair = next(iter(responses))
        for said in decided:
            rows.decisions.append(
                (pid, said, "", chair, start.date(), mid, start.astimezone(UTC), *self.stamp(at))
            )
        rows.minutes.append(
            (
                mid,
                start.astimezone(UTC),
                self.rng.choice(MINUTES_NOTES),
                attendance + ".",
                *self.stamp(at),
            )
        )
        self.held.append(Held(mid, pid, start.astimezone(UTC)))

    # --- communications -------------------------------------------------------------------

    def comms(self) -> tuple[int, int, int]:
        """Comms plan items with their audience (a group or a person) and what was sent."""
        items: list[tuple[Any, ...]] = []
        audience: list[tuple[Any, ...]] = []
        log: list[tuple[Any, ...]] = []
        iid = 0
        for pid, count in zip(self.leaves, _spread(self.scale.comms, self.weights), strict=True):
            for k in range(count):
                iid += 1
                item, sent = self.comms_item(iid, pid, k)
                items.append(item)
                label = COMMS_KINDS[k % len(COMMS_KINDS)][4]
                audience += self.comms_audience(iid, pid, label, item[-3])
                log += sent
        columns = ("id", "program", "name", "purpose", "channel", "cadence", "starts", "owner")
        return (
            _insert(CommsItem, (*columns, "digest_kind", "active", *STAMP), items),
            _insert(CommsAudience, ("item", "group", "person", *STAMP), audience),
            _insert(CommsLogEntry, ("item", "sent_at", "sent_by", "note", "artifact", *STAMP), log),
        )

    def comms_item(
        self, iid: int, pid: int, k: int
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        """One plan item (recurring or one-off) and its log entries."""
        rng, code = self.rng, self.specs[pid - 1].code
        name, channel, cadence, digest, _ = COMMS_KINDS[k % len(COMMS_KINDS)]
        if k >= len(COMMS_KINDS):
            name = f"{name} ({rng.choice(WORKSTREAMS)})"
        if cadence is None:
            when = _workday(self.today + timedelta(days=rng.randint(-60, 60)))
            starts = when - timedelta(days=rng.randint(14, 60))
            cadence_text = when.isoformat()
            due = [when] if when < self.today else []
        else:
            starts = self.today - timedelta(days=rng.randint(30, 240))
            cadence_text = cadence
            start = datetime.combine(starts, time(10))
            end = datetime.combine(self.today, time(0))
            due = [d.date() for d in rrulestr(cadence, dtstart=start).between(start, end)][-6:]
        staff = set(self.staff)
        owner = rng.choice([self.owner[pid], 1, 1, *[p for p in self.team[pid] if p in staff]])
        item = (
            iid,
            pid,
            f"{code}: {name}",
            COMMS_PURPOSES[digest],
            channel,
            cadence_text,
            starts,
            owner,
            digest,
            rng.random() < 0.92,
            *self.stamp(self.at(starts - timedelta(days=rng.randint(1, 10)), 10)),
        )
        return item, self.comms_log(iid, code, channel, due)

    def comms_log(
        self, iid: int, code: str, channel: str, due: list[date]
    ) -> list[tuple[Any, ...]]:
        """What was sent on the due dates; the latest one is sometimes still outstanding."""
        if due and self.rng.random() < 0.25:
            due = due[:-1]
        rows = []
        for day in due:
            late = self.rng.random() < 0.15
            sent = self.at(
                day + timedelta(days=1 if late else 0),
                self.rng.randint(9, 16),
                self.rng.choice((0, 10, 25, 40)),
            )
            sent = min(sent, self.now - timedelta(minutes=30))
            artifact = f"{code.lower()}-{day.isoformat()}.pdf" if channel == "report" else ""
            note = "Sent a day late." if late else self.rng.choice(COMMS_NOTES)
            rows.append((iid, sent, self.ctx.actor, note, artifact, *self.stamp(sent)))
        return rows

    def comms_audience(
        self, iid: int, pid: int, label: str, created: datetime
    ) -> list[tuple[Any, ...]]:
        """The groups and people an item goes to; each row names exactly one of them."""
        code = self.specs[pid - 1].code
        group_name = {
            "steering": f"{code} steering committee",
            "team": f"{code} product team",
            "leadership": "IT leadership",
            "finance": "Finance liaisons",
            "heads": "Department heads",
        }[label]
        stamp = self.stamp(created)
        rows: list[tuple[Any, ...]] = [(iid, self.group_id[group_name], None, *stamp)]
        if self.rng.random() < 0.4:
            for person in self.sample(self.steering[pid], 1, 2):
                rows.append((iid, None, person, *stamp))
        return rows

    # --- action items -----------------------------------------------------------------------

    def actions(self) -> int:
        """Action items: about 55 % closed; the open ones overdue, due soon, later or undated."""
        columns = ("id", "program", "title", "notes", "owner", "due", "priority", "status")
        rng = self.rng
        cumulative = list(itertools.accumulate(self.weights))
        pools = self.owner_pools()
        phrases = [(verb, obj) for verb, objects in ACTION_PHRASES for obj in objects]
        vendors = {
            pid: [self.vendor_names[v - 1] for v in dict.fromkeys(self.program_vendors[pid])]
            or self.vendor_names[:1]
            for pid in self.leaves
        }
        mine = min(0.05, 60 / self.scale.actions)  # the administrator's own share
        rows = []
        for aid in range(1, self.scale.actions + 1):
            source = rng.choice(self.held) if self.held and rng.random() < 0.12 else None
            if source is not None:
                program = source.program
                status, due, created, closed = self.action_from_meeting(source)
            else:
                program = rng.choices(self.leaves, cum_weights=cumulative)[0]
                status, due, created, closed = self.action_timeline()
            verb, obj = rng.choice(phrases)
            if "{" in obj:
                obj = obj.format(vendor=rng.choice(vendors[program]), dept=rng.choice(DEPARTMENTS))
            owner = 1 if rng.random() < mine else rng.choice(pools[program])
            if status == "blocked":
                notes = rng.choice(BLOCKED_NOTES)
            else:
                notes = rng.choice(ACTION_NOTES) if rng.random() < 0.25 else ""
            rows.append(
                (
                    aid,
                    program,
                    f"{verb} {obj}",
                    notes,
                    None if rng.random() < 0.02 else owner,
                    due,
                    rng.choices(PRIORITY_NAMES, cum_weights=PRIORITY_CUMULATIVE)[0],
                    status,
                    closed,
                    source.meeting if source else None,
                    source.start if source else None,
                    created,
                    closed or created,
                    1,
                )
            )
        more = ("closed_at", "source_meeting", "source_occurrence", *STAMP)
        return _insert(ActionItem, (*columns, *more), rows)

    def owner_pools(self) -> dict[int, list[int]]:
        """Who owns a program's actions: its team most often, then sponsors and contractors."""
        pools = {
            pid: self.team[pid] * 3 + self.steering[pid] + self.assigned[pid][:20]
            for pid in self.leaves
        }
        return {pid: [p for p in pool if p != 1] for pid, pool in pools.items()}

    def action_timeline(self) -> tuple[str, date | None, datetime, datetime | None]:
        """Status, due date, creation and closing of an item not raised in a meeting."""
        rng, today = self.rng, self.today
        roll = rng.random()
        if roll < 0.55:
            due = _workday(today - timedelta(days=rng.randint(-10, 240)))
            created = self.instant_before(due, 3, 40)
            closed = self.closed_after(created, 24 * 45)
            return ("done" if roll < 0.5 else "cancelled"), due, created, closed
        status = rng.choices(OPEN_NAMES, cum_weights=OPEN_CUMULATIVE)[0]
        if roll < 0.66:
            due = _workday(today - timedelta(days=rng.randint(1, 60)), back=True)
        elif roll < 0.84:
            due = _workday(today + timedelta(days=rng.randint(0, 14)))
        elif roll < 0.94:
            due = _workday(today + timedelta(days=rng.randint(15, 150)))
        else:
            return status, None, self.days_ago(1, 120), None
        return status, due, self.instant_before(due, 3, 45), None

    def action_from_meeting(self, held: Held) -> tuple[str, date | None, datetime, datetime | None]:
        """An item raised at a held occurrence: created after it, due a few weeks later."""
        rng = self.rng
        created = min(self.now, held.start + timedelta(hours=1, minutes=rng.randint(5, 90)))
        due = _workday(held.start.astimezone(self.home).date() + timedelta(days=rng.randint(3, 21)))
        overdue = (self.today - due).days
        if (overdue > 0 and (rng.random() < 0.7 or overdue > 60)) or rng.random() < 0.15:
            closed = self.closed_after(created, 24 * 20)
            return rng.choice(("done",) * 9 + ("cancelled",)), due, created, closed
        return rng.choices(OPEN_NAMES, cum_weights=OPEN_CUMULATIVE)[0], due, created, None

    def instant_before(self, due: date, low: int, high: int) -> datetime:
        """When an item due on ``due`` was made: ``low`` to ``high`` days before, in the past."""
        rng = self.rng
        day = min(
            due - timedelta(days=rng.randint(low, high)),
            self.today - timedelta(days=rng.randint(0, 20)),
        )
        latest = self.now - timedelta(minutes=rng.randint(5, 120))
        return min(latest, self.at(day, rng.randint(8, 17), rng.choice((0, 20, 40))))

    def closed_after(self, created: datetime, hours: int) -> datetime:
        """When an item made at ``created`` was closed: within ``hours``, and before now."""
        room = int((self.now - created).total_seconds() // 60)
        if room <= 30:
            return self.now
        return created + timedelta(minutes=self.rng.randint(30, min(room, hours * 60)))

    # --- the whole office -------------------------------------------------------------------

    def link_account(self) -> None:
        """The acting account's user record points at person 1, so "my" items exist."""
        account = UserAccount.get_or_none(UserAccount.account == self.ctx.actor)
        if account is not None:
            records.update(self.ctx, account, account.version, person=1)

    def audit_created(self) -> int:
        """One ``create`` entry per demo record, at its creation time, by the acting account,
        its fields as the log keeps them (read back from the rows just written: 170,000 of
        them at the large size, so from plain SQL rows, converting only money and flags)."""
        return append(_created_entries(self.ctx.actor))

    def governance(self) -> dict[str, int]:
        """Each program's RAID log, budget and metrics, with some history."""
        rng = self.rng
        risks, scorings, issues, decisions, changes = [], [], [], [], []
        lines, costs, metrics, readings = [], [], [], []
        rid = iid = 0
        fiscal = self.today.year + 1 if self.today.month >= 7 else self.today.year
        for pid in self.leaves:
            owner = self.owner[pid]
            for k in rng.sample(range(len(RISKS)), 4):
                rid += 1
                title, category, cause, effect, mitigation = RISKS[k]
                p, i = rng.randint(1, 5), rng.randint(2, 5)
                first = self.days_ago(60, 200)
                status = rng.choice(("open", "open", "mitigating", "closed"))
                risks.append(
                    (rid, pid, title, cause, effect, category, p, i, owner, mitigation, "", "",
                     self.today + timedelta(days=rng.randint(-10, 40)), status, *self.stamp(first))
                )  # fmt: skip
                before_p, before_i = max(1, p - rng.randint(0, 2)), i
                scorings.append((rid, first, before_p, before_i, "demo", *self.stamp(first)))
                later = min(self.now, first + timedelta(days=rng.randint(10, 50)))
                scorings.append((rid, later, p, i, "demo", *self.stamp(later)))
            for title, severity, description in ISSUES[: rng.randint(1, 3)]:
                iid += 1
                made = self.days_ago(5, 60)
                due = self.today + timedelta(days=rng.randint(-5, 20))
                issues.append(
                    (iid, pid, title, description, severity, owner, due, "open", None,
                     *self.stamp(made))
                )  # fmt: skip
            for title, rationale in DECISION_RECORDS[: rng.randint(1, 3)]:
                day = (self.now - timedelta(days=rng.randint(1, 40))).date()
                decisions.append((pid, title, rationale, owner, day, *self.stamp(self.at(day, 15))))
            for k, (title, kind, reason, days, amount) in enumerate(CHANGES[: rng.randint(2, 4)]):
                asked = (self.now - timedelta(days=rng.randint(3, 50))).date()
                status = ("proposed", "approved", "rejected", "implemented")[k % 4]
                decided = asked + timedelta(days=3) if status != "proposed" else None
                changes.append(
                    (pid, title, kind, reason, days, Decimal(amount) if amount else None, "USD",
                     owner, asked, status, owner if decided else None, decided, None,
                     *self.stamp(self.at(asked, 11)))
                )  # fmt: skip
            for line_kind, line_name, base in (
                ("capital", "Build and implementation", 1_500_000),
                ("operating", "Licences and support", 400_000),
            ):
                size = Decimal(base * rng.randint(6, 14) // 10)
                lines.append(
                    (
                        pid,
                        fiscal,
                        line_kind,
                        line_name,
                        size,
                        "USD",
                        None,
                        *self.stamp(self.at(self.today - timedelta(days=150))),
                    )
                )
            for _ in range(4):
                day = self.today - timedelta(days=rng.randint(1, 140))
                costs.append(
                    (
                        pid,
                        None,
                        day,
                        Decimal(rng.randint(500, 9000)),
                        "USD",
                        "Licences and travel",
                        *self.stamp(self.at(day)),
                    )
                )
            for name, unit, direction, target, amber, red, usual, spread in METRICS:
                metrics.append(
                    (
                        pid,
                        name,
                        unit,
                        direction,
                        target,
                        amber,
                        red,
                        "FREQ=MONTHLY",
                        *self.stamp(self.at(self.today - timedelta(days=400))),
                    )
                )
                mid = len(metrics)
                for back in range(11, -1, -1):
                    year, month = divmod(self.today.year * 12 + self.today.month - 1 - back, 12)
                    day = date(year, month + 1, 1)
                    value = usual + rng.uniform(-spread, spread)
                    places = 2 if spread < 1 else 0
                    readings.append(
                        (mid, day, f"{value:.{places}f}", "", *self.stamp(self.at(day)))
                    )
        risk_columns = (
            "id", "program", "title", "cause", "effect", "category", "probability", "impact",
            "owner", "mitigation", "contingency", "trigger", "response_date", "status",
        )  # fmt: skip
        return {
            "risks": _insert(Risk, (*risk_columns, *STAMP), risks),
            "risk assessments": _insert(
                RiskAssessment,
                ("risk", "assessed_at", "probability", "impact", "assessed_by", *STAMP),
                scorings,
            ),
            "issues": _insert(
                Issue,
                (
                    "id",
                    "program",
                    "title",
                    "description",
                    "severity",
                    "owner",
                    "due",
                    "status",
                    "risk",
                    *STAMP,
                ),
                issues,
            ),
            "decisions": _insert(
                Decision,
                ("program", "title", "rationale", "decided_by", "decided_on", *STAMP),
                decisions,
            ),
            "change requests": _insert(
                ChangeRequest,
                (
                    "program",
                    "title",
                    "kind",
                    "reason",
                    "impact_days",
                    "impact_amount",
                    "currency",
                    "requested_by",
                    "requested_on",
                    "status",
                    "approver",
                    "decided_on",
                    "milestone",
                    *STAMP,
                ),
                changes,
            ),
            "budget lines": _insert(
                BudgetLine,
                (
                    "program",
                    "fiscal_year",
                    "kind",
                    "name",
                    "amount",
                    "currency",
                    "estimate_at_completion",
                    *STAMP,
                ),
                lines,
            ),
            "costs": _insert(
                Cost,
                ("program", "budget_line", "date", "amount", "currency", "description", *STAMP),
                costs,
            ),
            "metrics": _insert(
                Metric,
                (
                    "program",
                    "name",
                    "unit",
                    "direction",
                    "target",
                    "amber",
                    "red",
                    "cadence",
                    *STAMP,
                ),
                metrics,
            ),
            "measurements": _insert(
                Measurement, ("metric", "taken_on", "value", "note", *STAMP), readings
            ),
        }

    def build(self) -> dict[str, int]:
        """Every table, parents first; counts by table in a readable order."""
        counts = {"people": self.people(), "programs": self.programs()}
        counts["vendors"] = self.vendors()
        counts["groups"], counts["group members"] = self.groups()
        counts["contracts"], counts["expenditures"] = self.contracts_and_spend()
        counts["assignments"] = self.assignments()
        counts["milestones"], counts["milestone dependencies"] = self.milestones()
        counts.update(self.meetings())
        counts["comms items"], counts["comms audiences"], counts["comms log entries"] = self.comms()
        counts["action items"] = self.actions()
        counts.update(self.governance())
        with _indexes_rebuilt_after(AuditEntry):
            self.audit_created()
        self.link_account()
        order = (
            "programs",
            "people",
            "groups",
            "group members",
            "vendors",
            "contracts",
            "expenditures",
            "assignments",
            "milestones",
            "milestone dependencies",
            "meetings",
            "attendees",
            "occurrence changes",
            "minutes",
            "decisions at meetings",
            "comms items",
            "comms audiences",
            "comms log entries",
            "action items",
            "risks",
            "risk assessments",
            "issues",
            "decisions",
            "change requests",
            "budget lines",
            "costs",
            "metrics",
            "measurements",
        )
        return {name: counts[name] for name in order}


class _MeetingRows:
    """The rows of meetings and what hangs off them, collected before one insert per table."""

    def __init__(self) -> None:
        self.meetings: list[tuple[Any, ...]] = []
        self.attendees: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Any, ...]] = []
        self.minutes: list[tuple[Any, ...]] = []
        self.decisions: list[tuple[Any, ...]] = []

    def write(self) -> dict[str, int]:
        meeting = (
            "id",
            "program",
            "title",
            "agenda",
            "location",
            "link",
            "organizer",
            "start_local",
            "timezone",
            "start_utc",
            "duration_minutes",
            "rrule",
            "until_utc",
            "status",
            "uid",
            "sequence",
        )
        change = (
            "meeting",
            "original_start",
            "new_start",
            "new_duration_minutes",
            "new_location",
            "new_link",
            "cancelled",
        )
        minutes = ("meeting", "occurrence_start", "notes", "attendance")
        decision = ("program", "title", "rationale", "decided_by", "decided_on", "meeting")
        return {
            "meetings": _insert(Meeting, (*meeting, *STAMP), self.meetings),
            "attendees": _insert(
                Attendee, ("meeting", "person", "role", "response", *STAMP), self.attendees
            ),
            "occurrence changes": _insert(OccurrenceChange, (*change, *STAMP), self.changes),
            "minutes": _insert(Minutes, (*minutes, *STAMP), self.minutes),
            "decisions at meetings": _insert(
                Decision, (*decision, "occurrence_start", *STAMP), self.decisions
            ),
        }


def _holds_data() -> bool:
    """Whether any record other than the user accounts ``docket init`` makes exists."""
    records = [m for m in TABLES if issubclass(m, Record) and m is not UserAccount]
    return any(model.select().exists() for model in records)


def _where() -> str:
    name = str(getattr(database.obj, "database", "") or "")
    return name if name and name != ":memory:" else "this one"


def build_demo(ctx: Context, *, size: str = "small", seed: int = 1) -> dict[str, int]:
    """Fill an empty, initialised database with a demo office; how many of each record.

    Refuses a database that already holds records (it would mix demo data into real work)
    and then writes nothing. Same ``seed`` and same clock: the same data, byte for byte.
    """
    scale = SIZES.get(size)
    if scale is None:
        raise ValidationError("size", f"expected small or large, got {size!r}")
    with write():
        if _holds_data():
            raise DocketError(f"demo needs an empty database; {_where()} already holds data")
        return _Office(ctx, scale, seed).build()
