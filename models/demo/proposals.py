"""The demo's intake: the office's criteria and their pairwise comparisons, a year's
proposals in every status with their business case by fiscal year, the people they need by
role and month, a few dependencies and mandates, and the review panel's scores."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from docket.models.core.schema_selection import (
    Criterion,
    CriterionComparison,
    Proposal,
    ProposalDependency,
    ProposalNeed,
    ProposalScore,
    ProposalYear,
)
from docket.models.demo.data_office import DEPARTMENTS, PROGRAMS
from docket.models.demo.data_selection import (
    COMPARISONS,
    CRITERIA,
    MANDATES,
    PROPOSALS,
    REASONS,
    RISKS_NOTED,
    ROLES,
    SIZES,
    ProposalSpec,
)
from docket.models.demo.office import spread
from docket.models.demo.selection import Choosing
from docket.models.demo.storage import STAMP, Row, insert

PROPOSAL_COLUMNS = (
    "id", "code", "title", "sponsor", "program", "problem", "objectives", "risks", "status",
    "reason", "mandatory", "decision", "became",
)  # fmt: skip
YEAR_COLUMNS = ("proposal", "fiscal_year", "capital", "operating", "hard_savings", "cost_avoidance")
NEED_COLUMNS = ("proposal", "role", "month", "people")
SCORE_COLUMNS = ("proposal", "criterion", "reviewer", "score", "comment")
# how many of each status, in proportion
STATUS_SHARES = (
    ("draft", 10),
    ("submitted", 18),
    ("in review", 30),
    ("approved", 22),
    ("deferred", 10),
    ("rejected", 10),
)
DECIDED = ("approved", "deferred", "rejected")
# the range of a proposal's underlying merit (0-10), by status: what reviewers see
MERIT = {
    "submitted": (3.0, 8.5),
    "in review": (3.5, 8.5),
    "approved": (6.0, 8.8),
    "deferred": (4.5, 7.0),
    "rejected": (2.0, 5.0),
}
# a year's benefit once running, as a share of the capital cost, by status
RETURNS = {"approved": (0.5, 1.1), "rejected": (0.1, 0.45)}
COMMENTS = {
    "low": ("Weak case; benefits not evidenced.", "Overlaps funded work.", "Unclear sponsor."),
    "high": ("Strong case, well evidenced.", "Clear need and a ready department."),
}
# the review panel: the acting account, the CIO, the PMO director and two more from the PMO
PANEL_FIXED = (1, 2, 3)


def proposals(state: Choosing) -> dict[str, int]:
    """Criteria and comparisons, proposals and all that hangs on them; counts by table."""
    office = state.office
    made = office.at(office.today - timedelta(days=200), 10)
    criteria = [(cid, c.name, c.description, c.weight, True, made, made, 1)
                for cid, c in enumerate(CRITERIA, start=1)]  # fmt: skip
    ids = {c.name: cid for cid, c in enumerate(CRITERIA, start=1)}
    comparisons = [(ids[a], ids[b], ratio, made, made, 1) for a, b, ratio in COMPARISONS]
    intake = _Intake(state)
    intake.build()
    return {
        "criteria": insert(
            Criterion, ("id", "name", "description", "weight", "active", *STAMP), criteria
        ),
        "criterion comparisons": insert(
            CriterionComparison, ("first", "second", "ratio", *STAMP), comparisons
        ),
        **intake.write(),
    }


class _Intake:
    """The proposals being drawn up, and the rows of every table hanging on them."""

    def __init__(self, state: Choosing) -> None:
        self.state = state
        self.office = state.office
        self.rng = state.rng
        office = self.office
        self.fiscal = office.today.year + 1 if office.today.month >= 7 else office.today.year
        self.decided_on = office.today - timedelta(days=24)
        self.proposals: list[Row] = []
        self.years: list[Row] = []
        self.needs: list[Row] = []
        self.dependencies: list[Row] = []
        self.scores: list[Row] = []
        self.titles: set[str] = set()
        self.waves: dict[str, int] = {}
        staff = [p for p in office.pmo if p not in PANEL_FIXED] + [
            p for p in office.staff if p not in PANEL_FIXED and p not in office.pmo
        ]
        self.panel = [*PANEL_FIXED, *staff[:2]]
        self.bias = {p: self.rng.uniform(-1.0, 1.0) for p in self.panel}

    def build(self) -> None:
        """Every proposal: its status, mandate, business case, needs and scores."""
        n = self.state.scale.proposals
        shares = spread(n, [weight for _, weight in STATUS_SHARES])
        statuses = [s for (s, _), k in zip(STATUS_SHARES, shares, strict=True) for _ in range(k)]
        self.rng.shuffle(statuses)
        mandated = sorted(self.rng.sample(range(n), max(2, n // 50)))
        for at in mandated:  # a mandate is approved or in review
            if statuses[at] not in ("approved", "in review"):
                swap = next(i for i in range(n) if i not in mandated and statuses[i] == "approved")
                statuses[at], statuses[swap] = statuses[swap], statuses[at]
        counts = {s: statuses.count(s) for s, _ in STATUS_SHARES}
        decision = self.state.decision(self._portfolio_decision(counts))
        mandates = iter(MANDATES * (n // 50 + 1))
        for i, status in enumerate(statuses):
            spec = next(mandates) if i in mandated else self.rng.choice(PROPOSALS)
            self._proposal(i + 1, spec, status, i in mandated, decision)

    def _portfolio_decision(self, counts: dict[str, int]) -> Row:
        """The decision of the intake round on the enterprise portfolio, by the CIO."""
        office, fy = self.office, self.fiscal + 1
        title = (
            f"FY{fy} intake: approve {counts['approved']}, defer {counts['deferred']}, "
            f"reject {counts['rejected']} proposals"
        )
        rationale = (
            f"Ranked by the weighted criteria ({len(CRITERIA)} criteria, weights by pairwise "
            f"comparison) and selected within the FY{fy} capital budget and the office's "
            "people by role; mandated proposals funded first. Each proposal's reason says why."
        )
        at = office.at(self.decided_on, 15)
        return (1, title, rationale, 2, self.decided_on, None, None, "", at, at, 1)

    def _proposal(
        self, pid: int, spec: ProposalSpec, status: str, mandatory: bool, decision: int
    ) -> None:
        """One proposal and its business case, needs, dependency and scores."""
        office, rng = self.office, self.rng
        dept = rng.choice(DEPARTMENTS)
        program = self._program(spec)
        wave = self.waves.get(spec.title, 0) + 1
        self.waves[spec.title] = wave
        title = spec.title.format(dept=dept, n=wave)
        phase = 1
        while title in self.titles:
            phase += 1
            title = f"{spec.title.format(dept=dept, n=wave)} (phase {phase})"
        self.titles.add(title)
        if status == "draft":
            made = office.at(office.today - timedelta(days=rng.randint(3, 30)), rng.randint(8, 17))
        else:
            made = office.at(self.decided_on - timedelta(days=rng.randint(15, 90)), 10)
        self.proposals.append(
            (pid, f"P-{self.fiscal + 1}-{pid:03d}", title, self._sponsor(dept, program), program,
             spec.problem.format(dept=dept), spec.objectives.format(dept=dept),
             " ".join(rng.sample(RISKS_NOTED, rng.randint(1, 2))), status,
             rng.choice(REASONS[status]) if status in DECIDED else "", mandatory,
             decision if status in DECIDED else None, None, made, made, 1)
        )  # fmt: skip
        first_year = self._business_case(pid, spec, status, made)
        self._needs(pid, spec, first_year, made)
        self._dependency(pid, spec, wave, program, made)
        self._scores(pid, status, mandatory, made)

    def _program(self, spec: ProposalSpec) -> int:
        """A program the proposal fits; else one of the portfolio those programs belong to
        (an office too small to run them); else any, the busier ones more often."""
        office = self.office
        fits = [office.program_id[c] for c in spec.programs if c in office.program_id]
        fits = [p for p in fits if p in office.leaves]
        if not fits:
            parents = {s.parent or s.code for s in PROGRAMS if s.code in spec.programs}
            fits = [p for p in office.leaves if office.specs[p - 1].parent in parents]
        if fits:
            return self.rng.choice(fits)
        return self.rng.choices(office.leaves, office.weights)[0]

    def _sponsor(self, dept: str, program: int) -> int:
        """The department's director (or another of its people), else the program's owner."""
        office = self.office
        people = [p for p in office.stakeholders if office.organization[p] == dept]
        heads = [p for p in people if office.title[p] in ("Director", "Deputy Director")]
        return (heads or people or [office.owner[program]])[0]

    def _business_case(self, pid: int, spec: ProposalSpec, status: str, made: datetime) -> int:
        """Three to five fiscal years of costs and hard benefits; the first fiscal year."""
        rng = self.rng
        low, high = SIZES[spec.size]
        capital = rng.randint(low, high) * 1000
        # the intake plans the five fiscal years after this one; some start a year later
        first = self.fiscal + (1 if rng.random() < 0.8 else 2)
        years = min(rng.choices((3, 4, 5), (1, 2, 3))[0], self.fiscal + 6 - first)
        # benefit a year once running, as a share of capital: about a quarter never pay back
        rate = rng.uniform(*RETURNS.get(status, (0.3, 1.0)))
        hard = rng.uniform(0.0, 0.7)
        build = 2 if spec.size == "large" else 1
        first_share = capital * rng.randint(55, 75) // 100 if build == 2 else capital
        capitals = [first_share, capital - first_share][:build]
        for y in range(years):
            running = 0 if y < build - 1 else capital * rng.randint(5, 12) // 100
            benefit = 0 if y < build else capital * rate * (0.5 if y == build else 1.0)
            self.years.append(
                (pid, first + y, Decimal(capitals[y] if y < build else 0), _thousands(running),
                 _thousands(benefit * hard), _thousands(benefit * (1 - hard)), made, made, 1)
            )  # fmt: skip
        return first

    def _needs(self, pid: int, spec: ProposalSpec, first_year: int, made: datetime) -> None:
        """People by role and month, from the start of the first fiscal year."""
        rng = self.rng
        roles = ROLES[: self.state.scale.roles]
        span = {"small": (3, 6), "medium": (6, 12), "large": (9, 18)}[spec.size]
        heads = {"small": ("0.5", "1"), "medium": ("1", "2"), "large": ("2", "3")}[spec.size]
        start = date(first_year - 1, 7, 1)
        chosen = [roles[0], *rng.sample(roles[1:], rng.randint(1, min(4, len(roles) - 1)))]
        for role in chosen:
            offset, months = rng.randint(0, 3), rng.randint(*span)
            people = "0.5" if role == roles[0] else rng.choice(heads)
            for m in range(offset, offset + months):
                year, month = divmod(start.year * 12 + start.month - 1 + m, 12)
                self.needs.append((pid, role, date(year, month + 1, 1), people, made, made, 1))

    def _dependency(
        self, pid: int, spec: ProposalSpec, wave: int, program: int, made: datetime
    ) -> None:
        """A later wave needs the one before; some proposals need an earlier one of their
        program. Always on an earlier proposal, so the dependencies have no cycle."""
        earlier: int | None = None
        if wave > 1 and "{n}" in spec.title:
            earlier = next(
                p[0] for p in reversed(self.proposals[:-1])
                if p[2] == spec.title.format(dept="", n=wave - 1)
            )  # fmt: skip
        elif pid > 3 and self.rng.random() < 0.1:
            same = [p[0] for p in self.proposals[:-1] if p[4] == program and p[8] != "rejected"]
            earlier = self.rng.choice(same) if same else None
        if earlier is not None:
            self.dependencies.append((pid, earlier, made, made, 1))

    def _scores(self, pid: int, status: str, mandatory: bool, made: datetime) -> None:
        """Every criterion from three to five reviewers once in review; a few early scores
        on a submitted proposal; none on a draft."""
        if status == "draft":
            return
        rng, office = self.rng, self.office
        merit = rng.uniform(*MERIT[status])
        reviewers = rng.sample(self.panel, rng.randint(3, 5))
        criteria = list(range(1, len(CRITERIA) + 1))
        if status == "submitted":
            reviewers = reviewers[: rng.randint(0, 2)]
        until = self.decided_on if status in DECIDED else office.today
        for person in reviewers:
            account = self.state.account(person)
            mine = (
                sorted(rng.sample(criteria, rng.randint(2, 5)))
                if status == "submitted"
                else criteria
            )
            days = max(1, (until - made.date()).days - 1)
            at = office.at(made.date() + timedelta(days=rng.randint(1, days)), rng.randint(9, 16))
            at = min(at, office.now)
            for cid in criteria:
                leaning = rng.uniform(-1.5, 1.5)
                if cid not in mine:
                    continue
                if CRITERIA[cid - 1].name == "Mandate and compliance":
                    value = rng.randint(9, 10) if mandatory else rng.randint(0, 4)
                else:
                    raw = merit + leaning + self.bias[person] + rng.uniform(-1, 1)
                    value = max(0, min(10, round(raw)))
                band = "low" if value <= 2 else "high" if value >= 9 else ""
                comment = rng.choice(COMMENTS[band]) if band and rng.random() < 0.5 else ""
                self.scores.append((pid, cid, account, value, comment, at, at, 1))  # fmt: skip

    def write(self) -> dict[str, int]:
        """Insert every table; how many rows each, by the name the counts use."""
        return {
            "proposals": insert(Proposal, (*PROPOSAL_COLUMNS, *STAMP), self.proposals),
            "proposal years": insert(ProposalYear, (*YEAR_COLUMNS, *STAMP), self.years),
            "proposal needs": insert(ProposalNeed, (*NEED_COLUMNS, *STAMP), self.needs),
            "proposal dependencies": insert(
                ProposalDependency, ("proposal", "needs", *STAMP), self.dependencies
            ),
            "proposal scores": insert(ProposalScore, (*SCORE_COLUMNS, *STAMP), self.scores),
        }


def _thousands(amount: float | Decimal) -> Decimal:
    """An amount rounded to whole thousands, as money."""
    return Decimal(round(float(amount) / 1000) * 1000)
