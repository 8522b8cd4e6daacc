"""The efficient frontier drawn as text: value (up) against budget (across), a step for each
level of budget, so a terminal shows where more money stops buying much value.

Written here because docket declares no plotting library; it is a dozen lines of blocks
(``▁`` to ``█``, eighths of a line), with the budget given marked ``▲`` under the axis
and one legend line saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

BLOCKS = " ▁▂▃▄▅▆▇█"


def frontier_chart(
    points: Sequence[tuple[Decimal, Decimal, bool]], *, height: int = 10, width: int = 60
) -> str:
    """``points`` as (budget, value, given) drawn ``height`` lines high and ``width``
    columns wide: each column shows the best value at the budget it stands for."""
    if not points:
        return "(no points)"
    ordered = sorted(points, key=lambda p: p[0])
    top_budget = max(ordered[-1][0], Decimal(1))
    top_value = max((p[1] for p in ordered), default=Decimal(0)) or Decimal(1)
    eighths: list[int] = []
    marks: list[bool] = []
    given = next((p[0] for p in ordered if p[2]), None)
    for x in range(width):
        at = top_budget * x / (width - 1)
        value = max((p[1] for p in ordered if p[0] <= at), default=Decimal(0))
        eighths.append(int(value / top_value * height * 8))
        step = top_budget / (width - 1)
        marks.append(given is not None and abs(given - at) <= step / 2)
    top_label = f"{top_value:,.1f}"
    pad = len(top_label)
    lines = []
    for row in range(height, 0, -1):
        floor = (row - 1) * 8
        cells = "".join(BLOCKS[max(0, min(8, e - floor))] for e in eighths)
        label = top_label if row == height else ""
        lines.append(f"{label:>{pad}} ┤{cells.rstrip()}")
    lines.append(f"{'0':>{pad}} └{'─' * width}")
    if given is not None:
        lines.append(" " * (pad + 2) + "".join("▲" if m else " " for m in marks).rstrip())
    right = f"{top_budget:,.0f}"
    gap = max(1, width - 1 - len(right))
    lines.append(" " * (pad + 2) + "0" + f"{'budget':^{gap}}" + right)
    if given is not None:
        lines.append(" " * (pad + 2) + "▲ the budget given")
    lines.insert(0, f"{'value':>{pad}}")
    return "\n".join(lines)
