"""The communications plan: cadences, the next due day from the log, overdue, the
stakeholder matrix, logging what was sent, and the ``docket comms`` commands."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import erp_team

from docket.models.accounts.identity import current_account
from docket.models.comms import audience
from docket.models.comms import plan as comms
from docket.models.comms.audience import audience_people
from docket.models.comms.log import log_of, log_sent
from docket.models.core.context import Context
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.schema import CommsItem, CommsLogEntry
from docket.models.people.groups import add_group

pytestmark = pytest.mark.both_engines

# the fixed clock: Mon 23 Nov 2026
TODAY = date(2026, 11, 23)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    erp_team(ctx)
    add_group(ctx, "Steering", members=["bo", "cy"])
    return ctx


def _weekly(ctx: Context, **kw: Any) -> CommsItem:
    return comms.add_item(
        ctx,
        "Weekly status",
        program="ERP",
        cadence="weekly on fri",
        starts="2026-11-02",
        audience=["Steering", "ana"],
        **kw,
    )


def _sent(ctx: Context, item: CommsItem, *at: int) -> None:
    log_sent(ctx, item.id, at=datetime(*at, 15, tzinfo=UTC))


def test_a_cadence_in_words_is_stored_as_a_rule_and_a_date_as_a_date(office: Context) -> None:
    assert comms.cadence_of(office, "weekly on fri", TODAY) == "FREQ=WEEKLY;BYDAY=FR"
    assert comms.cadence_of(office, "2026-12-04", TODAY) == "2026-12-04"
    assert comms.cadence_of(office, "fri", TODAY) == "2026-11-27"
    assert comms.cadence_words("FREQ=WEEKLY;BYDAY=FR") == "every week on Fri"
    assert comms.cadence_words("2026-12-04") == "once, on Fri 04 Dec 2026"
    with pytest.raises(ValidationError) as caught:
        comms.cadence_of(office, "whenever it suits", TODAY)
    assert caught.value.field == "repeat"


def test_never_sent_is_due_on_the_first_day_of_the_cadence(office: Context) -> None:
    assert comms.plan() == []
    _weekly(office)
    row = comms.plan()[0]
    assert (row.due, row.overdue(TODAY)) == (date(2026, 11, 6), True)


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        ((2026, 11, 20), date(2026, 11, 27)),  # on time: next Friday
        ((2026, 11, 21), date(2026, 11, 27)),  # a day late: still next Friday
        ((2026, 11, 13), date(2026, 11, 20)),  # last week's missed: overdue
        ((2026, 11, 27), date(2026, 12, 4)),  # sent on the day
    ],
)
def test_the_next_due_day_follows_the_last_sending(
    office: Context, sent: tuple[int, int, int], due: date
) -> None:
    item = _weekly(office)
    _sent(office, item, *sent)
    row = comms.plan()[0]
    assert row.due == due
    assert row.overdue(TODAY) == (due < TODAY)


def test_a_one_off_is_due_until_sent_and_an_inactive_item_never(office: Context) -> None:
    once = comms.add_item(office, "Go-live note", program="ERP", cadence="2026-11-20")
    paused = _weekly(office)
    comms.update_item(office, paused.id, active=False)
    rows = {r.item.id: r for r in comms.plan()}
    assert rows[once.id].due == date(2026, 11, 20) and rows[once.id].overdue(TODAY)
    assert rows[paused.id].due is None
    _sent(office, once, 2026, 11, 21)
    assert {r.item.id: r.due for r in comms.plan()}[once.id] is None


def test_due_within_keeps_overdue_and_those_due_soon(office: Context) -> None:
    weekly = _weekly(office)
    _sent(office, weekly, 2026, 11, 20)  # next due Fri 27 Nov
    monthly = comms.add_item(office, "Board pack", program="ERP", cadence="monthly on the 15th")
    assert [r.item.id for r in comms.due_within(TODAY, 3)] == []
    assert [r.item.id for r in comms.due_within(TODAY, 4)] == [weekly.id]
    assert monthly.id in [r.item.id for r in comms.due_within(TODAY, 30)]


def test_the_matrix_lists_who_receives_what(office: Context) -> None:
    _weekly(office, channel="e-mail")
    assert audience.matrix() == [
        {
            "audience": "Ana Lopez",
            "item": "Weekly status",
            "program": "ERP",
            "channel": "e-mail",
            "how_often": "every week on Fri",
        },
        {
            "audience": "Steering",
            "item": "Weekly status",
            "program": "ERP",
            "channel": "e-mail",
            "how_often": "every week on Fri",
        },
    ]
    assert [p.name for p in audience_people(comms.plan()[0].item.id)] == [
        "Ana Lopez",
        "Bo Chen",
        "Cy Diaz",
    ]


def test_a_bad_field_names_itself_and_nothing_is_written(office: Context) -> None:
    for kwargs, field in (
        ({"channel": "pigeon"}, "channel"),
        ({"audience": ["nobody at all"]}, "audience"),
        ({"digest": "gossip"}, "digest"),
    ):
        with pytest.raises(DocketError, match=f"^{field}"):
            comms.add_item(office, "X", program="ERP", cadence="weekly", **kwargs)
    assert CommsItem.select().count() == 0


def test_the_command_line_adds_lists_logs_and_shows_the_matrix(
    cli: Any, office: Context, tmp_path: Path
) -> None:
    added = cli(
        "comms", "add", "Weekly status", "--program", "ERP", "--cadence", "weekly on fri",
        "--starts", "2026-11-02", "--audience", "Steering", "--owner", "ana",
    )  # fmt: skip
    assert (added.status, added.out) == (0, "1\n")
    listed = json.loads(cli("comms", "list", "--format", "json").out)
    assert (listed[0]["due"], listed[0]["overdue"], listed[0]["days_overdue"]) == (
        "2026-11-06",
        True,
        17,
    )
    report = tmp_path / "status.pdf"
    report.write_bytes(b"%PDF- the report")
    sent = cli("comms", "sent", "1", "--note", "sent on time", "--artifact", str(report))
    assert sent.status == 0, sent.err
    entry = CommsLogEntry.get()
    digest = hashlib.sha256(b"%PDF- the report").hexdigest()
    assert (entry.sent_by, entry.note, entry.artifact, entry.how) == (
        current_account(),
        "sent on time",
        f"status.pdf sha256:{digest}",
        "by hand",
    )
    assert sent.out.startswith("plan item 1: marked sent by hand ")
    due = json.loads(cli("comms", "due", "--within", "7", "--format", "json").out)
    assert [r["due"] for r in due] == ["2026-11-27"]
    matrix = cli("comms", "matrix", "--format", "csv").out.splitlines()
    assert matrix == [
        "audience,item,program,channel,how_often",
        "Steering,Weekly status,ERP,e-mail,every week on Fri",
    ]
    edited = cli("comms", "edit", "1", "--cadence", "every 2 weeks on fri", "--add-audience", "bo")
    assert edited.status == 0, edited.err
    assert json.loads(cli("comms", "list", "--format", "json").out)[0]["audience"] == [
        "Steering",
        "Bo Chen",
    ]


def test_the_command_line_refuses_bad_input_in_one_line(cli: Any, office: Context) -> None:
    for args in (
        ("comms", "add", "X", "--program", "NOPE", "--cadence", "weekly"),
        ("comms", "add", "X", "--program", "ERP", "--cadence", "now and then"),
        ("comms", "sent", "99"),
        ("comms", "edit", "1"),
    ):
        result = cli(*args)
        assert result.status in (1, 2) and result.out == ""
        assert len(result.err.splitlines()) == 1 and result.err.startswith("docket: ")


def test_only_a_sending_moves_the_due_day_a_file_written_does_not(office: Context) -> None:
    item = _weekly(office)
    log_sent(office, item.id, how="exported", at=datetime(2026, 11, 20, 15, tzinfo=UTC))
    row = comms.plan()[0]
    assert (row.last_sent, row.due, row.exported) == (
        None,
        date(2026, 11, 6),
        datetime(2026, 11, 20, 15, tzinfo=UTC),
    )
    assert comms.plan_facts(row, TODAY)["exported_not_sent"] == "2026-11-20T15:00:00+00:00"
    for how in ("sent", "by hand"):
        log_sent(office, item.id, how=how, at=datetime(2026, 11, 20, 16, tzinfo=UTC))
        row = comms.plan()[0]
        assert (row.due, row.exported) == (date(2026, 11, 27), None)
    assert [e["how"] for e in log_of(item.id)] == ["by hand", "sent", "exported"]
    with pytest.raises(ValidationError) as caught:
        log_sent(office, item.id, how="posted")
    assert caught.value.field == "how"


def test_the_log_command_says_how_each_entry_was_made(cli: Any, office: Context) -> None:
    item = _weekly(office)
    log_sent(office, item.id, how="exported", note="digest written")
    listed = cli("comms", "list").out
    assert "exported, not sent" in listed
    assert cli("comms", "sent", str(item.id), "--note", "posted it").status == 0
    assert "exported, not sent" not in cli("comms", "list").out
    log = json.loads(cli("comms", "log", str(item.id), "--format", "json").out)
    assert [(e["how"], e["note"]) for e in log] == [
        ("by hand", "posted it"),
        ("exported", "digest written"),
    ]
    table = cli("comms", "log", str(item.id)).out
    assert "by hand" in table and "exported" in table
    missing = cli("comms", "log", "99")
    assert missing.status == 2 and missing.err.startswith("docket: ")
