"""The one table of keys: every binding of the app, its screens and dialogs is built from it,
and so is each dialog's line of keys, so what a dialog says and what its keys do agree."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.screen import Screen

import docket.tui
from docket.tui import keys
from docket.tui.keys import Key, hint_line, key_named

ROOT = Path(__file__).resolve().parent.parent


def _screens_with_keys() -> list[type[Screen[object]]]:
    """Every screen and dialog class of the app that declares a table of keys."""
    for found in pkgutil.walk_packages(docket.tui.__path__, "docket.tui."):
        if not found.name.startswith(("docket.tui.cli", "docket.tui.__main__")):
            importlib.import_module(found.name)
    seen: list[type[Screen[object]]] = []
    todo: list[type[Screen[object]]] = [Screen]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            # a base (DocketScreen, RecordDetail) declares an empty table for its subclasses
            if sub.__module__.startswith("docket.tui.") and vars(sub).get("KEYS"):
                seen.append(sub)
    return seen


def test_no_binding_is_made_outside_the_key_table() -> None:
    made = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tui").rglob("*.py"))
        if path.name != "keys.py" and "Binding(" in path.read_text()
    ]
    assert made == []


def test_every_dialog_binds_exactly_its_table() -> None:
    classes = _screens_with_keys()
    names = {cls.__name__ for cls in classes}
    assert {"ConflictDialog", "RecordForm", "ActionDetail", "PersonDetail"} <= names
    for cls in classes:
        table: tuple[Key, ...] = vars(cls)["KEYS"]
        bound = [(b.key, b.action, b.description) for b in vars(cls)["BINDINGS"]]
        assert bound == [(k.key, k.action, k.label) for k in table], cls.__name__


def test_a_detail_names_its_keys_in_the_tables_order_and_esc_last() -> None:
    assert hint_line(keys.ACTION_DETAIL_KEYS) == "e edit · d done · x cancel item · esc close"
    assert hint_line(keys.PERSON_DETAIL_KEYS) == "e edit · esc close"
    assert hint_line(keys.HISTORY_KEYS) == "u undo your last change · esc close"
    occurrence = hint_line(keys.OCCURRENCE_DETAIL_KEYS, leave_out={"r"})
    assert occurrence == (
        "m minutes · a action · d decision · g agenda · e edit · v move · x cancel · "
        "i export · s send · esc close"
    )
    assert "r restore" in hint_line(keys.OCCURRENCE_DETAIL_KEYS, leave_out={"x"})


def test_the_conflict_dialog_and_forms_name_their_keys_from_the_table() -> None:
    assert hint_line(keys.CONFLICT_KEYS) == (
        "r reload (take theirs, drop yours) · a apply yours on top · esc back"
    )
    assert key_named(keys.CONFLICT_KEYS, "answer('apply')").button == "Apply mine (a)"
    assert key_named(keys.FORM_KEYS, "save").button == "Save (ctrl+s)"
    assert key_named(keys.FORM_KEYS, "cancel").button == "Cancel (esc)"
    assert key_named(keys.CONFIRM_KEYS, "answer(True)").button == "Yes (y)"
