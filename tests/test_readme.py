"""The README's command examples work: each ``docket ...`` line of its ``sh`` code blocks runs
against the small demo and exits 0.

A code block is run in order on its own copy of the demo, as a reader would type it (an
example may use what the one before it added), with the command line in-process and the
working directory a fresh folder, so files the examples write land there. A part in square
brackets is optional and left out; an absolute path under ``/srv`` is taken inside that
folder. An example that cannot run here is listed in ``SKIPPED`` with why; the list names
only examples the README still has.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# examples (as written in the README, comment left out) that do not run here, and why
SKIPPED: dict[str, str] = {
    "docket": "opens the app, which needs a terminal (piped, it prints Today: tests/test_cli.py)",
    "docket demo --size large": "builds the large demo: minutes (tests/test_tui_large_demo.py)",
    "docket demo --size xl": "builds a million action items: minutes (make bench-xl)",
    "docket init --shared /srv/docket --group pmo": (
        "needs root and a Unix group (tests/test_shared_host.py)"
    ),
    "docket user add bo --role editor --person 'Bo Chen <bo@city.example>'": (
        "needs the Unix account bo on this host (tests/test_accounts.py)"
    ),
    "docket user edit bo --person 'bo chen'": (
        "needs the Unix account bo on this host (tests/test_accounts.py)"
    ),
    "docket invite 1 --send": "sends e-mail: needs an SMTP server (tests/test_mail.py)",
    "docket digest --for-item 12 --send": "sends e-mail: needs an SMTP server (tests/test_mail.py)",
    "docket issue 'add|list|edit' ...": "stands for three commands, not one to run",
    "docket program edit NET --rag green": (
        "refused on purpose, to show the refusal (tests/test_rag_reason.py)"
    ),
    "docket boardpack -o pack.pdf": (
        "needs Chromium or WeasyPrint to print (tests/test_boardpack.py)"
    ),
}
# examples that need an empty database, as the README says, rather than the demo
ON_AN_EMPTY_DATABASE = ("docket demo --size small --seed 1",)
# files an example reads that someone else would have made: the command that makes one
MADE_ELSEWHERE = {"carl.json": ["witness"]}  # another member's witnesses


@dataclass(frozen=True)
class Example:
    """One ``docket`` command of the README: where it is, and its words as written."""

    line: int
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return shlex.join(self.words)


def _sh_blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each ``sh`` code block: the line its code starts on, and its lines."""
    lines = text.splitlines()
    start: int | None = None
    for number, line in enumerate(lines, start=1):
        fence = line.strip()
        if not fence.startswith("```"):
            continue
        if start is None:
            start = number + 1 if fence == "```sh" else -1
        else:
            if start > 0:
                yield start, lines[start - 1 : number - 1]
            start = None


def _examples(start: int, lines: list[str]) -> list[Example]:
    """The ``docket`` commands of one block: continued lines joined, comments left out, and
    two commands written side by side taken apart."""
    found: list[Example] = []
    joined, first = "", start
    for offset, line in enumerate(lines):
        if not joined:
            first = start + offset
        if line.rstrip().endswith("\\"):
            joined += line.rstrip()[:-1] + " "
            continue
        words = shlex.split(joined + line, comments=True)
        joined = ""
        if not words or words[0] != "docket":
            continue  # another program (groupadd, usermod)
        commands: list[list[str]] = [[]]
        for word in words:
            if word == "docket" and commands[-1]:
                commands.append([])
            commands[-1].append(word)
        found += [Example(first, tuple(command)) for command in commands]
    return found


def readme_blocks() -> list[list[Example]]:
    """Every ``sh`` block of the README that holds a ``docket`` command, as its examples."""
    blocks = [_examples(start, lines) for start, lines in _sh_blocks(README.read_text())]
    return [block for block in blocks if block]


def runnable(words: tuple[str, ...], folder: Path) -> tuple[list[str], str | None]:
    """The arguments to run an example with (optional parts left out, ``/srv`` paths inside
    ``folder``), and the file its output is redirected to, if any."""
    args: list[str] = []
    depth = 0
    for word in words[1:]:
        if word.startswith("["):
            depth += 1
        if depth == 0:
            args.append(word)
        if word.endswith("]") and depth:
            depth = max(0, depth - (len(word) - len(word.rstrip("]"))))
    redirect = None
    if ">" in args:
        at = args.index(">")
        args, redirect = args[:at], args[at + 1]
    for n, word in enumerate(args):
        if word.startswith("/srv/"):
            inside = folder / word.lstrip("/")
            inside.parent.mkdir(parents=True, exist_ok=True)
            args[n] = str(inside)
    return args, redirect


def _run(args: list[str], db: Path) -> tuple[int, str, str]:
    from docket.models.core.schema import database
    from docket.tui.cli.main import run

    out, err = io.StringIO(), io.StringIO()
    try:
        status = run(["--db", str(db), *args], out, err)
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()
    return status, out.getvalue(), err.getvalue()


BLOCKS = readme_blocks()


@pytest.mark.parametrize("block", BLOCKS, ids=[f"line-{b[0].line}" for b in BLOCKS])
def test_the_examples_of_a_readme_block_run_on_the_demo(
    block: list[Example], demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.models.core.database import init_database
    from docket.models.core.schema import database

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    db = work / "demo.db"
    shutil.copyfile(demo_db, db)
    for example in block:
        if example.text in SKIPPED:
            continue
        target = db
        if example.text in ON_AN_EMPTY_DATABASE:
            target = work / "empty.db"
            init_database(target, actor="tester")
            database.close()
        args, redirect = runnable(example.words, work)
        for name in set(args) & set(MADE_ELSEWHERE):
            made = _run(MADE_ELSEWHERE[name], target)
            assert made[0] == 0, made[2]
            (work / name).write_text(made[1])
        status, out, err = _run(args, target)
        assert status == 0, f"README line {example.line}: {example.text}\n{err}"
        if redirect is not None:
            (work / redirect).write_text(out)


def test_the_examples_are_found() -> None:
    texts = {e.text for block in BLOCKS for e in block}
    assert len(texts) > 80
    assert {"docket check", "docket user list", "docket vendor list"} <= texts


def test_every_skipped_example_is_still_in_the_readme() -> None:
    texts = {e.text for block in BLOCKS for e in block}
    assert set(SKIPPED) <= texts, set(SKIPPED) - texts
    assert set(ON_AN_EMPTY_DATABASE) <= texts


def test_optional_parts_are_left_out_and_srv_paths_kept_inside(tmp_path: Path) -> None:
    words = tuple(shlex.split("docket a [--x 'one two'] b [--y [--z 1]] c /srv/k/f.db > o.json"))
    args, redirect = runnable(words, tmp_path)
    assert args == ["a", "b", "c", str(tmp_path / "srv" / "k" / "f.db")]
    assert redirect == "o.json"
    assert (tmp_path / "srv" / "k").is_dir()


def test_the_quick_capture_example_names_someone_in_the_demo(demo_db: Path, ctx: Any) -> None:
    """The app's quick capture, as the README shows it, understood on the demo."""
    from docket.models.actions.capture import parse_capture
    from docket.models.core.database import connect

    found = re.search(r"quick capture: `([^`]+)`", README.read_text())
    assert found is not None
    connect(demo_db)
    made = parse_capture(ctx, found.group(1))
    assert made.problems == ()
    assert made.owner is not None and made.program == "ERP" and made.priority == "high"
