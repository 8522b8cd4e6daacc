"""People told apart everywhere, and one lookup rule for every name typed: two people of
one name, accents and case, ``@ana`` and Tanaka, merging a duplicate, deleting someone
nothing refers to, and editing programs, people and vendors from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docket.models.actions import items as actions
from docket.models.actions.items import ActionFilter
from docket.models.contractors import assignments, contracts
from docket.models.core.context import Context
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.lookup import fold, words
from docket.models.core.schema import (
    ActionItem,
    Attendee,
    AuditEntry,
    GroupMember,
    Person,
    Program,
)
from docket.models.people import directory as people
from docket.models.people.groups import add_group, get_group
from docket.models.people.persons import add_person, merge_people
from docket.models.portfolio import programs

pytestmark = pytest.mark.both_engines


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    """Two Ana Lopez (one at the city, one at a vendor), Zoë, Bjørn, Thanh Tanaka."""
    add_person(ctx, "Ana Lopez", email="ana@city.example")
    add_person(ctx, "Ana Lopez", email="alopez@vendor.example", organization="Acme")
    add_person(ctx, "Zoë Chen", email="zoe@city.example")
    add_person(ctx, "Bjørn Patel", organization="IT")
    add_person(ctx, "Thanh Tanaka", email="thanh@city.example", account="ttanaka")
    programs.add_program(ctx, "ERP", "Enterprise resource planning")
    programs.add_program(ctx, "CRM", "Customer relations")
    return ctx


# --- the one lookup rule ----------------------------------------------------------------


def test_a_name_two_people_share_is_refused_with_both_and_what_tells_them_apart(
    office: Context,
) -> None:
    with pytest.raises(ValidationError) as caught:
        people.find_person("ana lopez")
    assert str(caught.value) == (
        "person: 'ana lopez' matches 2 people: Ana Lopez <ana@city.example> (#1), "
        "Ana Lopez <alopez@vendor.example> (#2); give their e-mail or #id"
    )


@pytest.mark.parametrize(
    ("typed", "person_id"),
    [
        ("ana@city.example", 1),
        ("ALOPEZ@vendor.example", 2),
        ("Ana Lopez <alopez@vendor.example>", 2),
        ("Ana Lopez (#1)", 1),
        ("Ana Lopez (Acme)", 2),
        ("#2", 2),
        ("zoe chen", 3),
        ("ZOE", 3),
        ("bjorn patel", 4),
        ("Bjorn", 4),
        ("@ttanaka", 5),
        ("tan", 5),
    ],
)
def test_a_person_is_found_without_accents_case_or_ambiguity(
    office: Context, typed: str, person_id: int
) -> None:
    assert people.find_person(typed).id == person_id


def test_a_word_inside_a_name_does_not_match(office: Context) -> None:
    # "ana" is inside "Tanaka" and "Thanh": words are matched by their start only
    with pytest.raises(ValidationError, match="matches 2 people: Ana Lopez"):
        people.find_person("ana")
    with pytest.raises(NotFoundError):
        people.find_person("naka")


def test_every_label_typed_back_finds_that_person(office: Context) -> None:
    shown = people.labels(range(1, 6))
    assert shown[1] == "Ana Lopez <ana@city.example>"
    assert shown[3] == "Zoë Chen"
    assert {people.find_person(label).id for label in shown.values()} == set(range(1, 6))


def test_namesakes_without_an_email_are_told_apart_by_organization_else_id(
    office: Context,
) -> None:
    add_person(office, "Bjørn Patel", organization="Finance")
    add_person(office, "Bjorn Patel", organization="Finance")
    shown = people.labels([4, 6, 7])
    assert shown == {4: "Bjørn Patel (IT)", 6: "Bjørn Patel (#6)", 7: "Bjorn Patel (#7)"}
    assert len(set(shown.values())) == 3


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Zoë", ("zoe",)),
        ("Bjørn", ("bjorn",)),
        ("Ægir Straße", ("aegir", "strasse")),
        ("Łukasz Đorđević", ("lukasz", "dordevic")),
        ("O'Brien", ("obrien",)),
        ("ana.lopez", ("ana", "lopez")),
    ],
)
def test_names_fold_to_plain_lower_case_words(name: str, folded: tuple[str, ...]) -> None:
    assert words(name) == folded


@given(st.text(max_size=30))
def test_folding_is_stable_and_has_no_case(value: str) -> None:
    once = fold(value)
    assert fold(once) == once
    assert once == once.lower()
    assert words(once) == words(value)


def test_programs_vendors_contracts_and_groups_go_through_the_same_rule(
    office: Context,
) -> None:
    assert programs.get_program("enterprise").code == "ERP"
    programs.add_program(office, "ERP2", "Enterprise search")
    with pytest.raises(ValidationError, match=r"matches 2 programs: ERP \(Enterprise resource"):
        programs.get_program("enterprise")
    assert programs.get_program("erp").code == "ERP"
    contracts.add_vendor(office, "Acme")
    contracts.add_vendor(office, "Acme Consulting")
    assert contracts.find_vendor("acme").name == "Acme"
    assert contracts.find_vendor("acme con").name == "Acme Consulting"
    with pytest.raises(ValidationError, match="matches 2 vendors"):
        contracts.find_vendor("ac")
    for number in ("C-2026-01", "C-2026-02"):
        contracts.add_contract(
            office,
            number,
            vendor="Acme",
            program="ERP",
            start="2026-01-01",
            end="2026-12-31",
            ceiling="1000",
        )
    assert contracts.find_contract("c-2026-01").number == "C-2026-01"
    with pytest.raises(ValidationError, match=r"C-2026-01 \(Acme, ERP\), C-2026-02"):
        contracts.find_contract("C-2026")
    add_group(office, "Steering committee")
    add_group(office, "Steering board")
    assert get_group("steering committee").name == "Steering committee"
    with pytest.raises(ValidationError, match="matches 2 groups"):
        get_group("steering")


def test_at_ana_lists_ana_lopez_items_not_tanakas(office: Context) -> None:
    actions.add_action(office, "city", owner="ana@city.example")
    actions.add_action(office, "vendor", owner="alopez@vendor.example")
    actions.add_action(office, "tanaka", owner="ttanaka")
    actions.add_action(office, "zoe", owner="zoe")
    found = actions.list_actions(office, ActionFilter(owner_like="ana"))
    assert sorted(i.title for i in found) == ["city", "vendor"]
    assert actions.count_actions(office, ActionFilter(owner_like="@ANA")) == 2
    assert [i.title for i in actions.list_actions(office, ActionFilter(owner_like="zoe"))] == [
        "zoe"
    ]
    assert actions.count_actions(office, ActionFilter(owner_like="nobody")) == 0


# --- same-named people on the command line -------------------------------------------


def test_adding_a_namesake_warns_and_still_adds(office: Context, cli: Any) -> None:
    result = cli("person", "add", "Zoe Chen", "--email", "zchen@vendor.example")
    assert result.status == 0
    assert result.out == "6\n"
    assert result.err == (
        "docket: warning: Zoe Chen <zchen@vendor.example> (#6) has the same name as "
        "Zoë Chen <zoe@city.example> (#3); refer to them by e-mail or #id\n"
    )
    quiet = cli("person", "add", "Someone New")
    assert (quiet.status, quiet.err) == (0, "")


def test_allocation_and_assignments_tell_namesakes_apart(office: Context, cli: Any) -> None:
    for who, program in (("ana@city.example", "ERP"), ("alopez@vendor.example", "CRM")):
        assignments.add_assignment(
            office, who, program=program, allocation=50, start="2026-11-01", end="2026-12-31"
        )
    listed = cli("assignment", "list")
    assert "Ana Lopez <ana@city.example>" in listed.out
    assert "Ana Lopez <alopez@vendor.example>" in listed.out
    grid = cli("allocation", "--from", "2026-11-01", "--months", "1", "--format", "csv")
    assert grid.out.splitlines()[1:] == [
        "Ana Lopez <alopez@vendor.example>,50",
        "Ana Lopez <ana@city.example>,50",
    ]
    refused = cli("assignment", "add", "Ana Lopez", "--program", "ERP", "--allocation", "10",
                  "--start", "2026-11-01", "--end", "2026-11-30")  # fmt: skip
    assert refused.status == 2
    assert "matches 2 people" in refused.err


# --- merge and delete ---------------------------------------------------------------------


def _point_everything_at(ctx: Context, who: str) -> None:
    """A record of every kind that names a person, each naming ``who``."""
    from docket.models.accounts.users import edit_user
    from docket.models.comms import plan as comms
    from docket.models.governance.changes import add_change
    from docket.models.governance.decisions import add_decision
    from docket.models.governance.issues import add_issue
    from docket.models.governance.risks import add_risk
    from docket.models.meetings import series as meetings
    from docket.models.milestones import schedule as milestones

    actions.add_action(ctx, "item", owner=who, program="ERP")
    milestones.add_milestone(ctx, "ERP", "Go live", "2026-12-15", owner=who)
    add_group(ctx, "Board", members=[who, "zoe"])
    meetings.add_meeting(
        ctx,
        "Steering",
        start="2026-12-01 10:00",
        program="ERP",
        attendees=[who, "zoe"],
        organizer=who,
    )
    comms.add_item(
        ctx, "Weekly status", program="ERP", cadence="FREQ=WEEKLY", owner=who, audience=[who]
    )
    contracts.add_vendor(ctx, "Acme", contact=who)
    assignments.add_assignment(
        ctx, who, program="ERP", allocation=20, start="2026-11-01", end="2026-12-31"
    )
    add_risk(ctx, "Late data", program="ERP", probability=3, impact=3, owner=who)
    add_issue(ctx, "Data late", program="ERP", owner=who)
    add_decision(ctx, "Go", program="ERP", decided_by=who)
    add_change(ctx, "More scope", program="ERP", kind="scope", requested_by=who)
    # the acting account (the database's admin) stands for them
    edit_user(ctx, ctx.actor, person=who)


def test_a_merge_moves_every_reference_audited_then_deletes_the_duplicate(
    office: Context,
) -> None:
    _point_everything_at(office, "alopez@vendor.example")
    fks = Person._meta.backrefs
    before = {(model, fk.name): model.select().where(fk == 2).count() for fk, model in fks.items()}
    named = {key for key, count in before.items() if count}
    merged = merge_people(office, "ana@city.example", "alopez@vendor.example")
    assert merged.kept.id == 1
    assert merged.filled == ["organization"]
    assert Person.get_or_none(Person.id == 2) is None
    for fk, model in fks.items():
        assert model.select().where(fk == 2).count() == 0, (model, fk.name)
    for model, name in named:
        field = model._meta.fields[name]
        assert model.select().where(field == 1).count() >= before[(model, name)], name
    # every kind of record _point_everything_at made is one a merge had to move
    assert {(m.__name__, n) for m, n in named} >= {
        ("ActionItem", "owner"),
        ("Milestone", "owner"),
        ("GroupMember", "person"),
        ("Attendee", "person"),
        ("Meeting", "organizer"),
        ("CommsItem", "owner"),
        ("CommsAudience", "person"),
        ("Vendor", "contact"),
        ("Assignment", "person"),
        ("Risk", "owner"),
        ("Issue", "owner"),
        ("Decision", "decided_by"),
        ("ChangeRequest", "requested_by"),
        ("UserAccount", "person"),
    }
    notes = [e.note for e in AuditEntry.select().where(AuditEntry.note.contains("merged"))]
    assert len(notes) >= len(named)
    gone = AuditEntry.get(
        AuditEntry.entity == "person", AuditEntry.entity_id == 2, AuditEntry.action == "delete"
    )
    assert (gone.action, gone.note) == ("delete", "merged into #1")
    assert ActionItem.get(ActionItem.title == "item").owner_id == 1


def test_a_merge_keeps_one_row_where_both_were_named(office: Context) -> None:
    add_group(office, "Board", members=["ana@city.example", "alopez@vendor.example"])
    merged = merge_people(office, "#1", "#2")
    assert merged.dropped == 1
    assert [m.person_id for m in GroupMember.select()] == [1]
    assert Attendee.select().count() == 0


def test_a_merge_into_oneself_or_nobody_is_refused(office: Context) -> None:
    with pytest.raises(ValidationError, match=r"merge: .* is the person to keep"):
        merge_people(office, "#1", "ana@city.example")
    with pytest.raises(NotFoundError):
        merge_people(office, "#1", "#99")
    assert Person.select().count() == 5


def test_deleting_someone_still_named_is_refused_naming_what_names_them(
    office: Context, cli: Any
) -> None:
    actions.add_action(office, "item", owner="zoe")
    add_group(office, "Board", members=["zoe"])
    refused = cli("person", "delete", "zoe")
    assert refused.status == 2
    assert refused.err == (
        "docket: person: Zoë Chen <zoe@city.example> (#3) is still named by action item owner "
        "×1, group member person ×1; merge them into the person who stands for them "
        "('docket person merge KEEP #3') or change those first\n"
    )
    done = cli("person", "delete", "bjorn")
    assert (done.status, done.out) == (0, "deleted Bjørn Patel (IT, #4)\n")
    assert Person.get_or_none(Person.id == 4) is None


def test_person_merge_on_the_command_line(office: Context, cli: Any) -> None:
    actions.add_action(office, "item", owner="alopez@vendor.example")
    result = cli("person", "merge", "ana@city.example", "alopez@vendor.example")
    assert result.status == 0, result.err
    assert result.out.splitlines() == [
        "merged Ana Lopez <alopez@vendor.example> (#2) into Ana Lopez <ana@city.example> (#1)",
        "moved: action item owner ×1",
        "filled from the duplicate: organization",
    ]
    assert people.find_person("ana lopez").id == 1


# --- edit commands ------------------------------------------------------------------------


def test_program_edit_changes_rag_note_owner_and_refuses_a_loop(office: Context, cli: Any) -> None:
    done = cli("program", "edit", "erp", "--rag", "amber", "--note", "data late",
               "--owner", "zoe", "--objective", "One ledger")  # fmt: skip
    assert (done.status, done.out) == (0, "ERP updated (version 2)\n")
    erp = Program.get(Program.code == "ERP")
    assert (erp.rag, erp.rag_note, erp.owner_id, erp.objective) == (
        "amber",
        "data late",
        3,
        "One ledger",
    )
    assert cli("program", "edit", "CRM", "--parent", "ERP").status == 0
    loop = cli("program", "edit", "ERP", "--parent", "CRM")
    assert (loop.status, loop.err) == (
        2,
        "docket: parent: CRM is ERP itself or one of its sub-programs\n",
    )
    ambiguous = cli("program", "edit", "ERP", "--owner", "ana lopez")
    assert ambiguous.status == 2 and "matches 2 people" in ambiguous.err
    nothing = cli("program", "edit", "ERP")
    assert nothing.status == 2 and "--rag" in nothing.err
    cleared = cli("program", "edit", "ERP", "--owner", "")
    assert cleared.status == 0 and Program.get(Program.code == "ERP").owner_id is None


def test_person_edit_changes_details_and_catches_a_taken_email(office: Context, cli: Any) -> None:
    done = cli("person", "edit", "bjorn", "--email", "bjorn@city.example", "--title", "CIO")
    assert (done.status, done.out) == (0, "#4 Bjørn Patel updated (version 2)\n")
    taken = cli("person", "edit", "#4", "--email", "ZOE@city.example")
    assert taken.status == 2
    assert "email: ZOE@city.example already belongs to Zoë Chen (#3)" in taken.err
    renamed = cli("person", "edit", "#4", "--name", "Zoe Chen")
    assert renamed.status == 0
    assert "has the same name as Zoë Chen <zoe@city.example> (#3)" in renamed.err
    shown = json.loads(cli("person", "list", "--search", "bjorn@", "--format", "json").out)
    assert shown[0]["title"] == "CIO"


def test_vendor_edit_renames_and_sets_the_contact_refusing_a_taken_name(
    office: Context, cli: Any
) -> None:
    contracts.add_vendor(office, "Acme")
    contracts.add_vendor(office, "Globex")
    done = cli("vendor", "edit", "acme", "--name", "Acme Corp", "--contact", "zoe")
    assert (done.status, done.out) == (0, "vendor 1 Acme Corp updated (version 2)\n")
    taken = cli("vendor", "edit", "acme corp", "--name", "globex")
    assert (taken.status, taken.err) == (
        2,
        "docket: name: a vendor named 'Globex' exists already (#2)\n",
    )
    rows = contracts.list_vendors()
    assert [(r["name"], r["contact"]) for r in rows] == [
        ("Acme Corp", "Zoë Chen"),
        ("Globex", None),
    ]


def test_the_people_list_finds_names_without_accents(office: Context) -> None:
    assert [p.name for p in people.list_people("zoe")] == ["Zoë Chen"]
    assert people.count_people("ana") == 2
    assert people.count_people("bjørn") == 1


def test_brackets_that_are_part_of_a_name_still_find_it(office: Context) -> None:
    add_person(office, "Sam Roe (Jr)")
    assert people.find_person("Sam Roe (Jr)").name == "Sam Roe (Jr)"
    assert people.find_person("sam roe jr").name == "Sam Roe (Jr)"
