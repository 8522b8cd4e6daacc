"""``--as-of DATE`` across the command line: which commands take it, that each of them
reads the past without writing, and what a program created after DATE is refused with.

The command tree is walked (every command, as ``docket --help`` lists them): a command named
list, status, report or show takes ``--as-of`` unless it writes; a command that writes never
takes it; and only the commands reviewed as read-only (:data:`READS`) do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import click
import pytest
from conftest import ZONE, Result

from docket.tui.cli.main import cli as docket_cli

Cli = Callable[..., Result]

# the names a read-only report goes by: each command so named takes --as-of, unless it writes
REPORT_NAMES = {"list", "status", "report", "show"}

# commands so named that write: never --as-of
WRITES_THOUGH_NAMED = {"solicitation status"}  # moves a solicitation to another status

# every command that takes --as-of, reviewed as reading only (the digest writes only when
# sending, which --as-of refuses); the arguments each is run with on the small demo
READS: dict[str, tuple[str, ...]] = {
    "today": (),
    "program list": (),
    "program status": (),
    "person list": (),
    "group list": (),
    "action list": (),
    "action show": ("1",),
    "user list": (),
    "milestone list": (),
    "meeting list": (),
    "meeting show": ("1",),
    "comms list": (),
    "comms due": (),
    "comms matrix": (),
    "digest": ("--all",),
    "vendor list": (),
    "vendor show": ("Keystone",),
    "vendor scorecard list": ("Keystone",),
    "vendor scorecard show": ("Keystone",),
    "contract list": (),
    "contract show": ("C-2025-0845",),
    "contract level list": ("C-2025-0845",),
    "expenditure list": (),
    "solicitation list": (),
    "solicitation show": ("RFP-2026-078",),
    "bid list": ("RFP-2026-078",),
    "assignment list": (),
    "allocation": (),
    "risk list": (),
    "risk matrix": (),
    "issue list": (),
    "decision list": (),
    "change list": (),
    "budget list": (),
    "budget lines": (),
    "cost list": (),
    "metric list": (),
    "proposal list": (),
    "proposal show": ("P-2028-001",),
    "criteria list": (),
    "score list": (),
    "boardpack": (),  # writes a file, not the database (its own tests run it)
}


def _commands() -> Iterator[tuple[str, click.Command]]:
    """Every command of the tree, by its words (``vendor scorecard list``)."""
    ctx = click.Context(docket_cli)

    def walk(command: click.Command, words: list[str]) -> Iterator[tuple[str, click.Command]]:
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from walk(sub, [*words, name])
        else:
            yield " ".join(words), command

    yield from walk(docket_cli, [])


def _takes_as_of(command: click.Command) -> bool:
    return any("--as-of" in param.opts for param in command.params)


def test_every_report_takes_as_of_and_nothing_that_writes_does() -> None:
    commands = dict(_commands())
    named = {
        words
        for words in commands
        if words.split()[-1] in REPORT_NAMES and words not in WRITES_THOUGH_NAMED
    }
    with_it = {words for words, command in commands.items() if _takes_as_of(command)}
    assert named - with_it == set(), "reports without --as-of"
    assert with_it - set(READS) == set(), "--as-of on a command not reviewed as read-only"
    assert set(READS) - with_it == set(), "reviewed as read-only but without --as-of"
    assert not with_it & WRITES_THOUGH_NAMED


@pytest.fixture
def on_demo(cli: Cli, demo_db: Path) -> Cli:
    """Run ``docket --db <a copy of the small demo> ARGS...``."""
    return lambda *args: cli(*args, db=demo_db)


@pytest.mark.parametrize("words", sorted(set(READS) - {"boardpack"}))
def test_as_of_today_reads_without_writing_and_is_the_report_of_now(
    on_demo: Cli, words: str
) -> None:
    # the past copy refuses every write: a command that wrote would fail here
    args = (*words.split(), *READS[words])
    now = on_demo(*args)
    assert now.status == 0, now.err
    then = on_demo(*args, "--as-of", "today")
    assert (then.status, then.err) == (0, "")
    assert then.out == now.out


def _at(day: int) -> str:
    return datetime(2026, 11, day, 10, 0, tzinfo=ZONE).isoformat()


# every report a program can be named in, as the reviewer ran them
NAMING_A_PROGRAM: list[tuple[str, ...]] = [
    ("program", "status", "EVIL"),
    ("boardpack", "--program", "EVIL", "-o", "pack.html"),
    ("budget", "list", "--program", "EVIL"),
    ("digest", "--program", "EVIL"),
    ("action", "list", "--program", "EVIL"),
    ("milestone", "list", "--program", "evil"),
    ("metric", "list", "--program", "EVIL"),
    ("decision", "list", "--program", "EVIL"),
    ("today", "--program", "EVIL"),
]


@pytest.mark.parametrize("args", NAMING_A_PROGRAM, ids=lambda a: " ".join(a[:2]))
def test_a_program_created_after_the_day_did_not_exist_then(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKET_NOW", _at(23))
    assert cli("program", "add", "ERP", "ERP replacement").status == 0
    monkeypatch.setenv("DOCKET_NOW", _at(24))
    assert cli("program", "add", "EVIL", "Evil plan").status == 0
    monkeypatch.setenv("DOCKET_NOW", _at(26))
    result = cli(*args, "--as-of", "2026-11-23")
    assert result.status == 2
    assert result.err == "docket: program: EVIL did not exist on 2026-11-23 (created 2026-11-24)\n"
    assert result.out == "" and not (tmp_path / "pack.html").exists()
    # the day it was created, it is there; a code never used is still "no program"
    assert cli(*args, "--as-of", "2026-11-24").status == 0
    unknown = cli(*(a.replace("EVIL", "NOPE").replace("evil", "NOPE") for a in args))
    assert unknown.status == 2
    assert (
        unknown.err == "docket: program: no program with code 'NOPE'; known programs: ERP, EVIL\n"
    )
