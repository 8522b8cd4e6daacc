"""The action items' text search index (schema versions 9 and 10): the same results as the LIKE
search it speeds up, kept in step with the table by its triggers, made by the upgrade and by
``docket init``, and seen by ``docket check`` and backups."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.models.actions import items as actions
from docket.models.actions import search
from docket.models.actions.items import ActionFilter
from docket.models.core.context import Context
from docket.models.core.database import (
    SCHEMA_VERSION,
    backup_file,
    init_database,
    open_database,
    schema_version,
)
from docket.models.core.schema import ActionItem, database

# accents, case beyond ASCII, LIKE's own wildcards, FTS syntax, quotes, symbols, and terms
# too short for the index
TEXTS = (
    ("Réviser l'équipe réseau", "Équipe: 50% prête_à partir"),
    ("ÉQUIPE naïve café", 'Said "quoted words" AND NEAR(x y) OR NOT col:title*'),
    ("Straße und STRASSE", "Kelvin \u212a sign, long \u017f s, İstanbul"),
    ("C++ review (phase 2) - e-mail", "path a\\b; 100_000 items; ^start"),
    ("Launch 🚀 plan…", "em—dash and “curly” quotes"),
    # terms of one or two characters at a text's very end, and texts shorter than a trigram
    ("Qz", "Mise au point: Ä"),
    ("x", "ends in lÉ"),
)
TERMS = (
    "budget",
    "Budget",
    "BUDGET",
    "vendor",
    "the",
    "équipe",
    "Équipe",
    "ÉQUIPE",
    "equipe",
    "réseau",
    "naïve",
    "naive",
    "café",
    "CAFÉ",
    "Straße",
    "strasse",
    "ß",
    "kel",
    "ksi",
    "k s",
    "long s s",
    "sign",
    "istanbul",
    "İstanbul",
    "50%",
    "%",
    "_",
    "e_à",
    "100_000",
    "a\\b",
    "\\",
    '"quoted words"',
    '"',
    "AND",
    "NEAR(x",
    "OR NOT",
    "col:title*",
    "title*",
    "^start",
    "C++",
    "(phase",
    "e-mail",
    "-mail",
    "🚀",
    "🚀 plan",
    "plan…",
    "—",
    "“curly”",
    "ab",
    "x",
    "qz",
    "au",
    "lé",
    "LÉ",
    "s",
    "ſ",
    "\u212a",
    "é",
    "Ä",
    "zzzqx",
    "steering committee",
)


def _like_ids(term: str) -> list[int]:
    """The items whose title or notes contain ``term`` by LIKE alone, in id order."""
    query = ActionItem.select(ActionItem.id).where(
        ActionItem.title.contains(term) | ActionItem.notes.contains(term)
    )
    return sorted(a.id for a in query)


def _searched_ids(ctx: Context, term: str) -> list[int]:
    """What the search finds for ``term``, in id order: the clause itself, and the list and
    its count (every status) when the filter language can say the term as one word."""
    query = ActionItem.select(ActionItem.id).where(search.contains_clause(term))
    found = sorted(a.id for a in query)
    typed = f'"{term}"' if " " in term else term
    if actions.search_words(typed) == [term]:
        flt = ActionFilter(status="all", search=typed)
        assert sorted(a.id for a in actions.list_actions(ctx, flt)) == found
        assert actions.count_actions(ctx, flt) == len(found)
    return found


def _add_texts(ctx: Context) -> None:
    for title, notes in TEXTS:
        actions.add_action(ctx, title, notes=notes)


@pytest.fixture
def demo(demo_db: Path, ctx: Context) -> Path:
    """The small demo, with items whose text tries the search's edges."""
    open_database(demo_db)
    _add_texts(ctx)
    return demo_db


def test_the_index_finds_what_like_finds_for_every_term(demo: Path, ctx: Context) -> None:
    for term in TERMS:
        assert _searched_ids(ctx, term) == _like_ids(term), term
    # the terms cover rows found and none found, and the index was used for the long ones
    assert _like_ids("ÉQUIPE") and _like_ids("Équipe") != _like_ids("équipe")
    assert _like_ids("zzzqx") == []
    assert "action_search" in _sql(ctx, "budget") and "action_search" in _sql(ctx, "qz")
    assert _like_ids("qz") and _like_ids("x") and _like_ids("au")


def test_a_short_term_is_looked_up_unless_it_is_common(
    demo: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found nowhere: no row is read; in few rows: those; in many: the LIKE test alone."""
    assert "0 = 1" in _sql(ctx, "qj") and _like_ids("qj") == []
    assert "MATCH" in _sql(ctx, "qz")
    assert "MATCH" in _sql(ctx, "e")  # the small demo has fewer than FEW items
    monkeypatch.setattr(search, "FEW", 1)
    assert "MATCH" not in _sql(ctx, "e")
    assert _searched_ids(ctx, "e") == _like_ids("e")


def test_every_character_is_folded_as_the_index_folds_it(tmp_path: Path) -> None:
    """The index folds the case of a character to one of :func:`search._folds` of it, for
    every code point: so a short term's trigrams are all found."""
    conn = sqlite3.connect(tmp_path / "fold.db")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='trigram')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    points = [p for p in range(32, 0x110000) if not 0xD800 <= p <= 0xDFFF]
    conn.executemany("INSERT INTO t(rowid, a) VALUES (?, ?)", ((p, chr(p) * 3) for p in points))
    folded = {int(doc): str(term) for term, doc in conn.execute("SELECT term, doc FROM v")}
    assert len(folded) == len(points)
    wrong = [p for p in points if folded[p][0] not in search._folds(chr(p))]
    assert wrong == []


def _sql(ctx: Context, search_text: str) -> str:
    flt = ActionFilter(search=search_text)
    return str(actions._query(ctx, flt).sql()[0])


def test_a_list_in_due_order_finds_the_same_either_way(
    demo: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few rows found: they are read; many: the list's index is walked. Same rows, same
    order, same pages."""
    flt = ActionFilter(search="the", limit=30, offset=10)  # three letters: not short
    read = [a.id for a in actions.list_actions(ctx, flt)]
    monkeypatch.setattr(search, "FEW", 0)
    walked = [a.id for a in actions.list_actions(ctx, flt)]
    assert "+" in _sql(ctx, "the")
    monkeypatch.setattr(search, "SHORTEST", 100)
    liked = [a.id for a in actions.list_actions(ctx, flt)]
    assert read == walked == liked and len(read) == 30


def test_several_words_and_other_terms_narrow_together(demo: Path, ctx: Context) -> None:
    flt = ActionFilter(status="all", search='équipe "50% prête" réseau')
    assert [a.title for a in actions.list_actions(ctx, flt)] == ["Réviser l'équipe réseau"]
    assert actions.count_actions(ctx, flt._replace(search="équipe naïve")) == 0


_CHARS = st.sampled_from([*"abcAB éÉèß%_\"'-\\", "\u212a"])
_TEXT = st.text(_CHARS, min_size=1, max_size=10).filter(lambda s: s.strip() != "")
_WRITE = st.one_of(
    st.tuples(st.just("add"), _TEXT, _TEXT),
    st.tuples(st.just("title"), st.integers(0, 20), _TEXT),
    st.tuples(st.just("notes"), st.integers(0, 20), st.one_of(st.just(""), _TEXT)),
    st.tuples(st.just("status"), st.integers(0, 20), st.sampled_from(("done", "open"))),
    st.tuples(st.just("delete"), st.integers(0, 20), st.just("")),
)


_EXAMPLES = itertools.count()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(_WRITE, max_size=8), terms=st.lists(_TEXT, min_size=1, max_size=3))
def test_the_index_stays_equal_to_the_table_after_any_writes(
    tmp_path: Path, ctx: Context, writes: list[tuple[str, object, object]], terms: list[str]
) -> None:
    """Random adds, edits, closes and deletes through the domain functions, each example on
    a database of its own."""
    if database.obj is not None:
        database.close()
    init_database(tmp_path / f"{next(_EXAMPLES)}.db", actor="tester")
    for kind, which, value in writes:
        ids = [a.id for a in ActionItem.select(ActionItem.id).order_by(ActionItem.id)]
        if kind == "add":
            actions.add_action(ctx, str(which), notes=str(value))
            continue
        if not ids:
            continue
        item = actions.get_action(ids[int(str(which)) % len(ids)])
        if kind == "delete":
            actions.delete_action(ctx, item.id, item.version)
        elif kind == "status":
            actions.set_status(ctx, [item.id], str(value))
        else:
            actions.update_action(ctx, item.id, item.version, **{kind: str(value)})
    assert search.index_problems() == []
    for term in terms:
        assert _searched_ids(ctx, term) == _like_ids(term)


def test_check_finds_an_index_out_of_step(db_path: Path, ctx: Context) -> None:
    actions.add_action(ctx, "Send the budget draft")
    assert search.index_problems() == []
    database.execute_sql("DROP TRIGGER action_search_update")
    database.execute_sql("UPDATE action_item SET title = 'Something else'")
    assert search.index_problems() != []
    with database.atomic():
        search.rebuild(database)
    assert search.index_problems() == []


def _drop_index(conn: sqlite3.Connection) -> None:
    """The search index, its text, vocabulary and triggers gone, as before version 9."""
    for name in ("insert", "delete", "update"):
        conn.execute(f"DROP TRIGGER action_search_{name}")
    for name in ("action_search_vocab", "action_search"):
        conn.execute(f"DROP TABLE {name}")
    conn.execute("DROP VIEW action_search_text")


def test_a_version_9_index_is_made_anew_for_short_terms(tmp_path: Path, ctx: Context) -> None:
    path = tmp_path / "office.db"
    init_database(path, actor="tester")
    actions.add_action(ctx, "Send the budget draft", notes="to Finance: qz")
    database.close()
    # as version 9 had it: the index reading the table itself, no vocabulary
    with sqlite3.connect(path) as conn:
        _drop_index(conn)
        conn.execute(
            "CREATE VIRTUAL TABLE action_search USING fts5(title, notes,"
            " content='action_item', content_rowid='id', tokenize='trigram')"
        )
        conn.execute("INSERT INTO action_search(action_search) VALUES ('rebuild')")
        conn.execute("UPDATE docket_meta SET value = '9' WHERE key = 'schema_version'")
    open_database(path)
    assert schema_version() == SCHEMA_VERSION == 10
    assert search.index_problems() == []
    assert actions.count_actions(ctx, ActionFilter(search="qz")) == 1
    assert "MATCH" in _sql(ctx, "qz")


def test_a_version_8_database_gets_the_index_of_its_rows(tmp_path: Path, ctx: Context) -> None:
    path = tmp_path / "office.db"
    init_database(path, actor="tester")
    actions.add_action(ctx, "Send the budget draft", notes="to Finance")
    database.close()
    # as version 8 had it: no index, no triggers
    with sqlite3.connect(path) as conn:
        _drop_index(conn)
        conn.execute("UPDATE docket_meta SET value = '8' WHERE key = 'schema_version'")
    open_database(path)
    assert schema_version() == SCHEMA_VERSION == 10
    assert search.index_problems() == []
    assert [a.title for a in actions.list_actions(ctx, ActionFilter(search="finance"))] == [
        "Send the budget draft"
    ]


def test_a_backup_holds_the_index(db_path: Path, ctx: Context, tmp_path: Path) -> None:
    actions.add_action(ctx, "Book the steering room")
    copy = backup_file(tmp_path / "copy.db")
    database.close()
    open_database(copy)
    assert search.index_problems() == []
    assert actions.count_actions(ctx, ActionFilter(search="steering")) == 1
    actions.add_action(ctx, "Steering minutes out")
    assert actions.count_actions(ctx, ActionFilter(search="steering")) == 2


def _triggers() -> set[str]:
    rows = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {str(r[0]) for r in rows.fetchall()}


def test_a_bulk_load_fills_the_index_once_after(db_path: Path, ctx: Context) -> None:
    stamp = "2026-11-23 15:00:00"
    sql = (
        "INSERT INTO action_item (title, notes, priority, status, created_at, updated_at,"
        " version) VALUES (?, '', 'normal', 'open', ?, ?, 1)"
    )
    with database.atomic(), search.index_rebuilt_after():
        during = _triggers()
        rows = [(f"Item {i} about the budget", stamp, stamp) for i in range(50)]
        database.connection().executemany(sql, rows)
    assert during == set()
    assert _triggers() == {f"action_search_{n}" for n in ("insert", "update", "delete")}
    assert search.index_problems() == []
    assert actions.count_actions(ctx, ActionFilter(search="budget")) == 50


def test_postgresql_finds_the_same_through_its_trigram_indexes(
    pg_url: str, tmp_path: Path, ctx: Context
) -> None:
    """The same items for every term on both engines; on PostgreSQL pg_trgm's indexes
    answer the search (what the planner may read when a table is large)."""
    found: list[dict[str, list[str]]] = []
    for target in (tmp_path / "office.db", pg_url):
        init_database(target, actor="tester")
        _add_texts(ctx)
        found.append(
            {
                term: sorted(
                    a.title
                    for a in ActionItem.select(ActionItem.title).where(search.contains_clause(term))
                )
                for term in TERMS
            }
        )
        if target == pg_url:
            indexes = {
                str(r[0])
                for r in database.execute_sql(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'action_item'"
                ).fetchall()
            }
            assert {"action_item_title_trgm", "action_item_notes_trgm"} <= indexes
            database.execute_sql("SET enable_seqscan = off")
            query = ActionItem.select(ActionItem.id).where(search.contains_clause("budget"))
            sql, params = query.sql()
            plan = " ".join(
                str(r[0]) for r in database.execute_sql(f"EXPLAIN {sql}", params).fetchall()
            )
            assert "action_item_title_trgm" in plan and "action_item_notes_trgm" in plan
        database.close()
    assert found[0] == found[1]
    assert found[0]["équipe"] and found[0]["qz"] and found[0]["ÉQUIPE"] != found[0]["équipe"]


def test_a_common_word_s_page_is_found_among_the_first_items_the_same(
    demo: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A term in more than FEW rows: a page is first looked for among the first WALKED items
    of the list's order by the LIKE test alone. The same pages as the whole query gives, and
    the whole query answers when those items do not fill the page."""
    program = str(ActionItem.get(ActionItem.program.is_null(False)).program.code)
    filters = [
        ActionFilter(search="the", limit=20),
        ActionFilter(search="the", limit=30, offset=10),
        ActionFilter(search="the", limit=5, program=program),
        ActionFilter(search="the ing", limit=10, offset=3),
        ActionFilter(search="the", limit=10, status="all"),  # not in an index's order
    ]
    expected = [[a.id for a in actions.list_actions(ctx, flt)] for flt in filters]
    assert all(expected)
    monkeypatch.setattr(search, "FEW", 0)
    walked = [actions._page_among_first(ctx, flt, int(flt.limit or 0)) for flt in filters]
    assert [None if w is None else [a.id for a in w] for w in walked[:4]] == expected[:4]
    assert walked[4] is None
    assert [[a.id for a in actions.list_actions(ctx, flt)] for flt in filters] == expected
    # the first items hold too few of them: the whole query's page
    monkeypatch.setattr(actions, "WALKED", 60)
    rare = ActionFilter(search="budget", limit=6)  # every item the demo holds it in
    assert actions._page_among_first(ctx, rare, 6) is None
    monkeypatch.undo()
    found = [a.id for a in actions.list_actions(ctx, rare)]
    monkeypatch.setattr(search, "FEW", 0)
    monkeypatch.setattr(actions, "WALKED", 60)
    assert [a.id for a in actions.list_actions(ctx, rare)] == found and len(found) == 6
