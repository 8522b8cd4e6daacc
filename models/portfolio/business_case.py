"""Cost-benefit of a business case: the one place its arithmetic lives, on Decimal.

A case is money by fiscal year: costs (capital + operating) and hard benefits (savings +
cost avoidance); soft benefits are scored against the criteria, not priced. The rules:

- **Years.** Year t = 0 is the case's first fiscal year (the base year, discount factor
  1); a fiscal year missing between the first and the last counts as a year of zeros.
- **Discounting.** ``factor_t = 1 / (1 + r)^t`` rounded half-up to 10 places (the factor
  the table shows, so each PV can be redone by hand); ``PV_t = net_t x factor_t``,
  rounded half-up to the cent; ``NPV = sum of PV_t``, so the table adds up to the cent.
  PV costs and PV benefits are sums of the per-year ``costs_t x factor_t`` and
  ``benefits_t x factor_t``, each rounded the same way. ``r`` is the
  office's ``discount_rate`` (config, default 0.03).
- **Payback** (undiscounted): each year's net accrues evenly over the year, so the
  cumulative net is linear within a year; the payback is the time from the start of the
  first year after which the cumulative net stays at zero or above. Never (None) when it
  ends below zero; 0 when it never goes below zero (no costs, or benefits ahead from the
  start). Rounded to 0.01 year.
- **Benefit-cost ratio** = PV of benefits / PV of costs; **ROI** = (total benefits - total
  costs) / total costs, undiscounted. Both None (not defined) when costs are zero; 4 places.
- **Sensitivity**: the NPV with every cost x 1.2 and every benefit x 0.8.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from docket.models.core.fields import CENT

RATIO_PLACES = Decimal("0.0001")
FACTOR_PLACES = Decimal("0.0000000001")
YEAR_PLACES = Decimal("0.01")
COSTS_UP = Decimal("1.2")
BENEFITS_DOWN = Decimal("0.8")

ZERO = Decimal(0)


class YearFlows(TypedDict):
    """One fiscal year of a case as entered."""

    fiscal_year: int
    capital: Decimal
    operating: Decimal
    savings: Decimal
    avoidance: Decimal


class CaseYear(TypedDict):
    """One row of the year-by-year table."""

    fiscal_year: int
    # years from the first fiscal year (its exponent in the discount factor)
    t: int
    capital: Decimal
    operating: Decimal
    costs: Decimal
    savings: Decimal
    avoidance: Decimal
    benefits: Decimal
    net: Decimal
    # 1 / (1 + r)^t, to 10 places: every PV of the row is this factor times the amount
    factor: Decimal
    pv_costs: Decimal
    pv_benefits: Decimal
    pv: Decimal
    # the undiscounted net so far (payback) and the PV so far (ends at the NPV)
    cumulative: Decimal
    cumulative_pv: Decimal


class CaseFigures(TypedDict):
    """A case's cost-benefit figures and the table they come from."""

    rate: Decimal
    years: list[CaseYear]
    total_costs: Decimal
    total_benefits: Decimal
    pv_costs: Decimal
    pv_benefits: Decimal
    npv: Decimal
    # years from the start of the first fiscal year; None: never paid back
    payback: Decimal | None
    # None when costs are zero
    benefit_cost_ratio: Decimal | None
    roi: Decimal | None
    # NPV with costs +20 % and benefits -20 %
    sensitivity_npv: Decimal


FORMULA = (
    "t = fiscal year - first fiscal year;  factor = 1 / (1 + r)^t, to 10 places",
    "net = (savings + avoidance) - (capital + operating);  PV = net x factor, to the cent",
    "NPV = sum of PV;  PV costs, PV benefits = sums of the per-year PVs of costs, benefits",
    "benefit-cost ratio = PV benefits / PV costs",
    "ROI = (total benefits - total costs) / total costs",
    "payback: when the cumulative net (linear within each year) stays at 0 or above",
    "sensitivity: NPV with costs x 1.2 and benefits x 0.8",
)


def cents(amount: Decimal | int) -> Decimal:
    """An amount rounded half-up to the cent."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def factor(rate: Decimal, t: int) -> Decimal:
    """The discount factor ``1 / (1 + rate)^t``, half-up to 10 places (as the table shows it)."""
    return (1 / (1 + rate) ** t).quantize(FACTOR_PLACES, rounding=ROUND_HALF_UP)


def present_value(amount: Decimal, rate: Decimal, t: int) -> Decimal:
    """``amount x factor`` to the cent (half-up)."""
    return cents(amount * factor(rate, t))


def _filled(flows: Sequence[YearFlows]) -> list[YearFlows]:
    """The years in order, a year of zeros for each fiscal year missing in between."""
    given = {f["fiscal_year"]: f for f in flows}
    if len(given) != len(flows):
        raise ValueError("a fiscal year is given twice")
    if not given:
        return []
    first, last = min(given), max(given)
    return [
        given.get(y) or YearFlows(fiscal_year=y, capital=ZERO, operating=ZERO, savings=ZERO,
                                  avoidance=ZERO)
        for y in range(first, last + 1)
    ]  # fmt: skip


def npv(flows: Sequence[YearFlows], rate: Decimal, costs_x: Decimal = Decimal(1),
        benefits_x: Decimal = Decimal(1)) -> Decimal:  # fmt: skip
    """The net present value, each cost multiplied by ``costs_x`` and each benefit by
    ``benefits_x`` (1 and 1: the case as entered)."""
    total = ZERO
    for t, f in enumerate(_filled(flows)):
        costs = (f["capital"] + f["operating"]) * costs_x
        benefits = (f["savings"] + f["avoidance"]) * benefits_x
        total += present_value(benefits - costs, rate, t)
    return total


def payback(nets: Sequence[Decimal]) -> Decimal | None:
    """Years until the cumulative net (linear within each year) stays at zero or above;
    None when it ends below zero, 0 when it never goes below zero."""
    cumulative = ZERO
    back: Decimal | None = ZERO
    for year, net in enumerate(nets):
        before, cumulative = cumulative, cumulative + net
        if cumulative < 0:
            back = None
        elif back is None:
            # crossed zero within this year: the part of the year the deficit took to close
            back = year + (-before / net)
    if back is None:
        return None
    return back.quantize(YEAR_PLACES, rounding=ROUND_HALF_UP)


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else (part / whole).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def cost_benefit(flows: Sequence[YearFlows], rate: Decimal) -> CaseFigures:
    """The year-by-year table and every figure of the case at discount rate ``rate``."""
    if rate < 0:
        raise ValueError("the discount rate is below zero")
    rows: list[CaseYear] = []
    cumulative = cumulative_pv = pv_costs = pv_benefits = ZERO
    for t, f in enumerate(_filled(flows)):
        costs = cents(f["capital"] + f["operating"])
        benefits = cents(f["savings"] + f["avoidance"])
        net = benefits - costs
        pv = present_value(net, rate, t)
        pv_cost, pv_benefit = present_value(costs, rate, t), present_value(benefits, rate, t)
        cumulative += net
        cumulative_pv += pv
        pv_costs += pv_cost
        pv_benefits += pv_benefit
        rows.append(
            {
                "fiscal_year": f["fiscal_year"], "t": t,
                "capital": cents(f["capital"]), "operating": cents(f["operating"]),
                "costs": costs, "savings": cents(f["savings"]),
                "avoidance": cents(f["avoidance"]), "benefits": benefits,
                "net": net,
                "factor": factor(rate, t), "pv_costs": pv_cost, "pv_benefits": pv_benefit,
                "pv": pv, "cumulative": cumulative, "cumulative_pv": cumulative_pv,
            }
        )  # fmt: skip
    total_costs = cents(sum((r["costs"] for r in rows), ZERO))
    total_benefits = cents(sum((r["benefits"] for r in rows), ZERO))
    return {
        "rate": rate,
        "years": rows,
        "total_costs": total_costs,
        "total_benefits": total_benefits,
        "pv_costs": cents(pv_costs),
        "pv_benefits": cents(pv_benefits),
        "npv": cents(cumulative_pv),
        "payback": payback([r["net"] for r in rows]) if rows else None,
        "benefit_cost_ratio": _ratio(pv_benefits, pv_costs),
        "roi": _ratio(total_benefits - total_costs, total_costs),
        "sensitivity_npv": npv(flows, rate, COSTS_UP, BENEFITS_DOWN),
    }
