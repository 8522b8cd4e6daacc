"""Creating files safely: the one way docket writes a file (exports, e-mail files, backups).

On a shared host another account may plant a symbolic link, or a file of its own, at any
name docket is about to write, in a shared directory or in /tmp. So a file is never opened by
a name that may already exist: the content goes to a new temporary name created exclusively
(``O_CREAT|O_EXCL|O_NOFOLLOW``) in the target directory, its mode is set on the open file,
it is flushed to disk, and only then does it take the final name: by a hard link, which fails
when the name exists (link or not), or, when the caller asked to replace (``--force``), by
``rename``, which replaces the name itself (a symbolic link there is replaced, never followed).
A failure leaves nothing behind but what was there before, and says why in words, naming the
file system when it is full.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from docket.models.core.errors import DocketError

# errors from link() that mean this file system has no hard links; rename after a check then
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}


class FileRefused(DocketError):
    """A file could not be written; the message names it and says why."""


class OutputExists(FileRefused):
    """The output's name is taken and the caller did not ask to replace it. The command line
    adds how to replace it (``--force``); the app asks for another name."""

    def __init__(self, path: Path, what: str = "") -> None:
        super().__init__(f"{path} already exists{what}; choose another name")
        self.path = path
        self.what = what


def write_new(path: Path, content: bytes, *, force: bool = False, mode: int | None = None) -> Path:
    """Write ``content`` as a new file ``path`` (``~`` expanded); returns the path written.

    An existing name is refused (:class:`OutputExists`) unless ``force``, which replaces it by
    rename. ``mode`` is set on the open file (say 0o660 for a shared database's copy); without
    it the file gets what the user's umask allows, as any program's output does.
    """
    target = path.expanduser()
    name = target.name
    if name in ("", ".", ".."):
        raise FileRefused(f"{target} is not a file name; give one")
    try:
        directory = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileRefused(
            f"cannot write {target}: directory {target.parent} does not exist"
        ) from None
    except NotADirectoryError:
        raise FileRefused(f"cannot write {target}: {target.parent} is not a directory") from None
    except OSError as exc:
        raise FileRefused(explain(exc, target)) from None
    try:
        _refuse_taken(directory, name, target, force)
        temporary = _write_temporary(directory, name, content, mode, target)
        try:
            _publish(directory, temporary, name, target, force)
        except BaseException:
            _remove(directory, temporary)
            raise
        if not force:  # linked: the temporary name goes, the file stays under its own
            _remove(directory, temporary)
        # the new name itself survives a crash (some file systems cannot sync a directory;
        # the data is synced already)
        with contextlib.suppress(OSError):
            os.fsync(directory)
    except OSError as exc:
        raise FileRefused(explain(exc, target)) from None
    finally:
        os.close(directory)
    return target


def _refuse_taken(directory: int, name: str, target: Path, force: bool) -> None:
    try:
        info = os.stat(name, dir_fd=directory, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise FileRefused(f"{target} is a directory; give a file name")
    if force:
        return
    if stat.S_ISLNK(info.st_mode):
        raise OutputExists(target, f" as a symbolic link to {os.readlink(name, dir_fd=directory)}")
    raise OutputExists(target)


def _write_temporary(
    directory: int, name: str, content: bytes, mode: int | None, target: Path
) -> str:
    """A new file with a name no one could have guessed, written and synced; its name."""
    import secrets  # loaded by the writes of files alone (start-up, issue 22)

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        temporary = f".{name[:200]}.{secrets.token_hex(6)}.partial"
        try:
            # with a mode to set, start private and open up on the descriptor
            fd = os.open(temporary, flags, 0o600 if mode is not None else 0o666, dir_fd=directory)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 clashes of 48 random bits
        raise FileRefused(f"cannot write {target}: no free temporary name in {target.parent}")
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _remove(directory, temporary)
        raise
    return temporary


def _publish(directory: int, temporary: str, name: str, target: Path, force: bool) -> None:
    """Give the written file its final name: replace by rename when forced, else link,
    which fails when the name has been taken meanwhile."""
    if force:
        try:
            os.rename(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
        except IsADirectoryError:
            raise FileRefused(f"{target} is a directory; give a file name") from None
        return
    try:
        os.link(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
    except FileExistsError:
        raise OutputExists(target) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # a file system without hard links (FAT, some network mounts): check, then rename
        _refuse_taken(directory, name, target, force=False)
        os.rename(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)


def _remove(directory: int, name: str) -> None:
    # a failed clean-up is not reported: the write's own error says more
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=directory)


def explain(exc: OSError, path: Path) -> str:
    """Why ``path`` could not be written, in words: a full disk names its file system."""
    code = exc.errno
    if code == errno.ENOSPC:
        where = filesystem_of(path)
        return f"cannot write {path}: the file system {where} is full; free some space there"
    if code == errno.EDQUOT:
        where = filesystem_of(path)
        return f"cannot write {path}: your disk quota on the file system {where} is used up"
    if code == errno.EFBIG:
        return (
            f"cannot write {path}: the file would be larger than this process may write "
            "(see 'ulimit -f') or the file system allows"
        )
    if code == errno.EROFS:
        return f"cannot write {path}: the file system {filesystem_of(path)} is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return f"cannot write {path}: permission denied"
    return f"cannot write {path}: {exc.strerror or exc}"


def filesystem_of(path: Path) -> str:
    """The file system holding ``path``, as its mount point and type ('/srv (ext4)')."""
    here = Path(os.path.realpath(path.expanduser().absolute()))
    while not here.exists() and here != here.parent:
        here = here.parent
    try:
        device = here.stat().st_dev
        while here != here.parent and here.parent.stat().st_dev == device:
            here = here.parent
    except OSError:
        return f"holding {path.parent}"
    kind = _mount_type(here)
    return f"at {here}" + (f" ({kind})" if kind else "")


def _mount_type(mount: Path) -> str:
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return ""
    kind = ""
    for line in lines:  # the last mount on a point is the one in use
        parts = line.split()
        if len(parts) >= 3 and parts[1].replace("\\040", " ") == str(mount):
            kind = parts[2]
    return kind
