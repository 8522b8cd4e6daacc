"""The efficient frontier drawn in text: the best total value the portfolio can buy (up) at
each budget (across), from ``docket.models.portfolio.analysis.portfolio_frontier``.

The frontier is a staircase: between two budgets the best value stays what the smaller one
bought. Each point the optimizer found is ``●``, the one at the budget given is ``◆``; the
steps between are line characters. Glyphs carry the meaning, so the chart reads the same
under ``NO_COLOR``; the axes are labelled with the amounts in short form (``1.2M``). The
budget across is the total over the fiscal years, from zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from docket.models.portfolio.analysis import FrontierFacts

POINT = "●"
CHOSEN = "◆"
LEVEL = "─"
RISE = "│"
CORNER = "┘"
# the y axis: its labels, then the axis itself
LABEL_WIDTH = 7


UNITS = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(1000), "k"))
# the most places an amount in short form is given (a cent of a billion is 11)
MOST_PLACES = 11


def short_amount(amount: Decimal) -> str:
    """An amount in a few characters for an axis: ``950``, ``12k``, ``1.2M``, ``3.4B``."""
    size = abs(amount)
    for limit, suffix in UNITS:
        if size >= limit:
            scaled = amount / limit
            return f"{scaled:.1f}{suffix}" if abs(scaled) < 10 else f"{scaled:.0f}{suffix}"
    return f"{amount:.0f}"


def short_amounts(amounts: Sequence[Decimal]) -> list[str]:
    """Amounts side by side (a spend and its budget) in short form with one unit, the
    largest's: four significant digits of the largest (``10.74M`` and ``11.15M``, not
    ``11M`` and ``11M``), places that are zero in every amount dropped (``780k of 800k``),
    and more places whenever two different amounts would still read the same."""
    if not amounts:
        return []
    size = max(abs(a) for a in amounts)
    unit, suffix = next(((limit, s) for limit, s in UNITS if size >= limit), (Decimal(1), ""))
    scaled = [a / unit for a in amounts]
    places = max(0, 4 - len(str(int(size / unit))))
    while places > 0 and all(x == x.quantize(Decimal(10) ** (1 - places)) for x in scaled):
        places -= 1
    while True:
        shown = [f"{x:.{places}f}{suffix}" for x in scaled]
        if len(set(shown)) == len(set(amounts)) or places >= MOST_PLACES:
            return shown
        places += 1


def axis_values(values: Sequence[Decimal]) -> list[str]:
    """The value axis's labels in one format, chosen by the largest: one place below 100,
    whole numbers to 99999, else short form with the largest's unit (``1.2M``, ``0.6M``)."""
    size = max((abs(v) for v in values), default=Decimal(0))
    if size < 100:
        return [f"{v:.1f}" for v in values]
    if size < 100000:
        return [f"{v:.0f}" for v in values]
    unit, suffix = next((limit, s) for limit, s in UNITS if size >= limit)
    return [f"{v / unit:.1f}{suffix}" for v in values]


def _row(value: Decimal, top: Decimal, height: int) -> int:
    """The row (0 at the top) where ``value`` is drawn."""
    if top <= 0:
        return height - 1
    share = max(Decimal(0), min(Decimal(1), value / top))
    return height - 1 - int((share * (height - 1)).to_integral_value())


def _numbers(point: FrontierFacts) -> tuple[Decimal, Decimal]:
    """A point's budget and value as numbers (the facts hold them as text)."""
    return Decimal(point["budget"]), Decimal(point["value"])


def _column(budget: Decimal, right: Decimal, columns: int) -> int:
    if right <= 0:
        return 0
    share = max(Decimal(0), min(Decimal(1), budget / right))
    return int((share * (columns - 1)).to_integral_value())


def frontier_chart(points: Sequence[FrontierFacts], width: int, height: int) -> Text:
    """The frontier in ``width`` x ``height`` cells (axes and labels included, the legend
    line not); the point at the budget given is marked ``◆``."""
    if not points:
        return Text("No frontier: no proposal has a cost and a score yet.", style="dim")
    ordered = sorted((*_numbers(p), p["given"]) for p in points)
    columns = max(10, width - LABEL_WIDTH - 1)
    rows = max(4, height - 2)  # the x axis and its labels below
    right = max(budget for budget, _, _ in ordered)
    top = max(value for _, value, _ in ordered)
    grid = [[" "] * columns for _ in range(rows)]
    # the staircase: each column at the best value bought at or below its budget
    placed = [
        (_column(budget, right, columns), _row(value, top, rows), given)
        for budget, value, given in ordered
    ]
    level: int | None = None
    at = 0
    for column in range(columns):
        while at < len(placed) and placed[at][0] <= column:
            new = placed[at][1]
            if level is not None and new < level:
                for between in range(new + 1, level):
                    grid[between][column] = RISE
                grid[level][column] = CORNER
            level = new if level is None else min(level, new)
            at += 1
        if level is not None and grid[level][column] == " ":
            grid[level][column] = LEVEL
    for column, row, given in placed:
        if grid[row][column] != CHOSEN:
            grid[row][column] = CHOSEN if given else POINT
    text = Text()
    labels = dict(
        zip((0, rows // 2, rows - 1), axis_values((top, top / 2, Decimal(0))), strict=True)
    )
    for index, line in enumerate(grid):
        label = labels.get(index, "")
        text.append(label.rjust(LABEL_WIDTH - 2) + (" ┤" if label else " │"), style="dim")
        for glyph in line:
            text.append(glyph, style="bold" if glyph == CHOSEN else "")
        text.append("\n")
    text.append(" " * (LABEL_WIDTH - 1) + "└" + "─" * columns + "\n", style="dim")
    ticks = [" "] * (columns + LABEL_WIDTH)
    for budget in (Decimal(0), right / 2, right):
        label = short_amount(budget)
        start = LABEL_WIDTH + _column(budget, right, columns) - len(label) // 2
        start = max(0, min(start, len(ticks) - len(label)))
        ticks[start : start + len(label)] = list(label)
    text.append("".join(ticks).rstrip(), style="dim")
    return text


def legend(points: Sequence[FrontierFacts], width: int) -> Text:
    """The two lines under the chart: the figures of the point at the budget given, then
    what the glyphs and the axes mean (as far as they fit in ``width``)."""
    text = Text()
    given = next((p for p in points if p["given"]), None)
    if given is not None:
        budget, value = _numbers(given)
        text.append(
            f"{CHOSEN} the budget: value {value:.2f} for {short_amount(budget)}"
            f" ({given['chosen']} proposals)",
            style="bold",
        )
    text.append("\n")
    meaning = f"{POINT} the best value at that budget"
    axes = "   value (up) by budget (across)"
    text.append(meaning)
    if len(meaning) + len(axes) <= width:
        text.append(axes, style="dim")
    return text
