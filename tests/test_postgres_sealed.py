"""On PostgreSQL the scoring rules hold in the server, whatever the client sends.

Real login roles on a real server (``DOCKET_TEST_POSTGRES``, skipped when none answers,
required under ``DOCKET_REQUIRE_POSTGRES=1``), each connecting as itself (trust on the test
server; peer authentication maps the Unix account the same way on a host): two committee
members, an editor on no committee and a viewer. Each member keeps their sealed scores in
their own data directory, as their own Unix account would. Hand-written SQL (psycopg, as
psql or a modified client would send it) finds no sealed score and can forge no reveal,
commitment or another reviewer's score; docket's own commands show what the rules allow.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from conftest import NOW, ZONE
from pg_support import ADMIN_URL, admin_sql, require_server
from test_postgres import docket
from test_postgres_roles import Office

from docket.models.core.context import Context
from docket.models.core.schema import database

CODE = "RFP-2027-01"


@dataclass(frozen=True)
class Scoring(Office):
    """The office with its committee (``viewer`` and ``editor`` of :class:`Office` are a
    viewer and an editor on no committee) and each member's data directory."""

    ana: str
    bo: str
    homes: Path

    def run(self, role: str, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
        """``docket ARGS`` as ``role``, with that account's own data directory."""
        monkeypatch.setenv("XDG_DATA_HOME", str(self.homes / role))
        return docket(self.url_as(role), *args)

    def everything(self, role: str) -> str:
        """Every row of every table ``role`` can read, as the server's text."""
        with psycopg.connect(self.url_as(role), autocommit=True) as conn:
            tables = [
                t
                for (t,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            ]
            return "\n".join(
                str(row[0])
                for t in tables
                for row in conn.execute(f'SELECT CAST(t AS text) FROM "{t}" t')  # type: ignore[arg-type]
            )


def _ok(result: tuple[int, str, str]) -> str:
    status, out, err = result
    assert status == 0, err
    return out


def _setup_proposals(url: str) -> None:
    """Two portfolio criteria and a submitted proposal, made as the server's admin role."""
    from docket.models.core.engine_postgres import connect_url
    from docket.models.portfolio import proposals
    from docket.models.portfolio.criteria import add_criterion

    connect_url(url)
    try:
        who = Context(actor=database.execute_sql("SELECT session_user").fetchone()[0], tz=ZONE,
                      clock=lambda: NOW)  # fmt: skip
        add_criterion(who, "Strategic alignment", weight="3")
        proposals.add_proposal(who, "P-1", "Open data portal")
        proposals.move(who, "P-1", "submitted")
    finally:
        database.close()


@pytest.fixture
def scoring(tmp_path: Path) -> Iterator[Scoring]:
    """A database made by ``docket init`` as the server's admin role; a solicitation being
    evaluated by two members (editors), an editor and a viewer on no committee."""
    require_server()
    tag = secrets.token_hex(5)
    name = f"docket_s_{tag}"
    admin_sql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
    url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
    made = Scoring(
        name, url, f"vic_{tag}", f"eve_{tag}", f"ana_{tag}", f"bo_{tag}", tmp_path / "homes"
    )
    try:
        steps: list[tuple[str, ...]] = [
            ("init", "--me", "Pat Admin <pat@example.org>"),
            ("user", "add", made.viewer, "--role", "viewer"),
            ("user", "add", made.editor, "--role", "editor"),
            ("user", "add", made.ana, "--role", "editor"),
            ("user", "add", made.bo, "--role", "editor"),
            ("program", "add", "ERP", "ERP replacement"),
            ("person", "add", "Ana Lopez", "--account", made.ana),
            ("person", "add", "Bo Chen", "--account", made.bo),
            ("vendor", "add", "Acme Systems"),
            ("vendor", "add", "Bolt Consulting"),
            ("solicitation", "add", CODE, "--program", "ERP", "--title", "Payroll"),
            ("solicitation", "edit", CODE, "--issued", "2026-10-01", "--bids-due", "2026-11-01"),
            ("solicitation", "criterion", CODE, "Technical", "60"),
            ("solicitation", "criterion", CODE, "Price", "40", "--price"),
            ("solicitation", "member", CODE, "Ana Lopez"),
            ("solicitation", "member", CODE, "Bo Chen"),
            ("solicitation", "status", CODE, "issued"),
            ("bid", "add", CODE, "Acme", "--price", "100000", "--received", "2026-10-20"),
            ("bid", "add", CODE, "Bolt", "--price", "125000", "--received", "2026-10-21"),
            ("solicitation", "status", CODE, "evaluating"),
        ]
        for args in steps:
            _ok(docket(url, *args))
        _setup_proposals(url)
        yield made
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin_sql(
            f"DROP ROLE IF EXISTS {made.viewer}, {made.editor}, {made.ana}, {made.bo}, "
            f"{name}_viewer, {name}_editor, {name}_admin"
        )


def _score(s: Scoring, role: str, mp: pytest.MonkeyPatch, acme: str, bolt: str) -> None:
    for vendor, score in (("Acme", acme), ("Bolt", bolt)):
        _ok(s.run(role, "bid", "score", CODE, vendor, "Technical", score, "--comment",
                  f"{role}'s private view of {vendor}", monkeypatch=mp))  # fmt: skip


def _refused(s: Scoring, role: str, statement: str, params: Any = ()) -> str:
    """What the server says refusing ``statement`` as ``role``."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        s.sql(role, statement, params)
    return str(refused.value)


REVEAL = (
    "INSERT INTO bid_score (bid_id, criterion_id, member, score, comment, created_at,"
    " updated_at, version) SELECT b.id, c.id, %s, 10, 'early', '2026-11-23 15:00:00',"
    " '2026-11-23 15:00:00', 1 FROM bid b, solicitation_criterion c WHERE c.price = false"
    " LIMIT 1"
)


def test_a_sealed_score_is_in_no_table_any_role_reads(
    scoring: Scoring, monkeypatch: pytest.MonkeyPatch
) -> None:
    _score(scoring, scoring.ana, monkeypatch, "6", "9")
    sealed = list((scoring.homes / scoring.ana / "docket" / "sealed").iterdir())
    assert len(sealed) == 1 and "private view of Acme" in sealed[0].read_text()
    for role in (scoring.bo, scoring.editor, scoring.viewer, scoring.ana):
        seen = scoring.everything(role)
        assert "Pat Admin" in seen  # it did read the tables
        assert "private view" not in seen
    # docket shows Bo his own (owed) scores and nothing ranked; Ana hers
    out = _ok(scoring.run(scoring.bo, "bid", "scores", CODE, monkeypatch=monkeypatch))
    assert "owed" in out and "private view" not in out
    out = _ok(scoring.run(scoring.ana, "bid", "scores", CODE, monkeypatch=monkeypatch))
    assert "private view of Acme" in out
    out = _ok(scoring.run(scoring.viewer, "bid", "rank", CODE, monkeypatch=monkeypatch))
    assert out.splitlines()[1] == (
        f"scores sealed: waiting for {scoring.ana} to commit, {scoring.bo} to commit"
    )
    assert "private view" not in out


def test_the_server_refuses_an_early_or_forged_reveal(
    scoring: Scoring, monkeypatch: pytest.MonkeyPatch
) -> None:
    _score(scoring, scoring.ana, monkeypatch, "6", "9")
    _ok(scoring.run(scoring.ana, "bid", "commit", CODE, monkeypatch=monkeypatch))
    # Ana reveals her own by hand before Bo has committed: refused
    said = _refused(scoring, scoring.ana, REVEAL, (scoring.ana,))
    assert 'violates row-level security policy for table "bid_score"' in said
    _score(scoring, scoring.bo, monkeypatch, "8", "9")
    _ok(scoring.run(scoring.bo, "bid", "commit", CODE, monkeypatch=monkeypatch))
    # now every member has committed: still, nobody reveals under another's name
    _refused(scoring, scoring.bo, REVEAL, (scoring.ana,))
    _refused(scoring, scoring.editor, REVEAL, (scoring.editor,))
    assert scoring.sql(scoring.viewer, "SELECT count(*) FROM bid_score") == [(0,)]
    # docket's own reveal, each as themselves: the ranking, shown to anyone
    for role in (scoring.ana, scoring.bo):
        out = _ok(scoring.run(role, "bid", "reveal", CODE, monkeypatch=monkeypatch))
        assert out == "revealed 2 scores, matching your commitment\n"
    out = _ok(scoring.run(scoring.viewer, "bid", "rank", CODE, monkeypatch=monkeypatch))
    assert out.splitlines()[2].split()[:2] == ["1", "Bolt"]
    rows = scoring.sql(scoring.viewer, "SELECT member, count(*) FROM bid_score GROUP BY member")
    assert sorted(rows) == [(scoring.ana, 2), (scoring.bo, 2)]
    # a revealed score is final, even its member's own
    said = _refused(scoring, scoring.ana, "UPDATE bid_score SET score = 10")
    assert "permission denied for table bid_score" in said
    _refused(scoring, scoring.ana, "DELETE FROM bid_score")


def test_a_commitment_is_its_members_own_and_final(
    scoring: Scoring, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge = "UPDATE committee_member SET commitment = 'forged' WHERE account = %s"
    said = _refused(scoring, scoring.editor, forge, (scoring.bo,))
    assert f"only {scoring.bo} commits or declares a conflict as {scoring.bo}" in said
    _refused(scoring, scoring.ana, forge, (scoring.bo,))
    conflict = "UPDATE committee_member SET conflict = 'none, really' WHERE account = %s"
    _refused(scoring, scoring.editor, conflict, (scoring.bo,))
    # a member's own, through docket: their conflict and their commitment, once
    _ok(scoring.run(scoring.bo, "solicitation", "conflict", CODE, "My cousin is at Bolt",
                    monkeypatch=monkeypatch))  # fmt: skip
    _score(scoring, scoring.ana, monkeypatch, "6", "9")
    _ok(scoring.run(scoring.ana, "bid", "commit", CODE, monkeypatch=monkeypatch))
    said = _refused(scoring, scoring.ana, forge, (scoring.ana,))
    assert f"the commitment of {scoring.ana} is given and final" in said
    rows = scoring.sql(
        scoring.viewer,
        "SELECT account, length(commitment), conflict FROM committee_member ORDER BY account",
    )
    assert rows == [(scoring.ana, 64, ""), (scoring.bo, 0, "My cousin is at Bolt")]


def test_a_reviewers_proposal_score_is_theirs_alone(
    scoring: Scoring, monkeypatch: pytest.MonkeyPatch
) -> None:
    for role, score in ((scoring.ana, "7"), (scoring.bo, "4")):
        _ok(scoring.run(role, "score", "proposal", "P-1", "Strategic alignment", score,
                        monkeypatch=monkeypatch))  # fmt: skip
    # another reviewer's score: changed or removed by nobody else, not even by hand
    assert scoring.sql(scoring.bo, "UPDATE proposal_score SET score = 0 WHERE reviewer = %s"
                       " RETURNING id", (scoring.ana,)) == []  # fmt: skip
    assert scoring.sql(scoring.editor, "DELETE FROM proposal_score RETURNING id") == []
    insert = (
        "INSERT INTO proposal_score (proposal_id, criterion_id, reviewer, score, comment,"
        " created_at, updated_at, version) SELECT p.id, c.id, %s, 0, '', '2026-11-23 15:00:00',"
        " '2026-11-23 15:00:00', 1 FROM proposal p, criterion c LIMIT 1"
    )
    said = _refused(scoring, scoring.editor, insert, (scoring.ana,))
    assert 'violates row-level security policy for table "proposal_score"' in said
    # each reads all, and changes their own
    assert scoring.sql(scoring.bo, "UPDATE proposal_score SET score = 5 WHERE reviewer = %s"
                       " RETURNING score", (scoring.bo,)) == [(5,)]  # fmt: skip
    out = _ok(scoring.run(scoring.viewer, "score", "list", "--format", "csv",
                          monkeypatch=monkeypatch))  # fmt: skip
    assert out.splitlines()[1:] == [
        f"1,P-1,Strategic alignment,{scoring.ana},7,,1",
        f"2,P-1,Strategic alignment,{scoring.bo},5,,1",
    ]
    scores = scoring.sql(
        scoring.viewer, "SELECT reviewer, score FROM proposal_score ORDER BY reviewer"
    )
    assert scores == sorted([(scoring.ana, 7), (scoring.bo, 5)])


def test_the_sealed_file_is_found_however_the_database_is_named(
    scoring: Scoring, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The member's file is named after the server and the database, not the URL typed nor
    the directory docket runs in: the same database reached another way finds it."""
    _score(scoring, scoring.ana, monkeypatch, "6", "9")
    with psycopg.connect(scoring.url_as(scoring.ana)) as conn:
        port = conn.info.port
    parts = urlsplit(scoring.url_as(scoring.ana))
    netloc = f"{scoring.ana}@{parts.hostname}:{port}"
    other = urlunsplit(parts._replace(netloc=netloc, query="connect_timeout=9"))
    assert other != scoring.url_as(scoring.ana)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(scoring.homes / scoring.ana))
    out = _ok(docket(other, "bid", "scores", CODE))
    assert "private view of Acme" in out and "private view of Bolt" in out
    sealed = list((scoring.homes / scoring.ana / "docket" / "sealed").iterdir())
    assert len(sealed) == 1
