"""Files created safely: never through an existing name or a planted link, replaced only
when asked (by rename, never by writing through), nothing half-written left behind, and a
full or limited disk said in words. Also the database's own files: links refused, a damaged
schema version refused before anything is written, the upgrade's copy complete or absent."""

from __future__ import annotations

import gc
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docket.models.core.context import Context
from docket.models.core.database import init_database, open_database
from docket.models.core.errors import DatabaseError
from docket.models.core.files import FileRefused, OutputExists, write_new
from docket.models.core.schema import database
from docket.models.meetings import series as meetings
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program

FIXTURES = Path(__file__).parent / "fixtures"


def _state(path: Path) -> tuple[bytes, int, int, int]:
    """What a file is: its bytes, mode, inode and modification time (to see it untouched)."""
    info = path.stat()
    return path.read_bytes(), stat.S_IMODE(info.st_mode), info.st_ino, info.st_mtime_ns


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty directory of the test's own (tmp_path holds the test's home and database)."""
    made = tmp_path / "files"
    made.mkdir()
    return made


@pytest.fixture
def umask_022() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_new_file_gets_what_the_umask_allows(folder: Path) -> None:
    before = os.umask(0o027)
    try:
        written = write_new(folder / "out.ics", b"BEGIN:VCALENDAR\r\n")
    finally:
        os.umask(before)
    assert written == folder / "out.ics"
    assert stat.S_IMODE(written.stat().st_mode) == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["out.ics"]


def test_a_mode_is_set_on_the_file_whatever_the_umask(folder: Path) -> None:
    before = os.umask(0o077)
    try:
        written = write_new(folder / "copy.db", b"x", mode=0o660)
    finally:
        os.umask(before)
    assert stat.S_IMODE(written.stat().st_mode) == 0o660


def test_an_existing_file_is_refused_and_left_as_it_was(folder: Path) -> None:
    target = folder / "out.ics"
    target.write_bytes(b"mine")
    before = _state(target)
    with pytest.raises(OutputExists, match=f"^{target} already exists; choose another name$"):
        write_new(target, b"theirs")
    assert _state(target) == before
    assert sorted(p.name for p in folder.iterdir()) == ["out.ics"]


def test_a_planted_link_is_refused_and_with_force_replaced_never_followed(
    folder: Path,
) -> None:
    victim = folder / "victim.db"
    victim.write_bytes(b"private")
    victim.chmod(0o600)
    before = _state(victim)
    link = folder / "out.ics"
    link.symlink_to(victim)
    with pytest.raises(OutputExists, match=f"as a symbolic link to {victim}; choose another"):
        write_new(link, b"calendar")
    assert _state(victim) == before
    write_new(link, b"calendar", force=True)
    assert not link.is_symlink() and link.read_bytes() == b"calendar"
    assert _state(victim) == before


def test_force_replaces_by_rename_so_another_name_of_the_old_file_keeps_it(
    folder: Path,
) -> None:
    target = folder / "out.ics"
    target.write_bytes(b"old")
    other_name = folder / "hard-link"
    os.link(target, other_name)
    write_new(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert other_name.read_bytes() == b"old"  # the old file was not written through


def test_a_directory_is_refused_even_with_force(folder: Path) -> None:
    (folder / "dir").mkdir()
    for force in (False, True):
        with pytest.raises(FileRefused, match="is a directory; give a file name"):
            write_new(folder / "dir", b"x", force=force)
    with pytest.raises(FileRefused, match=r"directory .*/nowhere does not exist"):
        write_new(folder / "nowhere" / "x.ics", b"x")


@settings(max_examples=30, deadline=None)
@given(
    content=st.binary(max_size=5000),
    name=st.from_regex(r"[A-Za-z0-9_-]{1,60}\.ics", fullmatch=True),
)
def test_what_is_written_is_read_back_under_its_name_alone(content: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        written = write_new(Path(folder) / name, content)
        assert written.read_bytes() == content
        assert os.listdir(folder) == [name]


@pytest.fixture
def limited_file_size() -> Iterator[int]:
    """This process may write files of at most 16 KiB (EFBIG, not a signal, past that)."""
    limit = 16 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield limit
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_write_cut_short_leaves_nothing_and_says_why(
    folder: Path, limited_file_size: int
) -> None:
    with pytest.raises(FileRefused) as refused:
        write_new(folder / "big.ics", b"x" * (limited_file_size * 2))
    assert str(refused.value) == (
        f"cannot write {folder / 'big.ics'}: the file would be larger than this process may "
        "write (see 'ulimit -f') or the file system allows"
    )
    assert list(folder.iterdir()) == []


# --- the command line: --force, one-line refusals ------------------------------------------


@pytest.fixture
def office(db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    monkeypatch.setattr(meetings, "uid_factory", lambda: "files-1@docket.test")
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Bo Chen", email="bo@city.example")
    meetings.add_meeting(
        ctx, "Steering", start="2026-12-01 09:00", attendees=["bo"], program="ERP",
        organizer="bo",
    )  # fmt: skip
    return ctx


@pytest.mark.parametrize(
    "command",
    [
        ("invite", "1", "-o"),
        ("invite", "1", "--eml"),
        ("calendar", "-o"),
        ("digest", "--format", "md", "-o"),
        ("backup",),
    ],
    ids=["invite-o", "invite-eml", "calendar", "digest", "backup"],
)
def test_every_writer_refuses_a_planted_link_and_force_replaces_the_link_only(
    cli: Any, office: Context, folder: Path, command: tuple[str, ...]
) -> None:
    victim = folder / "victim.txt"
    victim.write_bytes(b"someone's private file")
    victim.chmod(0o600)
    before = _state(victim)
    out = folder / "out.file"
    out.symlink_to(victim)
    refused = cli(*command, str(out))
    assert (refused.status, refused.err) == (
        1,
        f"docket: {out} already exists as a symbolic link to {victim}; choose another name, "
        "or add --force to replace it\n",
    )
    assert refused.out == ""
    assert _state(victim) == before and out.is_symlink()
    forced = cli(*command, str(out), "--force")
    assert forced.status == 0, forced.err
    assert not out.is_symlink() and out.stat().st_size > 0
    assert _state(victim) == before
    again = cli(*command, str(out))
    assert again.status == 1 and again.err.endswith("or add --force to replace it\n")
    leftovers = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert leftovers == []


def test_a_users_output_keeps_their_umask(cli: Any, folder: Path, umask_022: None) -> None:
    assert cli("calendar", "-o", str(folder / "mine.ics")).status == 0
    assert stat.S_IMODE((folder / "mine.ics").stat().st_mode) == 0o644


# --- the database's own files -----------------------------------------------------------------


def test_a_database_reached_through_a_link_is_refused(db_path: Path, tmp_path: Path) -> None:
    database.close()
    link = tmp_path / "link.db"
    link.symlink_to(db_path)
    with pytest.raises(DatabaseError) as refused:
        open_database(link)
    assert str(refused.value) == (
        f"database {link} is a symbolic link (to {db_path}); docket never opens a database "
        "through a link, which could point at someone else's file: give the file itself "
        "(--db FILE)"
    )


def test_a_linked_wal_file_is_named_not_unable_to_open(
    cli: Any, db_path: Path, tmp_path: Path
) -> None:
    database.close()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"untouched")
    before = _state(victim)
    wal = db_path.with_name(db_path.name + "-wal")
    wal.unlink(missing_ok=True)
    wal.symlink_to(victim)
    result = cli("action", "list")
    assert (result.status, result.err) == (
        1,
        f"docket: database file {wal} is a symbolic link (to {victim}); docket never opens a "
        "database through a link, which could point at someone else's file: remove the link\n",
    )
    assert _state(victim) == before


@pytest.mark.parametrize("value", ["abc", "-1", "0", "", "3.0", "٣"])
def test_a_bad_schema_version_is_refused_before_anything_is_written(
    cli: Any, db_path: Path, tmp_path: Path, value: str
) -> None:
    database.close()
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE docket_meta SET value = ? WHERE key = 'schema_version'", (value,))
    raw.close()
    before = db_path.read_bytes()
    files = sorted(tmp_path.iterdir())
    for args in (("action", "list"), ("init",)):
        result = cli(*args)
        assert result.status == 1
        assert result.err == (
            f"docket: database {db_path} says its schema version is {value!r}, not a version "
            "docket writes (a whole number from 1); it was damaged or edited by hand, so it is "
            "left untouched: restore a backup, or run 'docket check'\n"
        )
        database.close()
    assert db_path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == files  # no .bak, nothing else


def _v1(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.executescript((FIXTURES / "docket-v1.sql").read_text())
    raw.close()


def _dump(path: Path) -> list[str]:
    """Everything a database holds, as SQL (opening it in WAL mode changes header bytes)."""
    raw = sqlite3.connect(path)
    try:
        return list(raw.iterdump())
    finally:
        raw.close()


def test_an_upgrade_killed_while_copying_leaves_no_backup_and_the_database_as_it_was(
    tmp_path: Path,
) -> None:
    old = tmp_path / "office.db"
    _v1(old)
    before = _dump(old)
    pid = os.fork()
    if pid == 0:  # the child dies the moment the copy's bytes are on disk, before its name
        try:
            os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
            database.initialize(None)
            open_database(old)
        finally:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert not list(tmp_path.glob("*.bak"))
    assert _dump(old) == before
    # what the kill left is a hidden temporary, never a .bak that opens as an empty database
    ours = {"home", "office.db", "office.db-wal", "office.db-shm"}  # SQLite's own aside
    left = [p.name for p in tmp_path.iterdir() if p.name not in ours]
    assert len(left) == 1
    assert left[0].startswith(".office.db.v1-") and left[0].endswith(".partial")


def test_an_upgrade_whose_backup_name_is_taken_by_a_link_changes_nothing(
    tmp_path: Path,
) -> None:
    old = tmp_path / "office.db"
    _v1(old)
    before = _dump(old)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"private")
    planted = tmp_path / "office.db.v1-20261123-150000.bak"  # the fixed clock's stamp
    planted.symlink_to(victim)
    with pytest.raises(DatabaseError) as refused:
        open_database(old)
    assert str(refused.value) == (
        f"cannot upgrade {old}: the name for its backup copy is taken ({planted} as a "
        f"symbolic link to {victim}); move it away and try again (nothing was changed)"
    )
    database.close()
    assert _dump(old) == before and victim.read_bytes() == b"private"


# --- a full disk: a small tmpfs ---------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (root only; skipped where mounting is not allowed)."""
    point = tmp_path / "small"
    point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", f"docket-{uuid.uuid4().hex[:6]}", str(point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield point
    finally:
        database.close()
        gc.collect()  # the command line's connections, closed when collected
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], check=True)


def _fill(point: Path, leave: int) -> None:
    """Fill the file system but ``leave`` bytes."""
    room = os.statvfs(point)
    free = room.f_bavail * room.f_frsize
    with open(point / "filler", "wb") as filler:
        filler.write(b"\0" * max(free - leave, 0))


def test_a_full_disk_is_said_with_its_file_system_and_leaves_nothing(
    small_disk: Path, cli: Any
) -> None:
    db = small_disk / "office.db"
    init_database(db, actor="tester")
    database.close()
    _fill(small_disk, 64 * 1024)  # room to open, not to write a long note
    shown = cli("action", "list", db=db)
    assert shown.status == 0, shown.err
    result = cli("action", "add", "Too big", "--notes", "x" * 20_000, db=db)
    where = f"at {small_disk} (tmpfs)"
    assert (result.status, result.err) == (
        1,
        f"docket: cannot save to database {db}: the file system {where} is full; nothing "
        "was saved; free some space there and try again\n",
    )
    before = sorted(p.name for p in small_disk.iterdir())
    copy = small_disk / "copy.db"
    backed = cli("backup", str(copy), db=db)
    assert (backed.status, backed.err) == (
        1,
        f"docket: cannot write {copy}: the file system {where} is full; free some space there\n",
    )
    database.close()
    # no copy, no .partial, no -journal: only what was there (SQLite's own -wal/-shm aside)
    after = sorted(p.name for p in small_disk.iterdir())
    assert [n for n in after if n not in before and not n.endswith(("-wal", "-shm"))] == []
    assert "Traceback" not in result.err + backed.err
    (small_disk / "filler").unlink()
    assert cli("backup", str(copy), db=db).status == 0
    with sqlite3.connect(copy) as raw:
        assert raw.execute("SELECT count(*) FROM action_item").fetchone() == (0,)
    raw.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another group needs root")
def test_a_shared_databases_file_of_another_group_or_with_a_second_name_is_refused(
    db_path: Path, tmp_path: Path
) -> None:
    import grp

    database.close()
    shared = tmp_path / "shared"
    shared.mkdir()
    group = grp.getgrnam("daemon")  # any group but root's
    os.chown(shared, -1, group.gr_gid)
    shared.chmod(0o2770)
    db = shared / "docket.db"
    shutil.copy(db_path, db)
    os.chown(db, -1, 0)
    with pytest.raises(DatabaseError) as refused:
        open_database(db)
    assert str(refused.value) == (
        f"database {db} belongs to the group root, not to daemon like its shared directory; "
        f"an administrator repairs it with 'docket init --shared {shared} --group daemon'"
    )
    os.chown(db, -1, group.gr_gid)
    os.link(db, tmp_path / "second-name.db")
    with pytest.raises(DatabaseError, match="has 2 names \\(hard links\\)"):
        open_database(db)
    (tmp_path / "second-name.db").unlink()
    open_database(db)  # as docket made it: opened
