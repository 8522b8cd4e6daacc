"""File permissions on a shared host: who is kept out of a database, and why.

On a shared host the operating system decides who may open the database: a setgid
directory owned by a Unix group (``docket init --shared``). These helpers turn a refusal
into a message naming that group and directory, and keep files made there group-writable.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

# what a process working in a shared directory keeps off the files it makes: nothing for
# the group, everything for others
SHARED_UMASK = 0o007


def group_name(gid: int) -> str:
    """A group's name (its number when it has none)."""
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def in_group(gid: int) -> bool:
    """Whether this process acts with the group (root acts with every group)."""
    return os.geteuid() == 0 or gid == os.getegid() or gid in os.getgroups()


def is_shared_directory(directory: Path) -> bool:
    """Whether a directory is set up for a group (setgid), as ``init --shared`` makes it."""
    try:
        return bool(directory.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def use_shared_umask(db: Path) -> None:
    """On a shared database (its directory setgid), make every file this process creates
    group-writable: backups, upgrade copies, SQLite's own files."""
    if is_shared_directory(db.parent):
        os.umask(SHARED_UMASK)


def share_new_file(path: Path) -> None:
    """A file docket made in a shared directory: group-writable like the database (SQLite
    makes new database files 0644 whatever the umask allows)."""
    if is_shared_directory(path.parent):
        path.chmod(0o660)


def _outside(path: Path, what: Path, gid: int) -> str:
    from docket.models.identity import current_account

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
