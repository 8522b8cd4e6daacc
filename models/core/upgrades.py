"""The steps that bring a database from one schema version to the next.

Each step, keyed by the version it reaches, runs inside the upgrade's single transaction
(models/core/database.py ``upgrade_schema``); the result must equal a database created at
that version (tests/test_database.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

import peewee

from docket.models.core.fields import from_utc_text, to_utc_text
from docket.models.core.schema import (
    EXTRA_SQL,
    TABLES_V4,
    TABLES_V6,
    ChangeRequest,
    CommsLogEntry,
    Decision,
    Expenditure,
    InviteDelivery,
    Meeting,
    OccurrenceChange,
)
from docket.models.core.schema_selection import TABLES_V8


def _to_2(db: peewee.Database) -> None:
    """Version 2: indexes for items closed in a period and for an account's own changes."""
    db.execute_sql('CREATE INDEX "action_item_closed_at" ON "action_item" ("closed_at")')
    db.execute_sql('CREATE INDEX "auditentry_actor_at" ON "audit_entry" ("actor", "at")')


def _to_3(db: peewee.Database) -> None:
    """Version 3: partial indexes that keep open action items in list order. They replace the
    index on (status, due), which the planner would otherwise pick and then sort."""
    db.execute_sql('DROP INDEX "action_item_status_due"')
    for statement in EXTRA_SQL:
        db.execute_sql(statement)


def _to_4(db: peewee.Database) -> None:
    """Version 4: the meetings' send ledger, series splits and agendas; risks, issues,
    decisions, change requests, budgets and metrics."""
    db.create_tables(TABLES_V4)


def _to_5(db: peewee.Database) -> None:
    """Version 5: what minutes recorded as decided becomes decision records, one per line,
    taken at their occurrence (on its day in the meeting's zone) in the meeting's program;
    the minutes lose their free-text decisions."""
    written = db.execute_sql(
        'SELECT m."meeting_id", m."occurrence_start", m."decisions", m."updated_at",'
        ' g."program_id", g."timezone" FROM "minutes" m JOIN "meeting" g ON g."id" = m."meeting_id"'
        ' WHERE trim(m."decisions") != \'\' ORDER BY m."id"'
    ).fetchall()
    for meeting, start, text, at, program, zone in written:
        day = from_utc_text(start).astimezone(ZoneInfo(zone)).date().isoformat()
        for line in text.splitlines():
            said = line.strip(" -•*\t")
            if not said:
                continue
            # a title has at most 200 characters; a longer line is kept whole as the rationale
            title, rationale = (said, "") if len(said) <= 200 else (said[:199] + "…", said)
            db.execute_sql(
                'INSERT INTO "decision" ("program_id", "title", "rationale", "decided_on",'
                ' "meeting_id", "occurrence_start", "created_at", "updated_at", "version")'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (program, title, rationale, day, meeting, start, at, at),
            )
    db.execute_sql('ALTER TABLE "minutes" DROP COLUMN "decisions"')


def _to_6(db: peewee.Database) -> None:
    """Version 6: all-day meetings; an occurrence's own title; what became of each invite
    copy (exported, sent, refused, with the server's reply); how a communication was logged
    (sent, by hand, exported); an expenditure's reason for passing its contract's ceiling
    and its void reason; who entered a decision or decided a change for the person named;
    contract amendments. Copies written to a file before this version were exported,
    never sent. (Version 4 creates its tables from today's models, so a column may exist
    already.)"""
    for table, column in (
        (Meeting, Meeting.all_day),
        (OccurrenceChange, OccurrenceChange.new_title),
        (InviteDelivery, InviteDelivery.state),
        (InviteDelivery, InviteDelivery.reply),
        (CommsLogEntry, CommsLogEntry.how),
        (Expenditure, Expenditure.over_ceiling),
        (Expenditure, Expenditure.void_reason),
        (Decision, Decision.entered_by),
        (ChangeRequest, ChangeRequest.entered_by),
    ):
        name = table._meta.table_name
        if column.column_name in {c.name for c in db.get_columns(name)}:
            continue
        ctx = db.get_sql_context()
        definition = ctx.sql(column.ddl(ctx)).query()[0]
        db.execute_sql(f'ALTER TABLE "{name}" ADD COLUMN {definition}')
    db.execute_sql(
        'UPDATE "invite_delivery" SET "state" = CASE "channel" WHEN \'smtp\' THEN \'sent\''
        " ELSE 'exported' END"
    )
    # contract amendments (ceiling, dates, rate, with a reason)
    db.create_tables(TABLES_V6, safe=True)


def _to_7(db: peewee.Database) -> None:
    """Version 7: the audit log becomes a hash chain (models/audit.py). Existing entries are
    chained in id order; records the log does not explain (demo data, decisions taken from
    minutes, the first admin) get entries, by the account upgrading, that take them as found."""
    from docket.models.accounts.identity import current_account
    from docket.models.audit import chain as audit
    from docket.models.core.clock import utcnow
    from docket.models.core.schema import AuditEntry

    name = AuditEntry._meta.table_name
    if AuditEntry.hash.column_name not in {c.name for c in db.get_columns(name)}:
        ctx = db.get_sql_context()
        definition = ctx.sql(AuditEntry.hash.ddl(ctx)).query()[0]
        db.execute_sql(f'ALTER TABLE "{name}" ADD COLUMN {definition}')
    audit.rechain()
    audit.baseline(current_account(), to_utc_text(utcnow()), "as found by the upgrade to 7")


def _to_8(db: peewee.Database) -> None:
    """Version 8: choosing what to fund and whom to hire: proposals with their business
    case, criteria and reviewers' scores; solicitations, bids, committees and their scores;
    contracts' service levels and scorecards (models/core/schema_selection.py)."""
    db.create_tables(TABLES_V8)


def _to_9(db: peewee.Database) -> None:
    """Version 9: the action items' text search index, kept by triggers, filled from the
    rows there, and indexes for Today, the digest and the audit log (models/core/indexes.py)."""
    from docket.models.core.indexes import create_indexes_v9

    create_indexes_v9(db)


def _to_10(db: peewee.Database) -> None:
    """Version 10: the text search index also looks up terms of one and two characters
    (models/actions/search.py): made anew, filled from the rows there; and an index of each
    reviewer's scores (models/core/indexes.py)."""
    from docket.models.actions.search import create_search_index, drop_search_index
    from docket.models.core.indexes import create_indexes_v10

    drop_search_index(db)
    create_search_index(db)
    create_indexes_v10(db)


def create_indexes(db: peewee.Database) -> None:
    """A new database's indexes beyond its tables': those of version 9 on, as they are now."""
    from docket.models.core.indexes import create_indexes_v9, create_indexes_v10

    create_indexes_v9(db)
    create_indexes_v10(db)


MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    2: _to_2,
    3: _to_3,
    4: _to_4,
    5: _to_5,
    6: _to_6,
    7: _to_7,
    8: _to_8,
    9: _to_9,
    10: _to_10,
}
