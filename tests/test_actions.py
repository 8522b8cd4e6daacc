"""Action items: creating, changing, closing, listing, and the overdue and due-soon rules."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from docket.models.actions import items as actions
from docket.models.actions.items import ActionFilter
from docket.models.core.context import Context
from docket.models.core.errors import ConflictError, NotFoundError, ValidationError
from docket.models.core.schema import ActionItem, AuditEntry
from docket.models.people.persons import add_person
from docket.models.portfolio import programs

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    programs.add_program(ctx, "ERP", "ERP replacement")
    programs.add_program(ctx, "CRM", "311 CRM")
    add_person(ctx, "Ana Lopez", email="ana.lopez@city.example", account="ana")
    add_person(ctx, "Bo Chen", email="bo.chen@city.example")
    return ctx


def test_adding_an_item_parses_what_was_typed(office: Context) -> None:
    item = actions.add_action(
        office,
        "  Send budget draft ",
        owner="ana",
        due="2026-11-27",
        program="erp",
        priority="High",
    )
    assert (
        item.title,
        item.owner.name,
        item.due,
        item.program.code,
        item.priority,
        item.status,
    ) == ("Send budget draft", "Ana Lopez", date(2026, 11, 27), "ERP", "high", "open")


def test_adding_writes_one_audit_entry_naming_the_actor(office: Context) -> None:
    item = actions.add_action(office, "Book room", due="2026-12-01")
    entry = AuditEntry.get(AuditEntry.entity == "action_item", AuditEntry.entity_id == item.id)
    assert (entry.actor, entry.action) == ("tester", "create")
    assert json.loads(entry.changes)["due"] == [None, "2026-12-01"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "title: expected text, got nothing"),
        ({"title": "x", "owner": "nobody-at-all"}, "owner: nobody matches 'nobody-at-all'"),
        ({"title": "x", "due": "someday"}, "due: "),
        (
            {"title": "x", "priority": "huge"},
            "priority: expected one of low, normal, high, urgent; got 'huge'",
        ),
        (
            {"title": "x", "program": "NOPE"},
            "program: no program with code 'NOPE'; known programs: CRM, ERP",
        ),
        ({"title": "bad \x1b[31m red"}, "title: contains a control character"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    office: Context, fields: dict[str, str], message: str
) -> None:
    before = (ActionItem.select().count(), AuditEntry.select().count())
    with pytest.raises((ValidationError, NotFoundError)) as caught:
        actions.add_action(office, **fields)
    assert str(caught.value).startswith(message)
    assert (ActionItem.select().count(), AuditEntry.select().count()) == before


def test_an_ambiguous_owner_lists_the_candidates(office: Context) -> None:
    add_person(office, "Ana Ruiz")
    with pytest.raises(
        ValidationError,
        match=r"owner: 'Ana' matches 2 people: Ana Lopez <ana.lopez@city.example> \(#1\), "
        r"Ana Ruiz \(#3\)",
    ):
        actions.add_action(office, "x", owner="Ana")


def test_a_stale_version_is_a_conflict_naming_who_changed_it(office: Context) -> None:
    item = actions.add_action(office, "Draft charter")
    other = Context(actor="bo", tz=office.tz, clock=office.clock)
    actions.update_action(other, item.id, item.version, title="Draft the charter")
    with pytest.raises(
        ConflictError, match=r"action item 1 was changed by bo at 2026-11-23 15:00:00 UTC"
    ):
        actions.update_action(office, item.id, item.version, title="Mine")
    assert actions.get_action(item.id).title == "Draft the charter"


def test_an_update_records_old_and_new_values(office: Context) -> None:
    item = actions.add_action(office, "Call vendor", owner="ana")
    updated = actions.update_action(
        office, item.id, item.version, owner="bo chen", priority="urgent"
    )
    assert updated.version == 2
    entry = AuditEntry.select().where(AuditEntry.action == "update").get()
    assert json.loads(entry.changes) == {"owner": [1, 2], "priority": ["normal", "urgent"]}


def test_an_update_that_changes_nothing_writes_nothing(office: Context) -> None:
    item = actions.add_action(office, "Call vendor")
    same = actions.update_action(office, item.id, item.version, title="Call vendor")
    assert same.version == 1
    assert AuditEntry.select().where(AuditEntry.action == "update").count() == 0


def test_done_sets_closed_at_and_reopening_clears_it(office: Context) -> None:
    item = actions.add_action(office, "Sign SOW")
    [done] = actions.set_status(office, [item.id], "done")
    assert done.closed_at == office.now()
    reopened = actions.update_action(office, item.id, done.version, status="open")
    assert reopened.closed_at is None


def test_closing_several_is_all_or_nothing(office: Context) -> None:
    a = actions.add_action(office, "One")
    with pytest.raises(NotFoundError):
        actions.set_status(office, [a.id, 999], "done")
    assert actions.get_action(a.id).status == "open"


def _add(ctx: Context, title: str, due: date | None, status: str = "open") -> ActionItem:
    item = actions.add_action(ctx, title, due=due)
    if status != "open":
        item = actions.update_action(ctx, item.id, item.version, status=status)
    return item


def test_overdue_and_due_soon_agree_between_sql_and_python(office: Context) -> None:
    cases = [
        ("yesterday", TODAY - timedelta(days=1), "open", "overdue"),
        ("blocked long ago", TODAY - timedelta(days=30), "blocked", "overdue"),
        ("done late", TODAY - timedelta(days=3), "done", "done"),
        ("today", TODAY, "open", "due soon"),
        ("in a week", TODAY + timedelta(days=7), "in progress", "due soon"),
        ("in 8 days", TODAY + timedelta(days=8), "open", "open"),
        ("no date", None, "open", "open"),
    ]
    for title, due, status, _ in cases:
        _add(office, title, due, status)
    overdue = {i.title for i in ActionItem.select().where(actions.overdue_clause(TODAY))}
    soon = {i.title for i in ActionItem.select().where(actions.due_soon_clause(TODAY))}
    for title, _, _, state in cases:
        item = ActionItem.get(ActionItem.title == title)
        assert actions.due_state(item, TODAY) == state
        assert (title in overdue) == (state == "overdue")
        assert (title in soon) == (state == "due soon")
    assert actions.days_overdue(ActionItem.get(ActionItem.title == "blocked long ago"), TODAY) == 30


def test_lists_filter_by_owner_program_search_and_sort(office: Context) -> None:
    actions.add_action(office, "Send budget draft", program="ERP", owner="ana", due="2026-11-30")
    actions.add_action(
        office, "Review budget", program="CRM", owner="bo chen", due="2026-11-24", priority="urgent"
    )
    actions.add_action(office, "Order laptops", program="ERP", due="2026-11-20")
    titles = lambda flt: [i.title for i in actions.list_actions(office, flt)]  # noqa: E731
    assert titles(ActionFilter()) == ["Order laptops", "Review budget", "Send budget draft"]
    assert titles(ActionFilter(search="budget", program="ERP")) == ["Send budget draft"]
    assert titles(ActionFilter(owner="@bo.chen")) == ["Review budget"]
    assert titles(ActionFilter(overdue=True)) == ["Order laptops"]
    assert titles(ActionFilter(sort="priority"))[0] == "Review budget"
    assert titles(ActionFilter(search="100%")) == []
    assert actions.count_actions(office, ActionFilter(program="ERP")) == 2


def test_listing_loads_owner_and_program_without_extra_queries(office: Context) -> None:
    from playhouse.test_utils import count_queries

    for n in range(5):
        actions.add_action(office, f"Item {n}", program="ERP", owner="ana", due="2026-12-01")
    with count_queries() as counter:
        rows = [
            actions.action_facts(i, TODAY)
            for i in actions.list_actions(office, ActionFilter(program="ERP"))
        ]
    assert len(rows) == 5 and rows[0]["owner"] == "Ana Lopez"
    # one to resolve the program code, one for the rows
    assert counter.count == 2


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("flt", "index"),
    [
        (ActionFilter(overdue=True), "action_item_open_by_due"),
        (ActionFilter(due_within=7), "action_item_open_by_due"),
        (ActionFilter(), "action_item_open_undated_last"),
    ],
)
def test_open_lists_read_their_index_in_order_instead_of_sorting(
    office: Context, flt: ActionFilter, index: str
) -> None:
    from docket.models.core.schema import database

    query = actions._query(office, flt).limit(50)
    sql, params = query.sql()
    plan = " | ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert f"USING INDEX {index}" in plan and "TEMP B-TREE" not in plan, plan


def test_undated_items_come_last_and_the_most_urgent_first_on_a_day(office: Context) -> None:
    actions.add_action(office, "Someday", priority="urgent")
    actions.add_action(office, "Low on the 24th", due="2026-11-24", priority="low")
    actions.add_action(office, "Urgent on the 24th", due="2026-11-24", priority="urgent")
    actions.add_action(office, "Late", due="2026-11-02", priority="low")
    listed = [i.title for i in actions.list_actions(office, ActionFilter())]
    assert listed == ["Late", "Urgent on the 24th", "Low on the 24th", "Someday"]
