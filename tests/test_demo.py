"""The demo office: the counts it promises, the same data for the same seed, and realism."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy
import pytest
from dateutil.rrule import rrulestr
from peewee import fn

from docket.models.actions import items as actions
from docket.models.audit.history import history
from docket.models.core.context import Context
from docket.models.core.database import init_database
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.fields import to_utc_text
from docket.models.core.schema import (
    ActionItem,
    Assignment,
    AuditEntry,
    CommsAudience,
    CommsItem,
    Contract,
    Expenditure,
    Group,
    GroupMember,
    Meeting,
    Milestone,
    OccurrenceChange,
    Person,
    Program,
    UserAccount,
    database,
)
from docket.models.core.schema_selection import (
    PROPOSAL_STATUSES,
    TABLES_V8,
    Bid,
    BidConformance,
    BidPriceLine,
    BidScore,
    ConformanceItem,
    Criterion,
    CriterionComparison,
    Proposal,
    ProposalDependency,
    ProposalNeed,
    ProposalScore,
    ProposalYear,
    Scorecard,
    ServiceLevel,
    Solicitation,
)
from docket.models.demo import (
    build_demo,
    builder,
    data_office,
    data_schedule,
    data_work,
    storage,
)
from docket.models.demo.choosing import CHOOSING_ORDER
from docket.models.milestones import schedule as milestones
from docket.models.people.directory import person_for_account
from docket.models.sourcing.sealing import revealed_commitment

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
ACTOR = "tester"


def _context() -> Context:
    return Context(actor=ACTOR, clock=lambda: NOW)


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order (but the database's random id)."""
    conn = sqlite3.connect(path)
    try:
        tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        # the search index's own tables are WITHOUT ROWID: in the order of their key
        rows = {
            t: conn.execute(
                f'SELECT * FROM "{t}" ORDER BY {"1, 2" if "WITHOUT ROWID" in sql else "rowid"}'
            ).fetchall()
            for t, sql in tables.fetchall()
        }
        rows["docket_meta"] = [r for r in rows["docket_meta"] if r[0] != "database_id"]
        return rows
    finally:
        conn.close()


def _build(path: Path, seed: int) -> dict[str, int]:
    init_database(path, actor=ACTOR)
    try:
        return build_demo(_context(), size="small", seed=seed)
    finally:
        database.close()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A small demo office, bound to the models."""
    path = tmp_path / "demo.db"
    init_database(path, actor=ACTOR)
    build_demo(_context(), size="small", seed=1)
    return path


def test_the_small_demo_has_what_it_promises(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    init_database(path, actor=ACTOR)
    counts = build_demo(_context(), size="small", seed=1)
    main = ("programs", "people", "action items", "meetings", "milestones", "comms items")
    assert {k: counts[k] for k in (*main, "assignments", "contracts")} == {
        "programs": 6,
        "people": 60,
        "action items": 400,
        "meetings": 40,
        "milestones": 40,
        "comms items": 20,
        "assignments": 40,
        "contracts": 10,
    }
    assert list(counts)[:2] == ["programs", "people"]
    # the counts are what the tables hold
    tables = {
        "programs": Program,
        "people": Person,
        "groups": Group,
        "group members": GroupMember,
        "contracts": Contract,
        "expenditures": Expenditure,
        "assignments": Assignment,
        "milestones": Milestone,
        "meetings": Meeting,
        "occurrence changes": OccurrenceChange,
        "comms items": CommsItem,
        "comms audiences": CommsAudience,
        "action items": ActionItem,
    }
    assert {name: model.select().count() for name, model in tables.items()} == {
        name: counts[name] for name in tables
    }
    assert Meeting.select().where(Meeting.rrule != "").count() == 10
    codes = {p.code for p in Program.select()}
    assert {"ERP", "CRM", "PERMIT", "NET"} <= codes
    assert Program.select().where(Program.parent.is_null(False)).count() == 4


def test_the_same_seed_and_clock_give_the_same_office(tmp_path: Path) -> None:
    _build(tmp_path / "a.db", 7)
    _build(tmp_path / "b.db", 7)
    _build(tmp_path / "c.db", 8)
    a, b, c = (_dump(tmp_path / f"{name}.db") for name in "abc")
    assert a == b
    assert a["action_item"] != c["action_item"]
    assert a["person"] != c["person"]


def test_the_office_does_not_depend_on_string_hashing(tmp_path: Path) -> None:
    """Two processes with different hash seeds build the same rows."""
    script = (
        "import sys; from datetime import UTC, datetime; from pathlib import Path;"
        "from docket.models.core import clock; clock.from_environment();"
        "from docket.models.core.context import Context;"
        "from docket.models.core.database import init_database;"
        "from docket.models.demo.builder import build_demo;"
        "init_database(Path(sys.argv[1]), actor='tester');"
        "build_demo(Context(actor='tester', clock=lambda: datetime(2026, 11, 23, 15, 0,"
        " tzinfo=UTC)), seed=3)"
    )
    for name, hash_seed in (("x.db", "1"), ("y.db", "2")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DOCKET_NOW": NOW.isoformat()}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / name)], env=env, check=True)
    assert _dump(tmp_path / "x.db") == _dump(tmp_path / "y.db")


@pytest.mark.parametrize("first", ["person", "program", "demo"])
def test_demo_refuses_a_database_with_data_and_writes_nothing(tmp_path: Path, first: str) -> None:
    path = tmp_path / "used.db"
    init_database(path, actor=ACTOR)
    if first == "person":
        Person.create(name="Ana Lopez")
    elif first == "program":
        Program.create(code="ERP", name="ERP replacement")
    else:
        build_demo(_context(), seed=1)
    database.close()
    before = _dump(path)
    init_database(path, actor=ACTOR)
    with pytest.raises(DocketError, match="demo needs an empty database") as caught:
        build_demo(_context(), seed=2)
    database.close()
    assert str(caught.value) == f"demo needs an empty database; {path} already holds data"
    assert caught.value.exit_status == 1
    assert _dump(path) == before


def test_an_unknown_size_is_refused(tmp_path: Path) -> None:
    init_database(tmp_path / "demo.db", actor=ACTOR)
    with pytest.raises(ValidationError, match="size: expected small, large or xl"):
        build_demo(_context(), size="huge")
    assert Person.select().count() == 0


def _occurrences(meeting: Meeting) -> list[datetime]:
    """The UTC starts of a series, from its local start, zone and rule (two years at most)."""
    local = datetime.strptime(meeting.start_local, "%Y-%m-%d %H:%M:%S")
    start = local.replace(tzinfo=ZoneInfo(meeting.timezone))
    rule = rrulestr(meeting.rrule, dtstart=start)
    return [o.astimezone(UTC) for o in rule.between(start, start + timedelta(days=730), inc=True)]


def test_meetings_and_their_changes_are_consistent(office: Path) -> None:
    for meeting in Meeting.select():
        local = datetime.strptime(meeting.start_local, "%Y-%m-%d %H:%M:%S")
        assert local.replace(tzinfo=ZoneInfo(meeting.timezone)) == meeting.start_utc
        assert meeting.uid.endswith("@docket.demo")
        if not meeting.rrule:
            assert meeting.until_utc is None
            continue
        assert meeting.rrule.startswith("FREQ=WEEKLY;")
        occurrences = _occurrences(meeting)
        assert occurrences[0] == meeting.start_utc
        if "COUNT=" in meeting.rrule or "UNTIL=" in meeting.rrule:
            assert meeting.until_utc == occurrences[-1]
        else:
            assert meeting.until_utc is None
    changes = list(OccurrenceChange.select())
    assert changes
    assert any(c.cancelled for c in changes)
    assert any(c.new_start is not None for c in changes)
    for change in changes:
        assert change.meeting.rrule
        assert change.original_start in _occurrences(change.meeting)
        assert change.cancelled == (change.new_start is None)


def test_people_and_groups_follow_the_rules(office: Path) -> None:
    emails = [p.email for p in Person.select()]
    assert len({e.lower() for e in emails}) == len(emails)
    assert all(e.endswith("@city.example") and "." in e.split("@")[0] for e in emails)
    assert {p.kind for p in Person.select()} == {"staff", "stakeholder", "contractor"}
    pairs = [(m.group_id, m.person_id) for m in GroupMember.select()]
    assert len(set(pairs)) == len(pairs)
    names = {g.name for g in Group.select()}
    assert {"ERP steering committee", "CRM product team", "IT leadership"} <= names


def test_action_items_look_like_a_working_office(office: Path) -> None:
    items = list(ActionItem.select())
    closed = [i for i in items if i.status in ("done", "cancelled")]
    assert 0.45 <= len(closed) / len(items) <= 0.65
    assert all(i.closed_at is not None and i.closed_at >= i.created_at for i in closed)
    assert all(i.closed_at is None for i in items if i not in closed)
    assert all(i.created_at <= NOW and (i.closed_at or NOW) <= NOW for i in items)
    overdue = list(ActionItem.select().where(actions.overdue_clause(TODAY)))
    assert len(overdue) > 10
    assert all(1 <= (TODAY - i.due).days <= 60 for i in overdue)
    assert ActionItem.select().where(actions.due_soon_clause(TODAY)).count() > 20
    open_items = ActionItem.select().where(actions.is_open_clause())
    assert open_items.where(ActionItem.due.is_null()).count() > 0
    priorities = Counter(i.priority for i in items)
    assert priorities.most_common(1)[0][0] == "normal"
    sourced = [i for i in items if i.source_meeting_id is not None]
    assert sourced
    assert all(i.source_occurrence is not None for i in sourced)


def test_milestones_come_in_every_status(office: Path) -> None:
    statuses = Counter(milestones.status(m, TODAY) for m in Milestone.select())
    assert set(statuses) == set(milestones.STATUSES)


def test_someone_is_over_allocated_and_some_assignments_end_soon(office: Path) -> None:
    assignments = list(Assignment.select())
    assert all(10 <= a.allocation <= 100 and isinstance(a.rate, Decimal) for a in assignments)

    def load(person: int, day: date) -> int:
        return sum(
            a.allocation for a in assignments if a.person_id == person and a.start <= day <= a.end
        )

    assert any(load(a.person_id, a.start) > 100 for a in assignments)
    assert any(TODAY <= a.end <= TODAY + timedelta(days=30) for a in assignments)
    assert {a.person.kind for a in assignments} == {"contractor"}


def test_contracts_spend_within_their_ceilings(office: Path) -> None:
    spent = dict(
        Expenditure.select(Expenditure.contract, fn.SUM(Expenditure.amount))
        .group_by(Expenditure.contract)
        .tuples()
    )
    contracts = list(Contract.select())
    assert all(c.currency == "USD" and isinstance(c.ceiling, Decimal) for c in contracts)
    for contract in contracts:
        assert Decimal(spent.get(contract.id, 0)) / 100 <= contract.ceiling
    assert any(Decimal(spent.get(c.id, 0)) / 100 >= c.ceiling * Decimal("0.9") for c in contracts)
    assert any(TODAY <= c.end <= TODAY + timedelta(days=45) for c in contracts)


def test_comms_items_have_cadences_and_an_audience(office: Path) -> None:
    items = list(CommsItem.select())
    one_offs = [i for i in items if not i.cadence.startswith("FREQ=")]
    assert one_offs
    assert all(date.fromisoformat(i.cadence) for i in one_offs)
    for item in items:
        if item.cadence.startswith("FREQ="):
            rrulestr(item.cadence, dtstart=datetime(2026, 1, 1))
    rows = list(CommsAudience.select())
    assert {i.id for i in items} == {r.item_id for r in rows}
    assert all((r.group_id is None) != (r.person_id is None) for r in rows)
    assert any(r.person_id for r in rows)


def test_every_demo_record_has_its_history(office: Path) -> None:
    """Each record is created in the audit log, at its creation time, by the acting account,
    so ``docket history`` and anything read from the log work on the demo."""
    person, meeting, item = Person.get_by_id(1), Meeting.get_by_id(1), ActionItem.get_by_id(1)
    for entity, record, named in (
        ("person", person, person.name),
        ("meeting", meeting, meeting.title),
        ("action_item", item, item.title),
    ):
        created = history(entity, record.id)[-1]  # the oldest: later updates give its past
        assert (created.action, created.actor, created.note) == ("create", ACTOR, "demo data")
        assert created.at == record.created_at
        assert named in [new for _, _, new in created.fields]


def test_the_demo_tables_agree_with_each_other() -> None:
    """The data the builders draw from: parents, vendors' programs and audiences exist."""
    codes = [spec.code for spec in data_office.PROGRAMS]
    assert len(set(codes)) == len(codes)
    portfolios = {spec.code for spec in data_office.PROGRAMS if spec.parent is None}
    assert [spec.parent for spec in data_office.PROGRAMS[:2]] == [None, None]
    assert all(spec.parent in portfolios for spec in data_office.PROGRAMS[2:])
    assert all(set(vendor.serves) <= set(codes) for vendor in data_office.VENDORS)
    assert data_schedule.SERIES_KINDS[0].kind == "steering committee"
    assert {k.audience for k in data_schedule.SERIES_KINDS} <= set(data_schedule.AGENDAS)
    assert {k.audience for k in data_schedule.SINGLE_KINDS} <= set(data_schedule.AGENDAS)
    assert {k.digest for k in data_schedule.COMMS_KINDS} <= set(data_schedule.COMMS_PURPOSES)
    assert any(k.cadence is None for k in data_schedule.COMMS_KINDS[:4])
    for metric in data_work.METRICS:
        thresholds = [Decimal(metric.target), Decimal(metric.amber), Decimal(metric.red)]
        assert thresholds == sorted(thresholds, reverse=metric.direction == "higher")


def test_the_acting_account_has_a_person_with_open_work(office: Path) -> None:
    me = person_for_account(ACTOR)
    assert me is not None
    assert me.account == ACTOR
    assert me.kind == "staff"
    account = UserAccount.get(UserAccount.account == ACTOR)
    assert account.person_id == me.id
    assert account.role == "admin"
    mine = ActionItem.select().where(ActionItem.owner == me, actions.is_open_clause())
    assert mine.count() > 0


def test_rebuilding_indexes_for_a_bulk_load_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The large size drops and rebuilds indexes around big inserts; same schema, same rows."""
    _build(tmp_path / "plain.db", 5)
    monkeypatch.setattr(storage, "REBUILD_INDEXES_FROM", 100)
    _build(tmp_path / "rebuilt.db", 5)
    assert _dump(tmp_path / "plain.db") == _dump(tmp_path / "rebuilt.db")

    def schema(path: Path) -> set[tuple[object, ...]]:
        conn = sqlite3.connect(path)
        try:
            return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        finally:
            conn.close()

    assert schema(tmp_path / "plain.db") == schema(tmp_path / "rebuilt.db")
    conn = sqlite3.connect(tmp_path / "rebuilt.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.mark.parametrize(
    "instant",
    [
        NOW,
        datetime(2026, 3, 8, 1, 30, tzinfo=ZoneInfo("America/Chicago")),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=ZoneInfo("Asia/Kolkata")),
    ],
)
def test_the_fast_instant_text_is_the_stored_form(instant: datetime) -> None:
    assert storage.utc_text(instant) == to_utc_text(instant)


# --- choosing: intake, sourcing and vendor performance (issue 20) -------------------------


def test_choosing_is_added_after_the_office_and_changes_none_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table of the office built without choosing is a prefix of the same table built
    with it: no record, value or audit entry (hashes included) of the office moves."""
    _build(tmp_path / "with.db", 1)
    monkeypatch.setattr(builder, "choosing", lambda *_: dict.fromkeys(CHOOSING_ORDER, 0))
    _build(tmp_path / "without.db", 1)
    full, plain = _dump(tmp_path / "with.db"), _dump(tmp_path / "without.db")
    added = {name for name in full if full[name] != plain[name]}
    # the demo prices its bids whole: it has no price lines
    filled = {m._meta.table_name for m in TABLES_V8} - {BidPriceLine._meta.table_name}
    assert added == filled | {
        "decision",
        "budget_line",
        "audit_entry",
    }
    assert all(full[name][: len(plain[name])] == plain[name] for name in full)
    assert all(plain[m._meta.table_name] == [] for m in TABLES_V8)


def test_the_criteria_are_weighted_and_their_comparisons_consistent(office: Path) -> None:
    criteria = list(Criterion.select().order_by(Criterion.id))
    assert 6 <= len(criteria) <= 8
    assert sum(Decimal(c.weight) for c in criteria) == 1
    n = len(criteria)
    matrix = numpy.ones((n, n))
    for c in CriterionComparison.select():
        i, j = c.first_id - 1, c.second_id - 1
        matrix[i, j], matrix[j, i] = float(Fraction(c.ratio)), float(1 / Fraction(c.ratio))
    assert CriterionComparison.select().count() == n * (n - 1) // 2
    eigenvalues, vectors = numpy.linalg.eig(matrix)
    k = int(numpy.argmax(eigenvalues.real))
    random_index = {6: 1.24, 7: 1.32, 8: 1.41}[n]
    assert (eigenvalues.real[k] - n) / (n - 1) / random_index < 0.10
    # the comparisons give about the direct weights, in the same order
    derived = numpy.abs(vectors[:, k].real) / numpy.abs(vectors[:, k].real).sum()
    assert list(numpy.argsort(-derived, kind="stable")) == sorted(
        range(n), key=lambda i: -Decimal(criteria[i].weight)
    )


def test_the_intake_holds_proposals_in_every_status_with_a_business_case(office: Path) -> None:
    proposals = list(Proposal.select())
    assert len(proposals) == 25
    assert {p.status for p in proposals} == set(PROPOSAL_STATUSES)
    assert len({p.title for p in proposals}) == len(proposals)
    decided = [p for p in proposals if p.status in ("approved", "deferred", "rejected")]
    assert all(p.reason and p.decision_id for p in decided)
    assert all(p.sponsor_id and p.program.parent_id for p in proposals)
    mandatory = [p for p in proposals if p.mandatory]
    assert 1 <= len(mandatory) <= 2 and {p.status for p in mandatory} <= {"approved", "in review"}
    npv = {}
    for p in proposals:
        years = list(p.years.order_by(ProposalYear.fiscal_year))
        assert 3 <= len(years) <= 5
        assert [y.fiscal_year for y in years] == list(
            range(years[0].fiscal_year, years[-1].fiscal_year + 1)
        )
        npv[p.id] = sum(
            (y.hard_savings + y.cost_avoidance - y.capital - y.operating) / Decimal("1.03") ** t
            for t, y in enumerate(years)
        )
    assert any(v < 0 for v in npv.values()) and sum(v > 0 for v in npv.values()) > 12
    needs = list(ProposalNeed.select())
    assert {n.month.day for n in needs} == {1} and len({n.role for n in needs}) == 6
    assert all(Decimal(n.people) > 0 for n in needs)
    dependencies = list(ProposalDependency.select())
    assert dependencies and all(d.needs_id < d.proposal_id for d in dependencies)  # no cycle


def test_reviewers_score_every_criterion_once_in_review_and_some_when_submitted(
    office: Path,
) -> None:
    criteria = Criterion.select().count()
    for p in Proposal.select():
        scores = list(p.scores)
        reviewers = {s.reviewer for s in scores}
        if p.status == "draft":
            assert scores == []
        elif p.status == "submitted":
            assert len(reviewers) <= 2
        else:
            assert 3 <= len(reviewers) <= 5
            assert len(scores) == criteria * len(reviewers)
    accounts = {s.reviewer for s in ProposalScore.select()}
    assert ACTOR in accounts and 3 <= len(accounts) <= 5
    assert any(p.status == "submitted" and p.scores.count() for p in Proposal.select())


def test_the_awarded_solicitation_made_its_contract_from_the_winning_bid(office: Path) -> None:
    awarded = Solicitation.get(Solicitation.status == "awarded")
    contract = awarded.contract
    assert awarded.decision.program_id == awarded.program_id == contract.program_id
    bids = {b.vendor_id: b for b in awarded.bids}
    assert len(bids) == 4 and bids[contract.vendor_id].price == contract.ceiling
    failing = {r.bid_id for r in BidConformance.select().join(ConformanceItem)
               .where(ConformanceItem.mandatory, ~BidConformance.passed)}  # fmt: skip
    mine = {b.id for b in bids.values()}
    assert len(failing & mine) == 1
    members = list(awarded.committee)
    assert 3 <= len(members) <= 4
    assert all(len(m.commitment) == 64 and int(m.commitment, 16) >= 0 for m in members)
    assert any(m.conflict for m in members)
    criteria = list(awarded.criteria)
    price = next(c for c in criteria if c.price)
    lowest = min(b.price for b in bids.values() if b.id not in failing)
    totals = {}
    for bid in bids.values():
        scores = list(bid.scores)
        if bid.id in failing:
            assert scores == []
            continue
        assert {s.member for s in scores} == {m.account for m in members}
        assert len(scores) == len(members) * (len(criteria) - 1)
        assert all(s.comment for s in scores) and price.id not in {s.criterion_id for s in scores}
        totals[bid.vendor_id] = Decimal(price.weight) * lowest / bid.price * 10 + sum(
            Decimal(c.weight)
            * sum(s.score for s in scores if s.criterion_id == c.id)
            / len(members)
            for c in criteria
            if not c.price
        )
    assert max(totals, key=lambda v: totals[v]) == contract.vendor_id


def test_the_solicitation_in_evaluation_is_sealed_and_half_committed(office: Path) -> None:
    evaluating = Solicitation.get(Solicitation.status == "evaluating")
    assert evaluating.decision is None and evaluating.contract is None
    assert evaluating.bids_due < TODAY < evaluating.award_by
    assert 3 <= evaluating.bids.count() <= 4
    assert BidScore.select().join(Bid).where(Bid.solicitation == evaluating).count() == 0
    members = {m.account: m.commitment for m in evaluating.committee}
    assert len(members) == 4 and members[ACTOR] == ""
    assert sum(bool(c) for c in members.values()) == 2


def test_the_awarded_commitments_recompute_from_the_revealed_scores_and_the_log(
    office: Path,
) -> None:
    """As after a reveal: each revealed score's audit entry names the commitment and salt,
    and the member's scores with that salt give the commitment."""
    awarded = Solicitation.get(Solicitation.status == "awarded")
    for member in awarded.committee:
        scores = list(
            BidScore.select()
            .join(Bid)
            .where(Bid.solicitation == awarded, BidScore.member == member.account)
        )
        [note] = {
            AuditEntry.get(AuditEntry.entity == "bid_score", AuditEntry.entity_id == s.id).note
            for s in scores
        }
        assert note.startswith(f"revealed; commitment {member.commitment} salt ")
        sealed = {(s.bid_id, s.criterion_id): (s.score, s.comment) for s in scores}
        salt = note.rsplit(" ", 1)[1]
        assert revealed_commitment(awarded.code, member.account, sealed, salt) == member.commitment


def test_scorecards_cover_two_years_and_one_vendor_falls_below_target(office: Path) -> None:
    scored = {s.contract_id for s in ServiceLevel.select()}
    assert len(scored) == 3 and {c.contract_id for c in Scorecard.select()} == scored
    means = {}
    for cid in scored:
        cards = list(
            Scorecard.select().where(Scorecard.contract == cid).order_by(Scorecard.period_start)
        )
        assert 2 <= len(cards) <= 8 and all(c.period_end >= c.period_start for c in cards)
        levels = ServiceLevel.select().where(ServiceLevel.contract == cid).count()
        assert all(c.levels_total == levels and c.levels_met <= levels for c in cards)
        means[cid] = [
            (c.quality + c.timeliness + c.cost_control + c.responsiveness) / 4 for c in cards
        ]
    falling = [m for m in means.values() if m[-1] < 3 <= m[0]]
    assert len(falling) == 1 and falling[0] == sorted(falling[0], reverse=True)


@pytest.mark.slow
def test_the_large_intake_has_four_hundred_proposals_and_twelve_roles(tmp_path: Path) -> None:
    init_database(tmp_path / "large.db", actor=ACTOR)
    counts = build_demo(_context(), size="large", seed=1)
    assert counts["proposals"] == Proposal.select().count() == 400
    assert ProposalNeed.select(fn.COUNT(ProposalNeed.role.distinct())).scalar() == 12
    assert len({y.fiscal_year for y in ProposalYear.select()}) == 5
    assert Proposal.select().where(Proposal.mandatory).count() == 8
    assert Solicitation.select().count() == 2 and counts["scorecards"] > 0


def test_the_intake_has_an_envelope_for_each_year_its_proposals_cost_money_in(
    office: Path,
) -> None:
    from docket.models.core.schema import BudgetLine
    from docket.models.core.schema_selection import Proposal, ProposalYear

    years = {y.fiscal_year for y in ProposalYear.select()}
    envelopes = BudgetLine.select().where(BudgetLine.name == "Intake envelope")
    assert {line.fiscal_year for line in envelopes} == years
    for line in envelopes:
        asked = sum(
            (y.capital + y.operating for y in ProposalYear.select().where(
                ProposalYear.fiscal_year == line.fiscal_year)),
            start=Decimal(0),
        )  # fmt: skip
        committed = sum(
            (y.capital + y.operating for y in ProposalYear.select().join(Proposal).where(
                ProposalYear.fiscal_year == line.fiscal_year, Proposal.status == "approved")),
            start=Decimal(0),
        )  # fmt: skip
        # 40 %, to the ten thousand; or what the approved proposals (commitments) cost, if more
        assert line.amount >= committed
        assert (
            abs(line.amount - asked * Decimal("0.4")) <= 5_000 or line.amount - committed < 10_000
        )
