"""On PostgreSQL the server, not the client, decides who acts and what each role may do.

Real roles on a real server (``DOCKET_TEST_POSTGRES``, skipped like tests/test_postgres.py
when none answers, required under ``DOCKET_REQUIRE_POSTGRES=1``): a database made by
``docket init`` as the server's admin role, a viewer and an editor given their roles by
``docket user add``, each then connecting as itself (trust authentication on the test
server; peer authentication maps the Unix account the same way on a host).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import NOW, ZONE
from pg_support import ADMIN_URL, admin_sql, require_server
from test_postgres import docket

from docket.models.core.context import Context
from docket.models.core.errors import PermissionDenied
from docket.models.core.schema import database

AUDIT_INSERT = (
    'INSERT INTO audit_entry ("at", "actor", "entity", "entity_id", "action", "changes",'
    ' "note", "hash") VALUES (%s, %s, %s, %s, %s, %s, %s, %s)'
)


@dataclass(frozen=True)
class Office:
    """A docket database on the server, its admin's URL, and a viewer's and an editor's."""

    name: str
    url: str
    viewer: str
    editor: str

    def url_as(self, role: str) -> str:
        """The database's URL for the login role ``role`` (no password: trust, or peer)."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname or ''}"))

    def sql(self, role: str, statement: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """A hand-written statement as ``role``, as any client of the server could send it."""
        import psycopg

        with psycopg.connect(self.url_as(role), autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


def _ok(url: str, *args: str) -> str:
    status, out, err = docket(url, *args)
    assert status == 0, (args, err)
    return out


@pytest.fixture
def office() -> Iterator[Office]:
    """A database made by ``docket init`` (as the server's admin role) with a viewer and an
    editor login given their roles by ``docket user add``; all of it dropped after."""
    require_server()
    tag = secrets.token_hex(5)
    name = f"docket_r_{tag}"
    admin_sql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
    url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
    made = Office(name, url, f"viewer_{tag}", f"editor_{tag}")
    try:
        _ok(url, "init", "--me", "Pat Admin <pat@example.org>")
        _ok(url, "user", "add", made.viewer, "--role", "viewer")
        _ok(url, "user", "add", made.editor, "--role", "editor")
        _ok(url, "action", "add", "Book the hall")
        yield made
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin_sql(
            f"DROP ROLE IF EXISTS {made.viewer}, {made.editor}, {name}_viewer, "
            f"{name}_editor, {name}_admin"
        )


def _refused(office: Office, role: str, statement: str, params: Any = ()) -> str:
    """What the server says refusing ``statement`` as ``role`` (insufficient privilege)."""
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        office.sql(role, statement, params)
    return str(refused.value)


def test_init_makes_the_group_roles_and_its_runner_theiradmin_sql(office: Office) -> None:
    rows = office.sql(
        office.viewer,
        "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE %s ORDER BY rolname",
        (f"{office.name}\\_%",),
    )
    assert rows == [(f"{office.name}_{r}", False) for r in ("admin", "editor", "viewer")]
    member = "SELECT pg_has_role(%s, %s, 'MEMBER')"
    admin_user = urlsplit(ADMIN_URL).username
    assert office.sql(office.viewer, member, (admin_user, f"{office.name}_admin")) == [(True,)]
    assert office.sql(office.viewer, member, (office.editor, f"{office.name}_editor")) == [(True,)]
    assert office.sql(office.viewer, member, (office.viewer, f"{office.name}_editor")) == [(False,)]
    listed = _ok(office.url, "user", "list")
    assert f"{office.viewer}  viewer" in listed and f"{office.editor}  editor" in listed
    assert "server's roles decide" in listed


def test_a_viewer_cannot_write_even_by_hand(office: Office) -> None:
    assert office.sql(office.viewer, "SELECT title FROM action_item") == [("Book the hall",)]
    said = _refused(office, office.viewer, "UPDATE action_item SET title = 'x'")
    assert "permission denied for table action_item" in said
    entry = ("2026-01-01 00:00:00", office.viewer, "action_item", 1, "update", "{}", "", "h")
    assert "permission denied for table audit_entry" in _refused(
        office, office.viewer, AUDIT_INSERT, entry
    )
    assert office.sql(office.viewer, "SELECT title FROM action_item") == [("Book the hall",)]


def test_the_cli_as_a_viewer_refuses_a_write_in_one_line(office: Office) -> None:
    status, out, err = docket(office.url_as(office.viewer), "action", "add", "Sneak in")
    assert status == 1 and out == ""
    assert err == (
        f"docket: read-only: your account {office.viewer} is a viewer of this database; "
        "an admin can make you an editor with 'docket user add'\n"
    )
    assert "Book the hall" in _ok(office.url_as(office.viewer), "action", "list")


def test_a_login_given_no_role_cannot_even_connect(office: Office) -> None:
    import psycopg

    stranger = f"stranger_{secrets.token_hex(4)}"
    admin_sql(f"CREATE ROLE {stranger} LOGIN")
    try:
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            office.sql(stranger, "SELECT 1")
    finally:
        admin_sql(f"DROP ROLE {stranger}")


def test_an_editor_cannot_give_roles(office: Office) -> None:
    said = _refused(office, office.editor, f"GRANT {office.name}_admin TO {office.editor}")
    assert "admin option" in said
    said = _refused(office, office.editor, "SELECT docket_set_role(%s, 'admin')", (office.editor,))
    assert "permission denied for function docket_set_role" in said
    status, _, err = docket(
        office.url_as(office.editor), "user", "add", office.editor, "--role", "admin"
    )
    assert status == 1
    assert err == f"docket: only an admin can do this; your account {office.editor} is editor\n"
    member = "SELECT pg_has_role(%s, %s, 'MEMBER')"
    assert office.sql(office.editor, member, (office.editor, f"{office.name}_admin")) == [(False,)]


def test_user_edit_changes_the_server_role(office: Office) -> None:
    assert "is now viewer" in _ok(office.url, "user", "edit", office.editor, "--role", "viewer")
    status, _, err = docket(office.url_as(office.editor), "action", "add", "Now refused")
    assert status == 1 and "is a viewer" in err
    _refused(office, office.editor, "UPDATE action_item SET title = 'x'")
    _ok(office.url, "user", "edit", office.editor, "--role", "admin")
    _ok(office.url_as(office.editor), "user", "add", office.viewer, "--role", "editor")
    _ok(office.url_as(office.viewer), "action", "add", "Allowed now")


def test_the_audit_names_the_session_user_whatever_the_client_runs_as(office: Office) -> None:
    from docket.models.audit.chain import chain_breaks

    _ok(office.url_as(office.editor), "action", "add", "Order chairs")
    rows = office.sql(
        office.viewer, "SELECT actor, entity, action FROM audit_entry ORDER BY id DESC LIMIT 1"
    )
    assert rows == [(office.editor, "action_item", "create")]  # not this process's Unix name
    from docket.models.core.engine_postgres import connect_url

    connect_url(office.url_as(office.viewer))
    try:
        breaks, _, _ = chain_breaks()
        assert breaks == []
    finally:
        database.close()


def test_an_audit_entry_naming_someone_else_is_refused(office: Office) -> None:
    admin_user = urlsplit(ADMIN_URL).username or "postgres"
    entry = ("2026-01-01 00:00:00", admin_user, "action_item", 1, "update", "{}", "", "h")
    said = _refused(office, office.editor, AUDIT_INSERT, entry)
    assert f"an audit entry naming {admin_user} refused: you are {office.editor}" in said
    # nor may an entry be changed or removed afterwards, even one's own
    _refused(office, office.editor, "UPDATE audit_entry SET actor = %s", (office.editor,))
    _refused(office, office.editor, "DELETE FROM audit_entry")


def test_a_client_claiming_another_account_writes_nothing(office: Office) -> None:
    from docket.models.core.engine_postgres import connect_url
    from docket.models.people.persons import add_person

    connect_url(office.url_as(office.editor))
    try:
        forged = Context(actor="pat", tz=ZONE, clock=lambda: NOW)
        with pytest.raises(PermissionDenied, match=f"refused this to {office.editor}"):
            add_person(forged, "Mallory")
        honest = Context(actor=office.editor, tz=ZONE, clock=lambda: NOW)
        assert add_person(honest, "Rita").name == "Rita"
    finally:
        database.close()
    names = office.sql(office.viewer, "SELECT name FROM person ORDER BY id")
    assert ("Mallory",) not in names and ("Rita",) in names


def test_a_dba_owner_with_createrole_runs_init_and_an_admin_gives_roles() -> None:
    """No superuser after setup: the database's owner (CREATEROLE) runs init; the admin it
    names gives roles through the server's function, with no CREATEROLE of its own."""
    require_server()
    tag = secrets.token_hex(5)
    name, owner, ana, bob = (f"{w}_{tag}" for w in ("docket_o", "owner", "ana", "bob"))
    admin_sql(f"CREATE ROLE {owner} LOGIN CREATEROLE")
    admin_sql(f"CREATE DATABASE {name} OWNER {owner} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
    made = Office(name, urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}")), bob, ana)
    try:
        assert f"(you, {owner}, are its admin)" in _ok(made.url_as(owner), "init")
        _ok(made.url_as(owner), "user", "add", ana, "--role", "admin")
        _ok(made.url_as(ana), "user", "add", bob, "--role", "viewer")
        assert "is a viewer" in docket(made.url_as(bob), "action", "add", "x")[2]
        _ok(made.url_as(ana), "action", "add", "Ana's")
        rows = made.sql(bob, "SELECT actor FROM audit_entry ORDER BY id DESC LIMIT 2")
        assert rows == [(ana,), (ana,)]  # bob's role given by ana, then her action
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin_sql(f"DROP ROLE IF EXISTS {ana}, {bob}, {name}_viewer, {name}_editor, {name}_admin")
        admin_sql(f"DROP ROLE IF EXISTS {owner}")


def test_a_hand_written_change_without_its_audit_entry_is_found_by_check(office: Office) -> None:
    """What the server cannot prevent (an editor's UPDATE with no audit entry) is found."""
    office.sql(office.editor, "UPDATE action_item SET title = 'Quietly changed'")
    status, out, err = docket(office.url_as(office.viewer), "check")
    assert status == 1 and out == ""
    assert err.startswith(
        'docket: action item 1: title is "Quietly changed", but the audit log (entry 6) says '
        '"Book the hall": it was changed outside docket\n'
    )
    assert "the result could not be kept" in err  # a viewer: the server refused that write


def _server_side(url: str) -> tuple[Any, ...]:
    """What ``docket init`` makes on the server beside the tables: the group roles, the
    triggers, the row-level security and its policies, and who may connect."""
    name = urlsplit(url).path.lstrip("/")
    office = Office(name, url, "", "")
    admin_user = urlsplit(ADMIN_URL).username or "postgres"
    facts = (
        "SELECT"
        " (SELECT count(*) FROM pg_roles WHERE rolname LIKE %s),"
        " (SELECT string_agg(tgname, ' ' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal),"
        " (SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE relrowsecurity),"
        " (SELECT count(*) FROM pg_policies),"
        " has_database_privilege('public', current_database(), 'CONNECT')"
    )
    return tuple(office.sql(admin_user, facts, (f"{name}\\_%",))[0])


SERVER_SIDE = (
    3,
    "docket_audit_actor docket_commitment docket_notify_change",
    "bid_score proposal_score",
    4,
    False,
)


# a database as a docket before the server's roles left it: no group roles, no triggers
# but the tables', no row-level security, open to every login
STRIP = (
    "DROP TRIGGER docket_audit_actor ON audit_entry",
    "DROP TRIGGER docket_notify_change ON audit_entry",
    "DROP TRIGGER docket_commitment ON committee_member",
    "DROP POLICY docket_read ON bid_score",
    "DROP POLICY docket_reveal ON bid_score",
    "DROP POLICY docket_read ON proposal_score",
    "DROP POLICY docket_own ON proposal_score",
    "ALTER TABLE bid_score DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE proposal_score DISABLE ROW LEVEL SECURITY",
    "DROP FUNCTION docket_audit_actor(), docket_notify_change(), docket_commitment(),"
    " docket_may_reveal(bigint), docket_set_role(text, text)",
    "DROP OWNED BY {name}_viewer, {name}_editor, {name}_admin",
    "DROP ROLE {name}_viewer, {name}_editor, {name}_admin",
    "GRANT CONNECT, TEMPORARY ON DATABASE {name} TO PUBLIC",
)


def test_init_adds_the_server_side_to_a_database_made_before_it() -> None:
    """A database made by a docket with no roles (no group roles, triggers or policies; open
    to every login): ``docket init`` adds them, and again changes nothing; anyone but the
    tables' owner running it changes nothing either."""
    require_server()
    tag = secrets.token_hex(5)
    name = f"docket_b_{tag}"
    admin_sql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
    made = Office(name, urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}")), "", "")
    try:
        _ok(made.url, "init", "--me", "Pat Admin <pat@example.org>")
        import psycopg

        with psycopg.connect(made.url, autocommit=True) as conn:
            for statement in STRIP:
                conn.execute(statement.format(name=name))  # type: ignore[arg-type]
        assert _server_side(made.url) == (0, None, None, 0, True)
        for _ in range(2):
            assert _ok(made.url, "init") == f"{made.url} is up to date\n"
            assert _server_side(made.url) == SERVER_SIDE
        _ok(made.url, "user", "add", f"ed_{tag}", "--role", "admin")
        # an admin who does not own the tables: up to date, nothing made or refused
        said = _ok(made.url_as(f"ed_{tag}"), "init")
        assert said.startswith(f"{made.url_as(f'ed_{tag}')} is up to date\n")
        assert _server_side(made.url) == SERVER_SIDE
        _ok(made.url, "user", "add", f"vi_{tag}", "--role", "viewer")
        said = _refused(made, f"vi_{tag}", "UPDATE person SET name = 'x'")
        assert "permission denied for table person" in said
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin_sql(
            f"DROP ROLE IF EXISTS ed_{tag}, vi_{tag}, {name}_viewer, {name}_editor, {name}_admin"
        )


async def test_the_app_acts_as_the_session_user_and_asks_the_server_its_role(
    office: Office,
) -> None:
    """The app, started as the command line starts it (no account given: found, not the Unix
    name), acts as the session user and shows the role the server gives it."""
    from docket.tui.app import DocketApp
    from docket.tui.store import app_context, start

    for role, shown in (
        (office.viewer, f"{office.viewer}: read-only (viewer)"),
        (office.editor, office.editor),
    ):
        store = start(office.url_as(role), app_context(clock=lambda: NOW, tz=ZONE))
        for app in (DocketApp(store.path, store=store), DocketApp(store.path, tz=ZONE)):
            async with app.run_test(size=(120, 40)):
                assert app.ctx.actor == role
                assert app.banner.endswith(f"│ {shown}"), app.banner


def test_a_viewer_reads_the_past_as_anyone(office: Office) -> None:
    """``--as-of`` copies what the session user may read (every table, for a viewer) into
    memory: a viewer's past is everyone's."""
    past = _ok(office.url_as(office.viewer), "action", "list", "--as-of", "today")
    assert past == _ok(office.url, "action", "list", "--as-of", "today")
    assert "Book the hall" in past
