"""Long lists streamed (issue 22): ``action list`` as a table is read as tuples of the shown
columns and written line by line, and prints exactly what the table of whole items did."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from engine_support import small_demo

from docket.exports.tabular.lists.actions import ACTIONS
from docket.models.actions import items as actions
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.schema import database
from docket.tui.cli.emit import declared_table
from docket.tui.cli.output import table, write_table

pytestmark = pytest.mark.both_engines

HEADERS = ["id", "title", "owner"]
ROWS = [
    [1, "Send the budget draft to Finance", "Ana Lopez"],
    [22, "東京 office: 予算 review", None],
    [333, "Équipe réseau \x1b[31mred\x1b[0m and a\ttab", "Zoë Ünal"],
    [4, "x" * 150, "Bo Chen"],
    [5, "", "‮reversed"],
]


@pytest.mark.parametrize("width", [40, 60, 100, 250])
@pytest.mark.parametrize("flexible", [None, 1])
def test_a_streamed_table_is_the_table(width: int, flexible: int | None) -> None:
    out = io.StringIO()
    assert write_table(HEADERS, iter(ROWS), out, width=width, flexible=flexible) == len(ROWS)
    assert out.getvalue() == table(HEADERS, ROWS, width=width, flexible=flexible) + "\n"


def test_a_streamed_table_of_nothing_writes_nothing() -> None:
    out = io.StringIO()
    assert write_table(HEADERS, iter([]), out) == 0
    assert out.getvalue() == ""


@pytest.fixture
def office(request: pytest.FixtureRequest, db_path: Path, ctx: Context) -> Path:
    """The small demo office, on the test's engine."""
    return small_demo(request, db_path, ctx)


@pytest.mark.parametrize(
    "options",
    [
        ("--status", "all"),
        ("--overdue",),
        ("--search", "budget", "--sort", "owner"),
        ("--status", "all", "--limit", "7"),
    ],
)
def test_the_action_list_prints_what_the_list_of_items_did(
    cli: Any, office: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    printed = cli("action", "list", *options, db=office)
    assert printed.status == 0, printed.err
    open_database(office)
    flt: dict[str, Any] = {
        "status": "active",
        "limit": None,
        "overdue": False,
        "search": None,
        "sort": "due",
    }
    flags = list(options)
    while flags:
        name = flags.pop(0).lstrip("-")
        flt[name] = True if name == "overdue" else flags.pop(0)
    if flt["limit"] is not None:
        flt["limit"] = int(str(flt["limit"]))
    found = actions.list_actions(ctx, actions.ActionFilter(**flt))
    facts = [actions.action_facts(item, ctx.today()) for item in found]
    database.close()
    assert len(facts) > 1
    assert printed.out == declared_table(ACTIONS.cli, facts) + "\n"


def test_the_lines_are_read_one_at_a_time(office: Path, ctx: Context) -> None:
    open_database(office)
    lines = actions.action_lines(ctx, actions.ActionFilter(status="all"))
    first = next(lines)
    assert isinstance(first, actions.ActionLine) and first.title
    assert sum(1 for _ in lines) + 1 == actions.count_actions(
        ctx, actions.ActionFilter(status="all")
    )


ASCII_ROWS = [
    [1, "Send the budget draft to Finance", "Ana Lopez"],
    [22, "x" * 150, None],
    [4, "", "Bo Chen"],
    [5, "short", "a name long enough to be the widest column of all"],
]


@pytest.mark.parametrize("width", [30, 40, 60, 100, 250])
@pytest.mark.parametrize("flexible", [None, 1, 2])
@pytest.mark.parametrize("streamed", [True, False])
def test_a_table_of_plain_cells_is_the_table(
    width: int, flexible: int | None, streamed: bool
) -> None:
    """The one-format path for ASCII cells (issue 22's agenda) pads and cuts as the table."""
    out = io.StringIO()
    rows: Any = iter(ASCII_ROWS) if streamed else list(ASCII_ROWS)
    assert write_table(HEADERS, rows, out, width=width, flexible=flexible) == len(ASCII_ROWS)
    assert out.getvalue() == table(HEADERS, ASCII_ROWS, width=width, flexible=flexible) + "\n"


@pytest.mark.parametrize("width", [40, 100])
def test_a_list_of_rows_is_written_as_the_table(width: int) -> None:
    out = io.StringIO()
    assert write_table(HEADERS, list(ROWS), out, width=width) == len(ROWS)
    assert out.getvalue() == table(HEADERS, ROWS, width=width) + "\n"
    assert write_table(HEADERS, [], io.StringIO()) == 0
