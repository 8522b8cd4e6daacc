"""Roles with real Unix accounts: a viewer cannot write, and the audit log names the
account the operating system says is acting, whatever USER and LOGNAME claim.

These run the real ``docket`` command as the ``nobody`` account, so they need root (as CI
has); elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import io
import os
import pickle
import pwd
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docket.models.core.schema import database

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="switching to another Unix account needs root"
)


def _as_nobody(db: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``docket --db DB ARGS`` as the ``nobody`` account in a forked child (root's own
    interpreter may sit where nobody can reach it); returns the status and stderr."""
    from docket.tui.cli.main import run

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges for good, run, report, leave
        try:
            nobody = pwd.getpwnam("nobody")
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            # the test's config lives where nobody may not read; nobody has none
            os.environ["DOCKET_CONFIG"] = str(db.parent / "no-config.toml")
            os.environ["DOCKET_SYSTEM_CONFIG"] = str(db.parent / "no-system-config.toml")
            os.environ.update(env or {})
            err = io.StringIO()
            status = run(["--db", str(db), *args], io.StringIO(), err)
            os.write(writer, pickle.dumps((status, err.getvalue())))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    result: tuple[int, str] = pickle.loads(data)
    return result


@pytest.fixture
def shared(cli: Any) -> Iterator[Path]:
    """A database that this account created (so is admin of), in a folder where any
    account may read and write, as a shared host's group folder would be."""
    folder = Path(tempfile.mkdtemp(prefix="docket-shared-"))
    folder.chmod(0o777)
    db = folder / "office.db"
    assert cli("init", db=db).status == 0
    database.close()
    for path in folder.glob("office.db*"):
        path.chmod(0o666)
    yield db
    shutil.rmtree(folder)


@needs_root
def test_a_viewer_is_told_plainly_and_nothing_is_written(cli: Any, shared: Path) -> None:
    assert cli("user", "add", "nobody", "--role", "viewer", db=shared).status == 0
    status, err = _as_nobody(shared, "action", "add", "Should not exist")
    assert status == 1
    assert err == (
        "docket: read-only: your account nobody is a viewer of this database; "
        "an admin can make you an editor with 'docket user add'\n"
    )
    assert "Should not exist" not in cli("action", "list", "--status", "all", db=shared).out
    assert _as_nobody(shared, "action", "list")[0] == 0  # reading is fine


@needs_root
def test_the_audit_log_names_the_real_account_not_user_or_logname(cli: Any, shared: Path) -> None:
    status, err = _as_nobody(
        shared, "action", "add", "Mine", env={"USER": "root", "LOGNAME": "root"}
    )
    assert status == 0, err
    with sqlite3.connect(shared) as raw:
        actors = [row[0] for row in raw.execute("SELECT actor FROM audit_entry ORDER BY id")]
    assert actors[-1] == "nobody"


def test_only_an_admin_hands_out_roles(cli: Any, shared: Path) -> None:
    # the account that ran init is the admin; once an editor, it may not change roles
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert cli("user", "add", me, "--role", "editor", db=shared).status == 0
    refused = cli("user", "add", me, "--role", "admin", db=shared)
    assert refused.status == 1
    assert refused.err == f"docket: only an admin can do this; your account {me} is editor\n"
