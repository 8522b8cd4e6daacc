"""A shared host with real Unix accounts: ``docket init --shared DIR --group GROUP``.

Each test creates its own group and accounts (so it needs root, as CI has; elsewhere it is
skipped with the reason) and acts as them in forked children that drop root for good: an
editor in the group writes through the system config alone, SQLite's side files stay the
group's, and an account outside the group is told which group and directory keep it out.
"""

from __future__ import annotations

import io
import os
import pickle
import pwd
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from docket.models.schema import database

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="creating Unix accounts and switching to them needs root and useradd",
)


@dataclass(frozen=True)
class Host:
    group: str
    editor: str
    outsider: str
    folder: Path  # where the shared directory and the system config go
    config: Path


@pytest.fixture
def host() -> Iterator[Host]:
    """A group with one member, an account outside it, and a folder anyone can enter."""
    tag = uuid.uuid4().hex[:8]
    group, editor, outsider = f"dkg{tag}", f"dke{tag}", f"dko{tag}"
    folder = Path(tempfile.mkdtemp(prefix="docket-host-"))
    folder.chmod(0o755)
    run = subprocess.run
    run(["groupadd", group], check=True)
    try:
        for account, extra in ((editor, ["-G", group]), (outsider, [])):
            run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", *extra, account], check=True)
        yield Host(group, editor, outsider, folder, folder / "etc" / "config.toml")
    finally:
        for account in (editor, outsider):
            run(["userdel", account], check=False, capture_output=True)
        run(["groupdel", group], check=False, capture_output=True)
        shutil.rmtree(folder)


def _as(account: str, host: Host, job: Callable[[], Any], env: dict[str, str] | None = None) -> Any:
    """Run ``job`` as ``account`` (its own groups only) in a forked child; its result."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, run, report, leave
        try:
            user = pwd.getpwnam(account)
            os.setgroups(os.getgrouplist(account, user.pw_gid))
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            os.umask(0o022)  # an ordinary login's umask: docket must make up for it
            os.environ["DOCKET_CONFIG"] = str(host.folder / "no-user-config.toml")
            os.environ["DOCKET_SYSTEM_CONFIG"] = str(host.config)
            os.environ.update(env or {})
            database.initialize(None)
            result = job()
            os.write(writer, pickle.dumps(result))
        except BaseException as exc:  # noqa: BLE001 - report anything to the parent
            os.write(writer, pickle.dumps(("failed", repr(exc))))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def _docket(*args: str) -> tuple[int, str, str]:
    """The docket command in-process, with no --db: the config decides."""
    from docket.tui.cli import run

    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def _init(host: Host, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOCKET_SYSTEM_CONFIG", str(host.config))
    shared = host.folder / "srv" / "docket"
    status, out, err = _docket("init", "--shared", str(shared), "--group", host.group)
    assert status == 0, err
    assert f"shared with group {host.group}" in out
    database.close()
    return shared


@needs_root
def test_init_shared_makes_a_setgid_group_directory_and_a_system_config(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _init(host, monkeypatch)
    info = shared.stat()
    assert stat.S_IMODE(info.st_mode) == 0o2770
    assert info.st_gid == _gid(host.group)
    db = shared / "docket.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o660 and db.stat().st_gid == _gid(host.group)
    assert host.config.read_text().endswith(f'db = "{db}"\n')
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT account, role FROM user_account").fetchall() == [
            ("root", "admin")
        ]
    # again: nothing changes, nothing is refused
    status, out, _ = _docket("init", "--shared", str(shared), "--group", host.group)
    assert status == 0 and "is up to date" in out


def _gid(group: str) -> int:
    import grp

    return grp.getgrnam(group).gr_gid


@needs_root
def test_an_editor_in_the_group_writes_and_sqlites_files_stay_the_groups(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _init(host, monkeypatch)
    db = shared / "docket.db"

    def write_and_look() -> Any:
        from docket.models import actions
        from docket.models.config import resolve_database
        from docket.models.context import Context
        from docket.models.database import open_database
        from docket.models.identity import current_account

        path = resolve_database(None).path  # from the system config alone
        open_database(path)
        actions.add_action(Context(actor=current_account()), "From the editor")
        # while this connection is open, SQLite's side files exist
        side = {
            suffix: (
                stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode),
                os.stat(f"{path}{suffix}").st_gid,
            )
            for suffix in ("-wal", "-shm")
        }
        database.close()
        return str(path), side

    found = _as(host.editor, host, write_and_look, env={"USER": "root", "LOGNAME": "root"})
    assert found[0] != "failed", found
    path, side = found
    assert path == str(db)
    for suffix, (mode, gid) in side.items():
        assert mode & 0o660 == 0o660, f"{suffix} is {mode:o}"
        assert gid == _gid(host.group), suffix
    with sqlite3.connect(db) as raw:
        actor = raw.execute(
            "SELECT actor FROM audit_entry WHERE entity = 'action_item' ORDER BY id DESC"
        ).fetchone()[0]
        title = raw.execute("SELECT title FROM action_item").fetchone()[0]
    # the account the operating system says, whatever USER and LOGNAME claim
    assert (actor, title) == (host.editor, "From the editor")
    # a backup made by the editor is the group's too
    status, _, err = _as(host.editor, host, lambda: _docket("backup", str(shared / "copy.db")))
    assert status == 0, err
    assert stat.S_IMODE((shared / "copy.db").stat().st_mode) & 0o060 == 0o060


@needs_root
def test_an_account_outside_the_group_is_told_the_group_and_the_directory(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _init(host, monkeypatch)
    status, _, err = _as(host.outsider, host, lambda: _docket("action", "list"))
    assert status == 1
    assert err == (
        f"docket: cannot open database {shared / 'docket.db'}: it is shared with the Unix "
        f"group {host.group} (directory {shared}), and your account {host.outsider} is not "
        f"in that group; ask an administrator to add you (usermod -aG {host.group} "
        f"{host.outsider}), then log in again\n"
    )


@needs_root
def test_init_shared_by_an_account_outside_the_group_is_refused(host: Host) -> None:
    target = host.folder / "theirs"
    status, _, err = _as(
        host.outsider, host, lambda: _docket("init", "--shared", str(target), "--group", host.group)
    )
    assert status == 1
    assert f"your account is not in the Unix group {host.group}" in err
    assert not target.exists()


def test_shared_and_group_go_together(cli: Any) -> None:
    result = cli("init", "--shared", "/tmp/x", db=None)
    assert (result.status, result.err) == (
        2,
        "docket: init: --shared DIR and --group GROUP go together\n",
    )
    unknown = cli("init", "--shared", "/tmp/x", "--group", "no-such-group-here", db=None)
    assert unknown.status == 2
    assert unknown.err == "docket: group: no Unix group 'no-such-group-here' on this host\n"


@needs_root
def test_a_plain_init_by_a_member_in_the_shared_directory_is_group_writable(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _init(host, monkeypatch)
    other = shared / "second.db"
    status, _, err = _as(host.editor, host, lambda: _docket("--db", str(other), "init"))
    assert status == 0, err
    info = other.stat()
    assert stat.S_IMODE(info.st_mode) == 0o660 and info.st_gid == _gid(host.group)
