"""The command line as people and scripts use it: output, exit status, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from engine_support import digest as _dump

from docket.models.accounts.identity import current_account
from docket.models.core.database import SCHEMA_VERSION, init_database
from docket.models.core.schema import database

pytestmark = pytest.mark.both_engines


@pytest.fixture
def office(cli: Any) -> Any:
    assert cli("program", "add", "ERP", "ERP replacement").status == 0
    # Ana is whoever runs the tests: "my" items are the acting Unix account's
    me = current_account()
    assert (
        cli(
            "person", "add", "Ana Lopez", "--email", "ana.lopez@city.example", "--account", me
        ).status
        == 0
    )
    assert cli("person", "add", "Bo Chen", "--email", "bo.chen@city.example").status == 0
    return cli


def test_action_add_prints_the_new_id(office: Any) -> None:
    result = office(
        "action",
        "add",
        "Send budget draft",
        "--owner",
        "bo",
        "--due",
        "2026-11-27",
        "--program",
        "ERP",
    )
    assert (result.status, result.out, result.err) == (0, "1\n", "")
    assert office("action", "add", "Second").out == "2\n"


def test_action_list_json_is_the_documented_shape(office: Any) -> None:
    office(
        "action",
        "add",
        "Send budget draft",
        "--owner",
        "bo",
        "--due",
        "2026-11-20",
        "--program",
        "ERP",
        "--priority",
        "high",
        "--notes",
        "v2 with Finance comments",
    )
    result = office("action", "list", "--overdue", "--format", "json")
    assert result.status == 0
    assert json.loads(result.out) == [
        {
            "id": 1,
            "title": "Send budget draft",
            "program": "ERP",
            "owner": "Bo Chen",
            "owner_email": "bo.chen@city.example",
            "due": "2026-11-20",
            "priority": "high",
            "status": "open",
            "state": "overdue",
            "days_overdue": 3,
            "notes": "v2 with Finance comments",
            "created_at": "2026-11-23T15:00:00Z",
            "closed_at": None,
            "version": 1,
        }
    ]


def test_action_list_csv_cannot_run_formulas(office: Any) -> None:
    office("action", "add", '=HYPERLINK("http://evil")', "--due", "2026-11-30")
    result = office("action", "list", "--format", "csv")
    header, row = result.out.splitlines()
    assert header.startswith("id,due,state,priority")
    assert ",\"'=HYPERLINK" in row


def test_action_done_and_edit(office: Any) -> None:
    office("action", "add", "Book room", "--due", "fri")
    assert (
        office("action", "edit", "1", "--due", "+3d", "--owner", "ana").out
        == "#1 updated (version 2)\n"
    )
    shown = json.loads(office("action", "show", "1", "--format", "json").out)
    assert (shown["due"], shown["owner"]) == ("2026-11-26", "Ana Lopez")
    assert office("action", "done", "1").out == "#1 done: Book room\n"
    assert office("action", "list", "--format", "json").out == "[]\n"
    assert (
        len(json.loads(office("action", "list", "--status", "done", "--format", "json").out)) == 1
    )


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["action", "add", ""], 2, "docket: title: expected text, got nothing"),
        (["action", "add", "x", "--owner", "zed"], 2, "docket: owner: nobody matches 'zed'"),
        (["action", "add", "x", "--due", "someday"], 2, "docket: due: expected a date"),
        (
            ["action", "add", "x", "--priority", "huge"],
            2,
            "docket: priority: expected one of low, normal, high, urgent",
        ),
        (
            ["action", "add", "x", "--program", "ZZZ"],
            2,
            "docket: program: no program with code 'ZZZ'",
        ),
        (["action", "done", "99"], 2, "docket: no action item with id 99"),
        (["action", "edit", "1"], 2, "docket: edit: nothing to change"),
        (
            ["comms", "edit", "1"],
            2,
            "docket: edit: nothing to change; give at least one of --name, --purpose,",
        ),
        (
            ["assignment", "edit", "1"],
            2,
            "docket: edit: nothing to change; give at least one of --allocation,",
        ),
        (["risk", "edit", "1"], 2, "docket: edit: nothing to change; give at least one of --title"),
        (
            ["issue", "edit", "1"],
            2,
            "docket: edit: nothing to change; give at least one of --title",
        ),
        (["action", "frobnicate"], 2, "docket: action: argument VERB: invalid choice"),
        (
            ["milestone", "add", "ERP", "Go-live", "--baseline", "2026-02-30"],
            2,
            "docket: baseline: 2026-02-30 is not a date",
        ),
    ],
)
def test_bad_input_is_one_line_with_the_field_and_nothing_is_written(
    office: Any, db_path: Path, args: list[str], status: int, message: str
) -> None:
    before = _dump(db_path)
    result = office(*args)
    assert result.status == status
    assert result.err.startswith(message), result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert result.out == ""
    assert _dump(db_path) == before


def test_a_missing_database_is_exit_1_and_is_not_created(cli: Any, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "docket.db"
    result = cli("action", "list", db=missing)
    assert result.status == 1
    assert (
        result.err
        == f"docket: no database at {missing}: directory {missing.parent} does not exist\n"
    )
    assert not missing.parent.exists()


def _as_ordinary_account(job: Any) -> Any:
    """Run ``job()`` in a forked child under the ``nobody`` account (when root) and return
    its result: root reads every file, so permission errors need an ordinary account."""
    import os
    import pickle
    import pwd

    if os.geteuid() != 0:
        return job()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges for good, run, report, leave
        try:
            nobody = pwd.getpwnam("nobody")
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.write(writer, pickle.dumps(job()))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def test_an_unreadable_database_is_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import tempfile

    from docket.tui.cli.main import run

    # a folder everyone may enter, holding a database only its owner may read
    folder = Path(tempfile.mkdtemp(prefix="docket-perm-"))
    folder.chmod(0o755)
    db = folder / "office.db"
    init_database(db, actor="tester")
    database.close()
    db.chmod(0o600)
    monkeypatch.setenv("DOCKET_CONFIG", str(folder / "no-config.toml"))
    monkeypatch.setenv("DOCKET_SYSTEM_CONFIG", str(folder / "no-system-config.toml"))

    def job() -> tuple[int, str]:
        import io

        out, err = io.StringIO(), io.StringIO()
        return run(["--db", str(db), "today"], out, err), err.getvalue()

    try:
        outcome = _as_ordinary_account(job)
    finally:
        shutil.rmtree(folder)
    assert outcome == (1, f"docket: cannot read database {db}: permission denied\n")


def test_a_newer_database_is_refused(cli: Any, db_path: Path) -> None:
    newer = str(SCHEMA_VERSION + 1)
    database.execute_sql("UPDATE docket_meta SET value = ? WHERE key = 'schema_version'", (newer,))
    database.close()
    before = _dump(db_path)
    result = cli("action", "list")
    assert result.status == 1
    assert f"has schema version {newer}, newer than this docket understands" in result.err
    assert _dump(db_path) == before


def test_no_command_piped_prints_today(office: Any) -> None:
    office("action", "add", "Chase invoice", "--due", "2026-11-20", "--owner", "ana")
    result = office()
    assert result.status == 0
    assert result.out.startswith("Today for Ana Lopez: Mon 23 Nov 2026\n")
    assert "My overdue actions: 1" in result.out
    assert "3d late" in result.out


def test_today_json(office: Any) -> None:
    office("action", "add", "Chase invoice", "--due", "2026-11-24", "--owner", "bo")
    facts = json.loads(office("today", "--format", "json").out)
    assert facts["date"] == "2026-11-23"
    assert facts["counts"] == {
        "comms": 0,
        "contractor_alerts": 0,
        "due_soon": 1,
        "governance_alerts": 0,
        "meetings": 0,
        "milestones_attention": 0,
        "milestones_upcoming": 0,
        "my_due_soon": 0,
        "my_overdue": 0,
        "overdue": 0,
    }
    assert [a["title"] for a in facts["due_soon"]] == ["Chase invoice"]


def test_milestone_commands_show_slip_and_status(office: Any) -> None:
    assert office("milestone", "add", "ERP", "Go-live", "--baseline", "2026-12-01").out == "1\n"
    refused = office("milestone", "edit", "1", "--forecast", "2026-12-15")
    assert refused.status == 2 and refused.err.startswith(
        "docket: reason: moving the forecast needs a reason"
    )
    moved = office(
        "milestone", "edit", "1", "--forecast", "2026-12-15", "--reason", "vendor UAT late"
    )
    assert moved.out == "#1 updated: forecast 2026-12-15, slip +14 days, at risk\n"
    rows = json.loads(office("milestone", "list", "--format", "json").out)
    assert [(r["slip_days"], r["status"]) for r in rows] == [(14, "at risk")]


def test_help_goes_to_stdout_with_status_0(cli: Any) -> None:
    result = cli("--help")
    assert result.status == 0 and "Usage: docket" in result.out
    assert (result.err, cli("-h").out) == ("", result.out)


def test_version(cli: Any) -> None:
    from importlib.metadata import version

    result = cli("--version")
    assert (result.status, result.out) == (0, f"docket, version {version('docket')}\n")


def test_required_options_are_marked_in_help(cli: Any) -> None:
    shown = cli("user", "add", "--help").out
    role = next(line for line in shown.splitlines() if "--role" in line)
    assert "required" in role


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["acton", "list"],
            "docket: argument COMMAND: invalid choice: 'acton'; did you mean 'action'? "
            "(see 'docket --help')",
        ),
        (
            ["action", "lst"],
            "docket: action: argument VERB: invalid choice: 'lst'; did you mean 'list'? "
            "(see 'docket action --help')",
        ),
        (
            ["action", "list", "--overdu"],
            "docket: action list: no such option: --overdu; did you mean --overdue? "
            "(see 'docket action list --help')",
        ),
        (
            ["action", "add"],
            "docket: action add: missing argument 'TITLE' (see 'docket action add --help')",
        ),
        (
            ["user", "add", "ana"],
            "docket: user add: missing option '--role'. Choose from: admin, editor, viewer "
            "(see 'docket user add --help')",
        ),
        (
            ["action"],
            "docket: action: missing VERB: one of add, list, done, cancel, edit, show "
            "(see 'docket action --help')",
        ),
        (
            ["action", "show", "1", "2"],
            "docket: action show: got unexpected extra argument (2) "
            "(see 'docket action show --help')",
        ),
        (
            ["program", "add", "CRM", "CRM", "--rag", "blue"],
            "docket: program add: invalid value for '--rag': 'blue' is not one of 'green', "
            "'amber', 'red' (see 'docket program add --help')",
        ),
        (["--bogus"], "docket: no such option: --bogus (see 'docket --help')"),
        (
            ["action", "list", "--format"],
            "docket: action list: option '--format' requires an argument "
            "(see 'docket action list --help')",
        ),
        # a negative number is an argument (a credit: expenditure add C-1 -500), an
        # unknown option still an error
        (["action", "show", "-5"], "docket: id: expected at least 1, got -5"),
        (
            ["action", "show", "-5", "--zzz"],
            "docket: action show: no such option: --zzz (see 'docket action show --help')",
        ),
    ],
)
def test_a_usage_error_is_one_line_with_exit_2_and_a_suggestion(
    cli: Any, args: list[str], message: str
) -> None:
    result = cli(*args)
    assert (result.status, result.out, result.err) == (2, "", message + "\n")


def test_shell_completion_prints_a_script() -> None:
    docket = Path(sys.executable).parent / "docket"
    for shell in ("bash", "zsh", "fish"):
        done = subprocess.run(
            [str(docket)],
            env={**os.environ, "_DOCKET_COMPLETE": f"{shell}_source"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, ""), shell
        assert "_DOCKET_COMPLETE" in done.stdout, shell


def test_a_real_process_fails_with_one_line_and_no_traceback(db_path: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "docket.tui",
            "--db",
            str(db_path),
            "action",
            "add",
            "x",
            "--due",
            "someday",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("docket: due: ") and result.stderr.count("\n") == 1


def test_a_command_imports_only_the_command_modules_it_needs() -> None:
    probe = (
        "import io, sys; from docket.tui.cli.main import COMMANDS, run; "
        "run(sys.argv[1:], io.StringIO(), io.StringIO()); "
        "modules = {target.split(':')[0] for target in COMMANDS.values()}; "
        "print(' '.join(sorted(m for m in sys.modules if m in modules)))"
    )

    def loaded(*argv: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True
        )
        return set(done.stdout.split())

    from docket.tui.cli.main import COMMANDS

    # each command imports its own module only
    assert loaded("--db", "x.db", "program", "list") == {"docket.tui.cli.programs"}
    assert loaded("--db", "x.db", "meeting", "list") == {"docket.tui.cli.meetings"}
    # help sees every command
    assert loaded("--help") == {target.split(":")[0] for target in COMMANDS.values()}
