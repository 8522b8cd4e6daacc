"""Line charts in the terminal: a metric's readings against its target and thresholds, a
program's spending through the fiscal year against its budget and estimate at completion.

Drawn with textual-plotext (plotext in a Textual widget), which resizes with the widget.
Each line has its own character as well as its own colour (``*`` the readings or the
spending, ``=`` the target or the budget, ``-`` amber, ``x`` red, ``+`` the estimate), the
legend above the chart says in words what each character is, and the lines of the
thresholds are labelled on the chart, so it reads the same under ``NO_COLOR``. The colours
are the app theme's (primary, success, warning, error, accent), not plotext's.

What a chart shows is a :class:`Chart` built by :func:`metric_chart` or
:func:`burn_chart` from the models' typed data; the widget keeps it (``chart.series``), so
a test can hold the points drawn against the models' numbers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from docket.models.governance.trends import BudgetBurn, MetricTrend
from docket.tui.widgets.frontier import short_amounts

Role = Literal["value", "target", "amber", "red", "budget", "estimate"]

# each role's character on the chart and the theme's colour for it
MARKERS: dict[Role, str] = {
    "value": "*",
    "target": "=",
    "amber": "-",
    "red": "x",
    "budget": "=",
    "estimate": "+",
}
COLOURS: dict[Role, str] = {
    "value": "primary",
    "target": "success",
    "amber": "warning",
    "red": "error",
    "budget": "success",
    "estimate": "accent",
}
# a label on the x axis takes this many cells with the room around it
X_LABEL = 10
# the least room (cells across, lines down) a chart is drawn in
SMALLEST = (16, 5)
# a unit this short is a sign written after each number (%); a longer one is a word
SIGN = 2


@dataclass(frozen=True)
class Series:
    """One line of a chart: what it is in words, its role (its character and colour) and
    its points (day, value), in order of day."""

    label: str
    role: Role
    points: tuple[tuple[date, Decimal], ...]

    @property
    def marker(self) -> str:
        return MARKERS[self.role]


@dataclass(frozen=True)
class Chart:
    """What one chart draws: a title, its lines, and how values read on the y axis (a unit
    after short numbers, or money in short form); ``empty`` says why there is nothing to
    draw, when there is not."""

    title: str
    series: tuple[Series, ...] = ()
    unit: str = ""
    money: bool = False
    # the decimal places of the values on the y axis (not for money)
    places: int = 0
    empty: str = ""
    # the lines whose value is written on the chart beside them (thresholds, budget)
    labelled: tuple[Role, ...] = ()

    def series_of(self, role: Role) -> Series | None:
        return next((s for s in self.series if s.role == role), None)


def _places(*values: str) -> int:
    """The most decimal places among values typed as text (at most three)."""
    return min(3, max((len(v.partition(".")[2]) for v in values), default=0))


def _with_unit(value: str, unit: str) -> str:
    """A value with its unit when the unit is a sign (``99.9%``); a word of a unit is said
    once, in the chart's title, not after every number."""
    return f"{value}{unit}" if 0 < len(unit) <= SIGN else value


def metric_chart(trend: MetricTrend, *, program: bool = True) -> Chart:
    """A metric's readings by day, with its target, amber and red lines over the same days;
    its program in the title unless ``program`` is False (a view of that program)."""
    readings = tuple(
        (date.fromisoformat(r["taken_on"]), Decimal(r["value"])) for r in trend["readings"]
    )
    unit = trend["unit"]
    better = "higher" if trend["direction"] == "higher" else "lower"
    where = f" · {trend['program'] or 'all programs'}" if program else ""
    title = f"{trend['name']}{f' ({unit})' if unit else ''}{where} · {better} is better"
    if not readings:
        return Chart(title, empty="no readings yet")
    span = (readings[0][0], readings[-1][0])

    def level(role: Role, word: str, value: str) -> Series:
        points = tuple((day, Decimal(value)) for day in dict.fromkeys(span))
        return Series(f"{word} {_with_unit(value, unit)}", role, points)

    values = [r["value"] for r in trend["readings"]]
    return Chart(
        title,
        (
            Series("measured", "value", readings),
            level("target", "target", trend["target"]),
            level("amber", "amber at", trend["amber"]),
            level("red", "red at", trend["red"]),
        ),
        unit=unit,
        places=_places(trend["target"], trend["amber"], trend["red"], *values),
        labelled=("target", "amber", "red"),
    )


def _month_end(month: str, today: date) -> date:
    """The last day of a month (YYYY-MM), or today when the month is today's."""
    year, number = int(month[:4]), int(month[5:])
    last = date(year, number, calendar.monthrange(year, number)[1])
    return today if today.year == year and today.month == number else last


def burn_chart(program: str, burn: BudgetBurn | None, year: int, today: date) -> Chart:
    """A program's spending summed month by month through the fiscal year (from nothing
    on its first day), against its budget and estimate at completion over the whole year."""
    title = f"{program} spending through FY{year}, summed by month"
    if burn is None:
        return Chart(title, empty=f"no budget and no spending in FY{year}")
    first, last = date.fromisoformat(burn["first"]), date.fromisoformat(burn["last"])
    spent = (
        (first, Decimal(0)),
        *((_month_end(m["month"], today), Decimal(m["cumulative"])) for m in burn["months"]),
    )
    budget, estimate = Decimal(burn["budget"]), Decimal(burn["estimate_at_completion"])
    shown = dict(zip((budget, estimate), short_amounts([budget, estimate]), strict=False))
    return Chart(
        title,
        (
            Series(f"spent {short_amounts([Decimal(burn['actual'])])[0]}", "value", spent),
            Series(f"budget {shown[budget]}", "budget", ((first, budget), (last, budget))),
            Series(
                f"estimate {shown[estimate]}",
                "estimate",
                ((first, estimate), (last, estimate)),
            ),
        ),
        money=True,
        labelled=("budget", "estimate"),
    )


def _nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About ``count`` round values from ``low`` to ``high`` (1, 2 or 5 times a power of 10)."""
    if high <= low:
        return [low]
    raw = (high - low) / max(1, count)
    power = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    while power > raw:
        power /= 10
    step = next(power * m for m in (1, 2, 5, 10) if power * m >= raw)
    first = (low // step + (1 if low % step else 0)) * step
    ticks, value = [], first
    while value <= high + step / 1e6:
        ticks.append(round(value, 10))
        value += step
    return ticks or [low]


def _x_ticks(first: date, last: date, width: int) -> tuple[list[float], list[str]]:
    """Month starts between two days, as many as fit ``width`` cells (every 1, 2, 3, 6 or
    12 months), labelled YYYY-MM; the two days themselves when no month starts between."""
    months = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        if date(year, month, 1) >= first:
            months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) < 2:
        days = [first] if first == last else [first, last]
        return [float(d.toordinal()) for d in days], [d.isoformat() for d in days]
    room = max(2, width // X_LABEL)
    step = next((s for s in (1, 2, 3, 6, 12) if len(months[::s]) <= room), 24)
    chosen = months[::step]
    return [float(d.toordinal()) for d in chosen], [f"{d.year}-{d.month:02d}" for d in chosen]


def thinned(
    points: tuple[tuple[date, Decimal], ...], left: int, right: int, columns: int
) -> list[tuple[int, float]]:
    """The points to draw in ``columns`` cells from day ``left`` to ``right``: all of them
    when there are few, else the lowest and the highest of each cell's days (in order of
    day), which is all a cell can show, so a long history draws as fast as a short one."""
    drawn = [(day.toordinal(), float(value)) for day, value in points]
    if len(drawn) <= 2 * columns:
        return drawn
    span = max(1, right - left)
    cells: dict[int, list[tuple[int, float]]] = {}
    for x, y in drawn:
        cells.setdefault(min(columns - 1, (x - left) * columns // span), []).append((x, y))
    kept: list[tuple[int, float]] = []
    for cell in cells.values():
        low, high = min(cell, key=lambda p: p[1]), max(cell, key=lambda p: p[1])
        kept.extend(sorted({low, high}))
    return kept


class ChartCanvas(PlotextPlot):
    """The plot itself: drawn again from its chart at each render, at the widget's size."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart: Chart | None = None

    def _colour(self, role: Role) -> tuple[int, int, int]:
        return self._theme(COLOURS[role])

    def _theme(self, name: str) -> tuple[int, int, int]:
        """A colour of the app's theme, by its variable's name."""
        return Color.parse(self.app.theme_variables.get(name, "white")).rgb

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_figure()
        chart = self.chart
        width, height = self.size
        if width < SMALLEST[0] or height < SMALLEST[1]:
            # no room for axes (a hidden or squeezed chart): nothing, rather than a scrawl
            return Text("")
        if chart is not None and chart.series:
            self.draw(chart, width, height)
        return super().render()

    def draw(self, chart: Chart, width: int, height: int) -> None:
        """The chart's lines, labels and axes on the plotext figure."""
        plt = self.plt
        xs = [day.toordinal() for s in chart.series for day, _ in s.points]
        ys = [float(v) for s in chart.series for _, v in s.points]
        first, last = min(xs), max(xs)
        # one day (one reading): a day either side, so the point is not on the frame
        left, right = (first - 1, last + 1) if first == last else (first, last)
        low, high = min(ys), max(ys)
        if low == high:
            low, high = low - 1, high + 1
        # the readings (or the spending) last, so no line of reference hides them
        for series in reversed(chart.series):
            points = thinned(series.points, left, right, width)
            plt.plot(
                [x for x, _ in points],
                [y for _, y in points],
                marker=series.marker,
                color=self._colour(series.role),
            )
        for role in chart.labelled:
            line = chart.series_of(role)
            if line is not None:
                plt.text(
                    f" {line.label} ",
                    left,
                    float(line.points[0][1]),
                    alignment="left",
                    color=self._colour(role),
                    # the canvas's own colour (plotext's theme "auto" paints it the surface)
                    background=self._theme("surface"),
                )
        plt.xlim(left, right)
        margin = (high - low) / 20
        plt.ylim(low - margin, high + margin)
        ticks, labels = _x_ticks(date.fromordinal(first), date.fromordinal(last), width)
        plt.xticks(ticks, labels)
        values = _nice_ticks(low, high, max(2, (height - 3) // 3))
        if chart.money:
            shown = short_amounts([Decimal(str(v)) for v in values])
        else:
            shown = [_with_unit(f"{v:.{chart.places}f}", chart.unit) for v in values]
        plt.yticks(values, shown)


class TrendChart(Vertical):
    """A chart with its title and a legend in words above it; ``show`` puts a chart in."""

    DEFAULT_CSS = """
    TrendChart {
        height: 1fr;
        min-height: 8;
    }
    TrendChart > .chart-legend {
        height: auto;
        padding: 0 1;
    }
    TrendChart > ChartCanvas {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.chart: Chart | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="chart-legend")
        yield ChartCanvas()

    @property
    def series(self) -> tuple[Series, ...]:
        """The lines drawn, with their points."""
        return self.chart.series if self.chart is not None else ()

    def legend(self, chart: Chart) -> Text:
        """The title, then each line's character and what it is, in words."""
        text = Text(chart.title, style="bold")
        text.append("\n")
        if not chart.series:
            text.append(chart.empty, style="dim")
            return text
        for n, series in enumerate(chart.series):
            if n:
                text.append("  ")
            colour = self.app.theme_variables.get(COLOURS[series.role], "")
            text.append(f"{series.marker} ", style=f"bold {colour}".strip())
            text.append(series.label)
        return text

    def show(self, chart: Chart | None) -> None:
        """Draw ``chart`` (None: nothing)."""
        self.chart = chart
        canvas = self.query_one(ChartCanvas)
        canvas.chart = chart
        canvas.display = chart is not None and bool(chart.series)
        self.query_one(".chart-legend", Static).update(
            self.legend(chart) if chart is not None else ""
        )
        canvas.refresh()
