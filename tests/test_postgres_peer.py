"""Identity as the issue means it: real Unix accounts, peer authentication, the server's roles.

A private PostgreSQL 15 cluster (tests/pg_cluster.py: ``local all all peer``) holds one
docket database made by ``docket init`` as its superuser. Three real Unix accounts (made
with ``useradd``, removed after) get their roles through ``docket user add``: a viewer, an
editor and an admin. Each then runs docket (``python -m docket.tui``, as that account, through
``runuser``) and ``psql`` over the Unix socket, where the server knows it by the account
alone: no password, no name it could choose. Whatever a client sends, the server decides.

Skipped with the PostgreSQL half's reason without root or the PostgreSQL binaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import NOW
from pg_cluster import (
    Cluster,
    as_account,
    docket_as,
    home_for,
    psql_as,
    require_cluster,
    start_cluster,
    unix_account,
)
from test_postgres import docket

pytestmark = pytest.mark.slow  # a dozen docket processes as other accounts


@dataclass(frozen=True)
class Office:
    """The database, the cluster it is on, and the three accounts with their environments."""

    cluster: Cluster
    db: str
    viewer: str
    editor: str
    admin: str
    env: dict[str, dict[str, str]]

    @property
    def url(self) -> str:
        """The database through the socket: whoever runs the client is who connects."""
        return self.cluster.socket_url(self.db)

    def docket(self, account: str, *args: str) -> tuple[int, str, str]:
        """``docket ARGS`` run as the Unix account: status, output, errors."""
        done = docket_as(account, self.url, *args, env=self.env[account])
        return done.returncode, done.stdout, done.stderr

    def psql(self, account: str, statement: str) -> tuple[int, str, str]:
        """A hand-written statement through ``psql`` as the Unix account."""
        done = psql_as(account, self.cluster, self.db, statement, env=self.env[account])
        return done.returncode, done.stdout, done.stderr

    def rows(self, statement: str) -> list[tuple[object, ...]]:
        """What the superuser reads (over TCP)."""
        return [tuple(r) for r in self.cluster.sql(statement, db=self.db)]

    def member(self, account: str, role: str) -> bool:
        found = self.cluster.sql(
            "SELECT pg_has_role(%s, %s, 'MEMBER')", (account, f"{self.db}_{role}"), db=self.db
        )
        return bool(found[0][0])


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    """One database on a private cluster, made by ``docket init`` as the superuser, with a
    viewer, an editor and an admin (real Unix accounts) given their roles by ``docket user
    add``; the accounts and the cluster removed after."""
    require_cluster()
    with (
        start_cluster() as cluster,
        unix_account("viewer") as viewer,
        unix_account("editor") as editor,
        unix_account("admin") as admin,
        pytest.MonkeyPatch.context() as patch,
    ):
        env = {a: home_for(a, cluster.root) for a in (viewer, editor, admin)}
        # the superuser's docket runs in this process, before each test's own directories
        setup = cluster.root / "setup"
        setup.mkdir(mode=0o700)
        (setup / "docket.toml").write_text('timezone = "America/Chicago"\n')
        for name, value in (
            ("XDG_DATA_HOME", setup / "data"),
            ("XDG_CONFIG_HOME", setup / "config"),
            ("DOCKET_CONFIG", setup / "docket.toml"),
            ("DOCKET_SYSTEM_CONFIG", setup / "no-system-config.toml"),
        ):
            patch.setenv(name, str(value))
        patch.setenv("DOCKET_NOW", NOW.isoformat())
        db = cluster.create_database()
        dba = cluster.admin_url(db)  # the superuser, over TCP with its password
        for args in (
            ("init", "--me", "Pat Admin <pat@example.org>"),
            ("user", "add", viewer, "--role", "viewer"),
            ("user", "add", editor, "--role", "editor"),
            ("user", "add", admin, "--role", "admin"),
            ("action", "add", "Book the hall"),
        ):
            status, _, err = docket(dba, *args)
            assert status == 0, (args, err)
        yield Office(cluster, db, viewer, editor, admin, env)


def test_peer_authentication_is_the_unix_account_and_nothing_else(office: Office) -> None:
    assert office.psql(office.viewer, "SELECT session_user, current_user") == (
        0,
        f"{office.viewer}|{office.viewer}\n",
        "",
    )
    # naming another role does not make one that role: peer checks the Unix account
    argv = [
        "psql", "-X", "-h", str(office.cluster.sockets), "-p", str(office.cluster.port),
        "-U", office.admin, "-d", office.db, "-c", "SELECT 1",
    ]  # fmt: skip
    import subprocess

    done = subprocess.run(
        as_account(office.viewer, argv, office.env[office.viewer]),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert f'Peer authentication failed for user "{office.admin}"' in done.stderr
    status, out, err = office.docket(office.viewer, "action", "list")
    assert (status, err) == (0, "") and "Book the hall" in out


def test_a_viewer_cannot_write_even_with_hand_written_sql(office: Office) -> None:
    status, out, err = office.docket(office.viewer, "action", "add", "Sneak in")
    assert (status, out) == (1, "")
    assert err == (
        f"docket: read-only: your account {office.viewer} is a viewer of this database; "
        "an admin can make you an editor with 'docket user add'\n"
    )
    for statement, said in (
        ("UPDATE action_item SET title = 'Sneaked'", "permission denied for table action_item"),
        (
            "INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes, note, hash)"
            f" VALUES ('2026-01-01 00:00:00', '{office.viewer}', 'action_item', 1, 'update',"
            " '{}', '', 'h')",
            "permission denied for table audit_entry",
        ),
        ("DELETE FROM action_item", "permission denied for table action_item"),
        (f"SET ROLE {office.db}_editor", f'permission denied to set role "{office.db}_editor"'),
        (
            f"SELECT docket_set_role('{office.viewer}', 'editor')",
            "permission denied for function docket_set_role",
        ),
    ):
        status, _, err = office.psql(office.viewer, statement)
        assert status != 0 and said in err, (statement, err)
    assert office.rows("SELECT title FROM action_item WHERE id = 1") == [("Book the hall",)]
    assert not office.member(office.viewer, "editor")


def test_an_editor_cannot_grant_roles(office: Office) -> None:
    status, _, err = office.docket(office.editor, "user", "add", office.editor, "--role", "admin")
    assert status == 1
    assert err == f"docket: only an admin can do this; your account {office.editor} is editor\n"
    for statement, said in (
        (f"GRANT {office.db}_admin TO {office.editor}", "admin option"),
        (
            f"SELECT docket_set_role('{office.editor}', 'admin')",
            "permission denied for function docket_set_role",
        ),
        (f"ALTER ROLE {office.editor} CREATEROLE", "permission denied"),
        (f"SET ROLE {office.db}_admin", f'permission denied to set role "{office.db}_admin"'),
    ):
        status, _, err = office.psql(office.editor, statement)
        assert status != 0 and said in err, (statement, err)
    assert not office.member(office.editor, "admin")
    assert office.member(office.editor, "editor")


def test_the_audit_names_the_session_user_whatever_the_client_claims(office: Office) -> None:
    # the client claims another Unix name in every variable it might read
    claiming = {**office.env[office.editor], "USER": office.admin, "LOGNAME": office.admin}
    done = docket_as(office.editor, office.url, "action", "add", "Order chairs", env=claiming)
    assert done.returncode == 0, done.stderr
    assert office.rows(
        "SELECT actor, entity, action FROM audit_entry ORDER BY id DESC LIMIT 1"
    ) == [(office.editor, "action_item", "create")]
    # a client writing its own change with an entry naming someone else: refused whole
    before = office.rows("SELECT count(*) FROM action_item")
    columns = [
        str(c)
        for (c,) in office.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name ="
            " 'action_item' AND column_name <> 'id' ORDER BY ordinal_position"
        )
    ]
    copied = ", ".join("'Forged'" if c == "title" else c for c in columns)
    forged = (
        f"INSERT INTO action_item ({', '.join(columns)}) SELECT {copied} FROM action_item"
        " WHERE id = 1; INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes,"
        f" note, hash) VALUES ('2026-01-01 00:00:00', '{office.admin}', 'action_item',"
        " currval(pg_get_serial_sequence('action_item', 'id')), 'create', '{}', '', 'h')"
    )
    status, _, err = office.psql(office.editor, forged)
    assert status != 0
    assert f"an audit entry naming {office.admin} refused: you are {office.editor}" in err
    assert office.rows("SELECT count(*) FROM action_item") == before
    assert office.rows("SELECT count(*) FROM action_item WHERE title = 'Forged'") == [(0,)]
    # nor may an entry be rewritten afterwards
    status, _, err = office.psql(office.editor, f"UPDATE audit_entry SET actor = '{office.admin}'")
    assert status != 0 and "permission denied for table audit_entry" in err
    status, out, err = office.docket(office.admin, "check")
    assert status == 0 and "ok (schema version" in out, err


def test_user_add_by_an_admin_grants_the_server_role(office: Office) -> None:
    with unix_account("newbie") as newbie:
        office.env[newbie] = home_for(newbie, office.cluster.root)
        status, _, err = office.docket(newbie, "action", "list")
        assert status == 1 and f'role "{newbie}" does not exist' in err  # no role yet
        status, _, err = office.docket(office.admin, "user", "add", newbie, "--role", "editor")
        assert status == 0, err
        assert office.member(newbie, "editor") and not office.member(newbie, "admin")
        status, _, err = office.docket(newbie, "action", "add", "Newbie's first")
        assert status == 0, err
        assert office.rows("SELECT actor FROM audit_entry ORDER BY id DESC LIMIT 2") == [
            (newbie,),
            (office.admin,),  # the role given, by the admin who gave it
        ]
        status, _, err = office.docket(office.admin, "user", "edit", newbie, "--role", "viewer")
        assert status == 0, err
        assert not office.member(newbie, "editor")
        status, _, err = office.docket(newbie, "action", "add", "Refused now")
        assert status == 1 and "is a viewer" in err
        status, _, _ = office.psql(newbie, "UPDATE action_item SET title = 'x'")
        assert status != 0
        office.cluster.sql(f"DROP ROLE {newbie}")
