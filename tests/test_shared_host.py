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

from docket.models.core.schema import database

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="creating Unix accounts and switching to them needs root and useradd",
)


@dataclass(frozen=True)
class Host:
    group: str
    editor: str
    outsider: str
    second: str  # another member of the group
    folder: Path  # where the shared directory and the system config go
    config: Path


@pytest.fixture
def host() -> Iterator[Host]:
    """A group with one member, an account outside it, and a folder anyone can enter."""
    tag = uuid.uuid4().hex[:8]
    group, editor, outsider, second = f"dkg{tag}", f"dke{tag}", f"dko{tag}", f"dks{tag}"
    folder = Path(tempfile.mkdtemp(prefix="docket-host-"))
    folder.chmod(0o755)
    run = subprocess.run
    run(["groupadd", group], check=True)
    try:
        for account, extra in ((editor, ["-G", group]), (outsider, []), (second, ["-G", group])):
            run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", *extra, account], check=True)
        yield Host(group, editor, outsider, second, folder, folder / "etc" / "config.toml")
    finally:
        for account in (editor, outsider, second):
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
    from docket.tui.cli.main import run

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
        from docket.models.accounts.identity import current_account
        from docket.models.actions import items as actions
        from docket.models.core.config import resolve_database
        from docket.models.core.context import Context
        from docket.models.core.database import open_database

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


# --- a hostile member: links planted where docket writes -------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
STAMP = "20261123-150000"  # the fixed clock's, in an upgrade copy's name


def _look(path: Path) -> tuple[bytes, int, int, int, int, int]:
    """Everything that shows a file was left alone: bytes, mode, owner, group, time, inode."""
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    return path.read_bytes(), mode, info.st_uid, info.st_gid, info.st_mtime_ns, info.st_ino


def _victim(host: Host, owner: str) -> Path:
    """A private file of ``owner``'s, in a directory of theirs that anyone may enter."""
    user = pwd.getpwnam(owner)
    home = host.folder / f"home-{owner}"
    home.mkdir()
    os.chown(home, user.pw_uid, user.pw_gid)
    home.chmod(0o755)
    victim = home / "private.db"
    victim.write_bytes(b"SQLite format 3\0 someone's own private database")
    os.chown(victim, user.pw_uid, user.pw_gid)
    victim.chmod(0o600)
    return victim


def _plant(host: Host, link: Path, target: Path) -> None:
    """The editor (a member of the group) puts a symbolic link at ``link``."""

    def job() -> str:
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(target, link)
        return "planted"

    assert _as(host.editor, host, job) == "planted"


def _by_editor(host: Host, job: Callable[[], Any]) -> None:
    assert _as(host.editor, host, lambda: (job(), "done")[1]) == "done"


def _second(host: Host, *args: str) -> tuple[int, str, str]:
    """The command line as the second member of the group. (What the exports import is
    loaded first: an account may not read the interpreter's own library under /root.)"""
    import docket.exports.calendar.ical_feed
    import docket.exports.mail.invite_mail  # noqa: F401

    result: tuple[int, str, str] = _as(host.second, host, lambda: _docket(*args))
    return result


@needs_root
@pytest.mark.parametrize("planted", ["docket.db", "docket.db-wal", "docket.db-shm"])
def test_root_repairing_a_shared_database_follows_no_link_a_member_planted(
    host: Host, monkeypatch: pytest.MonkeyPatch, planted: str
) -> None:
    shared = _init(host, monkeypatch)
    profile = host.folder / "profile.d"  # as /etc/profile.d: what root runs at login
    profile.mkdir()
    aimed = profile / "docket.sh"
    victim = _victim(host, host.second)
    before = _look(victim)
    target = aimed if planted == "docket.db" else victim
    _plant(host, shared / planted, target)
    status, _, err = _docket("init", "--shared", str(shared), "--group", host.group)
    assert (status, err) == (
        1,
        f"docket: {shared / planted} is a symbolic link (to {target}), not a file docket "
        f"made; nothing was changed: remove the link (someone who can write in {shared} put "
        "it there) and run this again\n",
    )
    assert list(profile.iterdir()) == []
    assert _look(victim) == before


@needs_root
def test_root_sets_up_no_directory_through_a_link_nor_one_it_did_not_expect(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = host.folder / "public"  # as /tmp: anyone may make entries
    public.mkdir()
    public.chmod(0o1777)
    theirs, link = public / "theirs", public / "office"

    def make() -> None:
        theirs.mkdir()
        os.symlink(theirs, link)

    _by_editor(host, make)
    before = theirs.stat()
    monkeypatch.setenv("DOCKET_SYSTEM_CONFIG", str(host.config))
    status, _, err = _docket("init", "--shared", str(link), "--group", host.group)
    assert (status, err) == (
        1,
        f"docket: {link} is a symbolic link (to {theirs}); docket sets up only a real "
        "directory, never through a link: give the directory itself\n",
    )
    status, _, err = _docket("init", "--shared", str(theirs), "--group", host.group)
    assert (status, err) == (
        1,
        f"docket: {theirs} belongs to the account {host.editor}, not to you or to the group "
        f"{host.group}; docket sets up only a new directory, its own, or one already the "
        "group's: give another directory\n",
    )
    after = theirs.stat()
    assert (after.st_mode, after.st_gid, list(theirs.iterdir())) == (
        before.st_mode,
        before.st_gid,
        [],
    )
    assert not host.config.exists()


@needs_root
def test_a_member_cannot_make_another_member_write_through_a_planted_link(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _init(host, monkeypatch)
    db = shared / "docket.db"
    wal = shared / "docket.db-wal"
    victim = _victim(host, host.second)
    before = _look(victim)
    tmp_out = Path(tempfile.gettempdir()) / f"docket-out-{uuid.uuid4().hex[:8]}.ics"
    try:
        # SQLite's -wal, then the database itself, aimed at the other member's private file
        _plant(host, wal, victim)
        status, _, err = _second(host, "action", "add", "Mine")
        assert (status, err) == (
            1,
            f"docket: database file {wal} is a symbolic link (to {victim}); docket never "
            "opens a database through a link, which could point at someone else's file: "
            f"remove the link (someone in the group {host.group} put it there; tell an "
            "administrator)\n",
        )

        def move_the_database_away() -> None:
            wal.unlink()
            db.rename(shared / "real.db")

        def put_it_back() -> None:
            db.unlink()
            (shared / "real.db").rename(db)

        _by_editor(host, move_the_database_away)
        _plant(host, db, victim)
        status, _, err = _second(host, "action", "add", "Mine")
        assert status == 1 and err.count("\n") == 1
        assert err.startswith(f"docket: database {db} is a symbolic link (to {victim});")
        _by_editor(host, put_it_back)
        # a backup's final name; and the name the old backup wrote through (FILE.partial)
        copy = shared / "copy.db"
        _plant(host, copy, victim)
        status, _, err = _second(host, "backup", str(copy))
        assert (status, err) == (
            1,
            f"docket: {copy} already exists as a symbolic link to {victim}; choose another "
            "name, or add --force to replace it\n",
        )
        fresh = shared / "fresh.db"
        _plant(host, shared / "fresh.db.partial", victim)
        status, _, err = _second(host, "backup", str(fresh))
        assert status == 0, err
        info = fresh.lstat()
        assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o660
        assert info.st_gid == _gid(host.group)
        assert (shared / "fresh.db.partial").is_symlink()
        # an export's name, in the shared directory and in /tmp
        for out in (shared / "out.ics", tmp_out):
            _plant(host, out, victim)
            status, _, err = _second(host, "calendar", "-o", str(out))
            assert (status, err) == (
                1,
                f"docket: {out} already exists as a symbolic link to {victim}; choose another "
                "name, or add --force to replace it\n",
            )
        # --force replaces the link itself where the member may; /tmp's sticky bit says no
        status, _, err = _second(host, "calendar", "-o", str(shared / "out.ics"), "--force")
        assert status == 0, err
        assert not (shared / "out.ics").is_symlink()
        status, _, err = _second(host, "calendar", "-o", str(tmp_out), "--force")
        assert (status, err) == (1, f"docket: cannot write {tmp_out}: permission denied\n")
        assert tmp_out.is_symlink()
        # a member's own output keeps their umask (022 here), even with a shared database
        mine = victim.parent / "mine.ics"
        status, _, err = _second(host, "calendar", "-o", str(mine))
        assert status == 0, err
        assert stat.S_IMODE(mine.stat().st_mode) == 0o644
        assert stat.S_IMODE((shared / "out.ics").stat().st_mode) == 0o644
    finally:
        if os.path.lexists(tmp_out):
            tmp_out.unlink()
    assert _look(victim) == before
    leftovers = [p.name for p in shared.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@needs_root
def test_the_upgrade_copy_goes_through_no_planted_link(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _init(host, monkeypatch)
    db = shared / "docket.db"
    db.unlink()
    with sqlite3.connect(db) as raw:  # an older shared database, waiting for its upgrade
        raw.executescript((FIXTURES / "docket-v1.sql").read_text())
    raw.close()
    db.chmod(0o660)
    victim = _victim(host, host.second)
    before = _look(victim)
    copy = shared / f"docket.db.v1-{STAMP}.bak"
    _plant(host, copy, victim)
    status, _, err = _second(host, "action", "list")
    assert (status, err) == (
        1,
        f"docket: cannot upgrade {db}: the name for its backup copy is taken ({copy} as a "
        f"symbolic link to {victim}); move it away and try again (nothing was changed)\n",
    )
    with sqlite3.connect(db) as raw:
        version = raw.execute("SELECT value FROM docket_meta WHERE key = 'schema_version'")
        assert version.fetchone() == ("1",)
    raw.close()
    _by_editor(host, copy.unlink)
    status, _, err = _second(host, "action", "list")
    assert status == 0, err
    info = copy.lstat()
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o660
    assert info.st_gid == _gid(host.group)
    assert _look(victim) == before


@needs_root
def test_a_member_who_rewrites_the_whole_chain_is_named_by_anothers_witness(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _init(host, monkeypatch)
    db = shared / "docket.db"
    homes = {}
    for account in (host.editor, host.second):
        home = homes[account] = host.folder / f"{account}-data"
        home.mkdir(mode=0o700)
        user = pwd.getpwnam(account)
        os.chown(home, user.pw_uid, user.pw_gid)

    def env(account: str) -> dict[str, str]:
        return {"XDG_DATA_HOME": str(homes[account])}

    status, _, err = _as(host.editor, host, lambda: _docket("action", "add", "Pay the vendor"))
    # with no data directory of its own, the write stands and says the witness was not kept
    assert status == 0 and "your witness of it could not be kept" in err
    status, _, err = _as(
        host.editor, host, lambda: _docket("action", "add", "Send the budget"), env(host.editor)
    )
    assert (status, err) == (0, "")

    def forge() -> Any:
        """The second member retitles the editor's item and recomputes the whole chain;
        the editor's witness file is out of their reach."""
        from docket.models.audit import chain as audit

        with sqlite3.connect(db) as raw:
            raw.execute("UPDATE action_item SET title = 'Cancel the budget' WHERE id = 2")
            raw.execute(
                "UPDATE audit_entry SET changes = replace(changes, 'Send the', 'Cancel the')"
                " WHERE entity = 'action_item' AND entity_id = 2"
            )
            previous = audit.GENESIS
            rows = raw.execute(
                "SELECT id, at, actor, entity, entity_id, action, changes, note"
                " FROM audit_entry ORDER BY id"
            ).fetchall()
            for row in rows:
                previous = audit.entry_hash(previous, *row)
                raw.execute("UPDATE audit_entry SET hash = ? WHERE id = ?", (previous, row[0]))
        raw.close()
        try:
            list(homes[host.editor].iterdir())
        except PermissionError:
            return "kept out"
        return "could reach the editor's witnesses"

    assert _as(host.second, host, forge, env(host.second)) == "kept out"
    # the chain and the records agree: the forger's own check, with no witness, passes
    status, _, err = _as(host.second, host, lambda: _docket("check"), env(host.second))
    assert (status, err) == (0, "")
    status, _, err = _as(host.editor, host, lambda: _docket("check"), env(host.editor))
    assert status == 1
    assert err.startswith("docket: history rewritten: entry 3 that you wrote at "), err
    assert "no longer matches your record of it" in err
