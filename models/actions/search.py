"""Text search of action items through an SQLite FTS5 index, equal to the plain LIKE search.

The index (``action_search``) is a trigram index of each item's title and notes, read
through the view ``action_search_text``: it keeps no copy of the text, only the trigrams, and
triggers keep it in step with every insert, update and delete, whoever makes them (the
domain functions, an import, an upgrade, an as-of copy undoing audit entries). It is made by
schema version 10 (and ``docket init``), filled from the rows already there. (SQLite fires no
delete trigger for a row an ``INSERT OR REPLACE`` displaces: docket never writes action items
so.)

Why trigrams and not words: the search has always matched any part of a word (``port``
finds "report"), which a word index cannot answer; a trigram index answers every term of
three or more characters. The index only narrows the rows to read: the same LIKE test as
before still decides, so the results are those of the LIKE search exactly (case folded for
ASCII only, accents exact). A term is always quoted as one FTS phrase, so what a user types
is never FTS syntax.

Terms of one or two characters, which no trigram equals: the view ends each text with two
characters no one types (U+0001), so every character of a text begins a trigram, and the
rows holding a short term are those of the trigrams beginning with it, listed by the index's
vocabulary (``action_search_vocab``) in one seek. When those trigrams are in more than a few
thousand rows the term is common, and the LIKE test alone fills a page at once.

On PostgreSQL the same LIKE test (ILIKE there: ASCII case folded, in the C locale docket
requires) is answered through pg_trgm's trigram indexes of the title and the notes, which the
server keeps itself; pg_trgm is a trusted extension, so the database's owner adds it. Where a
server lacks it, the search reads every item and finds the same.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import peewee
from peewee import SQL, Expression

from docket.models.core import engine
from docket.models.core.schema import ActionItem, database

TABLE = "action_search"
# the text the index reads: each title and notes with END after it
TEXT = "action_search_text"
# the index's vocabulary: each trigram with the number of rows holding it
VOCAB = "action_search_vocab"
END_SQL = "char(1, 1)"
# the shortest term the trigram index can look up as a phrase
SHORTEST = 3
# up to this many rows found by the index, a list reads just those rows and sorts them; past
# it, a list in the order of an index walks that index and keeps the rows found, which fills
# a page long before reading them all (measured at a million items: a word found in 90,000
# rows takes 80 ms the first way, 18 ms the second; a word found nowhere 0.1 ms and 21 ms)
FEW = 5000
# a page of a list in that order, for terms in more than FEW rows, is first looked for among
# this many items of the order by the LIKE test alone (models/actions/items.py): a term in
# more than a few percent of the items fills a page within them, where the index would list
# every row holding it first (measured at a million items: "the", in 287,000 rows, 57 ms the
# index's way, 9 ms so; a page not filled so costs the walk, some 5 ms, before the index's way)
WALKED = 2000

CREATE_VIEW = (
    f'CREATE VIEW IF NOT EXISTS "{TEXT}" AS SELECT "id", "title" || {END_SQL} AS "title", '
    f'"notes" || {END_SQL} AS "notes" FROM "action_item"'
)
CREATE_TABLE = (
    f'CREATE VIRTUAL TABLE IF NOT EXISTS "{TABLE}" USING fts5(title, notes, '
    f"content='{TEXT}', content_rowid='id', tokenize='trigram')"
)
CREATE_VOCAB = f'CREATE VIRTUAL TABLE IF NOT EXISTS "{VOCAB}" USING fts5vocab("{TABLE}", row)'
# PostgreSQL's: an index of each column's trigrams, which ILIKE '%term%' reads
PG_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
PG_INDEXES = tuple(
    f'CREATE INDEX IF NOT EXISTS "action_item_{column}_trgm" ON "action_item" '
    f'USING gin ("{column}" gin_trgm_ops)'
    for column in ("title", "notes")
)
_NEW = f'(new."id", new."title" || {END_SQL}, new."notes" || {END_SQL})'
_OLD = f'(\'delete\', old."id", old."title" || {END_SQL}, old."notes" || {END_SQL})'
# the index follows the table: a deleted or changed row's old text leaves it, new text enters
TRIGGERS = (
    f'CREATE TRIGGER IF NOT EXISTS "{TABLE}_insert" AFTER INSERT ON "action_item" BEGIN '
    f'INSERT INTO "{TABLE}"(rowid, title, notes) VALUES {_NEW}; END',
    f'CREATE TRIGGER IF NOT EXISTS "{TABLE}_delete" AFTER DELETE ON "action_item" BEGIN '
    f'INSERT INTO "{TABLE}"("{TABLE}", rowid, title, notes) VALUES {_OLD}; END',
    f'CREATE TRIGGER IF NOT EXISTS "{TABLE}_update" AFTER UPDATE OF "id", "title", "notes" '
    f'ON "action_item" BEGIN INSERT INTO "{TABLE}"("{TABLE}", rowid, title, notes) '
    f'VALUES {_OLD}; INSERT INTO "{TABLE}"(rowid, title, notes) VALUES {_NEW}; END',
)


def create_search_index(db: peewee.Database) -> None:
    """Make the index, its text, vocabulary and triggers (those already there are kept) and
    fill it from the rows there now: schema versions 9 and 10, and every new database. On
    PostgreSQL, pg_trgm's indexes."""
    if engine.is_postgres():
        _create_trigram_indexes(db)
        return
    if _is_current(db):
        return
    for statement in (CREATE_VIEW, CREATE_TABLE, CREATE_VOCAB, *TRIGGERS):
        db.execute_sql(statement)
    rebuild(db)


def _create_trigram_indexes(db: peewee.Database) -> None:
    """PostgreSQL: the trigram indexes, when the server has pg_trgm (in a savepoint, so its
    absence leaves the transaction whole: the search then reads every item)."""
    try:
        with db.atomic():
            db.execute_sql(PG_EXTENSION)
    except peewee.DatabaseError:
        return
    for statement in PG_INDEXES:
        db.execute_sql(statement)


def drop_search_index(db: peewee.Database) -> None:
    """Drop the index as version 9 made it (no text view, no vocabulary), for version 10 to
    make it anew; the index of version 10 (an upgrade from before 9 made it) is kept."""
    if engine.is_postgres() or _is_current(db):
        return
    for name in ("insert", "delete", "update"):
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{TABLE}_{name}"')
    db.execute_sql(f'DROP TABLE IF EXISTS "{TABLE}"')


def _is_current(db: peewee.Database) -> bool:
    """Whether the index is there as version 10 makes it (its text view is)."""
    found = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?", (TEXT,)
    ).fetchone()
    return found is not None


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
    like = like_clause(term)
    if not term or engine.is_postgres():  # PostgreSQL: ILIKE, through pg_trgm's indexes
        return like
    if len(term) < SHORTEST:
        trigrams = _trigrams_beginning(term)
        if trigrams is None:  # a common term: the LIKE test alone fills a page at once
            return like
        if not trigrams:  # in no row
            return ActionItem.id.in_([])
        match = " OR ".join(phrase(trigram) for trigram in trigrams)
    else:
        match = phrase(term)
    found = SQL(f'(SELECT rowid FROM "{TABLE}" WHERE "{TABLE}" MATCH ?)', [match])
    if in_order and len(term) >= SHORTEST and _finds_more_than(match, FEW):
        return engine.unindexed(ActionItem.id).in_(found) & like
    return ActionItem.id.in_(found) & like


def like_clause(term: str) -> Expression:
    """SQL: the LIKE test that decides whether an item holds ``term`` (title or notes)."""
    return ActionItem.title.contains(term) | ActionItem.notes.contains(term)


def common(term: str) -> bool:
    """Whether the index finds ``term`` in more than :data:`FEW` rows (SQLite, a term of
    :data:`SHORTEST` characters or more): worth looking for among the first items of a list
    by the LIKE test alone."""
    if engine.is_postgres() or len(term) < SHORTEST:
        return False
    return _finds_more_than(phrase(term), FEW)


def _trigrams_beginning(term: str) -> list[str] | None:
    """The index's trigrams beginning with ``term`` (one or two characters) as the index
    folds it: those of every row holding it. None when they are in more than :data:`FEW`
    rows (counted with repeats: the vocabulary is read only that far)."""
    if any("\ud800" <= char <= "\udfff" for char in term):
        return None  # no text holds half a character; SQLite could not take it either
    trigrams: list[str] = []
    rows = 0
    for prefix in sorted({"".join(chars) for chars in itertools.product(*map(_folds, term))}):
        cursor = database.execute_sql(
            f'SELECT term, doc FROM "{VOCAB}" WHERE term >= ? AND term < ?',
            (prefix, _after(prefix)),
        )
        for trigram, holding in cursor:
            rows += holding
            if rows > FEW:
                return None
            trigrams.append(trigram)
    return trigrams


def _folds(char: str) -> set[str]:
    """What the index may have made of ``char`` in a text the LIKE test finds it in (it
    folds case: to one of these for every code point, tests/test_search_index.py checks)."""
    found = {char} | {v for v in (char.lower(), char.upper(), char.casefold()) if len(v) == 1}
    if char in "\ufffe\uffff":  # not characters: the index reads them as U+FFFD
        found.add("\ufffd")
    return found


def _after(prefix: str) -> str:
    """The least text after every text beginning with ``prefix`` (code-point order, as the
    vocabulary sorts; no surrogates in between)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000
    if last > 0x10FFFF:
        return prefix[:-1] + "\U0010ffff" * 4  # longer than any trigram beginning so
    return prefix[:-1] + chr(last)


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
    if engine.is_postgres():  # the server keeps its indexes in step itself
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
