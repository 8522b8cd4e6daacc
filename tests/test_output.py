"""The command line's plain tables: columns line up in terminal cells, wide characters and
control codes included, and text too long for its column is cut with an ellipsis; and what
the command line prints is the same on both engines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import ACTOR
from pg_support import fresh_database

from docket.models.core.context import Context
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


# what an office reads on the command line, in every format: lists, reports, files written
SAME_ON_BOTH = (
    "today",
    "today --format json",
    "today --program ERP",
    "today --as-of 2026-11-01 --format json",
    "program list --format json",
    "person list",
    "person list --format csv",
    "action list --status all",
    "action list --status all --format json",
    "action list --overdue",
    "action list --search budget",
    "action list --sort owner --status all --format csv",
    "action show 1 --format json",
    "history action 1 --format json",
    "history program 1",
    "milestone list",
    "milestone list --format json",
    "meeting list --from 2026-11-01 --days 60",
    "meeting list --format json",
    "meeting show 1",
    "calendar -o {dir}/out.ics",
    "comms list --format json",
    "comms due",
    "comms matrix",
    "digest --all",
    "digest --all --format json",
    "vendor list",
    "contract list",
    "contract show 1",
    "expenditure list --format csv",
    "solicitation list --format json",
    "solicitation show 1",
    "assignment list --format csv",
    "assignment list --overallocated",
    "allocation",
    "allocation --as-of 2026-11-01 --format json",
    "risk list",
    "risk matrix",
    "risk history 1",
    "issue list --format json",
    "decision list --format json",
    "change list --format json",
    "budget list",
    "budget lines",
    "cost list --format json",
    "metric list",
    "proposal list",
    "proposal show P-2028-001 --format json",
    "criteria weights",
    "score list",
    "portfolio rank",
    "portfolio select",
    "portfolio frontier",
    "changes --since 2026-10-01",
    "changes --since 2026-10-01 --format json",
    "boardpack -o {dir}/out.html",
    "boardpack --as-of 2026-11-01 --since 2026-10-01 -o {dir}/out-past.html",
    "check",
    # then writes, the same on both: the ids they give, their audit entries, what lists show
    "import ics {fixtures}/google-export.ics --program ERP --format json",
    "import ics {fixtures}/outlook-export.ics --program CRM",
    "import csv people {dir}/people.csv --format json",
    "action add Chase-invoice --due fri --program ERP",
    "action done 1",
    "action edit 2 --due +3d --priority high",
    "risk add Vendor-late --program ERP --probability 3 --impact 4",
    "meeting list --from 2026-11-01 --days 90 --format json",
    "person list --format csv",
    "action list --status all --format json",
    "risk list --format json",
    "history action 1 --format json",
    "changes --since 2026-11-20 --format json",
    "check",
)
FIXTURES = Path(__file__).parent / "fixtures" / "ics"
PEOPLE = "name,email,organization,kind\nZoë Ünal,zoe@city.example,City IT,staff\n" + "".join(
    f"Person {i},p{i}@city.example,Water Utility,contractor\n" for i in range(30)
)


def _printed(db: Path | str, where: Path) -> dict[str, tuple[int, str, str, bytes]]:
    """Each command's exit status, output and error, and the file it wrote; the database's
    own name (a path, a URL) and ``where`` shown as ``DB`` and ``DIR``."""
    from docket.tui.cli.main import run

    where.mkdir()
    (where / "people.csv").write_text(PEOPLE, encoding="utf-8")
    printed = {}
    for command in SAME_ON_BOTH:
        words = command.replace("{dir}", str(where)).replace("{fixtures}", str(FIXTURES))
        argv = words.split()
        out, err = io.StringIO(), io.StringIO()
        status = run(["--db", str(db), *argv], out, err)
        written = next((Path(w) for w in argv if w.startswith(f"{where}/out")), None)
        text = out.getvalue().replace(str(db), "DB").replace(str(where), "DIR")
        data = written.read_bytes() if written is not None else b""
        printed[command] = (status, text, err.getvalue(), data)
        assert (status, err.getvalue()) == (0, ""), command
    return printed


def test_the_same_office_prints_the_same_bytes_on_either_engine(
    demo_db: Path, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 23: the small demo, made by the same account on SQLite and on PostgreSQL, reads
    the same on both, byte for byte: ordering, numbers, dates and times, the audit chain's
    hashes, the board pack and the calendar."""
    from docket.models.core.database import init_database
    from docket.models.core.schema import database
    from docket.models.demo.builder import build_demo
    from docket.tui.cli import session

    monkeypatch.setenv("COLUMNS", "160")
    # the same account on both: on SQLite the process's, on PostgreSQL the session user
    with monkeypatch.context() as same:
        same.setattr(session, "current_account", lambda: ACTOR)
        on_sqlite = _printed(demo_db, tmp_path / "sqlite")
    with fresh_database(user=ACTOR) as url:
        init_database(url, actor=ACTOR)
        build_demo(ctx, size="small", seed=1)
        database.close()
        on_postgres = _printed(url, tmp_path / "postgres")
    differ = [c for c in SAME_ON_BOTH if on_sqlite[c] != on_postgres[c]]
    assert differ == [], _difference(on_sqlite[differ[0]], on_postgres[differ[0]])


def _difference(sqlite: tuple[int, str, str, bytes], postgres: tuple[int, str, str, bytes]) -> str:
    """The first lines that differ, SQLite's against PostgreSQL's (output, then file)."""
    import difflib

    texts = [(str(s), str(p)) for s, p in zip(sqlite[1:3], postgres[1:3], strict=True)]
    texts.append((sqlite[3].decode(errors="replace"), postgres[3].decode(errors="replace")))
    lines = (
        difflib.unified_diff(s.splitlines(), p.splitlines(), "sqlite", "postgres", lineterm="")
        for s, p in texts
    )
    return "\n".join(line for diff in lines for line in list(diff)[:40])
