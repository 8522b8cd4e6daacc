"""The board pack's charts, drawn by matplotlib's SVG backend and returned as inline SVG.

matplotlib rather than hand-written SVG: its axes, date ticks, hatching and legends are
well kept and tested. Each chart is a ``Figure`` of its own (no pyplot, so no global state
and no GUI backend), drawn with text kept as text (``svg.fonttype = none``, so it scales,
prints sharp and can be searched and read aloud), a fixed hash salt and no date in its
metadata, so the same facts give the same bytes. Meaning is never carried by colour alone:
marker shapes, hatching, dash styles and written values say it too, and the HTML puts a
table of the same numbers under every chart.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any, cast

import matplotlib
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from docket.models.contractors.allocation import Allocation
from docket.models.governance.budget import BudgetRow
from docket.models.governance.metrics import MetricFacts
from docket.models.governance.risks import MEDIUM_SCORE
from docket.models.milestones.schedule import MilestoneFacts
from docket.models.portfolio.board import ProposalPoint

# Okabe and Ito's palette, told apart by people with any colour vision
BLUE, ORANGE, GREEN, VERMILION, GREY, SKY, PURPLE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#6b6b6b",
    "#56B4E9",
    "#CC79A7",
)
STATUS_COLOUR = {"late": VERMILION, "at risk": ORANGE, "on track": BLUE, "done": GREEN}
RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "docket-boardpack",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "path.simplify": False,
    # user text is text: a "$" in a title is a dollar, never the start of mathematics
    "text.parse_math": False,
}
# the risk bands' shades: low, medium, high
BANDS = ListedColormap(["#d3ecd9", "#fbe0a6", "#f4b6a6"])


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context(cast(Any, RC)):
        yield


def svg(fig: Figure, key: str, label: str) -> str:
    """The figure as an ``<svg>`` element to inline in HTML: no XML declaration, DOCTYPE or
    metadata, every id prefixed with ``key`` (ids must be unique in the page), ``role="img"``
    with ``label`` as its accessible name and first ``<title>``."""
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'id="([^"]+)"', rf'id="{key}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", text)
    text = re.sub(r'xlink:href="#([^"]+)"', rf'href="#{key}-\1"', text)
    text = text.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    text = text.replace("'DejaVu Sans', sans-serif", "'DejaVu Sans', Verdana, Arial, sans-serif")
    quoted = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    text = text.replace(
        "<svg ", f'<svg id="{key}" role="img" aria-label="{quoted}" class="chart" ', 1
    ).replace(
        ' version="1.1">', f' version="1.1">\n <title>{quoted.replace(">", "&gt;")}</title>', 1
    )
    return text.rstrip() + "\n"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _money(amount: float) -> str:
    """1234567 as 1.23M, 45600 as 45.6k."""
    size = abs(amount)
    if size >= 1_000_000:
        return f"{amount / 1_000_000:.2f}M"
    if size >= 1_000:
        return f"{amount / 1_000:.1f}k"
    return f"{amount:.0f}"


def _days(day: str) -> float:
    return float(date.fromisoformat(day).toordinal())


def _date_axis(ax: Any, low: float, high: float) -> None:
    """Month ticks (about six) on an axis of day ordinals."""
    first, last = date.fromordinal(int(low)), date.fromordinal(int(high))
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, -(-months // 6))
    ticks, labels = [], []
    year, month = first.year, first.month
    for n in range(months + 1):
        if n % step == 0:
            day = date(year, month, 1)
            if low <= day.toordinal() <= high:
                ticks.append(day.toordinal())
                labels.append(day.strftime("%b %Y"))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    ax.set_xlim(low, high)
    _labels(ax, x=list(zip(ticks, labels, strict=True)))
    bottom, top = ax.get_ylim()
    ax.add_collection(
        LineCollection(
            [[(t, bottom), (t, top)] for t in ticks], colors="#e3e3e3", linewidths=0.6, zorder=0
        )
    )


def _labels(
    ax: Any,
    *,
    x: Sequence[tuple[float, str]] = (),
    y: Sequence[tuple[float, str]] = (),
    size: float = 7,
) -> None:
    """Axis labels written as plain text at data positions (no tick objects: they cost more
    to draw than the rest of a small chart)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for where, text in x:
        ax.text(
            where,
            -0.02,
            text,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=size,
        )
    for where, text in y:
        ax.text(
            -0.01,
            where,
            text,
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=size,
        )


def timeline(
    key: str, milestones: Sequence[MilestoneFacts], today: date, label: str, own: str = ""
) -> str:
    """Each milestone a row: baseline (open diamond), forecast (circle) or actual (square),
    the slip between them drawn as a bar and written (+N d) with the status in words, and
    the day of the pack as a dashed line; a milestone of another program than ``own`` is
    named with its program's code. One artist per kind of mark, so it draws fast."""
    with _style():
        rows = len(milestones)
        tall = 0.65 + 0.24 * rows
        fig = Figure(figsize=(7.2, tall))
        fig.subplots_adjust(left=0.3, right=0.81, top=1 - 0.08 / tall, bottom=0.42 / tall)
        ax = fig.add_subplot()
        ys = [rows - 1 - n for n in range(rows)]
        bases = [_days(m["baseline"]) for m in milestones]
        ends = [_days(m["actual"] or m["forecast"]) for m in milestones]
        segments = [[(b, y), (e, y)] for b, e, y in zip(bases, ends, ys, strict=True)]
        colours = [STATUS_COLOUR.get(m["status"], GREY) for m in milestones]
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=2.5))
        ax.plot(
            bases,
            ys,
            marker="D",
            markersize=5,
            markerfacecolor="white",
            markeredgecolor="#333333",
            linestyle="none",
        )
        for done, marker in ((False, "o"), (True, "s")):
            mine = [n for n, m in enumerate(milestones) if (m["actual"] is not None) == done]
            if mine:
                ax.scatter(
                    [ends[n] for n in mine],
                    [ys[n] for n in mine],
                    marker=marker,
                    s=22,
                    c=[colours[n] for n in mine],
                    zorder=3,
                    edgecolors="#333333",
                    linewidths=0.5,
                )
        for y, m in zip(ys, milestones, strict=True):
            ax.text(
                1.01,
                y,
                _timeline_note(m, today),
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=7,
            )
        now = today.toordinal()
        ax.axvline(now, color="black", linestyle="--", linewidth=0.8)
        ax.set_ylim(-0.7, rows - 0.3)
        _date_axis(ax, min([*bases, *ends, now]) - 10, max([*bases, *ends, now]) + 10)
        names = [
            m["title"] if m["program"] == own else f"{m['program']} {m['title']}"
            for m in milestones
        ]
        _labels(ax, y=[(y, _short(name, 40)) for y, name in zip(ys, names, strict=True)])
        return svg(fig, key, label)


def _timeline_note(m: MilestoneFacts, today: date) -> str:
    """The words beside a milestone: its status, how late it is past its forecast (a late
    one), and its slip against the baseline, said apart so neither reads as the other."""
    parts = [str(m["status"])]
    if m["status"] == "late":
        parts[0] = f"late {(today - date.fromisoformat(str(m['forecast']))).days} d"
    if m["slip_days"]:
        parts.append(f"slip {m['slip_days']:+d} d")
    return "; ".join(parts)


def budget_bars(key: str, rows: Sequence[BudgetRow], label: str) -> str:
    """Per program: budget (outlined), actual to date (solid) and estimate at completion
    (hatched), the amount over written where the estimate passes the budget."""
    with _style():
        height = 0.8 + 0.42 * len(rows)
        fig = Figure(figsize=(7.2, height))
        fig.subplots_adjust(left=0.12, right=0.86, top=1 - 0.4 / height, bottom=0.45 / height)
        ax = fig.add_subplot()
        n = len(rows)
        ys = [n - 1 - i for i in range(n)]
        budgets = [float(r["budget"]) for r in rows]
        actuals = [float(r["actual"]) for r in rows]
        estimates = [float(r["estimate_at_completion"]) for r in rows]
        ax.barh(
            [y + 0.27 for y in ys],
            budgets,
            height=0.26,
            facecolor="white",
            edgecolor=BLUE,
            linewidth=1,
            label="budget",
        )
        ax.barh(ys, actuals, height=0.26, color=BLUE, label="actual to date")
        ax.barh(
            [y - 0.27 for y in ys],
            estimates,
            height=0.26,
            facecolor="white",
            edgecolor=VERMILION,
            hatch="////",
            linewidth=0.8,
            label="estimate at completion",
        )
        top = max([*budgets, *estimates, 1.0])
        for y, r in zip(ys, rows, strict=True):
            variance = float(r["variance"])
            words = f"over by {_money(-variance)}" if r["over"] else f"under by {_money(variance)}"
            ax.text(1.01, y, words, transform=ax.get_yaxis_transform(), va="center", fontsize=7)
        ax.set_yticks(ys, [r["program"] for r in rows])
        ax.set_xlim(0, top * 1.05)
        ax.set_ylim(-0.6, n - 0.4)
        ticks = [t for t in ax.get_xticks() if 0 <= t <= top * 1.05]
        ax.set_xticks(ticks, [_money(t) for t in ticks])
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, fontsize=7)
        return svg(fig, key, label)


def risk_heatmap(key: str, matrix: Sequence[Sequence[int]], high: int, label: str) -> str:
    """Impact (up, 5 at the top) by probability (across): the count in each cell, the
    score band (impact x probability: high, medium, low) as a shade."""
    with _style():
        fig = Figure(figsize=(2.6, 2.4))
        fig.subplots_adjust(left=0.2, right=0.97, top=0.97, bottom=0.18)
        ax = fig.add_subplot()
        bands = [
            [2 if i * p >= high else 1 if i * p >= MEDIUM_SCORE else 0 for p in range(1, 6)]
            for i in range(1, 6)
        ]
        ax.pcolormesh(
            range(6), range(6), bands, cmap=BANDS, vmin=0, vmax=2, edgecolors="white", linewidth=1.5
        )
        for row, counts in enumerate(matrix):
            for col, count in enumerate(counts):
                if count:
                    ax.text(
                        col + 0.5,
                        4.5 - row,
                        str(count),
                        ha="center",
                        va="center",
                        fontsize=10,
                        fontweight="bold",
                    )
        _labels(
            ax,
            x=[(c + 0.5, str(c + 1)) for c in range(5)],
            y=[(r + 0.5, str(r + 1)) for r in range(5)],
            size=8,
        )
        ax.text(
            2.5, -0.14, "probability", transform=ax.get_xaxis_transform(), ha="center", va="top"
        )
        ax.text(
            -0.12,
            2.5,
            "impact",
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            rotation=90,
        )
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        return svg(fig, key, label)


def metric_trends(key: str, found: Sequence[MetricFacts], label: str) -> str:
    """One small chart per metric, drawn in cells of one axes: its readings, oldest to
    newest, against its target (solid), amber (dashed) and red (dotted) thresholds, each
    written with its value at the right; the latest value and its status in the heading.
    No tick marks: the thresholds' values are the scale, and the table under the chart has
    every reading."""
    with _style():
        cols = min(3, len(found))
        rows = -(-len(found) // cols)
        fig = Figure(figsize=(7.2, 1.4 * rows))
        fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(0, cols)
        ax.set_ylim(0, rows)
        # each cell: the plot in [x0 + 0.02, x0 + 0.7] x [y0 + 0.08, y0 + 0.62]
        segments, styles = [], []
        for n, m in enumerate(found):
            x0, y0 = n % cols, rows - 1 - n // cols
            values = [float(v) for v in m["history"]]
            levels = [
                (m["target"], "solid", "target"),
                (m["amber"], "dashed", "amber"),
                (m["red"], "dotted", "red"),
            ]
            spread = [*values, *(float(level) for level, _, _ in levels)]
            low, high = min(spread), max(spread)
            span = (high - low) or 1.0

            def at(v: float, y0: float = y0, low: float = low, span: float = span) -> float:
                return y0 + 0.1 + 0.5 * (v - low) / span

            left, right = x0 + 0.02, x0 + 0.68
            step = (right - left) / max(len(values) - 1, 1)
            ax.plot(
                [left + i * step for i in range(len(values))],
                [at(v) for v in values],
                color=BLUE,
                marker="o",
                markersize=2.5,
                linewidth=1.2,
            )
            for level, dash, word in levels:
                segments.append([(left, at(float(level))), (right, at(float(level)))])
                styles.append(dash)
                ax.text(right + 0.02, at(float(level)), f"{word} {level}", fontsize=6, va="center")
            unit = f" {m['unit']}" if m["unit"] else ""
            ax.text(
                left,
                y0 + 0.95,
                f"{_short(m['name'], 36)}\nlatest {m['latest'] or '-'}{unit}: {m['status']}",
                fontsize=7,
                va="top",
            )
        ax.add_collection(LineCollection(segments, colors=GREY, linewidths=0.8, linestyles=styles))
        return svg(fig, key, label)


def allocation_heatmap(key: str, allocation: Allocation, label: str) -> str:
    """People (rows) by month: the average allocation written in each cell, ``!`` where
    some day of the month passed 100 %, the shade deeper as the load grows."""
    with _style():
        people = allocation["people"]
        months = allocation["months"]
        height = 0.7 + 0.22 * len(people)
        fig = Figure(figsize=(7.2, height))
        fig.subplots_adjust(left=0.36, right=0.98, top=1 - 0.35 / height, bottom=0.1 / height)
        ax = fig.add_subplot()
        for row, person in enumerate(people):
            y = len(people) - 1 - row
            for col, cell in enumerate(person["months"]):
                load = cell["average"]
                shade = min(load, 200) / 200
                face = to_hex((1 - 0.75 * shade, 1 - 0.55 * shade, 1 - 0.2 * shade))
                ax.add_patch(
                    Rectangle((col, y), 1, 1, facecolor=face, edgecolor="white", linewidth=1)
                )
                mark = "!" if cell["peak"] > 100 else ""
                ax.text(
                    col + 0.5,
                    y + 0.5,
                    f"{load}{mark}" if load or mark else ".",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if shade > 0.55 else "black",
                )
        ax.set_xlim(0, len(months))
        ax.set_ylim(0, len(people))
        _labels(ax, y=[(r + 0.5, _short(p["person"], 44)) for r, p in enumerate(reversed(people))])
        for c, month in enumerate(months):
            ax.text(
                c + 0.5,
                1.01,
                month,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=7,
            )
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        return svg(fig, key, label)


MARKERS = {"draft": "x", "submitted": "^", "in review": "o", "approved": "s", "deferred": "v"}


def value_cost(key: str, points: Sequence[ProposalPoint], label: str) -> str:
    """Each proposal's value (up) against its total cost (across), its status as the
    marker's shape (a legend names them), the highest values labelled by code."""
    with _style():
        fig = Figure(figsize=(7.2, 3.6))
        fig.subplots_adjust(left=0.09, right=0.98, top=0.86, bottom=0.13)
        ax = fig.add_subplot()
        colours = iter([BLUE, VERMILION, GREEN, ORANGE, PURPLE, SKY])
        for status, marker in MARKERS.items():
            mine = [p for p in points if p["status"] == status]
            if not mine:
                continue
            ax.plot(
                [float(p["cost"]) for p in mine],
                [float(p["value"]) for p in mine],
                marker=marker,
                linestyle="none",
                markersize=4,
                color=next(colours),
                markerfacecolor="none" if marker in "o^vs" else None,
                label=f"{status} ({len(mine)})",
            )
        best = sorted(points, key=lambda p: (-Decimal(p["value"]), p["code"]))[:5]
        for n, p in enumerate(best):
            ax.annotate(
                p["code"],
                (float(p["cost"]), float(p["value"])),
                fontsize=6,
                xytext=(4, 4 - 10 * (n % 2)),
                textcoords="offset points",
            )
        ax.set_xlabel("total cost of the business case")
        ax.set_ylabel("value (0 to 10)")
        ticks = [t for t in ax.get_xticks() if t >= 0]
        low, high = ax.get_xlim()
        ax.set_xticks(ticks, [_money(t) for t in ticks])
        ax.set_xlim(max(low, 0) if low < 0 else low, high)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=5, fontsize=7)
        return svg(fig, key, label)
