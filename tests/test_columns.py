"""Each list's columns, declared once (docket.exports.tabular.columns and .lists): the app's
tables fit the terminal, the command line's tables and CSV read the same declarations."""

from __future__ import annotations

import io

import pytest

from docket.exports.tabular.columns import Column, Table, View, as_is, cells, flexible, headings
from docket.exports.tabular.lists import every_list
from docket.exports.tabular.lists.contractors import ASSIGNMENTS, allocation_columns
from docket.exports.tabular.lists.governance import RISKS
from docket.exports.tabular.tables import write_csv, write_json

LISTS = every_list()


def test_every_area_has_its_lists() -> None:
    assert {"governance.RISKS", "actions.ACTIONS", "today.TODAY_ALERTS"} <= set(LISTS)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_command_line_table_has_one_flexible_column_at_most(name: str) -> None:
    listing = LISTS[name]
    assert sum(c.flexible for c in listing.cli) <= 1
    assert len({c.key for c in listing.cli}) == len(listing.cli)


@pytest.mark.parametrize("name", sorted(n for n, listing in LISTS.items() if listing.app))
@pytest.mark.parametrize("width", [60, 78, 99, 100, 109, 110, 160])
def test_an_app_table_fills_its_width_with_distinct_columns(name: str, width: int) -> None:
    table = LISTS[name].table()
    shown = table.fit(width)
    assert len({c.key for c in shown}) == len(shown)
    flex = [c for c in shown if c.flexible]
    assert flex, "the app's tables give the room left to a flexible column"
    if all(c.width > c.least for c in flex):
        assert sum(c.width for c in shown) == width


def test_flexible_columns_share_the_room_left() -> None:
    shown = {c.key: c.width for c in ASSIGNMENTS.table().fit(80)}
    # 80 less program, allocation, start and end: 44 cells, the person the smaller half
    assert (shown["person"], shown["role"]) == (22, 22)
    shown = {c.key: c.width for c in ASSIGNMENTS.table().fit(81)}
    assert (shown["person"], shown["role"]) == (22, 23)


def test_a_narrow_table_shows_its_narrow_columns() -> None:
    table = Table(
        (
            Column("a", "A", flexible=True, least=5),
            Column("b", "B", 10, narrow=4),
            Column("w", "W", 3, only="wide"),
            Column("n", "N", 3, only="narrow"),
        ),
        wide_at=50,
    )
    assert [(c.key, c.width) for c in table.fit(60)] == [("a", 47), ("b", 10), ("w", 3)]
    assert [(c.key, c.width) for c in table.fit(20)] == [("a", 13), ("b", 4), ("n", 3)]
    assert [(c.key, c.width) for c in table.fit(6)] == [("a", 5), ("b", 4), ("n", 3)]
    assert table.view(50).wide and not table.view(49).wide


def test_a_cell_reads_its_value_or_its_own_words() -> None:
    row = {"id": 7, "title": "Go live", "owner": None, "score": 16, "probability": 4}
    row |= {"impact": 4, "program": "ERP", "status": "open"}
    shown = RISKS.table().fit(100)
    by_key = {c.key: c for c in shown}
    assert by_key["owner"].shown(row) == "nobody"
    assert by_key["pi"].shown(row) == "4 x 4"
    assert by_key["score"].style_of(row) == "bold red" and by_key["score"].right
    assert (
        by_key["owner"].width == 18
        and {c.key: c.width for c in RISKS.table().fit(99)}["owner"] == 14
    )
    assert cells(RISKS.cli, [row])[0] == ["7", "ERP", "16", "4", "4", "open", "", "Go live"]
    assert headings(RISKS.cli)[-1] == "title" and flexible(RISKS.cli) == 7


def test_a_view_worded_by_the_day_needs_the_day() -> None:
    with pytest.raises(ValueError, match="today"):
        View().day()


def test_the_allocation_months_read_the_same_on_both_sides() -> None:
    columns = allocation_columns(["2026-11", "2026-12"])
    assert headings(columns) == ["person", "26/11", "26/12"] and flexible(columns) == 0
    assert [c.width for c in Table(allocation_columns(["2026-11"], "Person")).fit(40)] == [34, 6]


def test_csv_and_json_take_the_declarations_or_the_keys() -> None:
    rows = [{"id": 1, "title": "=SUM(A1)", "owner": None, "extra": "x"}]
    columns = as_is("id title owner", flexible="title")
    by_columns, by_keys = io.StringIO(), io.StringIO()
    write_csv(rows, columns, by_columns)
    write_csv(rows, ["id", "title", "owner"], by_keys)
    assert by_columns.getvalue() == by_keys.getvalue() == "id,title,owner\r\n1,'=SUM(A1),\r\n"
    out = io.StringIO()
    write_json(rows, out, columns)
    assert '"extra"' not in out.getvalue() and '"owner": null' in out.getvalue()
