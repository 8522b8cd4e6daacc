"""Schema version 9's and 10's indexes (issue 22): the action items' text search index
(models/actions/search.py), the partial index of open high and urgent items that the
evidence behind a program's colour counts (models/portfolio/evidence.py), and those below.
Created by the upgrades to 9 and 10 and by a new database alike (models/core/upgrades.py).
"""

from __future__ import annotations

import peewee

# the digest's items opened in a period (of all programs, of some programs) and closed in it
# (of some programs: of all, version 2's index on closed_at), and the audit log by time (the
# report stamp's last entry, the as-of rebuild's entries after a moment)
INDEXES_V9 = (
    'CREATE INDEX IF NOT EXISTS "action_item_created_at" ON "action_item" ("created_at")',
    'CREATE INDEX IF NOT EXISTS "action_item_program_id_created_at" '
    'ON "action_item" ("program_id", "created_at")',
    'CREATE INDEX IF NOT EXISTS "action_item_program_id_closed_at" '
    'ON "action_item" ("program_id", "closed_at")',
    'CREATE INDEX IF NOT EXISTS "audit_entry_at" ON "audit_entry" ("at")',
)


# version 10: a reviewer's own scores (Today's "scores you owe" counts them per proposal)
INDEXES_V10 = (
    'CREATE INDEX IF NOT EXISTS "proposal_score_reviewer_proposal_id" '
    'ON "proposal_score" ("reviewer", "proposal_id")',
)


def create_indexes_v10(db: peewee.Database) -> None:
    """Create version 10's indexes."""
    for statement in INDEXES_V10:
        db.execute_sql(statement)


def create_indexes_v9(db: peewee.Database) -> None:
    """Create version 9's indexes, the text search index filled from the rows there."""
    from docket.models.actions.pressing import PRESSING_INDEX_SQL
    from docket.models.actions.search import create_search_index

    create_search_index(db)
    for statement in (PRESSING_INDEX_SQL, *INDEXES_V9):
        db.execute_sql(statement)
