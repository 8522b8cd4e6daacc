"""The demo office's choosing as data: its criteria and their pairwise comparisons, the
proposals its departments send in, the roles a proposal needs, the two solicitations and
the service levels its contracts promise. The order of these tables is part of what makes
the same seed give the same office."""

from __future__ import annotations

from typing import NamedTuple


class CriterionSpec(NamedTuple):
    """A criterion proposals are scored on, with its direct weight (they sum to 1)."""

    name: str
    description: str
    weight: str


class ProposalSpec(NamedTuple):
    """A kind of proposal: its title (``{dept}`` is a department), the program codes it
    fits (none: any), its size (``small``, ``medium``, ``large``), problem and objectives."""

    title: str
    programs: tuple[str, ...]
    size: str
    problem: str
    objectives: str


class SolicitationSpec(NamedTuple):
    """A solicitation the demo runs: what is bought, its criteria (name, weight, price) and
    its conformance checklist (requirement, mandatory)."""

    title: str
    scope: str
    criteria: tuple[tuple[str, str, bool], ...]
    conformance: tuple[tuple[str, bool], ...]


CRITERIA = (
    CriterionSpec(
        "Strategic alignment",
        "Serves the city's strategic plan and the IT roadmap",
        "0.25",
    ),
    CriterionSpec(
        "Mandate and compliance",
        "Required by law, regulation, an audit finding or a council resolution",
        "0.20",
    ),
    CriterionSpec(
        "Risk reduction",
        "Retires end-of-life systems, closes security or continuity gaps",
        "0.15",
    ),
    CriterionSpec(
        "Citizen impact",
        "How many residents it reaches and how much it improves their service",
        "0.15",
    ),
    CriterionSpec(
        "Cost efficiency",
        "Savings and cost avoidance against what it costs over its life",
        "0.10",
    ),
    CriterionSpec(
        "Technical feasibility",
        "Proven technology, skills the office has or can buy, few unknowns",
        "0.10",
    ),
    CriterionSpec(
        "Organizational readiness",
        "The department has a sponsor, staff time and appetite for the change",
        "0.05",
    ),
)

# (first, second, ratio): how many times ``first`` matters more than ``second`` on the
# 1-9 scale, the weights' ratios rounded to the scale (consistency ratio well under 0.10)
COMPARISONS = (
    ("Strategic alignment", "Mandate and compliance", "1"),
    ("Strategic alignment", "Risk reduction", "2"),
    ("Strategic alignment", "Citizen impact", "2"),
    ("Strategic alignment", "Cost efficiency", "3"),
    ("Strategic alignment", "Technical feasibility", "3"),
    ("Strategic alignment", "Organizational readiness", "5"),
    ("Mandate and compliance", "Risk reduction", "1"),
    ("Mandate and compliance", "Citizen impact", "1"),
    ("Mandate and compliance", "Cost efficiency", "2"),
    ("Mandate and compliance", "Technical feasibility", "2"),
    ("Mandate and compliance", "Organizational readiness", "4"),
    ("Risk reduction", "Citizen impact", "1"),
    ("Risk reduction", "Cost efficiency", "2"),
    ("Risk reduction", "Technical feasibility", "2"),
    ("Risk reduction", "Organizational readiness", "3"),
    ("Citizen impact", "Cost efficiency", "2"),
    ("Citizen impact", "Technical feasibility", "2"),
    ("Citizen impact", "Organizational readiness", "3"),
    ("Cost efficiency", "Technical feasibility", "1"),
    ("Cost efficiency", "Organizational readiness", "2"),
    ("Technical feasibility", "Organizational readiness", "2"),
)

# what a proposal costs up front, by size: (lowest, highest) capital in thousands
SIZES = {"small": (60, 350), "medium": (350, 2_000), "large": (2_000, 9_000)}

PROPOSALS = (
    ProposalSpec(
        "Online payments for {dept} fees",
        ("PERMIT", "CRM", "COURT"),
        "small",
        "{dept} takes fees by cheque and at the counter only.",
        "Card and bank payments online; same-day reconciliation with Finance.",
    ),
    ProposalSpec(
        "Replace the {dept} case tracking spreadsheet",
        (),
        "small",
        "{dept} tracks cases in a shared spreadsheet with no history or access control.",
        "A supported case system with audit trail and reporting.",
    ),
    ProposalSpec(
        "Mobile field inspections for {dept}",
        ("PERMIT", "CRM", "GIS"),
        "medium",
        "Inspectors write results on paper and key them in at the office.",
        "Inspectors record results on tablets in the field, with photos and maps.",
    ),
    ProposalSpec(
        "Procure-to-pay automation",
        ("ERP",),
        "large",
        "Invoices are matched to purchase orders by hand; late payment penalties grow.",
        "Three-way match in the ERP; 80 % of invoices paid without touching them.",
    ),
    ProposalSpec(
        "Grants management module",
        ("ERP",),
        "medium",
        "Federal grants are tracked outside the financial system; audit findings repeat.",
        "Grants, draws and reporting in the ERP; close the audit finding.",
    ),
    ProposalSpec(
        "311 chatbot and self-service knowledge base",
        ("CRM",),
        "medium",
        "Call volume peaks leave residents on hold for over ten minutes.",
        "Answer the twenty most common questions online, day and night.",
    ),
    ProposalSpec(
        "Resident portal single sign-on",
        ("CRM", "PERMIT", "SVC"),
        "medium",
        "Residents keep a separate login for each city service.",
        "One account for permits, 311, payments and library.",
    ),
    ProposalSpec(
        "Electronic plan review",
        ("PERMIT",),
        "medium",
        "Plans arrive on paper and travel between reviewers by courier.",
        "Concurrent digital review with mark-ups; review time down by a third.",
    ),
    ProposalSpec(
        "Branch network SD-WAN",
        ("NET",),
        "large",
        "Branch sites run on ageing leased lines with no failover.",
        "Two links per site with automatic failover and central management.",
    ),
    ProposalSpec(
        "Wireless refresh for {dept} sites",
        ("NET", "WIFI"),
        "medium",
        "Access points at {dept} sites are past end of support.",
        "Current, centrally managed access points with guest separation.",
    ),
    ProposalSpec(
        "Multi-factor authentication for all staff",
        ("SEC",),
        "small",
        "Only administrators use a second factor; the insurer now requires it for all.",
        "Every staff account behind MFA before the policy renewal.",
    ),
    ProposalSpec(
        "Endpoint detection and response",
        ("SEC",),
        "medium",
        "Antivirus alone misses the attacks seen in peer cities.",
        "EDR on every city device, watched around the clock.",
    ),
    ProposalSpec(
        "Backup modernisation and immutable copies",
        ("SEC", "CLOUD"),
        "medium",
        "Backups run to tape; a ransomware attack could reach them.",
        "Immutable off-site copies; restore tested quarterly.",
    ),
    ProposalSpec(
        "Data centre exit, wave {n}",
        ("CLOUD",),
        "large",
        "The data centre lease ends and its cooling fails every summer.",
        "Move the wave's servers to hosted infrastructure and close racks.",
    ),
    ProposalSpec(
        "Citywide data catalogue",
        ("DATA",),
        "small",
        "Departments cannot find or trust each other's data sets.",
        "A catalogue of data sets with owners, definitions and quality scores.",
    ),
    ProposalSpec(
        "Performance dashboards for {dept}",
        ("DATA",),
        "small",
        "{dept} reports its measures by hand each quarter.",
        "Dashboards refreshed nightly from the warehouse.",
    ),
    ProposalSpec(
        "Address data clean-up",
        ("GIS", "DATA"),
        "small",
        "Five systems hold five versions of the city's addresses.",
        "One authoritative address list, used by 911, permits and 311.",
    ),
    ProposalSpec(
        "Timekeeping kiosks for {dept}",
        ("PAY",),
        "small",
        "Field crews fill in paper timesheets; payroll corrections take days.",
        "Crews clock in at kiosks; timesheets flow to payroll daily.",
    ),
    ProposalSpec(
        "Contact-centre software for {dept}",
        ("PHONE", "CRM"),
        "medium",
        "{dept} answers calls on desk phones with no queue or callback.",
        "Queues, callbacks and call recording for {dept}'s lines.",
    ),
    ProposalSpec(
        "Self-checkout and RFID for branches",
        ("LIB",),
        "medium",
        "Staff spend half their desk time on checkouts.",
        "Self-checkout in every branch; staff freed for programs.",
    ),
    ProposalSpec(
        "Court e-filing for attorneys",
        ("COURT",),
        "medium",
        "Attorneys file on paper; the clerk's office scans 4,000 pages a week.",
        "Electronic filing and service, with fees paid online.",
    ),
    ProposalSpec(
        "Next-generation 911 readiness",
        ("911CAD",),
        "large",
        "The state requires NG911 call handling within three years.",
        "Text, video and location data from callers reach dispatchers.",
    ),
    ProposalSpec(
        "Records retention automation for {dept}",
        (),
        "small",
        "{dept} keeps every record forever because nobody can apply the schedule.",
        "Retention rules applied automatically, with legal holds.",
    ),
    ProposalSpec(
        "Fleet telematics for {dept}",
        (),
        "medium",
        "{dept} vehicles are dispatched without knowing where they are.",
        "Vehicle locations, idling and maintenance alerts in one view.",
    ),
    ProposalSpec(
        "Document management for {dept}",
        (),
        "medium",
        "{dept} files live on shared drives with no versioning.",
        "A managed repository with workflow and retention.",
    ),
)

# proposals the law or an audit makes mandatory: they come first, one per 50 proposals
MANDATES = (
    ProposalSpec(
        "Web accessibility remediation (ADA Title II)",
        ("CRM", "PERMIT", "SVC"),
        "medium",
        "The federal rule requires WCAG 2.1 AA on every city web page by April 2027.",
        "Every public page and PDF conforms; an accessibility statement is published.",
    ),
    ProposalSpec(
        "CJIS security policy compliance",
        ("SEC", "NET", "CORE"),
        "medium",
        "The state audit found police data reachable without advanced authentication.",
        "Close the audit's findings before the next audit cycle.",
    ),
    ProposalSpec(
        "PCI DSS 4.0 for payment pages",
        ("ERP", "PERMIT", "CRM"),
        "small",
        "The card brands' new requirements apply to every payment page from next year.",
        "Payment pages and scripts inventoried and protected; assessment passed.",
    ),
    ProposalSpec(
        "Public records request tracking",
        (),
        "small",
        "The state's new public records law sets deadlines the clerk cannot track by e-mail.",
        "Every request logged with its deadline; the annual report produced from it.",
    ),
)

# why a proposal has its status
REASONS = {
    "approved": (
        "Ranks in the top tier; fits the capital budget.",
        "Mandated; funded ahead of discretionary work.",
        "Strong savings case; the department commits staff.",
        "Approved as part of the selected portfolio.",
    ),
    "deferred": (
        "Worth doing; no capital room this year. Resubmit next cycle.",
        "Waits for the ERP go-live it depends on.",
        "Architects are fully booked until spring; revisit then.",
    ),
    "rejected": (
        "Benefits do not cover the costs (negative NPV).",
        "Duplicates work already funded under another program.",
        "Scored low on alignment; the department may revise and resubmit.",
        "The vendor product is end-of-life; rethink the approach.",
    ),
}

RISKS_NOTED = (
    "Department staff time during configuration.",
    "Vendor capacity in the first quarter.",
    "Data quality in the legacy system.",
    "Union consultation may lengthen the rollout.",
    "Integration with the ERP depends on its release schedule.",
    "Procurement lead time for hardware.",
)

# the roles a proposal needs; the small office plans with the first six
ROLES = (
    "Project manager",
    "Business analyst",
    "Developer",
    "Tester",
    "Solution architect",
    "Trainer",
    "Data engineer",
    "Network engineer",
    "Security analyst",
    "Database administrator",
    "Change manager",
    "UX designer",
)

SOLICITATIONS = (
    SolicitationSpec(
        "Implementation services",
        "Configure, integrate and roll out the chosen platform; data migration, testing "
        "support and training for city staff; twelve months of hypercare.",
        (
            ("Technical approach", "0.30", False),
            ("Experience and references", "0.20", False),
            ("Implementation plan and staffing", "0.15", False),
            ("Support and service levels", "0.10", False),
            ("Price", "0.25", True),
        ),
        (
            ("Meets the security requirements of the approved plan (SOC 2 Type II report)", True),
            ("Hosting in the United States; data stays in the city's tenancy", True),
            ("Accepts the city's standard terms and insurance limits", True),
            ("Named key staff with resumes", True),
            ("Optional: accessibility conformance report (VPAT)", False),
        ),
    ),
    SolicitationSpec(
        "Managed services and support",
        "Run and support the platform after go-live: service desk tier 2, patching, "
        "monitoring, releases and quarterly service reviews, for three years and two "
        "optional years.",
        (
            ("Service approach", "0.30", False),
            ("Staffing and transition", "0.20", False),
            ("Service levels offered", "0.20", False),
            ("Price", "0.30", True),
        ),
        (
            ("24x7 monitoring with a named escalation path", True),
            ("Service levels no weaker than the specification's", True),
            ("Accepts the city's standard terms and insurance limits", True),
            ("Optional: references from two public-sector clients", False),
        ),
    ),
)

# the scope of a solicitation, by the service of the contract it led to
SCOPES = {
    "implementation services": "Configure, integrate and roll out the platform; data "
    "migration, testing support and training; twelve months of hypercare.",
    "software subscription": "Subscriptions for the platform for three years with two "
    "optional years: hosting, upgrades, support and a test tenancy.",
    "staff augmentation": "Named specialists on time and materials, at rates fixed for "
    "the term, replaced within ten business days when they leave.",
    "hardware and installation": "Supply, install and configure the equipment at every "
    "site on the schedule, remove the old, and support it for five years.",
    "managed services": "Run and support the service after go-live: monitoring, patching, "
    "tier-2 support and quarterly service reviews.",
    "training and change management": "Training needs analysis, materials, classroom and "
    "online training for city staff, and the change network's coaching.",
}

# the non-conforming bid of the awarded solicitation, and why
NON_CONFORMING = "No SOC 2 Type II report; a Type I from 2024 was offered instead."
CONFLICTS = (
    "Worked for {vendor} until 2021; no financial interest. Declared, not recused.",
    "Spouse employed by a subcontractor of {vendor}; scores reviewed by the chair.",
)

# the service levels a contract can promise: name and target
SERVICE_LEVELS = (
    ("Availability", "99.5 % monthly"),
    ("Priority 1 response", "within 1 hour"),
    ("Ticket resolution", "90 % within 3 business days"),
    ("Severity 1 defect fix", "within 48 hours"),
    ("Monthly status report", "by the 5th business day"),
)
SCORECARD_NOTES = {
    "good": (
        "Steady quarter; service reviews held on time.",
        "Met every target; proactive about patching.",
        "Good quarter; one question on an invoice, settled.",
    ),
    "mixed": (
        "One service level missed; root cause agreed.",
        "Availability dipped in one month; service credits applied.",
    ),
    "poor": (
        "Missed availability twice; root-cause reports late.",
        "Key staff replaced without notice; tickets ageing.",
        "Cure letter sent; improvement plan requested.",
    ),
}
