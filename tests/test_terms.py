"""The type-to-filter language of the action list, and the list filters it produces."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from docket.models.actions import items as actions
from docket.models.actions.items import ActionFilter
from docket.models.actions.terms import FILTER_HELP, describe_filter, parse_filter
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.people.persons import add_person
from docket.models.portfolio import programs

pytestmark = pytest.mark.both_engines

# the fixed clock's day is Monday 23 November 2026
TODAY = date(2026, 11, 23)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    programs.add_program(ctx, "ERP", "ERP replacement")
    programs.add_program(ctx, "CRM", "311 CRM")
    add_person(ctx, "Ana Lopez", email="ana.lopez@city.example", account="ana")
    add_person(ctx, "Bo Chen", email="bo.chen@city.example", account="tester")
    add_person(ctx, "Juana Diaz", email="jdiaz@city.example")
    return ctx


def _titles(ctx: Context, typed: str) -> list[str]:
    return [i.title for i in actions.list_actions(ctx, parse_filter(ctx, typed))]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", ActionFilter()),
        ("budget  draft", ActionFilter(search="budget draft")),
        ('"budget draft" memo', ActionFilter(search='"budget draft" memo')),
        ("@ana", ActionFilter(owner_like="ana")),
        ("#erp", ActionFilter(program="ERP")),
        ("!HIGH", ActionFilter(priority="high")),
        ("due<fri", ActionFilter(due_before=date(2026, 11, 27))),
        ("due<=fri", ActionFilter(due_before=date(2026, 11, 28))),
        ("due>+3d", ActionFilter(due_after=date(2026, 11, 26))),
        ("due>=2026-12-01", ActionFilter(due_after=date(2026, 11, 30))),
        (
            "due:today",
            ActionFilter(due_after=date(2026, 11, 22), due_before=date(2026, 11, 24)),
        ),
        (
            "due<eom due<fri due>yesterday due>2026-01-01",
            ActionFilter(due_before=date(2026, 11, 27), due_after=date(2026, 11, 22)),
        ),
        ("is:overdue", ActionFilter(overdue=True)),
        ("is:soon", ActionFilter(due_within=7, due_after=date(2026, 11, 22))),
        ("is:in-progress", ActionFilter(status="in progress")),
        ("is:done is:all", ActionFilter(status="all")),
    ],
)
def test_each_term_sets_its_part_of_the_filter(
    office: Context, typed: str, expected: ActionFilter
) -> None:
    assert parse_filter(office, typed) == expected


def test_terms_keep_the_sort_and_paging_of_the_base_filter(office: Context) -> None:
    base = ActionFilter(sort="priority", limit=50, program="CRM")
    assert parse_filter(office, "#ERP x", base) == ActionFilter(
        sort="priority", limit=50, program="ERP", search="x"
    )


def test_at_me_is_exactly_the_person_of_the_acting_account(office: Context) -> None:
    actions.add_action(office, "Mine", owner="Bo Chen")
    actions.add_action(office, "Ana's", owner="ana")
    flt = parse_filter(office, "@me")
    assert (flt.owner, flt.owner_like) == ("#2", None)
    assert _titles(office, "@me") == ["Mine"]


def test_at_me_for_an_account_without_a_person_names_the_filter(office: Context) -> None:
    stranger = Context(actor="nobody", tz=office.tz, clock=office.clock)
    with pytest.raises(ValidationError) as caught:
        parse_filter(stranger, "budget @me")
    assert caught.value.field == "filter"
    assert str(caught.value) == (
        "filter: '@me': account 'nobody' is not linked to a person; use @name instead"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("due<fr", "filter: 'due<fr': expected a date such as today, fri"),
        ("due>=", "filter: 'due>=': expected a date after due>=, such as today"),
        ("due:2026-02-30", "filter: 'due:2026-02-30': 2026-02-30 is not a date: February 2026"),
        ("!huge", "filter: '!huge': expected !low, !normal, !high, !urgent"),
        ("is:whatever", "filter: 'is:whatever': expected is: followed by overdue, soon, open"),
        ("#XYZ", "filter: '#XYZ': no program 'XYZ'; known programs: CRM, ERP"),
        ("#", "filter: '#': expected a program code after #"),
        ("ok @", "filter: '@': expected a name, account or e-mail after @"),
    ],
)
def test_a_bad_term_is_an_error_naming_the_term_and_what_was_expected(
    office: Context, typed: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_filter(office, typed)
    assert caught.value.field == "filter"
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_loose_owner_matches_name_words_account_or_email_start(office: Context) -> None:
    actions.add_action(office, "Lopez item", owner="ana")
    actions.add_action(office, "Diaz item", owner="Juana Diaz")
    actions.add_action(office, "Chen item", owner="Bo Chen")
    actions.add_action(office, "Nobody's item")
    # "ana" starts a word of "Ana Lopez", not of "Juana Diaz" (inside a word does not count)
    assert _titles(office, "@ANA") == ["Lopez item"]
    assert _titles(office, "@diaz") == ["Diaz item"]
    assert _titles(office, "@ana.lopez") == ["Lopez item"]
    assert _titles(office, "@tester") == ["Chen item"]
    assert _titles(office, "@jdiaz@city") == ["Diaz item"]
    assert _titles(office, "@zed") == []


def test_combined_terms_all_hold(office: Context) -> None:
    actions.add_action(
        office, "Send budget draft", program="ERP", owner="ana", due="2026-11-25", priority="high"
    )
    actions.add_action(office, "Send budget memo", program="ERP", owner="ana", due="2026-12-10")
    actions.add_action(office, "Send budget late", program="ERP", owner="ana", due="2026-11-02")
    actions.add_action(office, "Send budget plan", program="CRM", owner="ana", due="2026-11-25")
    actions.add_action(office, "Budget draft, low", program="ERP", due="2026-11-25", priority="low")
    assert _titles(office, "budget #ERP @ana due>today due<fri") == ["Send budget draft"]
    assert _titles(office, "!high") == ["Send budget draft"]
    assert _titles(office, "is:overdue") == ["Send budget late"]
    assert _titles(office, '"budget draft"') == ["Send budget draft", "Budget draft, low"]
    assert _titles(office, "budget draft") == ["Send budget draft", "Budget draft, low"]
    assert _titles(office, '"draft send"') == []


def test_is_soon_lists_what_today_counts_as_due_soon_not_the_overdue(office: Context) -> None:
    for title, due in [("late", "2026-11-20"), ("today", "2026-11-23"), ("in 7", "+7d")]:
        actions.add_action(office, title, due=due)
    actions.add_action(office, "in 8", due="+8d")
    actions.add_action(office, "undated")
    assert _titles(office, "is:soon") == ["today", "in 7"]


def test_status_terms_choose_open_or_closed_items(office: Context) -> None:
    done = actions.add_action(office, "Finished")
    actions.set_status(office, [done.id], "done")
    blocked = actions.add_action(office, "Stuck")
    actions.set_status(office, [blocked.id], "blocked")
    actions.add_action(office, "Open one")
    assert _titles(office, "") == ["Stuck", "Open one"]
    assert _titles(office, "is:done") == ["Finished"]
    assert _titles(office, "is:blocked") == ["Stuck"]
    assert sorted(_titles(office, "is:all")) == ["Finished", "Open one", "Stuck"]


# SQLite's own query planner: EXPLAIN QUERY PLAN and its words (PostgreSQL's planner chooses
# by its statistics, and says so in other words)
@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("typed", "index"),
    [
        ("due>fri", "action_item_open_by_due"),
        ("is:soon", "action_item_open_by_due"),
        ("is:overdue !high", "action_item_open_by_due"),
        ("budget", "action_item_open_undated_last"),
    ],
)
def test_filtered_open_lists_still_read_their_index_in_order(
    office: Context, typed: str, index: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.models.actions import search
    from docket.models.core.schema import database

    # a word the search index finds in many rows (here: in any number, none too) is a test
    # on the ordered walk; one found in few rows reads just those (test_search_index.py)
    monkeypatch.setattr(search, "FEW", -1)
    query = actions._query(office, parse_filter(office, typed)).limit(50)
    sql, params = query.sql()
    plan = " | ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert f"USING INDEX {index}" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("", "all active items"),
        (
            "is:overdue @ana #erp due<fri",
            "overdue · owner ~ana · #ERP · due before Fri 27 Nov",
        ),
        ("@me !urgent is:soon", "due soon · owner Bo Chen · !urgent"),
        ("due:2027-01-04 is:all", "any status · due Mon 4 Jan 2027"),
        ('budget "draft memo" is:closed', "done or cancelled · “budget” “draft memo”"),
        ("due>=tomorrow", "due after Mon 23 Nov"),
    ],
)
def test_a_filter_is_described_in_one_short_line(office: Context, typed: str, line: str) -> None:
    assert describe_filter(parse_filter(office, typed), TODAY) == line


def test_the_help_shows_an_example_of_every_kind_of_term() -> None:
    examples = " ".join(example for example, _ in FILTER_HELP)
    for start in ('"', "@", "@me", "#", "!", "due<", "due:", "is:overdue", "is:soon"):
        assert start in examples


def test_minus_me_lists_everyone_elses_items_as_today_counts_them(
    db_path: Path, ctx: Context
) -> None:
    from docket.models.actions import items as actions
    from docket.models.overview.today import build_today

    me = add_person(ctx, "Tess Ter", account=ctx.actor)
    add_person(ctx, "Other Person", account="other")
    actions.add_action(ctx, "Mine", owner=f"#{me.id}", due="2026-11-01")
    actions.add_action(ctx, "Theirs", owner="other", due="2026-11-01")
    actions.add_action(ctx, "Nobody's", due="2026-11-01")
    flt = parse_filter(ctx, "-@me is:overdue")
    listed = [i.title for i in actions.list_actions(ctx, flt)]
    assert sorted(listed) == ["Nobody's", "Theirs"]
    assert actions.count_actions(ctx, flt) == build_today(ctx).counts["overdue"]
