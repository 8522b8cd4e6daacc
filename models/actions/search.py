"""Text search of action items through an SQLite FTS5 index, equal to the plain LIKE search.

The index (``action_search``) is a trigram index of each item's title and notes, with the
``action_item`` table as its content: it keeps no copy of the text, only the trigrams, and
triggers keep it in step with every insert, update and delete, whoever makes them (the
domain functions, an import, an upgrade, an as-of copy undoing audit entries). It is made by
schema version 9 (and ``docket init``), filled from the rows already there. (SQLite fires no
delete trigger for a row an ``INSERT OR REPLACE`` displaces: docket never writes action items
so.)

Why trigrams and not words: the search has always matched any part of a word (``port``
finds "report"), which a word index cannot answer; a trigram index answers every term of
three or more characters. The index only narrows the rows to read: the same LIKE test as
before still decides, so the results are those of the LIKE search exactly (case folded for
ASCII only, accents exact). A term shorter than three characters, which trigrams cannot
look up, is the LIKE test alone. A term is always quoted as one FTS phrase, so what a user
types is never FTS syntax.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee
from peewee import SQL, Expression, NodeList

from docket.models.core import engine
from docket.models.core.schema import ActionItem, database

TABLE = "action_search"
# the shortest term the trigram index can look up
SHORTEST = 3
# up to this many rows found by the index, a list reads just those rows and sorts them; past
# it, a list in the order of an index walks that index and keeps the rows found, which fills
# a page long before reading them all (measured at a million items: a word found in 90,000
# rows takes 80 ms the first way, 18 ms the second; a word found nowhere 0.1 ms and 21 ms)
FEW = 5000

CREATE_TABLE = (
    f'CREATE VIRTUAL TABLE IF NOT EXISTS "{TABLE}" USING fts5(title, notes, '
    "content='action_item', content_rowid='id', tokenize='trigram')"
)
# the index follows the table: a deleted or changed row's old text leaves it, new text enters
TRIGGERS = (
    f'CREATE TRIGGER IF NOT EXISTS "{TABLE}_insert" AFTER INSERT ON "action_item" BEGIN '
    f'INSERT INTO "{TABLE}"(rowid, title, notes) VALUES (new."id", new."title", new."notes"); '
    "END",
    f'CREATE TRIGGER IF NOT EXISTS "{TABLE}_delete" AFTER DELETE ON "action_item" BEGIN '
    f'INSERT INTO "{TABLE}"("{TABLE}", rowid, title, notes) '
    'VALUES (\'delete\', old."id", old."title", old."notes"); END',
    f'CREATE TRIGGER IF NOT EXISTS "{TABLE}_update" AFTER UPDATE OF "id", "title", "notes" '
    f'ON "action_item" BEGIN INSERT INTO "{TABLE}"("{TABLE}", rowid, title, notes) '
    'VALUES (\'delete\', old."id", old."title", old."notes"); '
    f'INSERT INTO "{TABLE}"(rowid, title, notes) VALUES (new."id", new."title", new."notes"); '
    "END",
)


def create_search_index(db: peewee.Database) -> None:
    """Make the index and its triggers (those already there are kept) and fill it from the
    rows there now: schema version 9, and every new database. (None on PostgreSQL yet: it
    searches with ILIKE alone.)"""
    if engine.is_postgres():
        return
    db.execute_sql(CREATE_TABLE)
    for statement in TRIGGERS:
        db.execute_sql(statement)
    rebuild(db)


def rebuild(db: peewee.Database | peewee.DatabaseProxy) -> None:
    """Fill the index anew from the table (one pass, much faster than row by row)."""
    db.execute_sql(f'INSERT INTO "{TABLE}"("{TABLE}") VALUES (\'rebuild\')')


@contextmanager
def index_rebuilt_after() -> Iterator[None]:
    """For a bulk load of action items: the triggers are dropped while it runs and the index
    is rebuilt once after (measured at a million items: the insert and the rebuild took 79 s
    where the insert with the triggers took 119 s). Inside the write transaction, so a
    failure leaves the schema as it was."""
    if not _exists():
        yield
        return
    for name in ("insert", "delete", "update"):
        database.execute_sql(f'DROP TRIGGER "{TABLE}_{name}"')
    yield
    for statement in TRIGGERS:
        database.execute_sql(statement)
    rebuild(database)


def _exists() -> bool:
    return engine.table_exists(TABLE)


def phrase(term: str) -> str:
    """``term`` as one FTS5 phrase: in double quotes, its own double quotes doubled, so no
    character of it is FTS syntax."""
    return '"' + term.replace('"', '""') + '"'


def contains_clause(term: str, *, in_order: bool = False) -> Expression:
    """SQL: the item's title or notes contain ``term`` (SQLite's LIKE: ASCII case aside).

    A term the index can look up keeps only the rows the index finds (a superset: the index
    folds the case of every letter); the LIKE test decides. ``in_order``: the query walks an
    index in the order it lists, so when the index finds many rows they are a test on that
    walk (the unary ``+`` keeps SQLite from reading them one by one) rather than the rows
    read."""
    like = ActionItem.title.contains(term) | ActionItem.notes.contains(term)
    if len(term) < SHORTEST or engine.is_postgres():  # PostgreSQL: ILIKE alone, for now
        return like
    match = phrase(term)
    found = SQL(f'(SELECT rowid FROM "{TABLE}" WHERE "{TABLE}" MATCH ?)', [match])
    if in_order and _finds_more_than(match, FEW):
        return NodeList((SQL("+"), ActionItem.id), glue="").in_(found) & like
    return ActionItem.id.in_(found) & like


def _finds_more_than(match: str, limit: int) -> bool:
    """Whether the index finds more than ``limit`` rows for an FTS query (reads at most
    ``limit`` + 1 of them: a fraction of a millisecond)."""
    row = database.execute_sql(
        f'SELECT count(*) FROM (SELECT 1 FROM "{TABLE}" WHERE "{TABLE}" MATCH ? LIMIT ?)',
        (match, limit + 1),
    ).fetchone()
    return int(row[0]) > limit


def index_problems() -> list[str]:
    """What FTS5's own check finds wrong with the index, compared with the table's rows too
    (rank 1): empty when they are in step."""
    if engine.is_postgres():  # no index there yet: ILIKE searches
        return []
    if not _exists():
        return [f"the search index {TABLE} is missing"]
    try:
        database.execute_sql(
            f'INSERT INTO "{TABLE}"("{TABLE}", rank) VALUES (\'integrity-check\', 1)'
        )
    except peewee.DatabaseError as exc:
        # FTS5 says an index that does not match its rows is damaged (SQLITE_CORRUPT_VTAB);
        # any other failure (a read-only file: the check is an INSERT) is not an answer
        if "malformed" not in str(exc):
            raise
        return [f"the search index {TABLE} is out of step with the action items ({exc})"]
    return []
