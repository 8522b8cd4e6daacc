"""A database shared by the accounts of one Unix group (``docket init --shared``).

The operating system is the gate: a setgid directory owned by the group, mode 2770, so
every file made in it belongs to the group, and database files that the group may write
(SQLite makes its ``-wal`` and ``-shm`` files with the database file's own mode). A
system-wide config file points every account at the database. An account outside the
group is told which group and directory, not given SQLite's error.
"""

from __future__ import annotations

import grp
import os
from dataclasses import dataclass
from pathlib import Path

from docket.models.access import SHARED_UMASK, in_group
from docket.models.database import InitResult, init_database
from docket.models.errors import DatabaseError, ValidationError
from docket.models.inputs import shown

DB_NAME = "docket.db"
DIR_MODE = 0o2770
FILE_MODE = 0o660


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
        directory.mkdir(parents=True, exist_ok=True)
        os.chown(directory, -1, gid)
        directory.chmod(DIR_MODE)
    except OSError as exc:
        raise DatabaseError(f"cannot set up directory {directory}: {exc.strerror}") from exc


def _share_files(db: Path, gid: int) -> None:
    """The database and SQLite's files beside it: the group's, group-writable."""
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        try:
            os.chown(path, -1, gid)
            path.chmod(FILE_MODE)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DatabaseError(f"cannot give {path} to group: {exc.strerror}") from exc


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
        partial = config.with_name(config.name + ".partial")
        partial.write_text(text)
        partial.chmod(0o644)
        partial.rename(config)
    except PermissionError:
        return False
    except OSError as exc:
        raise DatabaseError(f"cannot write {config}: {exc.strerror}") from exc
    return True


def init_shared(directory: Path, group: str, *, actor: str, config: Path) -> SharedResult:
    """Make (or repair) a database in ``directory`` shared by ``group``; the acting account
    is its admin when it is created. ``config`` is the system-wide config file to write."""
    gid = _gid(group)
    directory = directory.expanduser().absolute()
    _prepare_directory(directory, group, gid)
    db = directory / DB_NAME
    before = os.umask(SHARED_UMASK)
    try:
        result = init_database(db, actor=actor)
        _share_files(db, gid)
    finally:
        os.umask(before)
    written = _write_config(config, db)
    return SharedResult(result, directory, group, config, written, config_text(db))
