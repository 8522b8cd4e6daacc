"""A database shared by the accounts of one Unix group (``docket init --shared``).

The operating system is the gate: a setgid directory owned by the group, mode 2770, so
every file made in it belongs to the group, and database files that the group may write
(SQLite makes its ``-wal`` and ``-shm`` files with the database file's own mode). A
system-wide config file points every account at the database. An account outside the
group is told which group and directory, not given SQLite's error.
"""

from __future__ import annotations

import errno
import grp
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from docket.models.accounts.access import SHARED_FILE_MODE, SIDE_SUFFIXES, in_group
from docket.models.core.database import InitResult, init_database
from docket.models.core.errors import DatabaseError, ValidationError
from docket.models.core.files import FileRefused, write_new
from docket.models.core.inputs import shown

DB_NAME = "docket.db"
DIR_MODE = 0o2770
FILE_MODE = SHARED_FILE_MODE
# while the database is made: anything SQLite itself creates is private until docket gives
# it the group's mode on the open file (a file made through a race would stay private)
INIT_UMASK = 0o077


@dataclass(frozen=True)
class SharedResult:
    """What ``docket init --shared`` did."""

    init: InitResult
    directory: Path
    group: str
    config: Path
    config_written: bool
    config_text: str


def _gid(group: str) -> int:
    try:
        return grp.getgrnam(group.strip()).gr_gid
    except KeyError as exc:
        raise ValidationError("group", f"no Unix group {shown(group)} on this host") from exc


def config_text(db: Path) -> str:
    """The system-wide config that points every account at the shared database."""
    return f'# written by docket init --shared\ndb = "{db}"\n'


def _prepare_directory(directory: Path, group: str, gid: int) -> None:
    if not in_group(gid):
        raise DatabaseError(
            f"your account is not in the Unix group {group}; only root or a member of {group} "
            f"can set up {directory} for it"
        )
    try:
        if not os.path.lexists(directory):
            directory.mkdir(parents=True)
        # the directory itself, never a link in its place; modes set on what was opened
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise DatabaseError(_unexpected_directory(directory, exc)) from exc
    try:
        info = os.fstat(fd)
        if info.st_uid not in (0, os.geteuid()) and info.st_gid != gid:
            raise DatabaseError(
                f"{directory} belongs to the account {_account(info.st_uid)}, not to you or "
                f"to the group {group}; docket sets up only a new directory, its own, or one "
                "already the group's: give another directory"
            )
        os.fchown(fd, -1, gid)
        os.fchmod(fd, DIR_MODE)
    except OSError as exc:
        raise DatabaseError(f"cannot set up directory {directory}: {exc.strerror}") from exc
    finally:
        os.close(fd)


def _unexpected_directory(directory: Path, exc: OSError) -> str:
    if os.path.islink(directory):
        return (
            f"{directory} is a symbolic link (to {os.readlink(directory)}); docket sets up "
            "only a real directory, never through a link: give the directory itself"
        )
    if exc.errno == errno.ENOTDIR:
        return f"{directory} exists and is not a directory; give a directory"
    return f"cannot set up directory {directory}: {exc.strerror}"


def _account(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _share_files(db: Path, gid: int) -> None:
    """The database and SQLite's files beside it: the group's, group-writable. Each is
    opened without following a link and changed on the open file; a link, anything but a
    plain file, or a file with a second name (hard link) is refused, not changed."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    for path in (db, *(db.with_name(db.name + suffix) for suffix in SIDE_SUFFIXES)):
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            continue
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise DatabaseError(
                    f"{path} is a symbolic link (to {os.readlink(path)}), not a file docket "
                    "made; nothing was changed: remove the link (someone who can write in "
                    f"{db.parent} put it there) and run this again"
                ) from exc
            raise DatabaseError(f"cannot give {path} to the group: {exc.strerror}") from exc
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                what = "not a plain file" if not stat.S_ISREG(info.st_mode) else "hard-linked"
                raise DatabaseError(
                    f"{path} is {what}, not a file docket made; nothing was changed: move it "
                    "out of the way and run this again"
                )
            os.fchown(fd, -1, gid)
            os.fchmod(fd, FILE_MODE)
        except OSError as exc:
            raise DatabaseError(f"cannot give {path} to the group: {exc.strerror}") from exc
        finally:
            os.close(fd)


def _write_config(config: Path, db: Path) -> bool:
    """Write the system config; False when this account may not (root must do it)."""
    text = config_text(db)
    try:
        current = config.read_text()
    except FileNotFoundError:
        current = None
    except PermissionError:
        return False
    if current == text:
        return True
    if current is not None and f'"{db}"' not in current:
        raise DatabaseError(
            f'{config} already exists and points elsewhere; edit it to read: db = "{db}"'
        )
    try:
        if not config.parent.exists():
            config.parent.mkdir(parents=True)
            config.parent.chmod(0o755)  # every account reads it, whatever the umask
    except PermissionError:
        return False
    except OSError as exc:
        raise DatabaseError(f"cannot write {config}: {exc.strerror}") from exc
    if not os.access(config.parent, os.W_OK):
        return False
    try:  # every account reads it, whatever the umask
        write_new(config, text.encode(), force=True, mode=0o644)
    except FileRefused as exc:
        raise DatabaseError(str(exc)) from exc
    return True


def init_shared(directory: Path, group: str, *, actor: str, config: Path) -> SharedResult:
    """Make (or repair) a database in ``directory`` shared by ``group``; the acting account
    is its admin when it is created. ``config`` is the system-wide config file to write."""
    gid = _gid(group)
    directory = directory.expanduser().absolute()
    _prepare_directory(directory, group, gid)
    db = directory / DB_NAME
    _share_files(db, gid)  # what is there already, before SQLite opens any of it
    before = os.umask(INIT_UMASK)
    try:
        result = init_database(db, actor=actor)
        _share_files(db, gid)
    finally:
        os.umask(before)
    written = _write_config(config, db)
    return SharedResult(result, directory, group, config, written, config_text(db))
