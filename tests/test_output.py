"""The command line's plain tables: columns line up in terminal cells, wide characters and
control codes included, and text too long for its column is cut with an ellipsis."""

from __future__ import annotations

from docket.tui.cli.output import clean, table


def test_control_codes_are_shown_not_sent() -> None:
    assert clean("ok") == "ok"
    assert clean("a\tb\nc") == "a b c"
    assert clean("\x1b[31mred\x9b") == "␛[31mred<U+009B>"
    assert clean("\u202etxt.exe") == "<U+202E>txt.exe"
    assert clean(None) == ""


def test_wide_characters_take_two_cells_and_columns_still_line_up() -> None:
    text = table(["name", "n"], [["東京オフィス", 1], ["Oslo", 22]], width=40)
    lines = text.splitlines()
    # the second column starts in the same terminal cell on every line: 12 cells + 2
    assert lines == ["name          n", "東京オフィス  1", "Oslo          22"]


def test_a_column_too_wide_is_cut_with_an_ellipsis_within_its_cells() -> None:
    rows = [["Steering committee for the ERP replacement", "x"], ["東京オフィス会議室", "y"]]
    lines = table(["title", "k"], rows, width=14, flexible=0).splitlines()
    # the title column gets what is left of 14 cells: 11
    assert lines == ["title        k", "Steering c…  x", "東京オフィ…  y"]
