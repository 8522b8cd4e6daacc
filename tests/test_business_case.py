"""Cost-benefit arithmetic against cases worked by hand: NPV (base year t = 0), payback with
partial years, benefit-cost ratio, ROI, the sensitivity line, and the edges (no benefits,
payback exactly at a year's end, one year only, zero cost, a year missing, a dip after
payback); and the config's discount rate."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docket.models.core.config import read_config
from docket.models.core.errors import DatabaseError
from docket.models.portfolio.business_case import (
    YearFlows,
    cost_benefit,
    npv,
    payback,
    present_value,
)

D = Decimal
TEN = D("0.10")


def year(fy: int, capital: str = "0", operating: str = "0", savings: str = "0",
         avoidance: str = "0") -> YearFlows:  # fmt: skip
    return {
        "fiscal_year": fy, "capital": D(capital), "operating": D(operating),
        "savings": D(savings), "avoidance": D(avoidance),
    }  # fmt: skip


def test_a_three_year_case_at_ten_percent() -> None:
    """By hand, r = 0.10: t=0 net -1000 (PV -1000.00); t=1 net 600 / 1.1 = 545.4545...
    (545.45); t=2 net 600 / 1.21 = 495.8677... (495.87). NPV = 41.32. PV benefits =
    1041.32, PV costs = 1000.00, BCR = 1.0413. ROI = (1200 - 1000) / 1000 = 0.2. Cumulative
    net -1000, -400, +200: paid back in year 3 after 400/600 of it, 2.67 years.
    Sensitivity: -1200 + 480/1.1 (436.36) + 480/1.21 (396.69) = -366.95."""
    case = cost_benefit(
        [year(2027, capital="1000"), year(2028, savings="600"), year(2029, savings="600")], TEN
    )
    rows = case["years"]
    assert [r["t"] for r in rows] == [0, 1, 2]
    assert [r["factor"] for r in rows] == [D("1"), D("0.9090909091"), D("0.8264462810")]
    assert [r["pv"] for r in rows] == [D("-1000.00"), D("545.45"), D("495.87")]
    assert [(r["pv_costs"], r["pv_benefits"]) for r in rows] == [
        (D("1000.00"), D("0.00")), (D("0.00"), D("545.45")), (D("0.00"), D("495.87")),
    ]  # fmt: skip
    assert [r["cumulative"] for r in rows] == [D("-1000.00"), D("-400.00"), D("200.00")]
    assert [r["cumulative_pv"] for r in rows] == [D("-1000.00"), D("-454.55"), D("41.32")]
    assert case["npv"] == D("41.32")
    assert (case["pv_costs"], case["pv_benefits"]) == (D("1000.00"), D("1041.32"))
    assert case["benefit_cost_ratio"] == D("1.0413")
    assert case["roi"] == D("0.2000")
    assert case["payback"] == D("2.67")
    assert case["sensitivity_npv"] == D("-366.95")


def test_costs_and_benefits_are_split_and_summed() -> None:
    """Capital + operating are costs, savings + avoidance benefits: FY2027 costs 150 + 50,
    benefits 20 + 30 -> net -150 at r = 0 (NPV the plain sum)."""
    case = cost_benefit([year(2027, "150", "50", "20", "30")], D(0))
    row = case["years"][0]
    assert (row["costs"], row["benefits"], row["net"]) == (D("200.00"), D("50.00"), D("-150.00"))
    assert case["npv"] == D("-150.00")


def test_no_benefits_never_pays_back() -> None:
    """Costs 500 and nothing back: payback never, BCR 0, ROI -100 %, NPV -500."""
    case = cost_benefit([year(2027, capital="500"), year(2028, operating="100")], TEN)
    assert case["payback"] is None
    assert case["benefit_cost_ratio"] == D("0.0000")
    assert case["roi"] == D("-1.0000")
    # -500 - 100 / 1.1 (90.909...) = -590.91
    assert case["npv"] == D("-590.91")


def test_payback_exactly_at_a_years_end() -> None:
    """Cumulative -100 then exactly 0: paid back at the end of year 2, 2.00 years."""
    case = cost_benefit([year(2027, capital="100"), year(2028, savings="100")], D(0))
    assert case["payback"] == D("2.00")
    assert case["npv"] == D("0.00")


def test_one_year_only() -> None:
    """One year, costs 100, benefits 150: undiscounted (t = 0), NPV 50, BCR 1.5, ROI 50 %;
    the net accrues evenly, so the cumulative never goes below zero: payback 0. Sensitivity:
    150 x 0.8 - 100 x 1.2 = 0."""
    case = cost_benefit([year(2027, capital="100", savings="150")], TEN)
    assert case["npv"] == D("50.00")
    assert case["benefit_cost_ratio"] == D("1.5000")
    assert case["roi"] == D("0.5000")
    assert case["payback"] == D("0.00")
    assert case["sensitivity_npv"] == D("0.00")


def test_zero_cost() -> None:
    """No costs: ratios are not defined (None), payback 0; NPV 100 + 100 / 1.1 = 190.91."""
    case = cost_benefit([year(2027, savings="100"), year(2028, avoidance="100")], TEN)
    assert case["benefit_cost_ratio"] is None
    assert case["roi"] is None
    assert case["payback"] == D("0.00")
    assert case["npv"] == D("190.91")


def test_an_empty_case() -> None:
    case = cost_benefit([], TEN)
    assert case["years"] == []
    assert case["npv"] == D("0.00")
    assert case["payback"] is None
    assert case["benefit_cost_ratio"] is None


def test_a_missing_year_counts_as_zeros() -> None:
    """FY2027 and FY2029 given: FY2028 is a row of zeros and FY2029 is discounted at t = 2
    (100 / 1.21 = 82.64)."""
    case = cost_benefit([year(2029, savings="100"), year(2027, capital="50")], TEN)
    assert [(r["fiscal_year"], r["t"], r["net"]) for r in case["years"]] == [
        (2027, 0, D("-50.00")), (2028, 1, D("0.00")), (2029, 2, D("100.00")),
    ]  # fmt: skip
    assert case["years"][2]["pv"] == D("82.64")
    assert case["npv"] == D("32.64")
    # cumulative -50, -50, +50: crossed half-way through year 3
    assert case["payback"] == D("2.50")


def test_payback_is_when_the_cumulative_stays_above_zero() -> None:
    """-100, +150 (back at 0.67 years into year 2), then -100 (below again): never."""
    assert payback([D(-100), D(150), D(-100)]) is None
    # ... and back once more in year 4: 3 + 50/100
    assert payback([D(-100), D(150), D(-100), D(100)]) == D("3.50")


def test_npv_multipliers_are_the_sensitivity() -> None:
    flows = [year(2027, capital="1000"), year(2028, savings="600")]
    assert npv(flows, TEN, D("1.2"), D("0.8")) == cost_benefit(flows, TEN)["sensitivity_npv"]


def test_present_value_rounds_half_up_to_the_cent() -> None:
    assert present_value(D("0.005"), D(0), 0) == D("0.01")
    assert present_value(D("121"), TEN, 2) == D("100.00")


def test_a_year_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        cost_benefit([year(2027), year(2027)], TEN)


@pytest.mark.parametrize(
    ("typed", "rate"),
    [("0.05", D("0.05")), ('"4 %"', D("0.04")), ('"2.5%"', D("0.025")), ("0", D(0))],
)
def test_the_discount_rate_is_read_from_the_config(
    tmp_path: Path, typed: str, rate: Decimal
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"discount_rate = {typed}\n")
    config = read_config(path)
    assert config is not None and config.discount_rate == rate


def test_the_discount_rate_defaults_to_three_percent(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('timezone = "UTC"\n')
    config = read_config(path)
    assert config is not None and config.discount_rate == D("0.03")


@pytest.mark.parametrize("typed", ["-0.01", "2", '"abc"', "true", '"150 %"'])
def test_a_wrong_discount_rate_is_refused(tmp_path: Path, typed: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"discount_rate = {typed}\n")
    with pytest.raises(DatabaseError, match="discount_rate"):
        read_config(path)


def test_each_pv_is_the_net_times_the_shown_factor() -> None:
    """By hand, r = 0.03: the factor of t=1 is 1/1.03 = 0.9708737864 (10 places); net
    79,000 x 0.9708737864 = 76,699.0291... -> 76,699.03, which the table shows (the 6-place
    0.970874 would give 76,699.05). Costs 21,000 x 0.9708737864 = 20,388.3495... ->
    20,388.35; benefits 100,000 x 0.9708737864 = 97,087.37864 -> 97,087.38; those per-year
    PVs add up to PV costs and PV benefits."""
    case = cost_benefit(
        [year(2027, capital="5000"), year(2028, "1000", "20000", "60000", "40000")], D("0.03")
    )
    row = case["years"][1]
    assert row["factor"] == D("0.9708737864")
    assert (row["net"], row["pv"]) == (D("79000.00"), D("76699.03"))
    assert row["net"] * row["factor"] == D("76699.029125600000")
    assert (row["pv_costs"], row["pv_benefits"]) == (D("20388.35"), D("97087.38"))
    assert case["pv_costs"] == D("5000.00") + D("20388.35")
    assert case["pv_benefits"] == D("97087.38")
    assert case["npv"] == D("-5000.00") + D("76699.03")
