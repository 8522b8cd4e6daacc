"""PostgreSQL: the per-person rules of scoring, enforced by the server.

On SQLite these rules are docket's own (a member with sqlite3 could break one, and
``docket check`` would name it). On PostgreSQL the server holds them, whatever the client,
for every account but the tables' owner (who ran ``docket init`` or ``docket migrate``,
copying an office's past rows; it could drop these rules anyway) and a superuser:

- **Sealed bid scores** are never on the server before every member has committed: until
  then a member's scores are in a file only their account reads, on their own host
  (models/sourcing/sealing.py), so no SQL reaches them. The server refuses a score
  revealed early or under another name: a row of ``bid_score`` is inserted only by the
  member it names (the session user), a committed member of its solicitation, while the
  solicitation is evaluated and once every member has committed (row-level security, with
  :data:`MAY_REVEAL_FUNCTION` as a security definer, as a policy cannot read the committee
  through the rules of the table it guards). A revealed score is final: no account may
  change or remove one (cascades from a removed bid are the owner's).
- **A commitment is the member's own and final**: only the member (the session user)
  gives theirs or changes their declared conflict, and a commitment once given never
  changes (a trigger, :data:`COMMITMENT_FUNCTION`).
- **A reviewer's proposal score is their own**: every account reads every score, but only
  the reviewer it names (the session user) gives, changes or withdraws it (row-level
  security; cascades from a removed proposal or criterion pass).

A revealed score is readable by every role: the reveal writes it to the audit log, with the
salt, so that anyone can recompute the member's commitment, as on SQLite.
"""

from __future__ import annotations

# the tables' owner, and roles it is a member of, are exempt (the audit trigger's rule)
_OWNER = "pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')"

# made for the schema docket's tables are in, which it names on its search path
MAY_REVEAL_FUNCTION = """
DO $docket$ BEGIN EXECUTE format($made$
CREATE OR REPLACE FUNCTION docket_may_reveal(bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, %I, pg_temp AS $body$
  SELECT s.status = 'evaluating'
     AND EXISTS (SELECT 1 FROM committee_member m WHERE m.solicitation_id = s.id
                 AND m.account = session_user::text AND m.commitment <> '')
     AND NOT EXISTS (SELECT 1 FROM committee_member m WHERE m.solicitation_id = s.id
                     AND m.commitment = '')
  FROM bid b JOIN solicitation s ON s.id = b.solicitation_id WHERE b.id = $1
$body$ $made$, current_schema()); END $docket$
"""

COMMITMENT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION docket_commitment() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $docket$
BEGIN
  IF {_OWNER} THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.commitment <> '' THEN
      RAISE EXCEPTION 'a committee member is added without a commitment; % gives their own',
        NEW.account USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.commitment <> '' AND (NEW.commitment IS DISTINCT FROM OLD.commitment
                               OR NEW.account IS DISTINCT FROM OLD.account) THEN
    RAISE EXCEPTION 'the commitment of % is given and final', OLD.account
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.commitment IS DISTINCT FROM OLD.commitment OR NEW.conflict IS DISTINCT FROM
      OLD.conflict) AND OLD.account IS DISTINCT FROM session_user::text THEN
    RAISE EXCEPTION 'only % commits or declares a conflict as %; you are %', OLD.account,
      OLD.account, session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $docket$
"""

COMMITMENT_TRIGGER = (
    'CREATE OR REPLACE TRIGGER docket_commitment BEFORE INSERT OR UPDATE ON "committee_member"'
    " FOR EACH ROW EXECUTE FUNCTION docket_commitment()"
)

# each policy made anew (PostgreSQL 15 has no CREATE OR REPLACE POLICY), so `docket init`
# may run these again on a database that has them
POLICIES = """
DO $docket$
DECLARE
  editor text := current_database() || '_editor';
BEGIN
  ALTER TABLE bid_score ENABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS docket_read ON bid_score;
  DROP POLICY IF EXISTS docket_reveal ON bid_score;
  CREATE POLICY docket_read ON bid_score FOR SELECT USING (true);
  CREATE POLICY docket_reveal ON bid_score FOR INSERT
    WITH CHECK (member = session_user::text AND docket_may_reveal(bid_id));
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON bid_score FROM %I', editor);
  REVOKE ALL ON FUNCTION docket_may_reveal(bigint) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION docket_may_reveal(bigint) TO %I', editor);

  ALTER TABLE proposal_score ENABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS docket_read ON proposal_score;
  DROP POLICY IF EXISTS docket_own ON proposal_score;
  CREATE POLICY docket_read ON proposal_score FOR SELECT USING (true);
  CREATE POLICY docket_own ON proposal_score FOR ALL
    USING (reviewer = session_user::text) WITH CHECK (reviewer = session_user::text);
  EXECUTE format('REVOKE TRUNCATE ON proposal_score FROM %I', editor);
END $docket$
"""

# run after engine_roles' group roles exist (they name the editor role)
RLS_SQL = (MAY_REVEAL_FUNCTION, COMMITMENT_FUNCTION, COMMITMENT_TRIGGER, POLICIES)
