"""The milestone timeline: each program's milestones on a month axis, baseline against
forecast, with today marked.

The markers differ by shape, so the timeline reads without colour: ``◇`` baseline, ``◆``
forecast, ``✓`` done (at the actual date), ``─`` the slip between baseline and forecast,
``│`` today, and ``◂``/``▸`` where a milestone runs on past the months shown. The
month-to-column arithmetic is in plain functions (:func:`column`, :func:`fit_axis`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from docket.models.milestones.schedule import MilestoneFacts
from docket.tui.widgets.rows import STATE_STYLES, fit, slip_label

# cells per month: room for "Nov '26" and a space
MONTH_WIDTH = 8
TODAY_STYLE = "bold blue"
LEGEND = (
    ("◇", "", "baseline"),
    ("◆", "", "forecast"),
    ("✓", "", "done"),
    ("─", "", "slip"),
    ("│", TODAY_STYLE, "today"),
    ("◂ ▸", "", "runs on"),
)


def month_start(day: date, shift: int = 0) -> date:
    """The first day of ``day``'s month, ``shift`` months on (or back, when negative)."""
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, day: date) -> int:
    """Whole months from ``first``'s month to ``day``'s month."""
    return (day.year - first.year) * 12 + day.month - first.month


def column(day: date, first: date, month_width: int = MONTH_WIDTH) -> int:
    """The column of ``day`` on an axis whose column 0 is the first of ``first``'s month.

    Each month is ``month_width`` columns and its days are spread evenly over them, so the
    first of a month is always at a multiple of ``month_width``. Days before the axis give
    negative columns, days after it columns past its end.
    """
    days = calendar.monthrange(day.year, day.month)[1]
    return months_between(first, day) * month_width + (day.day - 1) * month_width // days


@dataclass(frozen=True)
class Axis:
    """The months shown: ``months`` of ``month_width`` columns from ``first``'s month."""

    first: date
    months: int
    month_width: int = MONTH_WIDTH

    @property
    def width(self) -> int:
        return self.months * self.month_width

    @property
    def end(self) -> date:
        """The first day after the axis."""
        return month_start(self.first, self.months)

    def column(self, day: date) -> int:
        return column(day, month_start(self.first), self.month_width)

    def touches(self, days: list[date]) -> bool:
        """Whether anything from the earliest to the latest of ``days`` is on the axis."""
        return min(days) < self.end and max(days) >= month_start(self.first)


@dataclass(frozen=True)
class Layout:
    """How a line of ``width`` cells is shared: label, axis, status."""

    label: int
    months: int
    status: int


def fit_axis(width: int) -> Layout:
    """As many whole months as fit beside a readable label and the status column."""
    wide = width >= 100
    status = 13 if wide else 9
    least_label = 26 if wide else 16
    months = max(1, (width - status - 1 - least_label) // MONTH_WIDTH)
    return Layout(width - status - 1 - months * MONTH_WIDTH, months, status)


def _dates(row: MilestoneFacts) -> tuple[date, date]:
    """The baseline and where the milestone ends: done on its actual date, else forecast."""
    end = row["actual"] or row["forecast"]
    return date.fromisoformat(row["baseline"]), date.fromisoformat(end)


def bar(row: MilestoneFacts, axis: Axis, today: date) -> Text:
    """One milestone on the axis: baseline, forecast (or done), the slip between, today."""
    width = axis.width
    cells = [" "] * width
    styles = [""] * width
    shown = range(width)
    baseline, end = _dates(row)
    base_col, end_col = axis.column(baseline), axis.column(end)
    style = STATE_STYLES.get(row["status"], "")
    low, high = sorted((base_col, end_col))
    for col in range(max(low + 1, 0), min(high, width)):
        cells[col], styles[col] = "─", style
    if low < 0:
        cells[0], styles[0] = "◂", style
    if high >= width:
        cells[-1], styles[-1] = "▸", style
    # today runs through the slip, the markers over today
    now = axis.column(today)
    if now in shown:
        cells[now], styles[now] = "│", TODAY_STYLE
    if base_col in shown:
        cells[base_col], styles[base_col] = "◇", ""
    if end_col in shown:
        cells[end_col] = "✓" if row["status"] == "done" else "◆"
        styles[end_col] = style
    text = Text()
    for cell, cell_style in zip(cells, styles, strict=True):
        text.append(cell, style=cell_style)
    return text


def bar_of_today(axis: Axis, today: date) -> Text:
    """The axis blank but for today's column (on program headings, so it runs unbroken)."""
    text = Text(" " * axis.width)
    now = axis.column(today)
    if 0 <= now < axis.width:
        text = Text(" " * now)
        text.append("│", style=TODAY_STYLE)
        text.append(" " * (axis.width - now - 1))
    return text


def header(axis: Axis, layout: Layout, today: date) -> Text:
    """Two lines: the month names (with the year at the start and at each January), then
    a ruler with a tick at each month and ``▼`` over today."""
    names = Text(fit("Milestone", layout.label), style="bold")
    for i in range(axis.months):
        month = month_start(axis.first, i)
        name = f"{month:%b} '{month:%y}" if i == 0 or month.month == 1 else f"{month:%b}"
        names.append(fit(name, axis.month_width), style="bold")
    names.append(" " + fit("Status", layout.status), style="bold")
    ruler = Text(" " * layout.label)
    now = axis.column(today)
    for col in range(axis.width):
        if col == now:
            ruler.append("▼", style=TODAY_STYLE)
        else:
            ruler.append("┬" if col % axis.month_width == 0 else "─", style="dim")
    names.append("\n")
    names.append_text(ruler)
    return names


def legend() -> Text:
    """What each marker means, in words."""
    text = Text(" ")
    for mark, style, meaning in LEGEND:
        text.append(mark, style=style)
        text.append(f" {meaning}  ", style="dim")
    return text


def timeline_lines(
    rows: list[MilestoneFacts], axis: Axis, layout: Layout, today: date, *, wide: bool
) -> list[tuple[str | None, Text]]:
    """The timeline's lines: a heading per program, then its milestones that touch the
    axis, each as (milestone id, line); headings have no id."""
    lines: list[tuple[str | None, Text]] = []
    touching = [r for r in rows if axis.touches(list(_dates(r)))]
    # by program, then in the order they end (done, or forecast)
    touching.sort(key=lambda r: (r["program"], _dates(r)[1], r["id"]))
    for program, group in groupby(touching, lambda r: r["program"]):
        heading = Text(fit(program, layout.label), style="bold cyan")
        heading.append_text(bar_of_today(axis, today))
        lines.append((None, heading))
        for row in group:
            line = Text(fit("  " + row["title"], layout.label))
            line.append_text(bar(row, axis, today))
            line.append(" ")
            word = row["status"] + (" " + slip_label(row["slip_days"]) if wide else "")
            line.append(fit(word, layout.status), style=STATE_STYLES.get(row["status"], ""))
            lines.append((str(row["id"]), line))
    return lines


class Timeline(Vertical):
    """Milestones by program on a month axis that scrolls a month at a time; Enter on a
    milestone selects it (``OptionList.OptionSelected`` with the milestone id)."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
    }
    Timeline > #timeline-head {
        height: 2;
    }
    Timeline > #timeline-rows {
        height: 1fr;
        max-height: 100%;
    }
    Timeline > #timeline-legend {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[MilestoneFacts] = []
        self.today: date | None = None
        self.first: date | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline-head")
        yield OptionList(id="timeline-rows", compact=True)
        yield Static(legend(), id="timeline-legend")

    def show(self, rows: list[MilestoneFacts], today: date) -> None:
        """Show these milestones (plain facts); the months stay where they were."""
        self.rows = rows
        self.today = today
        if self.first is None:
            self.first = self.home(today)
        self.draw()

    @staticmethod
    def home(today: date) -> date:
        """Where the axis starts by default: the month before this one, for context."""
        return month_start(today, -1)

    def scroll_months(self, months: int) -> None:
        """Move the axis ``months`` later (earlier when negative)."""
        if self.first is not None:
            self.first = month_start(self.first, months)
            self.draw()

    def this_month(self) -> None:
        """Bring the axis back to this month."""
        if self.today is not None:
            self.first = self.home(self.today)
            self.draw()

    def on_resize(self) -> None:
        self.draw()

    def _width(self) -> int:
        # the list's width (the screen's while hidden), less room for a scrollbar whether
        # or not one shows, so the lines do not change width when one appears
        listing = self.query_one("#timeline-rows", OptionList)
        return max(20, (listing.size.width or self.screen.size.width) - 2)

    def draw(self) -> None:
        """Render the header and the lines for the months shown."""
        if self.today is None or self.first is None or not self.is_mounted:
            return
        width = self._width()
        layout = fit_axis(width)
        axis = Axis(self.first, layout.months)
        self.query_one("#timeline-head", Static).update(header(axis, layout, self.today))
        listing = self.query_one("#timeline-rows", OptionList)
        current = self.highlighted_id()
        lines = timeline_lines(self.rows, axis, layout, self.today, wide=width >= 100)
        if not lines:
            empty = f"  No milestones from {axis.first:%b %Y} to {month_start(axis.end, -1):%b %Y}"
            lines = [(None, Text(empty, style="dim"))]
        listing.set_options(
            [Option(line, id=ident, disabled=ident is None) for ident, line in lines]
        )
        ids = [ident for ident, _ in lines]
        if current is not None and str(current) in ids:
            listing.highlighted = ids.index(str(current))
        elif any(ids):
            listing.highlighted = next(i for i, ident in enumerate(ids) if ident)

    def highlighted_id(self) -> int | None:
        """The milestone under the cursor, if any."""
        option = self.query_one("#timeline-rows", OptionList).highlighted_option
        return int(option.id) if option is not None and option.id else None
