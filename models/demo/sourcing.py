"""The demo's vendor selection: two solicitations. One was awarded: three or four bids,
one of them non-conforming, a full committee whose sealed scores were revealed, and the
award decision with the contract it made (the office's most recent contract). The other is
in evaluation: bids in and checked, half the committee committed, nothing revealed.

A member's commitment is what the sourcing area's sealing computes from their scores and a
salt; the revealed scores' audit entries carry the salt, as a reveal's do, so anyone can
recompute it from the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from docket.models.core.schema import Contract
from docket.models.core.schema_selection import (
    Bid,
    BidConformance,
    BidScore,
    CommitteeMember,
    ConformanceItem,
    Solicitation,
    SolicitationCriterion,
)
from docket.models.demo.data_office import VENDORS
from docket.models.demo.data_selection import (
    CONFLICTS,
    NON_CONFORMING,
    SCOPES,
    SOLICITATIONS,
    SolicitationSpec,
)
from docket.models.demo.office import ContractFacts, ascii_letters, workday
from docket.models.demo.selection import Choosing
from docket.models.demo.storage import STAMP, Row, insert
from docket.models.sourcing.sealing import revealed_commitment

SOLICITATION_COLUMNS = (
    "id", "code", "program", "title", "kind", "scope", "issued_on", "questions_due",
    "bids_due", "award_by", "status", "decision", "contract",
)  # fmt: skip
MEMBER_COLUMNS = ("solicitation", "person", "account", "conflict", "commitment")
BID_COLUMNS = ("id", "solicitation", "vendor", "price", "received_on", "documents", "note")
SCORE_COMMENTS = {
    "low": ("Thin on detail; little evidence.", "Staffing plan has gaps in months 3-6."),
    "mid": ("Sound but generic.", "Meets the need; some risks unaddressed."),
    "high": ("Clear, specific and well evidenced.", "Strong public-sector references."),
}


@dataclass
class _Rows:
    """The rows of every sourcing table, with the next id of those that need one."""

    solicitations: list[Row] = field(default_factory=list)
    criteria: list[Row] = field(default_factory=list)
    items: list[Row] = field(default_factory=list)
    members: list[Row] = field(default_factory=list)
    bids: list[Row] = field(default_factory=list)
    conformance: list[Row] = field(default_factory=list)
    scores: list[Row] = field(default_factory=list)

    def write(self) -> dict[str, int]:
        """Insert every table, parents first; how many rows each."""
        return {
            "solicitations": insert(
                Solicitation, (*SOLICITATION_COLUMNS, *STAMP), self.solicitations
            ),
            "solicitation criteria": insert(
                SolicitationCriterion,
                ("id", "solicitation", "name", "weight", "price", *STAMP),
                self.criteria,
            ),
            "conformance items": insert(
                ConformanceItem,
                ("id", "solicitation", "requirement", "mandatory", *STAMP),
                self.items,
            ),
            "committee members": insert(CommitteeMember, (*MEMBER_COLUMNS, *STAMP), self.members),
            "bids": insert(Bid, (*BID_COLUMNS, *STAMP), self.bids),
            "bid conformance": insert(
                BidConformance, ("bid", "item", "passed", "note", *STAMP), self.conformance
            ),
            "bid scores": insert(
                BidScore,
                ("id", "bid", "criterion", "member", "score", "comment", *STAMP),
                self.scores,
            ),
        }


@dataclass(frozen=True)
class _Criterion:
    """A solicitation criterion being built: its id, weight and whether it is the price."""

    id: int
    weight: Decimal
    price: bool


@dataclass(frozen=True)
class _Dates:
    """A solicitation's dates."""

    issued: date
    questions: date
    bids: date
    award_by: date


def sourcing(state: Choosing) -> dict[str, int]:
    """The awarded solicitation and the one in evaluation; counts by table."""
    rows = _Rows()
    latest = max(state.office.contracts, key=lambda c: (c.start, c.id))
    _awarded(state, rows, latest)
    _evaluating(state, rows, latest.program)
    return rows.write()


def _awarded(state: Choosing, rows: _Rows, contract: ContractFacts) -> None:
    """The solicitation that made ``contract``: bids, conformance, every member committed and
    their scores revealed, the award decision."""
    office, rng = state.office, state.rng
    record = Contract.get_by_id(contract.id)
    dates = _Dates(*(workday(contract.start + timedelta(days=d)) for d in (-120, -99, -75, -14)))
    sid = len(rows.solicitations) + 1
    code = f"RFP-{dates.issued.year}-{rng.randint(10, 60):03d}"
    spec = SOLICITATIONS[0]
    criteria, items = _criteria_and_items(state, rows, sid, spec, office.at(dates.issued, 9))
    others = _bidders(state, contract.program, {contract.vendor}, 3)
    ceiling = Decimal(record.ceiling)
    prices = {contract.vendor: ceiling}
    for n, vendor in enumerate(others):  # the non-conforming bid is the cheapest
        share = rng.randint(*((78, 88), (90, 98), (104, 135))[n])
        prices[vendor] = Decimal(int(ceiling * share / 100) // 1000 * 1000)
    bids = _bids(state, rows, sid, code, prices, dates.bids)
    failing = bids[others[0]]
    _conformance(state, rows, bids, items, failing, dates.bids + timedelta(days=2))
    committee = _committee(state, contract.program, 4)
    reveal = office.at(dates.award_by - timedelta(days=8), 16)
    conforming = {v: b for v, b in bids.items() if b != failing}
    winner = bids[contract.vendor]
    scores = _scores(state, conforming, criteria, committee, winner=winner)
    totals = _totals(scores, criteria, prices, conforming)
    for _ in range(10):  # the committee preferred the winner: it ranks first
        if max(totals, key=lambda b: (totals[b], b == winner)) == winner:
            break
        scores = [(*s[:3], min(10, s[3] + 1), s[4]) if s[0] == winner else s for s in scores]
        totals = _totals(scores, criteria, prices, conforming)
    # one member declares a conflict with a losing bidder
    conflict = rng.choice(CONFLICTS).format(vendor=office.vendor_names[others[-1] - 1])
    for n, person in enumerate(committee):
        account = state.account(person)
        mine = [s for s in scores if s[2] == account]
        salt = f"{rng.getrandbits(128):032x}"
        committed = office.at(dates.bids + timedelta(days=5 + 2 * n), 15)
        seal = _seal(code, account, mine, salt)
        rows.members.append(
            (sid, person, account, conflict if n == 2 else "", seal, committed, committed, 1)
        )
        notes = state.notes.setdefault(BidScore, {})
        for score in mine:  # revealed: written with the salt, as a reveal writes them
            bid_score = len(rows.scores) + 1
            notes[bid_score] = f"revealed; commitment {seal} salt {salt}"
            rows.scores.append((bid_score, *score, reveal, reveal, 1))
    total = totals[winner]
    vendor_name = office.vendor_names[contract.vendor - 1]
    decided = dates.award_by - timedelta(days=7)
    at = office.at(decided, 14)
    decision = state.decision(
        (contract.program, f"Award {code} ({record.title}) to {vendor_name}",
         f"Highest evaluated score ({total:.2f} of 10) of {len(conforming)} conforming bids; "
         f"{office.vendor_names[others[0] - 1]} non-conforming: {NON_CONFORMING} "
         f"Contract {record.number} made from the winning bid.",
         office.owner[contract.program], decided, None, None, "", at, at, 1)
    )  # fmt: skip
    made = office.at(dates.issued - timedelta(days=10), 10)
    scope = SCOPES.get(record.title.split(": ", 1)[-1], spec.scope)
    rows.solicitations.append(
        (sid, code, contract.program, record.title, "RFP", scope, dates.issued,
         dates.questions, dates.bids, dates.award_by, "awarded", decision, contract.id,
         made, made, 1)
    )  # fmt: skip


def _evaluating(state: Choosing, rows: _Rows, awarded_program: int) -> None:
    """A solicitation whose bids are in and checked; two of four members have committed."""
    office, rng = state.office, state.rng
    today = office.today
    programs = [p for p in office.leaves if p != awarded_program] or office.leaves
    program = rng.choice(programs)
    dates = _Dates(*(workday(today + timedelta(days=d)) for d in (-70, -50, -12, 24)))
    sid = len(rows.solicitations) + 1
    code = f"RFP-{dates.issued.year}-{rng.randint(61, 99):03d}"
    spec = SOLICITATIONS[1]
    criteria, items = _criteria_and_items(state, rows, sid, spec, office.at(dates.issued, 9))
    keep = {state.declining_vendor} if state.declining_vendor else set()
    vendors = [*keep, *_bidders(state, program, keep, rng.randint(3, 4) - len(keep))]
    base = rng.randint(16, 60) * 25_000
    prices = {v: Decimal(base * rng.randint(85, 125) // 100 // 1000 * 1000) for v in vendors}
    bids = _bids(state, rows, sid, code, prices, dates.bids)
    _conformance(state, rows, bids, items, None, dates.bids + timedelta(days=2))
    committee = _committee(state, program, 4)
    scores = _scores(state, bids, criteria, committee, winner=None)
    committed = [p for p in committee if p != 1][:2]
    for n, person in enumerate(committee):
        account = state.account(person)
        mine = [s for s in scores if s[2] == account]
        salt = f"{rng.getrandbits(128):032x}"
        if person in committed:
            at = office.at(dates.bids + timedelta(days=3 + n), 15)
            seal = _seal(code, account, mine, salt)
        else:
            at, seal = office.at(dates.issued, 9), ""
        rows.members.append((sid, person, account, "", seal, at, at, 1))
    made = office.at(dates.issued - timedelta(days=10), 10)
    title = f"{state.program_name(program)}: {spec.title.lower()}"
    rows.solicitations.append(
        (sid, code, program, title, "RFP", spec.scope, dates.issued, dates.questions,
         dates.bids, dates.award_by, "evaluating", None, None, made, made, 1)
    )  # fmt: skip


def _seal(code: str, account: str, scores: list[Row], salt: str) -> str:
    """The commitment of a member's scores (``(bid, criterion, account, score, comment)``)."""
    sealed = {(s[0], s[1]): (s[3], s[4]) for s in scores}
    return revealed_commitment(code, account, sealed, salt)


def _criteria_and_items(
    state: Choosing, rows: _Rows, sid: int, spec: SolicitationSpec, made: datetime
) -> tuple[list[_Criterion], list[tuple[int, bool]]]:
    """The solicitation's criteria and conformance items (ids, with whether they are
    mandatory)."""
    criteria, items = [], []
    for name, weight, price in spec.criteria:
        cid = len(rows.criteria) + 1
        rows.criteria.append((cid, sid, name, weight, price, made, made, 1))
        criteria.append(_Criterion(cid, Decimal(weight), price))
    for requirement, mandatory in spec.conformance:
        iid = len(rows.items) + 1
        rows.items.append((iid, sid, requirement, mandatory, made, made, 1))
        items.append((iid, mandatory))
    return criteria, items


def _bidders(state: Choosing, program: int, skip: set[int], count: int) -> list[int]:
    """Vendors that serve the program (generalists too), then any, but those in ``skip``."""
    code = state.office.specs[program - 1].code
    vendors = range(1, len(state.office.vendor_names) + 1)
    able = [
        v
        for v in vendors
        if v not in skip and (code in VENDORS[v - 1].serves or not VENDORS[v - 1].serves)
    ]
    rest = [v for v in vendors if v not in skip and v not in able]
    chosen = state.rng.sample(able, min(count, len(able)))
    return chosen + state.rng.sample(rest, min(count - len(chosen), len(rest)))


def _bids(
    state: Choosing, rows: _Rows, sid: int, code: str, prices: dict[int, Decimal], due: date
) -> dict[int, int]:
    """One bid per vendor, received on or before ``due``; bid ids by vendor."""
    office, ids = state.office, {}
    for vendor, price in prices.items():
        bid = len(rows.bids) + 1
        received = due - timedelta(days=state.rng.randint(0, 3))
        folder = f"bids/{code}/{ascii_letters(office.vendor_names[vendor - 1])}"
        documents = f"{folder}/technical.pdf\n{folder}/price.xlsx\n{folder}/references.pdf"
        at = office.at(received, state.rng.randint(9, 15))
        rows.bids.append((bid, sid, vendor, price, received, documents, "", at, at, 1))
        ids[vendor] = bid
    return ids


def _conformance(
    state: Choosing,
    rows: _Rows,
    bids: dict[int, int],
    items: list[tuple[int, bool]],
    failing: int | None,
    checked: date,
) -> None:
    """Every bid against every item: ``failing`` misses the first (mandatory) one; some
    bids leave out the optional one."""
    at = state.office.at(checked, 11)
    for bid in bids.values():
        for n, (item, mandatory) in enumerate(items):
            passed, note = True, ""
            if bid == failing and n == 0:
                passed, note = False, NON_CONFORMING
            elif not mandatory and state.rng.random() < 0.4:
                passed, note = False, "Not provided."
            rows.conformance.append((bid, item, passed, note, at, at, 1))


def _committee(state: Choosing, program: int, size: int) -> list[int]:
    """The acting account's person, the program's owner, a PMO member and a department
    director (others from the staff when these are the same people)."""
    office = state.office
    pmo = [p for p in office.pmo if p not in (1, office.owner[program])]
    directors = [p for p in office.directors if p not in pmo]
    pool = [1, office.owner[program], *pmo[:1], *directors[:1], *office.staff]
    members = list(dict.fromkeys(pool))[:size]
    return state.rng.sample(members, len(members))


def _scores(
    state: Choosing,
    bids: dict[int, int],
    criteria: list[_Criterion],
    committee: list[int],
    winner: int | None,
) -> list[Row]:
    """Each member's score of each bid on each criterion but price (scored by formula):
    ``(bid, criterion, account, score, comment)``; the winner scores best."""
    rng, rows = state.rng, []
    scored = [c.id for c in criteria if not c.price]
    merit = {
        bid: rng.uniform(7.5, 8.5) if bid == winner else rng.uniform(4.5, 7.0)
        for bid in bids.values()
    }
    for person in committee:
        account, bias = state.account(person), rng.uniform(-0.8, 0.8)
        for bid in bids.values():
            for cid in scored:
                value = max(0, min(10, round(merit[bid] + bias + rng.uniform(-1.2, 1.2))))
                band = "low" if value <= 4 else "high" if value >= 8 else "mid"
                rows.append((bid, cid, account, value, rng.choice(SCORE_COMMENTS[band])))
    return rows


def _totals(
    scores: list[Row], criteria: list[_Criterion], prices: dict[int, Decimal], bids: dict[int, int]
) -> dict[int, Decimal]:
    """Each conforming bid's evaluated score out of 10: the weighted mean of the committee's
    scores, and the price score (lowest conforming price / bid price x 10) by its weight."""
    lowest = min(prices[v] for v in bids)
    totals = {}
    for vendor, bid in bids.items():
        total = Decimal(0)
        for c in criteria:
            if c.price:
                total += c.weight * lowest / prices[vendor] * 10
            else:
                given = [Decimal(s[3]) for s in scores if s[0] == bid and s[1] == c.id]
                total += c.weight * sum(given) / len(given)
        totals[bid] = total
    return totals
