"""Quick capture: one typed line read as an action item, previewed, then saved."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from docket.models.actions.capture import Capture, PersonRef, Problem, parse_capture, save_capture
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import ActionItem, AuditEntry
from docket.models.people.persons import add_person
from docket.models.portfolio import programs

pytestmark = pytest.mark.both_engines

# the fixed clock's day is Monday 23 November 2026
TODAY = date(2026, 11, 23)
FRI = date(2026, 11, 27)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    programs.add_program(ctx, "ERP", "ERP replacement")
    programs.add_program(ctx, "CRM", "311 CRM")
    add_person(ctx, "Ana Lopez", email="ana.lopez@city.example", account="ana")
    add_person(ctx, "Ana Ruiz")
    add_person(ctx, "Bo Chen")
    return ctx


def test_a_full_line_is_read_into_every_field(office: Context) -> None:
    capture = parse_capture(office, "Send budget draft fri #erp @ana.lopez !High")
    assert capture == Capture(
        title="Send budget draft",
        due=FRI,
        program="ERP",
        owner=PersonRef(1, "Ana Lopez"),
        priority="high",
        due_words="fri",
    )
    assert capture.ok


@pytest.mark.parametrize(
    ("line", "title", "due"),
    [
        ("Call 311 vendor", "Call 311 vendor", None),
        ("Review Q3 plan", "Review Q3 plan", None),
        ("Order 2 laptops", "Order 2 laptops", None),
        ("Call Tom", "Call Tom", None),
        ("Take leave 5 days", "Take leave 5 days", None),
        ("Fix ticket #42 tomorrow", "Fix ticket #42", date(2026, 11, 24)),
        ("Send draft next wed", "Send draft", date(2026, 11, 25)),
        ("Book room dec 3", "Book room", date(2026, 12, 3)),
        ("Pay invoice 1 dec 2026", "Pay invoice", date(2026, 12, 1)),
        ("Chase vendor in 3 days", "Chase vendor", date(2026, 11, 26)),
        ("Sign SOW by fri", "Sign SOW", FRI),
        ("Renew +2w", "Renew", date(2026, 12, 7)),
        ("fri", "fri", None),
        ("Plan ^fri for the 2026-12-01 launch", "Plan for the 2026-12-01 launch", FRI),
        ("due:+3d Chase vendor tomorrow", "Chase vendor tomorrow", date(2026, 11, 26)),
    ],
)
def test_only_words_that_read_as_a_date_leave_the_title(
    office: Context, line: str, title: str, due: date | None
) -> None:
    capture = parse_capture(office, line)
    assert (capture.title, capture.due, capture.problems) == (title, due, ())


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("Call vendor @zed", "owner", "nobody matches 'zed'"),
        (
            "Call vendor @an",
            "owner",
            "'an' matches 2 people: Ana Lopez <ana.lopez@city.example> (#1), Ana Ruiz (#2)",
        ),
        ("Call vendor #NOPE", "program", "no program with code 'NOPE'; known programs: CRM, ERP"),
        ("Call vendor !huge", "priority", "expected !low, !normal, !high, !urgent; got '!huge'"),
        ("Call vendor ^someday", "due", "expected a date such as today"),
        ("Call vendor due:", "due", "expected a date after due:"),
        ("Call @bo.chen @ana.lopez", "owner", "give one owner; got @bo.chen and @ana.lopez"),
        ("#ERP @bo.chen ^fri", "title", "expected text, got nothing"),
    ],
)
def test_a_problem_names_its_field_and_the_rest_is_still_read(
    office: Context, line: str, field: str, message: str
) -> None:
    capture = parse_capture(office, line)
    assert not capture.ok
    assert capture.problems[0].field == field
    assert capture.problems[0].message.startswith(message), capture.problems[0].message


def test_an_unknown_person_is_a_problem_not_an_error_and_the_preview_still_shows(
    office: Context,
) -> None:
    capture = parse_capture(office, "Send budget draft fri #ERP @zed !high")
    assert capture.problems == (
        Problem("owner", "nobody matches 'zed'; add them with 'docket person add'"),
    )
    assert capture.owner is None
    assert (
        capture.preview(TODAY)
        == '"Send budget draft" · due Fri 27 Nov 2026 (in 4 days) · ERP · high'
    )


def test_the_preview_names_owner_and_leaves_out_normal_priority(office: Context) -> None:
    capture = parse_capture(office, "Book room @bo.chen")
    assert capture.preview(TODAY) == '"Book room" · Bo Chen'
    assert parse_capture(office, "@bo.chen").preview(TODAY) == "(no title) · Bo Chen"


def test_saving_adds_the_item_with_one_audit_entry(office: Context) -> None:
    before = AuditEntry.select().count()
    item = save_capture(
        office, parse_capture(office, "Send budget draft fri #ERP @ana.lopez !high")
    )
    stored = ActionItem.get_by_id(item.id)
    assert (stored.title, stored.due, stored.program.code, stored.owner.name, stored.priority) == (
        "Send budget draft",
        FRI,
        "ERP",
        "Ana Lopez",
        "high",
    )
    [entry] = AuditEntry.select().where(AuditEntry.id > before)
    assert (entry.entity, entry.entity_id, entry.action, entry.actor) == (
        "action_item",
        item.id,
        "create",
        "tester",
    )
    assert json.loads(entry.changes)["due"] == [None, "2026-11-27"]


def test_saving_a_capture_with_problems_raises_the_first_and_writes_nothing(
    office: Context,
) -> None:
    before = (ActionItem.select().count(), AuditEntry.select().count())
    capture = parse_capture(office, "Call vendor !huge @zed")
    with pytest.raises(ValidationError) as caught:
        save_capture(office, capture)
    assert caught.value.field == "priority"
    assert (ActionItem.select().count(), AuditEntry.select().count()) == before
