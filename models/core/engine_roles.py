"""PostgreSQL: who is acting and what each role may do, decided by the server.

On SQLite the operating system decides who opens the file and docket's own ``user_account``
table decides who may write. On PostgreSQL the server decides both, so a modified client
decides nothing:

- the acting account is the session user (what peer, certificate, SCRAM or GSSAPI
  authentication proved), never the Unix name the client claims;
- three group roles per database, named after it so two docket databases on one server stay
  apart (``docket_viewer``, ``docket_editor``, ``docket_admin`` for a database ``docket``):
  viewer reads every table, editor also inserts, updates and deletes (the audit log only
  grows: no UPDATE or DELETE on it), admin is an editor who may give roles, through
  :data:`SET_ROLE_FUNCTION` (SECURITY DEFINER, so admins need no CREATEROLE);
- the database is closed to PUBLIC: only members of these roles (and its owner) connect;
- a trigger refuses an audit entry naming anyone but the session user. It refuses rather
  than rewrites: the client hashes the entry with the actor it wrote (the audit chain), so a
  rewritten actor would break the chain; refused, nothing is written and the chain holds.
  The tables' owner (who ran ``docket init`` or ``docket migrate``, copying an office's past
  entries) is exempt: it could drop the trigger anyway.

What the server does not enforce: that an editor's hand-written UPDATE also writes an audit
entry. The entry would be its own (the trigger), but a row changed with none is found only
afterwards, by ``docket check`` (the audit log no longer explains it); the server's own
log (``log_statement = 'mod'`` or pgaudit) says which session user ran it.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from docket.models.core.engine_rls import RLS_SQL
from docket.models.core.schema import database

ROLE_NAMES = ("viewer", "editor", "admin")
# the longest database name whose role names PostgreSQL keeps whole (63 bytes, "_viewer")
MAX_DATABASE_NAME = 63 - len("_viewer")

AUDIT_ACTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION docket_audit_actor() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $docket$
BEGIN
  IF NEW.actor IS DISTINCT FROM session_user::text AND NOT pg_has_role(
      session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RAISE EXCEPTION 'an audit entry naming % refused: you are %, and the server writes only '
      'your own name', NEW.actor, session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $docket$
"""

AUDIT_ACTOR_TRIGGER = (
    'CREATE OR REPLACE TRIGGER docket_audit_actor BEFORE INSERT OR UPDATE ON "audit_entry"'
    " FOR EACH ROW EXECUTE FUNCTION docket_audit_actor()"
)

SET_ROLE_FUNCTION = """
CREATE OR REPLACE FUNCTION docket_set_role(account text, wanted text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $docket$
DECLARE
  db text := current_database();
  r text;
BEGIN
  IF NOT pg_has_role(session_user, db || '_admin', 'MEMBER') THEN
    RAISE EXCEPTION 'only an admin of % gives roles; you (%) are not one', db, session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF wanted IS NULL OR wanted NOT IN ('viewer', 'editor', 'admin') THEN
    RAISE EXCEPTION 'expected viewer, editor or admin, got %', wanted
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF account IN (db || '_viewer', db || '_editor', db || '_admin')
     OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = account AND rolsuper) THEN
    RAISE EXCEPTION 'the role % is not an account docket gives roles to', account
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = account) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', account);
  END IF;
  FOREACH r IN ARRAY ARRAY['viewer', 'editor', 'admin'] LOOP
    IF r <> wanted AND pg_has_role(account, db || '_' || r, 'MEMBER') THEN
      EXECUTE format('REVOKE %I FROM %I', db || '_' || r, account);
    END IF;
  END LOOP;
  EXECUTE format('GRANT %I TO %I', db || '_' || wanted, account);
END $docket$
"""

GROUP_ROLES = """
DO $docket$
DECLARE
  db text := current_database();
  s text := current_schema();
  viewer text := db || '_viewer';
  editor text := db || '_editor';
  admin text := db || '_admin';
  r text;
BEGIN
  IF octet_length(viewer) > 63 THEN
    RAISE EXCEPTION 'the database name % is too long for docket''s role names', db;
  END IF;
  FOREACH r IN ARRAY ARRAY[viewer, editor, admin] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
  EXECUTE format('GRANT %I TO %I', viewer, editor);
  EXECUTE format('GRANT %I TO %I', editor, admin);
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db);
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', db, viewer);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, viewer);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, viewer);
  EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, viewer);
  EXECUTE format('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, editor);
  EXECUTE format('GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', s, editor);
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I.audit_entry FROM %I', s, editor);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', s, viewer);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON SEQUENCES TO %I',
                 s, viewer);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT INSERT, UPDATE, DELETE'
                 ' ON TABLES TO %I', s, editor);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, UPDATE ON SEQUENCES'
                 ' TO %I', s, editor);
  EXECUTE 'REVOKE ALL ON FUNCTION docket_set_role(text, text) FROM PUBLIC';
  EXECUTE format('GRANT EXECUTE ON FUNCTION docket_set_role(text, text) TO %I', admin);
  IF session_user::text NOT IN (viewer, editor, admin) THEN
    EXECUTE format('GRANT %I TO %I', admin, session_user);
  END IF;
END $docket$
"""

# per connection: its session user and database name
_known: WeakKeyDictionary[Any, tuple[str, str]] = WeakKeyDictionary()

# run by `docket init` and `docket migrate` after the tables are made (engine.extra_sql);
# the scoring rules (engine_rls) after the group roles they name
SECURITY_SQL = (
    AUDIT_ACTOR_FUNCTION, AUDIT_ACTOR_TRIGGER, SET_ROLE_FUNCTION, GROUP_ROLES, *RLS_SQL,
)  # fmt: skip


def _connection_facts() -> tuple[str, str]:
    """This connection's session user and database, asked once per connection (a session
    user stays what the server authenticated)."""
    conn = database.connection()
    found = _known.get(conn)
    if found is None:
        row = database.execute_sql("SELECT session_user, current_database()").fetchone()
        found = _known[conn] = (str(row[0]), str(row[1]))
    return found


def session_user() -> str:
    """The account the server authenticated for this connection."""
    return _connection_facts()[0]


def session_user_at(url: str, claimed: str) -> str:
    """Who the server at ``url`` takes this process for, before docket's database is opened
    there (``docket init`` names its first admin so); ``claimed`` when it cannot say (then
    opening the database says why)."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            row = conn.execute("SELECT session_user").fetchone()
    except psycopg.Error:
        return claimed
    return str(row[0]) if row is not None else claimed


def group_role(role: str) -> str:
    """The server's group role for a docket role in the bound database."""
    return f"{_connection_facts()[1]}_{role}"


def server_role(account: str) -> str | None:
    """The docket role the server gives ``account`` (a superuser is an admin); None when no
    role of that name exists or it is a member of none of them."""
    row = database.execute_sql(
        "SELECT r.rolsuper, pg_has_role(r.oid, ?, 'MEMBER'), pg_has_role(r.oid, ?, 'MEMBER'),"
        " pg_has_role(r.oid, ?, 'MEMBER') FROM pg_roles r WHERE r.rolname = ?",
        (group_role("admin"), group_role("editor"), group_role("viewer"), account),
    ).fetchone()
    if row is None:
        return None
    superuser, admin, editor, viewer = row
    if superuser or admin:
        return "admin"
    return "editor" if editor else "viewer" if viewer else None


def set_server_role(account: str, role: str) -> None:
    """Give ``account`` one docket role on the server (its login role made if missing, the
    other two revoked); refused by the server unless the session user is an admin."""
    database.execute_sql("SELECT docket_set_role(?, ?)", (account, role))


def secure() -> bool:
    """The server's side of docket made again on the bound PostgreSQL database, as ``docket
    init`` made it: the group roles and their grants (on every table, those an upgrade added
    too), the audit trigger, the change notices and the scoring rules (engine_rls). Each
    statement may run again, so ``docket init`` on a database at this version (one made before
    docket had them) and every upgrade run it. Only the tables' owner (or a superuser) can;
    for anyone else nothing is done (False), as on a database already made so."""
    from docket.models.core.engine import is_postgres, write_transaction
    from docket.models.core.engine_postgres import NOTIFY_SQL

    if not is_postgres():
        return False
    row = database.execute_sql(
        "SELECT pg_has_role(session_user, c.relowner, 'MEMBER') FROM pg_class c"
        " WHERE c.oid = to_regclass('audit_entry')"
    ).fetchone()
    if row is None or not row[0]:
        return False
    with write_transaction():
        for statement in (*NOTIFY_SQL, *SECURITY_SQL):
            database.execute_sql(statement)
    return True
