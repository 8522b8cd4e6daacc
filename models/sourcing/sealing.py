"""Sealed scoring: commit, then reveal, so no member sees another's scores before every
member has fixed their own, and nobody changes theirs after seeing others'.

While the solicitation is evaluating, a member's scores (each conforming bid on each
criterion but price, 0 to 10, with a comment) are kept in a file only their account can
read: mode 0600, in a 0700 directory of their own data directory (beside their audit
witnesses), one file per database and solicitation. Nothing of them is in the shared
database, so no other member reads them, not even with sqlite3 on the shared file.

**Commit.** When a member has scored everything, ``commit`` writes the SHA-256 of their
scores' canonical form and a random salt (:func:`commitment`; the salt, kept in their file,
stops anyone matching the hash by trying scores) to their ``CommitteeMember.commitment``,
audited; it cannot be given twice, and docket takes no new score from them after it.

**Reveal.** Once every member has committed, each reveals their own: the file's canonical
form must hash to their commitment (a file changed since is refused), and the scores are
written to ``BidScore``, audited, the salt in the entries' note, so anyone can recompute the
commitment from the log. The ranking is shown only when every member has revealed.

This guards the scores, not the bids: bids, prices and conformance are in the shared
database, which every member of the office's group can read (an account outside the group
reads nothing). A member with sqlite3 can write the shared database (forging a commitment or
a score); the audit chain and each member's witnesses show such a change to ``docket
check``. Root reads everything.

On PostgreSQL the file is the same, on the host where the member scores (commit and reveal
there too), and the server holds the rest: it takes a revealed score only from the member
it names, once every member has committed, and a commitment only from its member, once
(models/core/engine_rls.py); no account but the tables' owner can forge either.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import platformdirs

from docket.models.core import engine, records
from docket.models.core.config import APP
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.files import FileRefused, write_new
from docket.models.core.inputs import text, whole_number
from docket.models.core.schema import database
from docket.models.core.schema_selection import (
    SCORE_HIGH,
    SCORE_LOW,
    Bid,
    BidScore,
    CommitteeMember,
    Solicitation,
)
from docket.models.sourcing.bids import conforming_bids, find_bid, nonconformance
from docket.models.sourcing.committee import acting_member, members_of
from docket.models.sourcing.criteria import find_criterion
from docket.models.sourcing.solicitations import criteria_of, find_solicitation, require_status

FORMAT = "docket-sealed-scores"
# (bid id, criterion id) -> (score, comment)
Scores = dict[tuple[int, int], tuple[int, str]]


@dataclass
class Sealed:
    """One member's sealed scores for one solicitation (by id, for its file, and by code,
    which the commitment names), with the salt of their commitment."""

    solicitation: int
    code: str
    member: str
    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    scores: Scores = field(default_factory=dict)


def canonical(code: str, member: str, scores: Scores) -> str:
    """The scores' canonical form: JSON with keys sorted and no spaces, UTF-8 kept, each
    score as ``[bid, criterion, score, comment]`` in bid then criterion order."""
    body = {
        "member": member,
        "scores": [[b, c, s, note] for (b, c), (s, note) in sorted(scores.items())],
        "solicitation": code,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def commitment(sealed: Sealed) -> str:
    """What a member commits to: the hex SHA-256 of the canonical form, a newline and the
    salt (random, so the hash cannot be matched by trying scores)."""
    text = canonical(sealed.code, sealed.member, sealed.scores)
    return hashlib.sha256(f"{text}\n{sealed.salt}".encode()).hexdigest()


# --- the member's private file ----------------------------------------------------------


def sealed_dir() -> Path:
    """Where this account keeps its sealed scores: its own data directory."""
    return Path(platformdirs.user_data_dir(APP)) / "sealed"


def _database_key() -> str:
    """What names the bound database wherever docket runs: an SQLite file's real path; a
    PostgreSQL database's server (host and port, as connected to) and name, not the URL,
    which may carry a user or a password and is not a path."""
    if engine.is_postgres():
        info = database.connection().info
        return f"postgresql://{info.host}:{info.port}/{info.dbname}"
    return os.path.realpath(os.path.abspath(str(database.database)))


def sealed_path(solicitation: int) -> Path:
    """This account's file of sealed scores for a solicitation of the bound database."""
    real = _database_key()
    name = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return sealed_dir() / f"{name}-{solicitation}.json"


def _own_directory(path: Path) -> None:
    """Make sure ``path`` is a directory of this account's that only it can enter."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700, parents=True)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if info.st_uid != os.geteuid():
            raise FileRefused(f"{path} belongs to another account; move it away")
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.fchmod(fd, 0o700)
    finally:
        os.close(fd)


def _save(sealed: Sealed) -> None:
    path = sealed_path(sealed.solicitation)
    try:
        _own_directory(path.parent)
    except OSError as exc:
        raise FileRefused(
            f"cannot keep your sealed scores in {path.parent}: {exc.strerror}"
        ) from None
    body = {
        "format": FORMAT,
        "version": 1,
        "solicitation": {"id": sealed.solicitation, "code": sealed.code},
        "member": sealed.member,
        "salt": sealed.salt,
        "scores": [
            {"bid": b, "criterion": c, "score": s, "comment": note}
            for (b, c), (s, note) in sorted(sealed.scores.items())
        ],
    }
    data = json.dumps(body, indent=1, ensure_ascii=False).encode() + b"\n"
    write_new(path, data, force=True, mode=0o600)


def _load(found: Solicitation, member: str) -> Sealed | None:
    """This account's sealed scores for ``found`` (None: it has given none here)."""
    path = sealed_path(found.id)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        why = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
        raise FileRefused(f"your sealed scores {path} cannot be read ({why})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            raise FileRefused(f"{path} is not a plain file of yours; move it away")
        raw = handle.read()
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("it is not a file of sealed scores")
        if (data["solicitation"]["id"], data["solicitation"]["code"]) != (found.id, found.code):
            raise ValueError(
                f"it holds scores for {data['solicitation']['code']}, not {found.code}, "
                "perhaps of a database made anew at this path; move it away"
            )
        scores: Scores = {
            (int(s["bid"]), int(s["criterion"])): (int(s["score"]), str(s["comment"]))
            for s in data["scores"]
        }
        sealed = Sealed(found.id, found.code, str(data["member"]), str(data["salt"]), scores)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FileRefused(f"your sealed scores {path} cannot be read ({exc})") from None
    if sealed.member != member:
        raise FileRefused(f"{path} holds the scores of {sealed.member}, not yours")
    return sealed


# --- scoring, committing, revealing ----------------------------------------------------


def expected(found: Solicitation) -> set[tuple[int, int]]:
    """Every (bid, criterion) a member scores: each conforming bid on each criterion but
    price."""
    criteria = [c.id for c in criteria_of(found) if not c.price]
    return {(b.id, c) for b in conforming_bids(found) for c in criteria}


def may_score(ctx: Context, solicitation: str | int) -> Solicitation:
    """The solicitation, when the acting member may score it now: it is being
    evaluated, they sit on its committee and have not committed; else refused in words."""
    found = find_solicitation(solicitation)
    require_status(found, "evaluating", "score bids")
    member = acting_member(ctx, found)
    if member.commitment:
        raise ValidationError(
            "score", "you have committed your scores; they are sealed as they are"
        )
    return found


def give_score(
    ctx: Context, solicitation: str | int, vendor: str, criterion: str, score: str | int,
    comment: str = "",
) -> Sealed:  # fmt: skip
    """The acting member scores a conforming bid on a criterion, sealed in their own file
    (again: the new score replaces theirs). Nothing goes to the shared database."""
    value = whole_number("score", score, minimum=SCORE_LOW, maximum=SCORE_HIGH)
    remark = text("comment", comment, required=False, max_length=2000)
    found = may_score(ctx, solicitation)
    bid = find_bid(found, vendor)
    why = nonconformance(bid)
    if why:
        raise ValidationError(
            "vendor",
            f"{bid.vendor.name}'s bid is non-conforming ({'; '.join(why)}); it is not scored",
        )
    judged = find_criterion(found, criterion)
    if judged.price:
        raise ValidationError(
            "criterion", f"{judged.name} is scored by formula from the bids' prices"
        )
    sealed = _load(found, ctx.actor) or Sealed(found.id, found.code, ctx.actor)
    sealed.scores[(bid.id, judged.id)] = (value, remark)
    _save(sealed)
    return sealed


class OwnScore(TypedDict):
    """One of the acting member's scores (``score`` None: not given yet)."""

    vendor: str
    criterion: str
    score: int | None
    comment: str


def own_scores(ctx: Context, solicitation: str | int) -> list[OwnScore]:
    """The acting member's own scores, given or still owed: what they alone may see
    before the reveal."""
    found = find_solicitation(solicitation)
    acting_member(ctx, found)
    sealed = _load(found, ctx.actor) or Sealed(found.id, found.code, ctx.actor)
    criteria = [c for c in criteria_of(found) if not c.price]
    rows: list[OwnScore] = []
    for bid in conforming_bids(found):
        for c in criteria:
            given = sealed.scores.get((bid.id, c.id))
            rows.append(
                {
                    "vendor": bid.vendor.name,
                    "criterion": c.name,
                    "score": given[0] if given else None,
                    "comment": given[1] if given else "",
                }
            )
    return rows


def commit(ctx: Context, solicitation: str | int) -> str:
    """The acting member commits: the hash of their complete sealed scores becomes their
    commitment (audited), once; returns it."""
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "evaluating", "commit scores")
        member = acting_member(ctx, found)
        if member.commitment:
            raise ValidationError("commit", f"you committed already ({member.commitment[:12]}…)")
        sealed = _load(found, ctx.actor) or Sealed(found.id, found.code, ctx.actor)
        owed = expected(found) - set(sealed.scores)
        if owed:
            raise ValidationError(
                "commit", f"you have {len(owed)} score{'s' if len(owed) > 1 else ''} still to "
                f"give; 'docket bid scores {found.code}' lists them",
            )  # fmt: skip
        if not sealed.scores:  # nothing to score (price alone): the salt still needs a home
            _save(sealed)
        digest = commitment(sealed)
        records.update(
            ctx, member, member.version, note="sealed scores committed", commitment=digest
        )
        return digest


class MemberState(TypedDict):
    """Where a member stands: committed, revealed."""

    account: str
    committed: bool
    revealed: bool


def _revealed(member: CommitteeMember, owed: int) -> bool:
    given = (
        BidScore.select()
        .join(Bid)
        .where(
            Bid.solicitation == member.__data__["solicitation"], BidScore.member == member.account
        )
        .count()
    )
    return bool(member.commitment) and given >= owed


def seal_state(found: Solicitation) -> list[MemberState]:
    """Each member's state (a commitment is a hash: it tells nothing of the scores)."""
    owed = len(expected(found))
    return [
        {"account": m.account, "committed": bool(m.commitment), "revealed": _revealed(m, owed)}
        for m in members_of(found)
    ]


def all_revealed(found: Solicitation) -> bool:
    """Whether every member has revealed (an empty committee never has)."""
    states = seal_state(found)
    return bool(states) and all(s["revealed"] for s in states)


def reveal(ctx: Context, solicitation: str | int) -> int:
    """The acting member reveals their scores, once every member has committed; the file
    must still hash to their commitment. Returns how many scores were written."""
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "evaluating", "reveal scores")
        member = acting_member(ctx, found)
        waiting = [m.account for m in members_of(found) if not m.commitment]
        if waiting:
            raise ValidationError(
                "reveal",
                "scores are revealed once every member has committed; waiting for "
                + ", ".join(waiting),
            )
        owed = expected(found)
        if not owed:  # price alone: nothing was sealed, the commitment says the member is done
            return 0
        if _revealed(member, len(owed)):
            raise ValidationError("reveal", "you have revealed your scores already")
        sealed = _load(found, ctx.actor)
        if sealed is None:
            raise FileRefused(
                f"your sealed scores are not in {sealed_path(found.id)} (your data directory); "
                "without them nothing can be revealed"
            )
        if commitment(sealed) != member.commitment or set(sealed.scores) != owed:
            raise DocketError(
                f"your sealed scores in {sealed_path(found.id)} do not match your commitment "
                f"({member.commitment[:12]}…): the file changed after you committed; nothing "
                "was revealed"
            )
        note = f"revealed; commitment {member.commitment} salt {sealed.salt}"
        for (bid, criterion), (score, remark) in sorted(sealed.scores.items()):
            records.create(
                ctx, BidScore, audit_note=note, bid=bid, criterion=criterion,
                member=ctx.actor, score=score, comment=remark,
            )  # fmt: skip
        return len(sealed.scores)


def revealed_commitment(code: str, member: str, scores: Scores, salt: str) -> str:
    """The commitment a member's revealed scores and salt give (to check one by hand)."""
    return commitment(Sealed(0, code, member, salt, dict(scores)))
