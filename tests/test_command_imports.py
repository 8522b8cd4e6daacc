"""Each command imports only what it uses (issue 22): most of a command's time is imports, so
the heavy libraries stay with the commands that need them. The app (Textual) is imported
only to open it, matplotlib only by the board pack, scipy and numpy only by portfolio
selection, icalendar only by calendar files, smtplib and ssl only to send mail. Each command
runs in a fresh interpreter, which then names every module it loaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# what no command below may import
HEAVY = {"textual", "rich", "matplotlib", "numpy", "scipy", "textual_plotext", "plotext"}
# the e-mail package, which only writes and mail need
ONLY_NEEDED = {"email.utils"}
MAIL = {"smtplib", "ssl"}
# the models of choosing what to fund and whom to hire, and of every table at once (to create,
# upgrade or check a database): a list of other records reads none of them
SELECTION = {"docket.models.core.schema_selection", "docket.models.core.tables"}
# the audit chain and the witness: a write loads them, a command that only reads does not
WRITING = {"docket.models.audit.chain", "docket.models.audit.witness"}
DELIVERY = {"docket.exports.digests.delivery", "docket.exports.mail.smtp", "email.message"}

REPORT = """
import io, sys
from docket.tui.cli.main import run
status = run(sys.argv[1:], io.StringIO(), io.StringIO())
print(status, *sorted(sys.modules))
"""


def loaded(db: Path, *args: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running the command: each by its
    name and by its top-level package's."""
    done = subprocess.run(
        [sys.executable, "-c", REPORT, "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    status, *modules = done.stdout.split()
    assert status == "0", done.stdout
    return set(modules) | {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    ("args", "also_not"),
    [
        # nothing of the database: the witness notice said at exit is looked for only
        # when a write loaded its module
        (("--version",), {"docket.models.core.schema", "docket.models.audit.witness"}),
        (("action", "list", "--limit", "5"), {"icalendar"} | MAIL | SELECTION | WRITING),
        (("meeting", "list"), {"icalendar"} | MAIL | SELECTION | WRITING),
        (("risk", "list"), {"icalendar"} | MAIL | SELECTION | WRITING),
        (("today",), {"icalendar"} | MAIL | WRITING),
        (("program", "list"), {"icalendar"} | MAIL | WRITING),
        # a digest shown builds no e-mail: only saving or sending one loads those modules
        (("digest", "--all", "--format", "md"), {"icalendar"} | MAIL | WRITING | DELIVERY),
        (("calendar", "-o", "{tmp}/all.ics"), MAIL),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else "",
)
def test_a_command_imports_only_what_it_uses(
    demo_db: Path, tmp_path: Path, args: tuple[str, ...], also_not: set[str]
) -> None:
    found = loaded(demo_db, *(a.format(tmp=tmp_path) for a in args))
    assert found & (HEAVY | also_not) == set()
    # the feed's organizers are addresses; --version reads the installed package's metadata,
    # which importlib.metadata parses as an e-mail message
    if not {"calendar", "--version"} & set(args):
        assert found & ONLY_NEEDED == set()


def test_without_a_config_file_the_toml_reader_is_not_loaded(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "tomllib" in loaded(demo_db, "today")  # the tests' own config file is read
    monkeypatch.setenv("DOCKET_CONFIG", str(tmp_path / "none.toml"))
    assert "tomllib" not in loaded(demo_db, "today")


COLLECTOR = """
import gc, sys
from docket.tui.start import main
sys.argv = ["docket", *sys.argv[1:]]
status = main()
print(status, gc.isenabled(), gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize(
    ("args", "frozen"),
    [(("risk", "list"), True), (("today",), True), (("--version",), False)],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else "",
)
def test_the_collector_is_paused_while_docket_loads_and_runs_for_the_command(
    demo_db: Path, args: tuple[str, ...], frozen: bool
) -> None:
    """docket.tui.start pauses the garbage collector; the root command resumes it past what
    start-up made (frozen); --version ends before the root command, and the collector runs
    again all the same."""
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR, "--db", str(demo_db), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split()[-3:] == ["0", "True", str(frozen)]
