"""A demo program office: a city IT department's portfolio, deterministic for a seed.

``small`` is for trying docket; ``large`` is the scale of DESIGN section 7 (20 programs,
2,000 people, 100,000 action items, 5,000 meetings of which 500 weekly series, 2,000
milestones, 300 comms plan items, 1,000 assignments, 100 contracts). Every date is relative
to the context's clock and every choice comes from one ``random.Random(seed)``, so the same
seed on the same day gives the same database. Rows are inserted in bulk in one
transaction; demo data carries no audit history (nobody changed it).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from peewee import Model

from docket.models.context import Context
from docket.models.database import write
from docket.models.errors import DocketError, ValidationError
from docket.models.schema import (
    ActionItem,
    Assignment,
    Attendee,
    CommsAudience,
    CommsItem,
    CommsLogEntry,
    Contract,
    Expenditure,
    Group,
    GroupMember,
    Meeting,
    Milestone,
    Minutes,
    OccurrenceChange,
    Person,
    Program,
    UserAccount,
    Vendor,
)

ZONE_NAME = "America/Chicago"
BATCH = 500


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


SIZES = {
    "small": Scale(6, 60, 400, 40, 10, 40, 20, 40, 10),
    "large": Scale(20, 2000, 100_000, 5000, 500, 2000, 300, 1000, 100),
}

# (code, name, objective); the first two are portfolios that group the others
PROGRAMS = [
    ("CORE", "Core systems portfolio", "Replace and modernise the city's systems of record"),
    ("SVC", "Resident services portfolio", "Make city services easy to reach online and by phone"),
    ("ERP", "ERP replacement", "Replace the 1998 financial system with a cloud ERP by FY28"),
    ("CRM", "311 CRM", "One place for residents' service requests, by phone, app and web"),
    ("PERMIT", "Permitting portal", "Apply, pay and track building permits online"),
    ("NET", "Network refresh", "Replace end-of-life switches at 140 city sites"),
    ("GIS", "GIS modernisation", "Move the city's maps to a hosted GIS platform"),
    ("PAY", "Payroll upgrade", "Upgrade payroll and timekeeping for 9,000 employees"),
    ("BODYCAM", "Body-worn cameras", "Equip patrol with cameras and evidence storage"),
    ("WIFI", "Public Wi-Fi", "Free Wi-Fi in libraries, parks and recreation centres"),
    ("DATA", "Data warehouse", "A governed warehouse for citywide reporting"),
    ("SEC", "Security operations", "24x7 monitoring and incident response"),
    ("CLOUD", "Cloud migration", "Move 300 servers out of the ageing data centre"),
    ("PHONE", "VoIP telephony", "Replace the PBX with hosted voice"),
    ("LIB", "Library systems", "A new integrated library system"),
    ("COURT", "Court case management", "Municipal court case management and e-filing"),
    ("911CAD", "911 dispatch (CAD)", "Replace computer-aided dispatch for police and fire"),
    ("UTIL", "Utility billing", "New billing for water and sewer accounts"),
    ("PARKS", "Parks reservations", "Online booking of fields, shelters and rooms"),
    ("DMS", "Document management", "Records retention and document management"),
]
RAG_NOTES = {
    "green": ["On schedule and budget.", "Pilot going well; no open issues."],
    "amber": [
        "Vendor UAT two weeks late; go-live date holds for now.",
        "Budget pressure from hardware price rises.",
        "Key analyst on leave; backfill requested.",
    ],
    "red": [
        "Data migration failed dress rehearsal; go-live at risk.",
        "Contract dispute with integrator; escalated to CIO.",
    ],
}
FIRST = (
    "Ana Bo Carmen Dev Elena Farid Grace Hiro Imani Jamal Kai Lena Marcus Nadia Omar Priya "
    "Quinn Rosa Sam Tomas Uma Victor Wen Xavier Yara Zoe Aaron Beatriz Chen Diego Esther "
    "Felix Gloria Hassan Ines Jorge Keisha Liam Maya Noor Oscar Paula Rahul Sofia Tariq "
    "Valeria Will Yusuf Amara Ben"
).split()
LAST = (
    "Lopez Chen Nguyen Patel Okafor Kim Garcia Johnson Haddad Silva Novak Rossi Cohen "
    "Tanaka Mensah Ivanova Murphy Schmidt Dubois Alvarez Singh Kowalski Osei Park Reyes "
    "Fischer Ahmed Moreau Baker Costa Ward Lindqvist Obi Jensen Romero Walsh Ito Hughes "
    "Petrov Flores"
).split()
DEPARTMENTS = [
    "City IT",
    "Finance",
    "Public Works",
    "Police",
    "Fire",
    "Planning",
    "Parks and Recreation",
    "Library",
    "Human Resources",
    "Water",
    "Courts",
]
STAFF_TITLES = [
    "Program Manager",
    "Business Analyst",
    "Project Manager",
    "IT Director",
    "Systems Analyst",
    "Enterprise Architect",
    "Database Administrator",
]
STAKEHOLDER_TITLES = [
    "Deputy Director",
    "Department Head",
    "Budget Officer",
    "Chief of Staff",
    "Operations Manager",
    "Council Liaison",
]
VENDORS = [
    "Northwind Consulting",
    "Contoso Systems",
    "Fabrikam Integration",
    "Tailspin Data",
    "Adatum Networks",
    "Litware Security",
    "Proseware Cloud",
    "Wingtip Telecom",
    "Lucerne Analytics",
    "Alpine GIS",
    "Woodgrove Partners",
    "Trey Research",
]
CONTRACT_ROLES = [
    "Developer",
    "Solution Architect",
    "Business Analyst",
    "Tester",
    "Project Manager",
    "Data Engineer",
    "Network Engineer",
    "Trainer",
]
VERBS = [
    "Send",
    "Review",
    "Confirm",
    "Draft",
    "Update",
    "Schedule",
    "Chase",
    "Approve",
    "Circulate",
    "Collect",
    "Escalate",
    "Prepare",
    "Book",
    "Sign off",
    "Follow up on",
]
OBJECTS = [
    "budget draft to Finance",
    "UAT environment with vendor",
    "risk register",
    "steering committee deck",
    "cutover plan",
    "training schedule",
    "data migration test results",
    "change request for scope",
    "invoice for October",
    "SOW amendment",
    "site survey results",
    "security review",
    "go-live checklist",
    "vendor timesheets",
    "status report",
    "interface specification",
    "procurement paperwork",
    "test scripts",
    "room for workshop",
    "communications plan",
]
MILESTONES = [
    "Requirements signed off",
    "Vendor selected",
    "Design complete",
    "Build complete",
    "System test complete",
    "UAT complete",
    "Training delivered",
    "Go-live",
    "Hypercare ends",
    "Pilot site live",
    "Data migration rehearsal",
    "Contract signed",
]
MEETINGS = [
    "Steering committee",
    "Vendor check-in",
    "Product team sync",
    "Risk review",
    "Change advisory board",
    "Budget review",
    "Design workshop",
    "Cutover planning",
]
DECISIONS = [
    "Approved the revised timeline.",
    "Deferred the reporting module to phase 2.",
    "Agreed to add a second test cycle.",
    "Chose option B for data migration.",
]


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    for batch in _batches(rows):
        model.insert_many(batch).execute()
        count += len(batch)
    return count


class _Office:
    """Builds one demo office; holds the random source, the clock and the ids made so far."""

    def __init__(self, ctx: Context, scale: Scale, seed: int) -> None:
        self.ctx = ctx
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = ctx.now()
        self.today = ctx.today()
        self.zone = ZoneInfo(ZONE_NAME)
        self.programs: list[int] = []
        self.staff: list[int] = []
        self.contractors: list[int] = []
        self.stakeholders: list[int] = []
        self.groups: dict[int, list[int]] = {}
        self.contracts: list[tuple[int, int, date, date]] = []
        self.meetings: list[tuple[int, int, datetime]] = []

    def stamp(self, days_ago: int = 0) -> dict[str, Any]:
        at = self.now - timedelta(days=days_ago, minutes=self.rng.randrange(0, 600))
        return {"created_at": at, "updated_at": at, "version": 1}

    def day(self, low: int, high: int) -> date:
        return self.today + timedelta(days=self.rng.randint(low, high))

    # --- people, programs, groups --------------------------------------------------

    def people(self) -> int:
        rows = []
        seen: dict[str, int] = {}
        for pid in range(1, self.scale.people + 1):
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            base = f"{first}.{last}".lower()
            seen[base] = seen.get(base, 0) + 1
            email = f"{base}{seen[base] if seen[base] > 1 else ''}@city.example"
            if pid == 1:
                kind, title, org = "staff", "Associate Program Administrator", "City IT"
            else:
                kind = self.rng.choices(["staff", "stakeholder", "contractor"], [4, 3, 3])[0]
                title, org = self._role(kind)
            {"staff": self.staff, "stakeholder": self.stakeholders, "contractor": self.contractors}[
                kind
            ].append(pid)
            rows.append(
                {
                    "id": pid,
                    "name": f"{first} {last}",
                    "email": email,
                    "organization": org,
                    "title": title,
                    "phone": f"+1 312 555 {self.rng.randrange(10000):04d}",
                    "timezone": ZONE_NAME,
                    "kind": kind,
                    "account": self.ctx.actor if pid == 1 else None,
                    **self.stamp(400),
                }
            )
        count = _insert(Person, rows)
        UserAccount.update(person=1).where(UserAccount.account == self.ctx.actor).execute()
        return count

    def _role(self, kind: str) -> tuple[str, str]:
        if kind == "staff":
            return self.rng.choice(STAFF_TITLES), "City IT"
        if kind == "stakeholder":
            return self.rng.choice(STAKEHOLDER_TITLES), self.rng.choice(DEPARTMENTS[1:])
        return self.rng.choice(CONTRACT_ROLES), self.rng.choice(VENDORS)

    def programs_(self) -> int:
        chosen = PROGRAMS[: self.scale.programs]
        rows = []
        for pid, (code, name, objective) in enumerate(chosen, start=1):
            rag = self.rng.choices(["green", "amber", "red"], [5, 3, 1])[0]
            parent = None if pid <= 2 else (1 if pid % 2 else 2)
            if self.scale.programs < 4:
                parent = None
            rows.append(
                {
                    "id": pid,
                    "code": code,
                    "name": name,
                    "objective": objective,
                    "parent": parent,
                    "owner": self.rng.choice(self.staff),
                    "rag": rag,
                    "rag_note": self.rng.choice(RAG_NOTES[rag]),
                    **self.stamp(500),
                }
            )
            if pid > 2:
                self.programs.append(pid)
        return _insert(Program, rows)

    def groups_(self) -> tuple[int, int]:
        groups, members = [], []
        gid = 0
        codes = {pid: PROGRAMS[pid - 1] for pid in self.programs}
        for code, name, _ in codes.values():
            for label, pool, size in (
                ("steering committee", self.stakeholders, 7),
                ("product team", self.staff + self.contractors, 9),
            ):
                gid += 1
                groups.append(
                    {
                        "id": gid,
                        "name": f"{code} {label}",
                        "description": f"{name}: {label}",
                        **self.stamp(300),
                    }
                )
                chosen = sorted(set(self.rng.sample(pool, min(size, len(pool)))) | {1})
                self.groups[gid] = chosen
                members += [{"group": gid, "person": p, **self.stamp(300)} for p in chosen]
        gid += 1
        groups.append(
            {
                "id": gid,
                "name": "IT leadership",
                "description": "CIO and directors",
                **self.stamp(300),
            }
        )
        self.groups[gid] = sorted(self.rng.sample(self.staff, min(6, len(self.staff))))
        members += [{"group": gid, "person": p, **self.stamp(300)} for p in self.groups[gid]]
        return _insert(Group, groups), _insert(GroupMember, members)

    # --- vendors, contracts, spend, assignments ------------------------------------

    def contracts_(self) -> tuple[int, int, int]:
        vendors = [
            {
                "id": i,
                "name": n,
                "contact_note": f"accounts@{n.split()[0].lower()}.example",
                **self.stamp(600),
            }
            for i, n in enumerate(VENDORS, start=1)
        ]
        contracts, spend = [], []
        for cid in range(1, self.scale.contracts + 1):
            start = self.day(-540, -30)
            end = start + timedelta(days=self.rng.choice([365, 540, 730]))
            if cid % 7 == 0:  # some end soon
                end = self.day(10, 55)
            ceiling = Decimal(self.rng.randrange(150, 4000) * 1000)
            program = self.programs[cid % len(self.programs)]
            contracts.append(
                {
                    "id": cid,
                    "vendor": (cid - 1) % len(VENDORS) + 1,
                    "number": f"C-{start.year}-{cid:04d}",
                    "title": f"{VENDORS[(cid - 1) % len(VENDORS)]} services",
                    "program": program,
                    "start": start,
                    "end": end,
                    "ceiling": ceiling,
                    "currency": "USD",
                    **self.stamp(500),
                }
            )
            self.contracts.append((cid, program, start, end))
            burn = Decimal(self.rng.choice([40, 60, 75, 85, 95])) / 100
            months = max(1, (min(self.today, end) - start).days // 30)
            total_days = max(30, (end - start).days)
            monthly = (ceiling * burn * 30 / total_days).quantize(Decimal("0.01"))
            for month in range(months):
                spend.append(
                    {
                        "contract": cid,
                        "date": start + timedelta(days=30 * (month + 1)),
                        "amount": monthly * Decimal(self.rng.randrange(80, 121)) / 100,
                        "invoice_ref": f"INV-{cid:03d}-{month + 1:02d}",
                        **self.stamp(30 * (months - month)),
                    }
                )
        return _insert(Vendor, vendors), _insert(Contract, contracts), _insert(Expenditure, spend)

    def assignments(self) -> int:
        rows = []
        pool = self.contractors or self.staff
        for aid in range(1, self.scale.assignments + 1):
            cid, program, c_start, _ = self.contracts[aid % len(self.contracts)]
            start = max(c_start, self.day(-300, 20))
            end = start + timedelta(days=self.rng.choice([90, 180, 270, 365]))
            if aid % 9 == 0:
                end = self.day(3, 29)  # ending this month
                start = min(start, end - timedelta(days=60))
            rows.append(
                {
                    "id": aid,
                    "person": pool[aid % len(pool)] if aid % 4 else self.rng.choice(pool),
                    "program": program,
                    "contract": cid,
                    "role": self.rng.choice(CONTRACT_ROLES),
                    "allocation": self.rng.choice([20, 25, 50, 50, 75, 100]),
                    "start": start,
                    "end": end,
                    "rate": Decimal(self.rng.randrange(85, 215)),
                    **self.stamp(200),
                }
            )
        return _insert(Assignment, rows)

    # --- milestones ----------------------------------------------------------------

    def milestones(self) -> int:
        rows = []
        for mid in range(1, self.scale.milestones + 1):
            baseline = self.day(-240, 300)
            slip = 0 if self.rng.random() < 0.6 else self.rng.choice([7, 14, 21, 30, 45, 60])
            forecast = baseline + timedelta(days=slip)
            actual = None
            if forecast < self.today and self.rng.random() < 0.8:
                actual = forecast + timedelta(days=self.rng.choice([-3, 0, 0, 2, 5]))
                actual = min(actual, self.today)
            rows.append(
                {
                    "id": mid,
                    "program": self.programs[mid % len(self.programs)],
                    "title": MILESTONES[mid % len(MILESTONES)],
                    "owner": self.rng.choice(self.staff),
                    "baseline": baseline,
                    "forecast": forecast,
                    "actual": actual,
                    "deliverable": "Signed acceptance certificate",
                    **self.stamp(250),
                }
            )
        return _insert(Milestone, rows)

    # --- meetings --------------------------------------------------------------------

    def _utc(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def meetings_(self) -> dict[str, int]:
        meetings, attendees, changes, minutes = [], [], [], []
        for mid in range(1, self.scale.meetings + 1):
            series = mid <= self.scale.series
            program = self.programs[mid % len(self.programs)]
            first_day = self.day(-120, -7) if series else self.day(-60, 45)
            start = datetime.combine(
                first_day, time(self.rng.choice([9, 10, 11, 13, 14, 15]), self.rng.choice([0, 30]))
            )
            count = self.rng.choice([12, 26, 52]) if series else 1
            weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
            rrule = f"FREQ=WEEKLY;BYDAY={weekday};COUNT={count}" if series else ""
            last = start + timedelta(weeks=count - 1)
            gid = self.rng.choice(list(self.groups))
            meetings.append(
                {
                    "id": mid,
                    "program": program,
                    "title": f"{PROGRAMS[program - 1][0]} {self.rng.choice(MEETINGS).lower()}",
                    "agenda": "1. Actions from last time\n2. Status\n3. Risks\n4. Decisions",
                    "location": f"City Hall room {self.rng.randrange(200, 520)}",
                    "link": f"https://meet.city.example/{mid:05d}",
                    "organizer": 1,
                    "start_local": start.strftime("%Y-%m-%d %H:%M:%S"),
                    "timezone": ZONE_NAME,
                    "start_utc": self._utc(start),
                    "duration_minutes": self.rng.choice([30, 60, 60, 90]),
                    "rrule": rrule,
                    "until_utc": self._utc(last) if series else None,
                    "status": "confirmed",
                    "uid": f"{self.rng.getrandbits(128):032x}@docket.demo",
                    "sequence": 0,
                    **self.stamp(150),
                }
            )
            for person in self.groups[gid][:8]:
                attendees.append(
                    {
                        "meeting": mid,
                        "person": person,
                        "role": "chair"
                        if person == 1
                        else self.rng.choice(["required", "required", "optional"]),
                        "response": self.rng.choice(
                            ["accepted", "accepted", "needs action", "tentative", "declined"]
                        ),
                        **self.stamp(140),
                    }
                )
            if series and mid % 3 == 0:
                cancelled = start + timedelta(weeks=self.rng.randrange(1, count))
                changes.append(
                    {
                        "meeting": mid,
                        "original_start": self._utc(cancelled),
                        "cancelled": True,
                        **self.stamp(60),
                    }
                )
            if series and mid % 4 == 0:
                moved = start + timedelta(weeks=self.rng.randrange(1, count))
                if all(
                    c["original_start"] != self._utc(moved) for c in changes if c["meeting"] == mid
                ):
                    changes.append(
                        {
                            "meeting": mid,
                            "original_start": self._utc(moved),
                            "new_start": self._utc(moved + timedelta(days=1)),
                            **self.stamp(60),
                        }
                    )
            held = start if start.date() < self.today else None
            if held is not None:
                minutes.append(
                    {
                        "meeting": mid,
                        "occurrence_start": self._utc(held),
                        "notes": "Reviewed status and open actions.",
                        "attendance": "quorum present",
                        "decisions": self.rng.choice(DECISIONS),
                        **self.stamp(30),
                    }
                )
                self.meetings.append((mid, program, held))
        return {
            "meetings": _insert(Meeting, meetings),
            "attendees": _insert(Attendee, attendees),
            "occurrence changes": _insert(OccurrenceChange, changes),
            "minutes": _insert(Minutes, minutes),
        }

    # --- communications ------------------------------------------------------------

    def comms(self) -> tuple[int, int, int]:
        items, audience, log = [], [], []
        cadences = [
            "FREQ=WEEKLY;BYDAY=FR",
            "FREQ=MONTHLY;BYMONTHDAY=1",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            "FREQ=MONTHLY;BYDAY=1WE",
        ]
        names = [
            "Weekly status to steering committee",
            "Monthly budget report",
            "Fortnightly vendor performance note",
            "Newsletter to department heads",
            "Go-live readiness briefing",
        ]
        channels = ["e-mail", "report", "e-mail", "newsletter", "meeting"]
        group_ids = list(self.groups)
        for iid in range(1, self.scale.comms + 1):
            kind = iid % len(names)
            one_off = kind == 4
            cadence = self.day(5, 60).isoformat() if one_off else cadences[kind % len(cadences)]
            program = self.programs[iid % len(self.programs)]
            items.append(
                {
                    "id": iid,
                    "program": program,
                    "name": f"{PROGRAMS[program - 1][0]}: {names[kind]}",
                    "purpose": "Keep stakeholders informed of progress, risks and decisions",
                    "channel": channels[kind],
                    "cadence": cadence,
                    "starts": self.day(-120, -30),
                    "owner": self.rng.choice(self.staff[:20] or [1]),
                    "digest_kind": "status" if channels[kind] in ("e-mail", "report") else None,
                    "active": True,
                    **self.stamp(120),
                }
            )
            audience.append(
                {
                    "item": iid,
                    "group": self.rng.choice(group_ids),
                    "person": None,
                    **self.stamp(120),
                }
            )
            for weeks_ago in range(1, 4 if not one_off else 1):
                sent = self.now - timedelta(weeks=weeks_ago, hours=self.rng.randrange(0, 8))
                log.append(
                    {
                        "item": iid,
                        "sent_at": sent,
                        "sent_by": self.ctx.actor,
                        "note": "Sent as planned",
                        "artifact": "",
                        **self.stamp(7 * weeks_ago),
                    }
                )
        return (
            _insert(CommsItem, items),
            _insert(CommsAudience, audience),
            _insert(CommsLogEntry, log),
        )

    # --- action items ----------------------------------------------------------------

    def actions(self) -> int:
        owners = self.staff + self.contractors
        held = self.meetings
        # the administrator's own share: a few dozen open items, like a real desk
        mine = max(40, self.scale.actions // 150)

        def rows() -> Iterator[dict[str, Any]]:
            rng = self.rng
            for aid in range(1, self.scale.actions + 1):
                roll = rng.random()
                if roll < 0.5:
                    status, due = "done", self.day(-200, 5)
                elif roll < 0.55:
                    status, due = "cancelled", self.day(-200, 20)
                elif roll < 0.68:
                    status, due = rng.choice(["open", "in progress", "blocked"]), self.day(-60, -1)
                elif roll < 0.85:
                    status, due = rng.choice(["open", "open", "in progress"]), self.day(0, 14)
                elif roll < 0.95:
                    status, due = "open", self.day(15, 120)
                else:
                    status, due = "open", None
                created = self.stamp(rng.randrange(1, 220))
                closed = (
                    created["created_at"] + timedelta(days=rng.randrange(0, 30))
                    if status in ("done", "cancelled")
                    else None
                )
                if closed is not None and closed > self.now:
                    closed = self.now
                source = held[aid % len(held)] if held and aid % 5 == 0 else None
                yield {
                    "id": aid,
                    "program": self.programs[aid % len(self.programs)],
                    "title": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
                    "notes": "" if aid % 3 else "Raised at the weekly sync.",
                    "owner": 1 if aid % mine == 0 else rng.choice(owners),
                    "due": due,
                    "priority": rng.choices(["low", "normal", "high", "urgent"], [2, 12, 4, 1])[0],
                    "status": status,
                    "closed_at": closed,
                    "source_meeting": source[0] if source else None,
                    "source_occurrence": self._utc(source[2]) if source else None,
                    **created,
                }

        return _insert(ActionItem, rows())


def _holds_data() -> bool:
    return any(model.select().exists() for model in (Program, Person, ActionItem, Meeting, Vendor))


def build_demo(ctx: Context, *, size: str = "small", seed: int = 1) -> dict[str, int]:
    """Fill an empty database with a demo office; returns how many of each record it made."""
    if size not in SIZES:
        raise ValidationError("size", f"expected small or large, got {size!r}")
    office = _Office(ctx, SIZES[size], seed)
    with write():
        if _holds_data():
            raise DocketError("demo needs an empty database; this one already holds data")
        counts: dict[str, int] = {}
        counts["people"] = office.people()
        counts["programs"] = office.programs_()
        counts["groups"], counts["group members"] = office.groups_()
        counts["vendors"], counts["contracts"], counts["expenditures"] = office.contracts_()
        counts["assignments"] = office.assignments()
        counts["milestones"] = office.milestones()
        counts.update(office.meetings_())
        counts["comms items"], counts["comms audiences"], counts["comms log entries"] = (
            office.comms()
        )
        counts["action items"] = office.actions()
    return counts
