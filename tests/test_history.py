"""The history of a record, read back from the audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from docket.models.actions import items as actions
from docket.models.audit.history import history, history_facts, last_change_by_other
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.people.persons import add_person

pytestmark = pytest.mark.both_engines

T0 = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _at(ctx: Context, minutes: int, actor: str | None = None) -> Context:
    when = T0 + timedelta(minutes=minutes)
    return Context(actor=actor or ctx.actor, tz=ctx.tz, clock=lambda: when)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_person(ctx, "Ana Lopez", account="ana")
    return ctx


def test_history_lists_changes_newest_first_with_old_and_new_values(office: Context) -> None:
    item = actions.add_action(_at(office, 1), "Call vendor", due="2026-12-01")
    item = actions.update_action(
        _at(office, 2, "bo"), item.id, item.version, note="moved", due="2026-12-04", owner="ana"
    )
    actions.set_status(_at(office, 3), [item.id], "done")
    changes = history("action_item", item.id)
    assert [(c.at, c.actor, c.action) for c in changes] == [
        (T0 + timedelta(minutes=3), "tester", "update"),
        (T0 + timedelta(minutes=2), "bo", "update"),
        (T0 + timedelta(minutes=1), "tester", "create"),
    ]
    assert changes[1].note == "moved"
    assert changes[1].fields == (("due", "2026-12-01", "2026-12-04"), ("owner", None, 1))
    assert ("title", None, "Call vendor") in changes[2].fields
    assert changes[0].at.tzinfo is UTC


def test_changes_made_in_the_same_second_keep_the_order_they_were_made(office: Context) -> None:
    item = actions.add_action(office, "One")
    actions.update_action(office, item.id, 1, title="Two")
    actions.update_action(office, item.id, 2, title="Three")
    titles = [
        dict((f, new) for f, _, new in c.fields)["title"] for c in history("action_item", item.id)
    ]
    assert titles == ["Three", "Two", "One"]
    assert len(history("action_item", item.id, limit=2)) == 2


def test_history_keeps_the_last_values_of_a_deleted_record(office: Context) -> None:
    item = actions.add_action(office, "Mistake", priority="high")
    actions.delete_action(office, item.id, item.version)
    latest = history("action_item", item.id)[0]
    assert latest.action == "delete"
    assert ("priority", "high", None) in latest.fields


def test_history_is_per_record(office: Context) -> None:
    actions.add_action(office, "First")
    second = actions.add_action(office, "Second")
    assert [c.action for c in history("action_item", second.id)] == ["create"]
    assert [c.action for c in history("person", 1)] == ["create"]
    assert history("milestone", 1) == []


def test_an_unknown_entity_is_refused_by_name(office: Context) -> None:
    with pytest.raises(ValidationError, match=r"^kind: expected one of .*action_item.*'actions'"):
        history("actions", 1)


def test_a_kind_may_be_typed_short(office: Context) -> None:
    item = actions.add_action(office, "Call vendor")
    assert history("action", item.id) == history("action_item", item.id)


def test_the_json_form_of_a_change(office: Context) -> None:
    item = actions.add_action(office, "Call vendor")
    actions.update_action(office, item.id, item.version, note="typo", title="Call the vendor")
    assert history_facts(history("action_item", item.id)[0]) == {
        "id": 4,  # after the first admin's entry, the program's and the item's
        "at": "2026-11-23T15:00:00Z",
        "actor": "tester",
        "action": "update",
        "note": "typo",
        "fields": [["title", "Call vendor", "Call the vendor"]],
        "changes": {"title": ["Call vendor", "Call the vendor"]},
        "said": ["title: changed from Call vendor to Call the vendor"],
    }


def test_last_change_by_other_skips_the_actors_own_changes(office: Context) -> None:
    item = actions.add_action(_at(office, 1), "Call vendor")
    assert last_change_by_other("action_item", item.id, "tester") is None
    item = actions.update_action(_at(office, 2, "bo"), item.id, 1, title="Bo's")
    actions.update_action(_at(office, 3), item.id, 2, title="Mine again")
    other = last_change_by_other("action_item", item.id, "tester")
    assert other is not None
    assert (other.actor, other.fields) == ("bo", (("title", "Call vendor", "Bo's"),))


def test_undo_puts_back_what_my_last_change_replaced_as_a_new_audited_change(
    office: Context,
) -> None:
    from docket.models.audit.history import undo_last
    from docket.models.core.schema import ActionItem

    item = actions.add_action(_at(office, 1), "Call vendor", due="2026-12-01")
    actions.update_action(_at(office, 2), item.id, 1, title="Call", due="2026-12-04", owner="ana")
    undone = undo_last(_at(office, 3), "action", item.id)
    assert undone.fields == (
        ("due", "2026-12-01", "2026-12-04"),
        ("owner", None, 1),
        ("title", "Call vendor", "Call"),
    )
    back = ActionItem.get_by_id(item.id)
    assert (back.title, str(back.due), back.owner_id, back.version) == (
        "Call vendor",
        "2026-12-01",
        None,
        3,
    )
    newest = history("action_item", item.id)[0]
    assert (newest.actor, newest.note) == ("tester", f"undo of change {undone.id}")
    # undoing the undo redoes
    undo_last(_at(office, 4), "action", item.id)
    assert ActionItem.get_by_id(item.id).title == "Call"


def test_undo_refuses_when_someone_changed_the_record_since_and_names_them(
    office: Context,
) -> None:
    from docket.models.audit.history import undo_last
    from docket.models.core.errors import ConflictError
    from docket.models.core.schema import ActionItem

    item = actions.add_action(_at(office, 1), "Call vendor")
    actions.update_action(_at(office, 2), item.id, 1, title="Mine")
    actions.update_action(_at(office, 3, "bo"), item.id, 2, priority="high")
    with pytest.raises(ConflictError, match=r"last changed by bo at 2026-11-23 15:03:00 UTC"):
        undo_last(_at(office, 4), "action", item.id)
    assert ActionItem.get_by_id(item.id).title == "Mine"
    assert len(history("action_item", item.id)) == 3


def test_undo_does_not_undo_a_creation(office: Context) -> None:
    from docket.models.audit.history import undo_last
    from docket.models.core.errors import DocketError

    item = actions.add_action(office, "Call vendor")
    with pytest.raises(DocketError, match="created it; undo puts back changed fields only"):
        undo_last(office, "action", item.id)


def test_a_viewer_cannot_undo(office: Context) -> None:
    from docket.models.accounts.users import edit_user
    from docket.models.audit.history import undo_last
    from docket.models.core.errors import PermissionDenied

    item = actions.add_action(office, "Call vendor")
    actions.update_action(office, item.id, 1, title="Mine")
    # as an admin makes an account a viewer: on PostgreSQL the server's roles decide
    edit_user(office, office.actor, role="viewer")
    with pytest.raises(PermissionDenied, match="read-only"):
        undo_last(office, "action", item.id)


def test_undoing_done_reopens_the_item_and_clears_when_it_closed(office: Context) -> None:
    from docket.models.audit.history import undo_last
    from docket.models.core.schema import ActionItem

    item = actions.add_action(_at(office, 1), "Call vendor")
    actions.set_status(_at(office, 2), [item.id], "done")
    assert ActionItem.get_by_id(item.id).closed_at is not None
    undo_last(_at(office, 3), "action", item.id)
    back = ActionItem.get_by_id(item.id)
    assert (back.status, back.closed_at) == ("open", None)


# --- changes in words ---------------------------------------------------------------------


def _said(entity: str, record_id: int) -> list[list[str]]:
    from docket.models.audit.history import readable_history

    return [c["said"] for c in readable_history(entity, record_id)]


def test_a_value_set_changed_and_cleared_reads_in_words(office: Context) -> None:
    item = actions.add_action(_at(office, 1), "Call vendor", due="2026-12-01")
    actions.update_action(_at(office, 2), item.id, 1, due="2026-12-04", owner="ana")
    actions.update_action(_at(office, 3), item.id, 2, due="", owner="")
    newest, middle, created = _said("action_item", item.id)
    assert newest == ["due: cleared (was 2026-12-04)", "owner: cleared (was Ana Lopez)"]
    assert middle == ["due: changed from 2026-12-01 to 2026-12-04", "owner: set to Ana Lopez"]
    assert "title: set to Call vendor" in created
    assert not any("None" in line for line in newest + middle + created)


def test_a_program_reads_as_its_code_and_a_person_as_their_name(office: Context) -> None:
    from docket.models.portfolio import programs

    programs.add_program(office, "ERP", "Enterprise resources")
    item = actions.add_action(office, "Call vendor", program="ERP", owner="ana")
    assert {"program: set to ERP", "owner: set to Ana Lopez"} <= set(
        _said("action_item", item.id)[0]
    )


def test_people_of_the_same_name_are_told_apart_by_their_e_mail(office: Context) -> None:
    add_person(office, "Ana Lopez", email="ana.l@parks.example")
    item = actions.add_action(office, "Call vendor", owner="ana")  # the account: the first Ana
    actions.update_action(office, item.id, 1, owner="ana.l@parks.example")
    assert _said("action_item", item.id)[0] == [
        "owner: changed from Ana Lopez (#1) to Ana Lopez <ana.l@parks.example>"
    ]


def test_a_long_value_is_said_whole(office: Context) -> None:
    long = "Agree the data migration plan with finance, " * 6
    item = actions.add_action(office, "Call vendor", notes=long)
    (line,) = [s for s in _said("action_item", item.id)[0] if s.startswith("notes")]
    assert line == f"notes: set to {long.strip()}"


def test_a_deleted_record_says_what_it_was_and_a_gone_person_by_id(office: Context) -> None:
    bo = add_person(office, "Bo Chen")
    item = actions.add_action(office, "Mistake", priority="high", owner=bo.email or bo.name)
    people_gone = bo.id
    actions.delete_action(office, item.id, item.version)
    deleted, _ = _said("action_item", item.id)
    assert "priority: was high" in deleted
    assert "owner: was Bo Chen" in deleted
    from docket.models.core.schema import Person

    Person.delete().where(Person.id == people_gone).execute()
    assert f"owner: set to person #{people_gone} (deleted)" in _said("action_item", item.id)[1]


def test_names_are_looked_up_once_per_kind_not_per_change(office: Context) -> None:
    from playhouse.test_utils import count_queries

    from docket.models.audit.history import readable_history
    from docket.models.portfolio import programs

    programs.add_program(office, "ERP", "Enterprise resources")
    programs.add_program(office, "CRM", "Customers")
    others = [add_person(office, f"Person {n}") for n in range(6)]
    item = actions.add_action(office, "Call vendor")
    for n, person in enumerate(others):
        actions.update_action(
            office, item.id, n + 1, owner=person.name, program=("ERP", "CRM")[n % 2]
        )
    with count_queries() as counted:
        changes = readable_history("action_item", item.id)
    assert len(changes) == 7
    # the entries; people: their names, then which names are shared; programs: codes
    assert counted.count <= 4


def test_undo_says_what_it_undid_in_words(office: Context) -> None:
    from docket.models.audit.history import describe_change, undo_last

    item = actions.add_action(_at(office, 1), "Call vendor")
    actions.update_action(_at(office, 2), item.id, 1, due="2026-12-04", owner="ana")
    undone = undo_last(_at(office, 3), "action", item.id)
    assert describe_change("action", undone) == ("due set to 2026-12-04; owner set to Ana Lopez")


def test_docket_history_says_names_and_whole_values(office: Context, cli: Any) -> None:
    long = "Agree the data migration plan with finance and the records office, " * 3
    assert cli("action", "add", "Call vendor", "--owner", "ana").status == 0
    cli("action", "edit", "1", "--owner", "", "--notes", f"{long}\nthen tell the board")
    out = cli("history", "action", "1").out
    assert "    owner: cleared (was Ana Lopez)\n" in out
    assert f"    notes: set to {long}\n      then tell the board\n" in out
    assert "owner: set to Ana Lopez" in out
    assert "None" not in out and "(none)" not in out and "…" not in out
    facts = json.loads(cli("history", "action", "1", "--format", "json").out)
    assert facts[0]["said"][1] == "owner: cleared (was Ana Lopez)"
