"""The demo office's catalogue as data: its programs, the names and posts of its people, its
departments and its vendors. A size takes the first N programs and vendors, so the order
of these tables is part of what makes the same seed give the same office."""

from __future__ import annotations

from typing import NamedTuple

# city people all work in Chicago; so do most meetings
HOME_ZONE = "America/Chicago"


class VendorSpec(NamedTuple):
    """A vendor company and the program codes it serves (none: a generalist)."""

    name: str
    serves: tuple[str, ...]


class ProgramSpec(NamedTuple):
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
CONTRACTOR_ZONES: tuple[tuple[str, int], ...] = (
    (HOME_ZONE, 14),
    ("America/New_York", 3),
    ("America/Denver", 1),
    ("America/Los_Angeles", 2),
    ("Asia/Kolkata", 1),
)

# small takes the first six
VENDORS = (
    VendorSpec("Oakline ERP Partners", ("ERP", "PAY")),
    VendorSpec("Tallgrass Digital", ("CRM", "PERMIT", "PARKS", "UTIL")),
    VendorSpec("Keystone GovTech", ("PERMIT", "COURT", "LIB")),
    VendorSpec("Northpoint Networks", ("NET", "WIFI", "PHONE")),
    VendorSpec("Lakeshore Consulting", ()),
    VendorSpec("Westgate Staffing", ()),
    VendorSpec("Fieldstone GIS", ("GIS",)),
    VendorSpec("Pioneer Payroll Services", ("PAY",)),
    VendorSpec("Beacon Dispatch Systems", ("911CAD", "BODYCAM")),
    VendorSpec("Ironwood Security", ("SEC", "BODYCAM")),
    VendorSpec("Summit Cloud Services", ("CLOUD", "DATA")),
    VendorSpec("Riverbend Telecom", ("PHONE", "WIFI")),
    VendorSpec("Cedar Ridge Analytics", ("DATA",)),
    VendorSpec("Larkspur Library Solutions", ("LIB",)),
    VendorSpec("Anchor Court Systems", ("COURT",)),
    VendorSpec("Trident Utility Software", ("UTIL",)),
    VendorSpec("Maple Street Records", ("DMS",)),
    VendorSpec("Bluestem Software", ("CRM", "PARKS")),
    VendorSpec("Quarry Data Works", ("DATA", "ERP")),
    VendorSpec("Blue Heron Training", ()),
    VendorSpec("Foxglove Design Studio", ("CRM", "PERMIT")),
    VendorSpec("Granite Integration Partners", ("ERP", "CRM", "UTIL")),
    VendorSpec("Harbor & Hale Consulting", ()),
    VendorSpec("Corvid Networks", ("NET", "SEC")),
)
CONTRACT_SERVICES = (
    "implementation services",
    "software subscription",
    "staff augmentation",
    "hardware and installation",
    "managed services",
    "training and change management",
)
