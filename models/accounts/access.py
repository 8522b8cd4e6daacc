"""File permissions on a shared host: who is kept out of a database, and why.

On a shared host the operating system decides who may open the database: a setgid
directory owned by a Unix group (``docket init --shared``). These helpers turn a refusal
into a message naming that group and directory, give the database's own files the group's
mode, and refuse database files that a member could have planted (links, other groups).
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from docket.models.core.errors import DatabaseError

# the mode of a shared database's own files (the database, SQLite's files beside it, its
# backups): the group reads and writes them, others nothing. A user's other outputs keep
# whatever the user's umask gives.
SHARED_FILE_MODE = 0o660

# SQLite's files beside a database, which it opens by name
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def group_name(gid: int) -> str:
    """A group's name (its number when it has none)."""
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def in_group(gid: int) -> bool:
    """Whether this process acts with the group (root acts with every group)."""
    return os.geteuid() == 0 or gid == os.getegid() or gid in os.getgroups()


def shared_gid(directory: Path) -> int | None:
    """The group of a shared directory (setgid, as ``init --shared`` makes it); None when the
    directory is not shared."""
    try:
        info = directory.stat()
    except OSError:
        return None
    return info.st_gid if info.st_mode & stat.S_ISGID else None


def database_mode(directory: Path) -> int | None:
    """The mode for a database file or copy made in ``directory``: the group's in a shared
    directory, else None (the user's umask decides)."""
    return SHARED_FILE_MODE if shared_gid(directory) is not None else None


def refuse_unsafe_files(db: Path) -> None:
    """Refuse a database whose file, or SQLite's files beside it, are not what docket made.

    A symbolic link there (which a group member could point at another account's file, so
    SQLite would write into it) is refused, as is anything but a plain file; in a shared
    directory, so is a file of another group or with a second hard link.
    """
    gid = shared_gid(db.parent)
    for path in (db, *(db.with_name(db.name + suffix) for suffix in SIDE_SUFFIXES)):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError:
            return  # unreadable: opening it says why, in the words of denied_message
        what = "database" if path == db else "database file"
        if stat.S_ISLNK(info.st_mode):
            raise DatabaseError(
                f"{what} {path} is a symbolic link (to {os.readlink(path)}); docket never "
                f"opens a database through a link, which could point at someone else's file: "
                f"{_what_to_do(path == db, gid)}"
            )
        if stat.S_ISDIR(info.st_mode) and path == db:
            raise DatabaseError(f"{path} is a directory, not a docket database")
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseError(f"{what} {path} is not a plain file; move it out of the way")
        if gid is None:
            continue
        if info.st_gid != gid:
            group = group_name(gid)
            raise DatabaseError(
                f"{what} {path} belongs to the group {group_name(info.st_gid)}, not to "
                f"{group} like its shared directory; an administrator repairs it with "
                f"'docket init --shared {db.parent} --group {group}'"
            )
        if info.st_nlink > 1:
            raise DatabaseError(
                f"{what} {path} has {info.st_nlink} names (hard links), so it may be someone "
                f"else's file; an administrator should look at it before anyone opens it"
            )


def _what_to_do(is_database: bool, gid: int | None) -> str:
    if gid is not None:
        return (
            f"remove the link (someone in the group {group_name(gid)} put it there; "
            "tell an administrator)"
        )
    return "give the file itself (--db FILE)" if is_database else "remove the link"


def _outside(path: Path, what: Path, gid: int) -> str:
    from docket.models.accounts.identity import current_account

    account = current_account()
    group = group_name(gid)
    return (
        f"cannot open database {path}: it is shared with the Unix group {group} "
        f"(directory {what}), and your account {account} is not in that group; ask an "
        f"administrator to add you (usermod -aG {group} {account}), then log in again"
    )


def denied_message(path: Path) -> str:
    """Why this account cannot open ``path``: the group and directory that keep it out
    when they belong to a group the account is not in, else what was denied."""
    for directory in (path.parent, *path.parent.parents):
        try:
            info = directory.stat()
        except OSError:
            continue  # a directory above keeps us out; look further up
        if not os.access(directory, os.X_OK):
            if not in_group(info.st_gid) and info.st_mode & stat.S_IXGRP:
                return _outside(path, directory, info.st_gid)
            return f"cannot read database {path}: permission denied on {directory}"
        break
    try:
        info = path.stat()
    except OSError:
        return f"cannot read database {path}: permission denied"
    if not in_group(info.st_gid) and info.st_mode & stat.S_IRGRP:
        return _outside(path, path.parent, info.st_gid)
    return f"cannot read database {path}: permission denied"
