"""Sealed scoring (commit, then reveal): each member's scores stay in a file only their
account can read until every member has committed; the database holds nothing of them but a
hash; a file changed after the commit is refused at the reveal; the ranking waits for every
reveal. In-process, two members are two data directories; the last tests are real Unix
accounts on a shared host (root needed, as tests/test_shared_host.py)."""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
import test_shared_host as shared_host
import test_sourcing as sourcing_tests
from test_shared_host import Host, _as, _docket, _init, needs_root
from test_sourcing import Office, _evaluating

from docket.models.core.errors import DocketError, PermissionDenied, ValidationError
from docket.models.core.files import FileRefused
from docket.models.core.schema import AuditEntry
from docket.models.core.schema_selection import BidScore, CommitteeMember
from docket.models.sourcing import evaluation, sealing

CODE = "RFP-2027-01"
# the fixtures reused: the office of tests/test_sourcing.py, the accounts of a shared host
office = sourcing_tests.office
host = shared_host.host
pytestmark = pytest.mark.both_engines


def _everything(db_path: Path) -> str:
    """Every row of every table of the database as text: on SQLite its dump, as sqlite3
    gives anyone who can read the file; on PostgreSQL every row as the server's text."""
    if not str(db_path).startswith("postgresql://"):
        with sqlite3.connect(db_path) as raw:
            return "\n".join(raw.iterdump())
    from docket.models.core.schema import database

    rows = [
        str(row[0])
        for table in database.get_tables()
        for row in database.execute_sql(f'SELECT CAST(t AS text) FROM "{table}" t').fetchall()
    ]
    return "\n".join(rows)


def _score_all(office: Office, who: Any, acme: int = 7, bolt: int = 8) -> None:
    office.acting(who)
    sealing.give_score(who, CODE, "Acme", "Technical", acme, f"{who.actor} on Acme")
    sealing.give_score(who, CODE, "Bolt", "Technical", bolt)


def test_scores_stay_in_a_private_file_and_the_database_holds_nothing_of_them(
    office: Office, db_path: Path
) -> None:
    found = _evaluating(office.ana)
    _score_all(office, office.ana)
    path = sealing.sealed_path(found.id)
    assert path.parent == office.tmp / "data-tester" / "docket" / "sealed"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert BidScore.select().count() == 0
    assert "tester on Acme" not in _everything(db_path)
    # the member sees their own, and what they still owe; the other member nothing of them
    mine = sealing.own_scores(office.ana, CODE)
    assert [(s["vendor"], s["score"], s["comment"]) for s in mine] == [
        ("Acme Systems", 7, "tester on Acme"),
        ("Bolt Consulting", 8, ""),
    ]
    office.acting(office.bo)
    theirs = sealing.own_scores(office.bo, CODE)
    assert [s["score"] for s in theirs] == [None, None]


def test_the_commitment_is_the_sha256_of_the_canonical_form_and_salt(office: Office) -> None:
    sealed = sealing.Sealed(3, "RFP-1", "ana", "00ff", {(2, 5): (7, "good"), (1, 5): (10, "é")})
    text = '{"member":"ana","scores":[[1,5,10,"é"],[2,5,7,"good"]],"solicitation":"RFP-1"}'
    assert sealing.canonical("RFP-1", "ana", sealed.scores) == text
    digest = hashlib.sha256(f"{text}\n00ff".encode()).hexdigest()
    assert sealing.commitment(sealed) == digest
    # what a reader recomputes from the revealed scores and the salt in the audit log
    assert sealing.revealed_commitment("RFP-1", "ana", sealed.scores, "00ff") == digest
    # any change (a score, a comment, the salt) changes it
    for other in (
        sealing.Sealed(3, "RFP-1", "ana", "00ff", {(2, 5): (7, "good"), (1, 5): (9, "é")}),
        sealing.Sealed(3, "RFP-1", "ana", "00fe", dict(sealed.scores)),
        sealing.Sealed(3, "RFP-1", "ana", "00ff", {(2, 5): (7, "good."), (1, 5): (10, "é")}),
    ):
        assert sealing.commitment(other) != digest


def test_commit_needs_every_score_and_is_given_once(office: Office) -> None:
    _evaluating(office.ana)
    office.acting(office.ana)
    sealing.give_score(office.ana, CODE, "Acme", "Technical", 7)
    with pytest.raises(ValidationError, match="you have 1 score still to give"):
        sealing.commit(office.ana, CODE)
    sealing.give_score(office.ana, CODE, "Bolt", "Technical", 8)
    digest = sealing.commit(office.ana, CODE)
    member = CommitteeMember.get(CommitteeMember.account == "tester")
    assert member.commitment == digest and len(digest) == 64
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.entity, entry.note) == ("committee_member", "sealed scores committed")
    with pytest.raises(ValidationError, match="committed already"):
        sealing.commit(office.ana, CODE)
    with pytest.raises(ValidationError, match="you have committed your scores"):
        sealing.give_score(office.ana, CODE, "Acme", "Technical", 10)


def test_reveal_only_after_every_member_committed(office: Office) -> None:
    _evaluating(office.ana)
    _score_all(office, office.ana)
    sealing.commit(office.ana, CODE)
    with pytest.raises(ValidationError, match="waiting for bchen"):
        sealing.reveal(office.ana, CODE)
    _score_all(office, office.bo, acme=5, bolt=9)
    sealing.commit(office.bo, CODE)
    assert sealing.reveal(office.acting(office.ana), CODE) == 2
    with pytest.raises(ValidationError, match="revealed your scores already"):
        sealing.reveal(office.ana, CODE)
    # one member revealed: the ranking still waits for the other
    waiting = evaluation.evaluate(CODE)
    assert (waiting["revealed"], waiting["ranking"], waiting["not_revealed"]) == (
        False,
        [],
        ["bchen"],
    )
    sealing.reveal(office.acting(office.bo), CODE)
    assert [r["vendor"] for r in evaluation.evaluate(CODE)["ranking"]] == [
        "Bolt Consulting",
        "Acme Systems",
    ]


def test_a_file_changed_after_the_commit_is_refused_at_the_reveal(office: Office) -> None:
    found = _evaluating(office.ana)
    _score_all(office, office.bo)
    sealing.commit(office.bo, CODE)
    _score_all(office, office.ana, acme=3)
    sealing.commit(office.ana, CODE)
    path = sealing.sealed_path(found.id)
    data = json.loads(path.read_text())
    data["scores"][0]["score"] = 10  # the member thinks better of it, after committing
    path.write_text(json.dumps(data))
    with pytest.raises(DocketError, match=r"do not match your commitment .*nothing was revealed"):
        sealing.reveal(office.ana, CODE)
    assert BidScore.select().count() == 0


def test_a_reader_recomputes_each_commitment_from_the_log(office: Office) -> None:
    found = _evaluating(office.ana)
    for who in (office.ana, office.bo):
        _score_all(office, who)
        sealing.commit(who, CODE)
    for who in (office.ana, office.bo):
        sealing.reveal(office.acting(who), CODE)
    for member in CommitteeMember.select():
        rows = BidScore.select().where(BidScore.member == member.account)
        scores = {(s.__data__["bid"], s.__data__["criterion"]): (s.score, s.comment) for s in rows}
        note = (
            AuditEntry.select()
            .where(AuditEntry.entity == "bid_score", AuditEntry.actor == member.account)
            .first()
            .note
        )
        salt = note.rsplit(" salt ", 1)[1]
        again = sealing.revealed_commitment(found.code, member.account, scores, salt)
        assert again == member.commitment


def test_only_members_score_and_only_as_themselves(office: Office) -> None:
    _evaluating(office.ana)
    from docket.models.core.context import Context

    stranger = Context(actor="cdiaz", tz=office.ana.tz, clock=office.ana.clock)
    for attempt in (
        lambda: sealing.give_score(stranger, CODE, "Acme", "Technical", 5),
        lambda: sealing.own_scores(stranger, CODE),
        lambda: sealing.commit(stranger, CODE),
        lambda: sealing.reveal(stranger, CODE),
    ):
        with pytest.raises(PermissionDenied, match="cdiaz is not on the committee"):
            attempt()


@pytest.mark.parametrize(
    ("vendor", "criterion", "score", "said"),
    [
        ("Crux", "Technical", "5", "non-conforming"),
        ("Acme", "Price", "5", "scored by formula"),
        ("Acme", "Technical", "11", "score: expected at most 10, got 11"),
        ("Acme", "Technical", "-1", "score: expected at least 0, got -1"),
    ],
)
def test_what_cannot_be_scored(
    office: Office, vendor: str, criterion: str, score: str, said: str
) -> None:
    _evaluating(office.ana)
    office.acting(office.ana)
    with pytest.raises(ValidationError, match=said):
        sealing.give_score(office.ana, CODE, vendor, criterion, score)


def test_a_link_planted_at_the_sealed_file_is_refused(office: Office, tmp_path: Path) -> None:
    found = _evaluating(office.ana)
    office.acting(office.ana)
    path = sealing.sealed_path(found.id)
    path.parent.mkdir(parents=True)
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    path.symlink_to(target)
    with pytest.raises(FileRefused, match="it is a symbolic link"):
        sealing.own_scores(office.ana, CODE)
    assert target.read_text() == "{}"


# --- real Unix accounts --------------------------------------------------------------------


def _home(host: Host, account: str) -> Path:
    """The account's data directory, open to all as many homes are: what keeps others out
    of the sealed scores is docket's own modes (0700 directory, 0600 file)."""
    home = host.folder / f"{account}-data"
    home.mkdir()
    home.chmod(0o755)
    user = pwd.getpwnam(account)
    os.chown(home, user.pw_uid, user.pw_gid)
    return home


def _setup(host: Host, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shared database (root its admin) with a solicitation under evaluation whose
    committee is the editor and the second member of the group."""
    import sqlite3.dump  # noqa: F401 - what iterdump loads on first use

    import docket.exports.calendar.ical_feed
    import docket.exports.mail.invite_mail
    import docket.models.sourcing.award
    import docket.models.sourcing.evaluation
    import docket.tui.cli.programs
    import docket.tui.cli.solicitations  # noqa: F401 - loaded before dropping root

    shared = _init(host, monkeypatch)
    steps = [
        ("program", "add", "ERP", "ERP replacement"),
        ("person", "add", "Eda Editor", "--account", host.editor),
        ("person", "add", "Sam Second", "--account", host.second),
        ("vendor", "add", "Acme Systems"),
        ("vendor", "add", "Bolt Consulting"),
        ("solicitation", "add", CODE, "--program", "ERP", "--title", "Payroll"),
        ("solicitation", "edit", CODE, "--issued", "2026-10-01", "--bids-due", "2026-11-01"),
        ("solicitation", "criterion", CODE, "Technical", "60"),
        ("solicitation", "criterion", CODE, "Price", "40", "--price"),
        ("solicitation", "member", CODE, "Eda Editor"),
        ("solicitation", "member", CODE, "Sam Second"),
        ("solicitation", "status", CODE, "issued"),
        ("bid", "add", CODE, "Acme", "--price", "100000", "--received", "2026-10-20"),
        ("bid", "add", CODE, "Bolt", "--price", "125000", "--received", "2026-10-21"),
        ("solicitation", "status", CODE, "evaluating"),
    ]
    for args in steps:
        status, _, err = _docket(*args)
        assert status == 0, (args, err)
    return shared / "docket.db"


@needs_root
def test_with_real_accounts_no_member_reads_anothers_scores_before_the_reveal(
    host: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _setup(host, monkeypatch)
    homes = {account: _home(host, account) for account in (host.editor, host.second)}

    def env(account: str) -> dict[str, str]:
        return {"XDG_DATA_HOME": str(homes[account])}

    def as_member(account: str, *args: str) -> tuple[int, str, str]:
        result: tuple[int, str, str] = _as(account, host, lambda: _docket(*args), env(account))
        return result

    for vendor, score in (("Acme", "6"), ("Bolt", "9")):
        status, _, err = as_member(
            host.editor, "bid", "score", CODE, vendor, "Technical", score, "--comment",
            f"editor's private view of {vendor}",
        )  # fmt: skip
        assert status == 0, err
    sealed = list((homes[host.editor] / "docket" / "sealed").iterdir())
    assert len(sealed) == 1
    info = sealed[0].stat()
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(sealed[0].parent.stat().st_mode) == 0o700
    assert info.st_uid == pwd.getpwnam(host.editor).pw_uid

    def peek() -> Any:
        """The second member looks for the editor's scores: in the editor's file, and in
        the shared database with sqlite3."""
        try:
            sealed[0].read_bytes()
            file = "read"
        except PermissionError:
            file = "kept out"
        try:
            with sqlite3.connect(db) as raw:
                dump = "\n".join(raw.iterdump())
        except sqlite3.Error:
            return file, "database kept out"
        return file, "editor's private view" in dump, "bid_score" in dump

    assert _as(host.second, host, peek, env(host.second)) == ("kept out", False, True)
    # the second member sees only their own (owed) scores; cannot reveal before all commit
    status, out, _ = as_member(host.second, "bid", "scores", CODE)
    assert status == 0 and "owed" in out and "private view" not in out
    status, _, err = as_member(host.second, "bid", "reveal", CODE)
    assert status == 2 and "waiting for" in err and host.editor in err
    # nobody scores for another: root (an admin) is no member, and no option names one
    status, _, err = _docket("bid", "score", CODE, "Acme", "Technical", "1")
    assert (status, err) == (
        1,
        f"docket: your account root is not on the committee of {CODE}; only its members "
        "score, each under their own account\n",
    )
    status, _, err = as_member(
        host.second, "bid", "score", CODE, "Acme", "Technical", "1", "--member", host.editor
    )
    assert status == 2 and "no such option: --member" in err
    # the outsider reads neither bids nor anyone's scores
    status, _, err = _as(host.outsider, host, lambda: _docket("bid", "list", CODE))
    assert status == 1 and f"your account {host.outsider} is not in that group" in err
    assert _as(host.outsider, host, peek) == ("kept out", "database kept out")

    # both commit, then both reveal: the ranking appears once the last has revealed
    for vendor, score in (("Acme", "8"), ("Bolt", "9")):
        assert as_member(host.second, "bid", "score", CODE, vendor, "Technical", score)[0] == 0
    for account in (host.second, host.editor):
        status, out, err = as_member(account, "bid", "commit", CODE)
        assert status == 0 and out.startswith("committed: "), err
        if account == host.second:  # the second member's commit is theirs alone
            with sqlite3.connect(db) as raw:
                committed = raw.execute(
                    "SELECT account, commitment != '' FROM committee_member ORDER BY account"
                ).fetchall()
            assert sorted(committed) == sorted([(host.editor, 0), (host.second, 1)])
    status, out, _ = as_member(host.editor, "bid", "reveal", CODE)
    assert (status, out) == (0, "revealed 2 scores, matching your commitment\n")
    status, out, _ = as_member(host.editor, "bid", "rank", CODE)
    assert f"waiting for {host.second} to reveal" in out
    assert as_member(host.second, "bid", "reveal", CODE)[0] == 0
    status, out, _ = as_member(host.second, "bid", "rank", CODE)
    assert status == 0 and out.splitlines()[2].split()[:2] == ["1", "Bolt"]
    with sqlite3.connect(db) as raw:
        actors = raw.execute("SELECT DISTINCT member FROM bid_score ORDER BY member").fetchall()
    assert actors == sorted([(host.editor,), (host.second,)])
