"""Reviewers' scores and what they add up to: each reviewer scores under their own account
and changes only their own scores; the value of a proposal (weighted mean, spread,
unscored criteria) worked by hand; the ranking's order; and the commands."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docket.models.core.context import Context
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.schema_selection import ProposalScore
from docket.models.portfolio import proposals, scoring
from docket.models.portfolio.criteria import add_criterion, update_criterion
from docket.models.portfolio.value import population_sd, proposal_values

pytestmark = pytest.mark.both_engines

D = Decimal


def _review(ctx: Context, code: str) -> None:
    proposals.add_proposal(ctx, code, f"Proposal {code}")
    proposals.move(ctx, code, "submitted")


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_criterion(ctx, "Strategic alignment", weight="3")
    add_criterion(ctx, "Risk reduction", weight="1")
    for code in ("P-1", "P-2", "P-3", "P-4"):
        _review(ctx, code)
    return ctx


@pytest.fixture
def bob(ctx: Context) -> Context:
    """Another reviewer, under his own account."""
    return Context(actor="bob", tz=ctx.tz, clock=ctx.clock)


def test_a_reviewer_scores_under_their_own_account(office: Context, bob: Context) -> None:
    mine = scoring.score_proposal(office, "P-1", "strategic", "8", "Core to the plan")
    assert (mine.reviewer, mine.score, mine.comment) == ("tester", 8, "Core to the plan")
    again = scoring.score_proposal(office, "P-1", "strategic", 7)  # replaces, keeps comment
    assert (again.id, again.score, again.comment) == (mine.id, 7, "Core to the plan")
    theirs = scoring.score_proposal(bob, "P-1", "strategic", 3, "Not now")
    assert theirs.id != mine.id and theirs.reviewer == "bob"
    assert ProposalScore.select().count() == 2


def test_nobody_changes_another_reviewers_score(office: Context, bob: Context) -> None:
    theirs = scoring.score_proposal(bob, "P-1", "strategic", 3, "Not now")
    with pytest.raises(ValidationError) as refused:
        scoring.update_score(office, theirs.id, score=9)
    assert refused.value.field == "reviewer"
    assert "bob's; only they can change it" in str(refused.value)
    with pytest.raises(ValidationError, match="only they"):
        scoring.withdraw_score(office, theirs.id)
    assert ProposalScore.get_by_id(theirs.id).score == 3
    assert scoring.update_score(bob, theirs.id, score=4).score == 4
    scoring.withdraw_score(bob, theirs.id)
    assert ProposalScore.select().count() == 0


@pytest.mark.parametrize(
    ("score", "field"), [("11", "score"), ("-1", "score"), ("7.5", "score"), ("", "score")]
)
def test_scores_are_whole_numbers_from_0_to_10(office: Context, score: str, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        scoring.score_proposal(office, "P-1", "strategic", score)
    assert refused.value.field == field


def test_only_proposals_under_review_on_active_criteria_are_scored(office: Context) -> None:
    proposals.add_proposal(office, "P-9", "Draft")
    with pytest.raises(ValidationError) as refused:
        scoring.score_proposal(office, "P-9", "strategic", 5)
    assert refused.value.field == "status"
    update_criterion(office, "risk", active="no")
    with pytest.raises(NotFoundError, match="no criterion named"):
        scoring.score_proposal(office, "P-1", "risk", 5)


def test_the_value_worked_by_hand(office: Context, bob: Context) -> None:
    """Weights 3 and 1 normalise to 0.75 and 0.25. P-1: strategic 8 and 6 (mean 7, sd 1),
    risk 6 and 2 (mean 4, sd 2): 0.75 x 7 + 0.25 x 4 = 6.25, spread 2. P-2: strategic 9
    from one reviewer, risk unscored (counts 0): 6.75. P-3 and P-4: nothing, 0, by code."""
    for ctx, s, r in ((office, 8, 6), (bob, 6, 2)):
        scoring.score_proposal(ctx, "P-1", "strategic", s)
        scoring.score_proposal(ctx, "P-1", "risk", r)
    scoring.score_proposal(office, "P-2", "strategic", 9)
    values = proposal_values()
    assert [(v["code"], v["value"]) for v in values] == [
        ("P-2", D("6.7500")), ("P-1", D("6.2500")), ("P-3", D("0.0000")), ("P-4", D("0.0000")),
    ]  # fmt: skip
    p1, p2 = values[1], values[0]
    assert (p1["spread"], p1["reviewers"], p1["unscored"]) == (D("2.00"), 2, [])
    assert p1["means"] == {"Risk reduction": D("4.0000"), "Strategic alignment": D("7.0000")}
    assert (p2["spread"], p2["reviewers"], p2["unscored"]) == (D("0.00"), 1, ["Risk reduction"])
    assert values[2]["unscored"] == ["Risk reduction", "Strategic alignment"]
    # a retired criterion no longer counts: strategic alone weighs 1
    update_criterion(office, "risk", active="no")
    assert [(v["code"], v["value"]) for v in proposal_values()][:2] == [
        ("P-2", D("9.0000")), ("P-1", D("7.0000")),
    ]  # fmt: skip


def test_a_mean_of_thirds(office: Context, bob: Context) -> None:
    """Strategic 7, 7 and 6 from three reviewers: mean 20/3, shown 6.6667; the value is
    taken from the exact mean, 0.75 x 20/3 = 5."""
    carol = Context(actor="carol", tz=office.tz, clock=office.clock)
    for ctx, s in ((office, 7), (bob, 7), (carol, 6)):
        scoring.score_proposal(ctx, "P-1", "strategic", s)
    p1 = next(v for v in proposal_values() if v["code"] == "P-1")
    assert (p1["value"], p1["means"]["Strategic alignment"]) == (D("5.0000"), D("6.6667"))
    assert p1["reviewers"] == 3


def test_the_population_standard_deviation() -> None:
    """2, 4, 9: mean 5, squared deviations 9 + 1 + 16 = 26, / 3 = 8.667, sd 2.944."""
    assert population_sd([2, 4, 9]).quantize(D("0.001")) == D("2.944")
    assert population_sd([5]) == D(0) and population_sd([]) == D(0)


def test_values_by_status(office: Context) -> None:
    proposals.move(office, "P-1", "in review")
    assert [v["code"] for v in proposal_values(["in review"])] == ["P-1"]
    assert proposal_values(["approved"]) == []
    with pytest.raises(ValidationError) as refused:
        proposal_values(["pending"])
    assert refused.value.field == "status"


def test_list_scores_mine_and_by_proposal(office: Context, bob: Context) -> None:
    scoring.score_proposal(office, "P-2", "risk", 5, "ok")
    scoring.score_proposal(bob, "P-1", "risk", 4)
    assert [(s["proposal"], s["reviewer"]) for s in scoring.list_scores()] == [
        ("P-1", "bob"), ("P-2", "tester"),
    ]  # fmt: skip
    assert [s["reviewer"] for s in scoring.list_scores("tester")] == ["tester"]
    assert [s["proposal"] for s in scoring.list_scores(proposal="p-1")] == ["P-1"]


def test_the_commands(cli: Any) -> None:
    assert cli("criteria", "add", "Impact", "--weight", "1").status == 0
    assert cli("proposal", "add", "P-1", "Portal").status == 0
    assert cli("proposal", "submit", "P-1").status == 0
    made = cli("score", "proposal", "P-1", "impact", "8", "--comment", "Clear need")
    assert made.status == 0, made.err
    assert made.out.startswith("P-1 / Impact: 8 by ")
    listed = json.loads(cli("score", "list", "--mine", "--format", "json").out)
    assert [(s["proposal"], s["score"], s["comment"]) for s in listed] == [("P-1", 8, "Clear need")]
    assert cli("score", "withdraw", "1").out == "score 1 withdrawn\n"
    assert cli("score", "list").out == "(none)\n"


def test_nobody_can_name_another_reviewer_on_the_command_line(cli: Any) -> None:
    cli("criteria", "add", "Impact")
    cli("proposal", "add", "P-1", "Portal")
    cli("proposal", "submit", "P-1")
    refused = cli("score", "proposal", "P-1", "impact", "8", "--reviewer", "bob")
    assert refused.status == 2
    assert "--reviewer" in refused.err
    bad = cli("score", "proposal", "P-1", "impact", "12")
    assert (bad.status, bad.err) == (2, "docket: score: expected at most 10, got 12\n")


def test_scores_on_every_criterion_at_once_are_all_or_nothing(office: Context) -> None:
    made = scoring.score_all(office, "P-1", {"strategic": 8, "risk": "6"}, "Form")
    assert [(s.criterion.name, s.score, s.comment) for s in made] == [
        ("Strategic alignment", 8, "Form"), ("Risk reduction", 6, "Form"),
    ]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        scoring.score_all(office, "P-2", {"strategic": 5, "risk": 11})
    assert refused.value.field == "score"
    assert [s["proposal"] for s in scoring.list_scores()] == ["P-1", "P-1"]
