"""Witnesses: what each account saw of the audit chain, kept where no one else can write.

The hash chain (:mod:`docket.models.audit.chain`) shows an entry changed with another tool, but
anyone who can write the database can recompute every hash after a forgery. So after each of
its own writes, an account notes the newest entry's id and hash in a file in its own data
directory (mode 0600, one JSON line per write transaction, keyed by the database's path; each
line names the database's random id, kept in ``docket_meta``). A forger can rewrite the
database but not that file: ``docket check`` (and the app at start) finds every witnessed entry
still at its id with its hash, or names it. Since each hash covers every entry before it, one
matching witness vouches for the whole chain up to it. ``docket witness`` prints this
account's witnesses, and ``docket check --witness FILE`` checks another member's.

Saving a witness never fails the user's write: a failure is said once (:func:`take_notice`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import sqlite3
import stat
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import peewee
import platformdirs

from docket.models.core.config import APP
from docket.models.core.engine import is_url
from docket.models.core.files import FileRefused, explain, write_new
from docket.models.core.schema import Meta, database

DATABASE_ID = "database_id"
# the export's format marker and version
FORMAT = "docket-witness"
# a witness file past this size keeps its newest KEEP lines (the newest vouches for the rest)
COMPACT_AT = 256 * 1024
KEEP = 1000
# entries looked up per query
_BATCH = 500


@dataclass(frozen=True)
class Witness:
    """One account's record of the chain after one of its writes: in database
    ``database_id``, entry ``entry`` had hash ``hash``; written at ``at`` (UTC text)."""

    database_id: str
    entry: int
    hash: str
    at: str

    def line(self) -> str:
        return json.dumps(
            {"database_id": self.database_id, "entry": self.entry, "hash": self.hash, "at": self.at}
        )


@dataclass
class Held:
    """The witnesses one account holds for one database, and what could not be read."""

    whose: str  # "you", or the account an export names
    witnesses: list[Witness] = field(default_factory=list)
    # lines or files that could not be read (reported, not failed on)
    unreadable: list[str] = field(default_factory=list)
    # the file itself could not be read (for an export named on the command line: a failure)
    failed: str = ""


# --- keeping a witness after a write -------------------------------------------------------

_pending = threading.local()
_notices: list[str] = []
_said: set[str] = set()


def begin() -> None:
    """A write transaction starts: nothing appended yet (see :func:`appended`)."""
    _pending.entry = None


def appended(entry: int, digest: str, at: str) -> None:
    """The audit chain's newest entry is now ``entry`` (called by ``audit.append``)."""
    if entry > 0:
        _pending.entry = (entry, digest, at)


def seen() -> Witness | None:
    """Inside the write transaction, just before its commit: the witness to keep, when the
    transaction appended entries. The database gets its random id here if it has none (a
    database made before witnesses), in the same transaction."""
    pending = getattr(_pending, "entry", None)
    _pending.entry = None
    if pending is None:
        return None
    ident = database_id()
    if ident is None:
        ident = secrets.token_hex(16)
        Meta.insert(key=DATABASE_ID, value=ident).execute()
    return Witness(ident, *pending)


def database_id() -> str | None:
    """The bound database's random id (None: it has none yet)."""
    row = database.execute_sql(
        'SELECT "value" FROM "docket_meta" WHERE "key" = ?', (DATABASE_ID,)
    ).fetchone()
    return None if row is None else str(row[0])


def witness_dir() -> Path:
    """Where this account keeps its witnesses: its own data directory."""
    return Path(platformdirs.user_data_dir(APP)) / "witness"


# witness paths already worked out, by what decides them (the environment and the database)
_paths: dict[tuple[str | None, str | None, str], Path] = {}


def witness_path(db: str | Path) -> Path:
    """This account's witness file for the database at ``db`` (by its real path)."""
    key = (os.environ.get("XDG_DATA_HOME"), os.environ.get("HOME"), str(db))
    known = _paths.get(key)
    if known is None:
        real = str(db) if is_url(db) else os.path.realpath(os.path.abspath(db))
        name = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        known = _paths[key] = witness_dir() / f"{name}.jsonl"
    return known


def keep(witness: Witness) -> None:
    """After the commit: append the witness to this account's file for the bound database.
    Never raises; a failure becomes a notice, said once (:func:`take_notice`)."""
    try:
        target = witness_path(str(database.database))
        _append(target, witness.line() + "\n")
    except (OSError, FileRefused) as exc:
        where = witness_dir()
        reason = str(exc) if isinstance(exc, FileRefused) else explain(exc, where)
        _notice(
            f"your change is saved, but your witness of it could not be kept ({reason}); "
            "'docket check' cannot vouch for it later"
        )


def _notice(text: str) -> None:
    if text not in _said:
        _said.add(text)
        _notices.append(text)


def take_notice() -> str | None:
    """The first notice not yet said (the command line prints it, the app shows it)."""
    return _notices.pop(0) if _notices else None


def _own_directory(path: Path) -> int:
    """Open this account's witness directory (made 0700 if missing), refusing a link or a
    directory another account owns; its descriptor."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700, parents=True)
        fd = os.open(path, flags)
    info = os.fstat(fd)
    if info.st_uid != os.geteuid():
        os.close(fd)
        raise FileRefused(f"{path} belongs to another account; move it away")
    return fd


def _append(target: Path, line: str) -> None:
    directory = _own_directory(target.parent)
    try:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(target.name, flags, 0o600, dir_fd=directory)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                raise FileRefused(f"{target} is not a plain file of yours; move it away")
            if stat.S_IMODE(info.st_mode) != 0o600:
                os.fchmod(fd, 0o600)
            os.write(fd, line.encode("utf-8"))
            size = info.st_size + len(line)
        finally:
            os.close(fd)
    finally:
        os.close(directory)
    if size > COMPACT_AT:
        _compact(target)


def _compact(target: Path) -> None:
    """Keep the newest :data:`KEEP` lines (replaced whole, by rename)."""
    lines = target.read_bytes().splitlines(keepends=True)[-KEEP:]
    write_new(target, b"".join(lines), force=True, mode=0o600)


def forget(db: str | Path) -> bool:
    """Drop this account's witnesses for the database at ``db`` (it was made anew or restored
    by this account); whether there were any."""
    path = witness_path(db)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise FileRefused(f"cannot remove your witness file {path}: {_why(exc)}") from None
    return True


# --- reading and checking witnesses ----------------------------------------------------------


def _witness(value: Any) -> Witness:
    """One witness from its JSON form; a ValueError says what is wrong."""
    if not isinstance(value, dict):
        raise ValueError("not an object")
    ident, entry, digest, at = (value.get(k) for k in ("database_id", "entry", "hash", "at"))
    if not isinstance(ident, str) or not isinstance(digest, str) or not isinstance(at, str):
        raise ValueError("database_id, hash and at must be text")
    if not isinstance(entry, int) or isinstance(entry, bool) or entry < 1:
        raise ValueError("entry must be a whole number from 1")
    return Witness(ident, entry, digest, at)


def _read_text(path: Path) -> str:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        return handle.read().decode("utf-8")


def _why(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, OSError):
        if exc.errno == errno.ELOOP:
            return "it is a symbolic link"
        return exc.strerror or str(exc)
    return str(exc)


def own(db: str | Path) -> Held:
    """This account's witnesses for the database at ``db`` (none when it has no file)."""
    held = Held("you")
    path = witness_path(db)
    try:
        text = _read_text(path)
    except FileNotFoundError:
        return held
    except (OSError, UnicodeDecodeError) as exc:
        held.unreadable.append(f"your witness file {path} cannot be read ({_why(exc)})")
        return held
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            held.witnesses.append(_witness(json.loads(line)))
        except ValueError as exc:
            held.unreadable.append(
                f"your witness file {path}, line {number}, cannot be read ({exc}); it is skipped"
            )
    return held


class WitnessFacts(TypedDict):
    """One witness as ``docket witness`` prints it."""

    database_id: str
    entry: int
    hash: str
    at: str


class WitnessExport(TypedDict):
    """An account's witnesses as ``docket witness`` prints them (``check --witness`` reads it)."""

    format: str
    version: int
    account: str
    database: str
    witnesses: list[WitnessFacts]


def export(db: str | Path, account: str) -> WitnessExport:
    """This account's witnesses for the database at ``db``, as ``docket witness`` prints
    them for another member's ``docket check --witness``."""
    held = own(db)
    return {
        "format": FORMAT,
        "version": 1,
        "account": account,
        "database": str(db) if is_url(db) else os.path.realpath(os.path.abspath(db)),
        "witnesses": [
            {"database_id": w.database_id, "entry": w.entry, "hash": w.hash, "at": w.at}
            for w in held.witnesses
        ],
    }


def exported(path: Path) -> Held:
    """Another member's witnesses from the file ``docket witness`` printed; a file that
    cannot be read, or is not such an export, sets ``failed``."""
    try:
        data = json.loads(_read_text(path.expanduser()))
    except (OSError, UnicodeDecodeError) as exc:
        return Held(str(path), failed=f"witness file {path} cannot be read ({_why(exc)})")
    except ValueError as exc:
        return Held(str(path), failed=f"witness file {path} is not JSON ({exc})")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return Held(str(path), failed=f"witness file {path} is not what 'docket witness' prints")
    account = data.get("account")
    held = Held(account if isinstance(account, str) and account else str(path))
    items = data.get("witnesses")
    if not isinstance(items, list):
        held.failed = f"witness file {path} holds no list of witnesses"
        return held
    for number, item in enumerate(items, start=1):
        try:
            held.witnesses.append(_witness(item))
        except ValueError as exc:
            held.failed = f"witness file {path}: witness {number} cannot be read ({exc})"
            return held
    return held


def _hashes(entries: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(entries))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        marks = ", ".join("?" for _ in batch)
        cursor = database.execute_sql(
            f'SELECT "id", "hash" FROM "audit_entry" WHERE "id" IN ({marks})', batch
        )
        found.update((int(i), str(h)) for i, h in cursor)
    return found


def _when(at: str) -> str:
    return f"{at[:16]} UTC"


def problems(held: Held) -> list[str]:
    """What the bound database no longer holds of what ``held`` witnessed, one line per
    account: the earliest witnessed entry that changed or is gone, and where the change lies
    (after the last entry that still matches). Empty when every witness holds."""
    if held.failed:
        return [held.failed]
    if not held.witnesses:
        return []
    you = held.whose == "you"
    wrote, record = ("you wrote", "your") if you else (f"{held.whose} wrote", "their")
    current = database_id()
    other = [w for w in held.witnesses if w.database_id != current]
    if other:
        last = max(other, key=lambda w: w.entry)
        now = "no identity" if current is None else f"identity {current}"
        return [
            f"database replaced: {record} witnesses are of database {last.database_id} "
            f"(entry {last.entry} {wrote} at {_when(last.at)}), but this one has {now}; it was "
            "replaced or its identity changed outside docket"
            + (
                " (if you made it anew or restored it yourself: 'docket witness --forget')"
                if you
                else ""
            )
        ]
    witnesses = sorted(held.witnesses, key=lambda w: w.entry)
    stored = _hashes(w.entry for w in witnesses)
    matching = 0
    wrong: list[Witness] = []
    for w in witnesses:
        if stored.get(w.entry) == w.hash:
            if not wrong:
                matching = w.entry
        else:
            wrong.append(w)
    if not wrong:
        return []
    first = wrong[0]
    what = (
        f"no longer matches {record} record of it"
        if first.entry in stored
        else "is gone from the audit log"
    )
    # every entry up to the last witness that still matches is vouched for (each hash
    # covers all before it): the change lies after it
    where = (
        f"; the change lies in entries {matching + 1} to {first.entry}"
        if matching + 1 < first.entry
        else ""
    )
    more = len({w.entry for w in wrong}) - 1
    also = (
        f"; {more} later {'entry' if more == 1 else 'entries'} {wrote} "
        f"{'does' if more == 1 else 'do'} not match either"
        if more
        else ""
    )
    return [
        f"history rewritten: entry {first.entry} that {wrote} at {_when(first.at)} {what}"
        f"{where}{also}"
    ]


def own_problems() -> list[str]:
    """This account's witness problems for the bound database (the app looks at start); a
    database it cannot read here is left to ``docket check``."""
    try:
        return problems(own(str(database.database)))
    except (peewee.DatabaseError, sqlite3.Error):
        return []


def check_all(db: str | Path, exports: Sequence[Path] = ()) -> tuple[list[str], list[str]]:
    """Every witness problem for the bound database at ``db``: this account's and those of
    the exports named; and the notes (witness lines that could not be read)."""
    found: list[str] = []
    notes: list[str] = []
    for held in (own(db), *(exported(p) for p in exports)):
        found.extend(problems(held))
        notes.extend(held.unreadable)
    return found, notes


__all__ = [
    "DATABASE_ID",
    "Held",
    "Witness",
    "appended",
    "begin",
    "check_all",
    "database_id",
    "export",
    "exported",
    "forget",
    "keep",
    "own",
    "own_problems",
    "problems",
    "seen",
    "take_notice",
    "witness_dir",
    "witness_path",
]
