"""Status digests: golden files in every format for the small demo at the fixed clock, each
section's numbers against a direct count, a bounded number of queries, the e-mail parsed
back, user text escaped, sending through a loopback SMTP server, and ``--for-item``.
"""

from __future__ import annotations

import email
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from email import policy
from pathlib import Path
from typing import Any

import pytest
from golden_support import matches_golden
from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook: both engines)
from smtp_support import Inbox, configure_mail
from smtp_support import smtp_server as loopback_smtp

from docket.exports.digests import digest as written
from docket.exports.mail import smtp as mail
from docket.models.audit.stamp import without_stamp
from docket.models.comms import plan as comms
from docket.models.comms.audience import audience_people
from docket.models.comms.digest import build_digest, item_digest, period_of_cadence
from docket.models.comms.digest_scope import period_of
from docket.models.comms.log import log_of
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.errors import ValidationError
from docket.models.core.schema import ActionItem, CommsLogEntry, Milestone
from docket.models.people.groups import members
from docket.models.portfolio.programs import add_program, get_program, update_program

pytestmark = pytest.mark.both_engines

GOLDEN = Path(__file__).parent / "golden" / "digest"
TODAY = date(2026, 11, 23)
WEEK = (date(2026, 11, 23), date(2026, 11, 29))


def _golden(name: str, content: str) -> None:
    matches_golden(GOLDEN / name, content)


@pytest.fixture
def demo(demo_db: Path, ctx: Context) -> Context:
    open_database(demo_db)
    return ctx


def _section(made: Any, key: str) -> dict[str, Any]:
    return next(s for s in made.facts()["sections"] if s["key"] == key)


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "json"])
def test_the_weekly_digest_of_all_programs_matches_its_golden_file(demo: Context, fmt: str) -> None:
    _golden(f"all-week.{fmt}", written.render(build_digest(demo), fmt))


def test_the_erp_digest_as_email_matches_its_golden_file_and_parses_back(demo: Context) -> None:
    made = build_digest(demo, program="ERP")
    audience = [mail.Address(p.name, p.email) for p in members("ERP steering committee") if p.email]
    message = written.message(made, mail.Address("PMO", "pmo@city.example"), audience)
    content = bytes(message)
    _golden("erp-week.eml", content.decode())
    parsed = email.message_from_bytes(content, policy=policy.default)
    assert parsed["Subject"] == "ERP status, 23 Nov – 29 Nov 2026"
    assert parsed["From"] == "PMO <pmo@city.example>"
    assert parsed["To"].addresses and len(parsed["To"].addresses) == len(audience)
    types = [part.get_content_type() for part in parsed.walk()]
    assert types == ["multipart/alternative", "text/plain", "text/html"]
    plain = parsed.get_body(("plain",)).get_content()
    assert plain.startswith("ERP status, 23 Nov – 29 Nov 2026\n")
    assert max(len(line) for line in plain.splitlines()) <= 72


def test_every_section_is_there_and_an_empty_one_says_so(db_path: Path, ctx: Context) -> None:
    add_program(ctx, "QUIET", "A quiet program")
    text = written.text(build_digest(ctx))
    for line in (
        "No milestones done, due, slipped or late.",
        "No action items opened, closed or due.",
        "No meetings held or coming.",
        "No communications due.",
        "No assignments starting or ending, and nobody over 100 %.",
        "No contract near its ceiling or its end.",
    ):
        assert line in text
    assert "QUIET: A quiet program: GREEN." in text


def test_the_action_numbers_match_a_direct_count(demo: Context) -> None:
    made = build_digest(demo)
    facts = _section(made, "actions")
    overdue = ActionItem.select().where(
        ActionItem.status.in_(("open", "in progress", "blocked")), ActionItem.due < TODAY
    )
    closed = [
        a
        for a in ActionItem.select()
        if a.closed_at and WEEK[0] <= a.closed_at.astimezone(demo.tz).date() <= WEEK[1]
    ]
    opened = [
        a
        for a in ActionItem.select()
        if WEEK[0] <= a.created_at.astimezone(demo.tz).date() <= WEEK[1]
    ]
    assert facts["overdue"]["count"] == overdue.count() > 0
    assert facts["closed"] == len(closed)
    assert facts["opened"] == len(opened)
    assert len(facts["overdue"]["items"]) == min(10, overdue.count())


def test_the_milestone_numbers_match_a_direct_count(demo: Context) -> None:
    facts = _section(build_digest(demo), "milestones")
    open_ones = list(Milestone.select().where(Milestone.actual.is_null()))
    late = [m for m in open_ones if m.forecast < TODAY]
    slipped = [m for m in open_ones if m.forecast >= TODAY and m.forecast > m.baseline]
    done = [m for m in Milestone.select() if m.actual and WEEK[0] <= m.actual <= WEEK[1]]
    assert facts["late"]["count"] == len(late) > 0
    assert facts["slipped"]["count"] == len(slipped)
    assert facts["completed"]["count"] == len(done)
    assert [r["days_late"] for r in facts["late"]["items"]] == sorted(
        (r["days_late"] for r in facts["late"]["items"]), reverse=True
    )


def test_the_communications_due_match_the_plan(demo: Context) -> None:
    facts = _section(build_digest(demo), "communications")
    horizon = WEEK[1] + timedelta(days=7)
    expected = [r for r in comms.plan(active_only=True) if r.due and r.due <= horizon]
    assert facts["due"]["count"] == len(expected) > 0
    assert facts["overdue"] == sum(1 for r in expected if r.due and r.due < TODAY)


def test_a_program_digest_covers_the_programs_under_it(demo: Context) -> None:
    core = _section(build_digest(demo, program="CORE"), "status")
    children = [p.code for p in get_program("CORE").children]
    assert [p["code"] for p in core["programs"]] == sorted(["CORE", *children])


def test_a_digest_of_everything_reads_in_a_fixed_number_of_queries(demo: Context) -> None:
    from playhouse.test_utils import count_queries

    from docket.models.actions.items import add_action

    def queries() -> int:
        with count_queries() as counter:
            build_digest(demo)
        return int(counter.count)

    before = queries()
    for n in range(30):
        add_action(demo, f"Extra {n}", program="ERP", due="2026-11-01")
    assert queries() == before
    # about five per section, whatever the size of the office: 60 now, the selection
    # changes' section (proposals decided or turned into programs) reading the audit log once
    assert before < 61


def test_user_text_is_escaped_in_markdown_and_html(demo: Context) -> None:
    erp = get_program("ERP")
    update_program(demo, erp.id, erp.version, rag_note="<script>alert(1)</script> *not bold* | x")
    made = build_digest(demo, program="ERP")
    markdown, html = written.markdown(made), written.html(made)
    assert r"\<script\>alert(1)\</script\> \*not bold\* \| x" in markdown
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<em>" not in html
    # nothing fetched from elsewhere when the mail is opened
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("week", date(2026, 11, 23), date(2026, 11, 29)),
        ("month", date(2026, 11, 1), date(2026, 11, 30)),
        ("quarter", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_a_period_is_this_week_month_or_quarter(
    ctx: Context, period: str, first: date, last: date
) -> None:
    assert period_of(ctx, period, None, None) == (first, last)


def test_a_period_given_by_days_must_be_whole_and_in_order(ctx: Context) -> None:
    assert period_of(ctx, None, "2026-11-01", "2026-11-15") == (
        date(2026, 11, 1),
        date(2026, 11, 15),
    )
    for since, until, field in (
        ("2026-11-01", None, "since"),
        ("2026-11-15", "2026-11-01", "until"),
    ):
        with pytest.raises(ValidationError) as caught:
            period_of(ctx, None, since, until)
        assert caught.value.field == field


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    with loopback_smtp() as running:
        yield running


def test_a_plan_items_digest_is_sent_by_smtp_and_logged(
    cli: Any, demo_db: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    configure_mail(port)
    open_database(demo_db)
    item = next(r for r in comms.plan() if r.item.name == "ERP: Weekly status e-mail")
    before = CommsLogEntry.select().where(CommsLogEntry.item == item.item.id).count()
    people = audience_people(item.item.id)
    result = cli("digest", "--for-item", str(item.item.id), "--send", db=demo_db)
    assert result.status == 0, result.err
    count = len([p for p in people if p.email])
    assert result.out == (
        f"sent ERP status, 23 Nov – 29 Nov 2026 to {count}; "
        f"logged as sent for plan item {item.item.id}\n"
    )
    sender, recipients, content = inbox.messages[0]
    assert sender == "pmo@city.example"
    assert sorted(recipients) == sorted(p.email for p in people if p.email)
    arrived = email.message_from_bytes(content, policy=policy.default)
    assert "Overall status" in arrived.get_body(("plain",)).get_content()
    open_database(demo_db)
    entries = CommsLogEntry.select().where(CommsLogEntry.item == item.item.id)
    assert entries.count() == before + 1
    latest = entries.order_by(CommsLogEntry.sent_at.desc()).get()
    assert latest.artifact.startswith("e-mail sha256:")
    assert latest.how == "sent"


def test_the_command_writes_each_format_and_refuses_an_email_without_audience(
    cli: Any, demo_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "digest.html"
    wrote = cli("digest", "--program", "ERP", "--format", "html", "-o", str(target), db=demo_db)
    assert wrote.status == 0 and target.read_text().startswith("<!DOCTYPE html>")
    as_json = json.loads(cli("digest", "--format", "json", db=demo_db).out)
    keys = "status milestones actions meetings communications contractors contracts"
    keys += " risks changes budget proposals solicitations scorecards"
    assert [s["key"] for s in as_json["sections"]] == keys.split()
    refused = cli("digest", "--format", "eml", db=demo_db)
    assert refused.status == 2 and refused.err.startswith("docket: audience:")


@pytest.mark.parametrize(
    ("cadence", "period"),
    [
        ("FREQ=WEEKLY;BYDAY=FR", "week"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "week"),
        ("FREQ=DAILY", "week"),
        ("2026-12-04", "week"),
        ("FREQ=MONTHLY;BYDAY=1MO", "month"),
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=5", "month"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5", "quarter"),
        ("FREQ=YEARLY", "quarter"),
    ],
)
def test_a_plan_items_period_follows_how_often_it_goes_out(cadence: str, period: str) -> None:
    assert period_of_cadence(cadence) == period


def _item(name: str) -> comms.PlanRow:
    return next(r for r in comms.plan() if r.item.name == name)


def test_a_plan_items_digest_has_its_period_sections_audience_and_format(demo: Context) -> None:
    report = _item("ERP: Milestone report")  # monthly, milestones, a report
    planned = item_digest(demo, report.item.id)
    made = planned.digest
    assert (made.scope.since, made.scope.until) == (date(2026, 11, 1), date(2026, 11, 30))
    assert [s.key for s in made.sections] == ["milestones"]
    assert made.title == "ERP milestones, 01 Nov – 30 Nov 2026"
    assert planned.fmt == "md"
    assert planned.audience == audience_people(report.item.id)
    assert planned.audience
    burn = _item("ERP: Contract burn report")
    assert [s.key for s in item_digest(demo, burn.item.id).digest.sections] == [
        "contractors",
        "contracts",
    ]
    actions = item_digest(demo, _item("ERP: Open actions digest").item.id)
    assert [s.key for s in actions.digest.sections] == ["actions"]
    assert actions.fmt == "eml"
    keys = "status milestones actions meetings communications contractors contracts"
    keys += " risks changes budget proposals scorecards"  # ERP has no solicitation open
    weekly = item_digest(demo, _item("ERP: Weekly status e-mail").item.id)
    assert [s.key for s in weekly.digest.sections] == keys.split()
    assert (weekly.digest.scope.since, weekly.digest.scope.until) == WEEK
    newsletter = item_digest(demo, _item("ERP: Department newsletter item").item.id)
    assert newsletter.digest.kind == "status"  # no kind named: the whole status digest


def test_the_command_for_an_item_prints_the_same_digest(
    cli: Any, demo_db: Path, ctx: Context
) -> None:
    open_database(demo_db)
    report = _item("ERP: Milestone report")
    printed = cli("digest", "--for-item", str(report.item.id), db=demo_db)
    assert printed.status == 0, printed.err
    open_database(demo_db)
    # the digest printed ends with its stamp (tests/test_as_of.py)
    assert without_stamp(printed.out) == written.markdown(item_digest(ctx, report.item.id).digest)
    assert printed.out.startswith("# ERP milestones, 01 Nov – 30 Nov 2026\n")


def test_a_digest_written_to_a_file_is_logged_exported_not_sent(
    cli: Any, demo_db: Path, tmp_path: Path
) -> None:
    open_database(demo_db)
    report = _item("ERP: Milestone report")
    for name in ("milestones.html", "milestones.md"):
        target = tmp_path / name
        result = cli("digest", "--for-item", str(report.item.id), "-o", str(target), db=demo_db)
        assert result.status == 0, result.err
        assert result.out == (
            f"wrote {target}; logged as exported for plan item {report.item.id} "
            "(not counted as sent)\n"
        )
    open_database(demo_db)
    after = _item("ERP: Milestone report")
    assert (after.last_sent, after.due) == (report.last_sent, report.due)
    assert after.exported is not None
    entries = log_of(report.item.id)
    assert [e["how"] for e in entries[:2]] == ["exported", "exported"]
    assert entries[0]["artifact"].startswith("milestones.md sha256:")


def test_a_digest_refused_for_one_of_the_audience_names_it_and_logs_the_rest(
    cli: Any, demo_db: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    configure_mail(port)
    open_database(demo_db)
    item = _item("ERP: Weekly status e-mail")
    emails = sorted(p.email.lower() for p in audience_people(item.item.id) if p.email)
    assert len(emails) >= 2
    inbox.refuse = {emails[0]}
    result = cli("digest", "--for-item", str(item.item.id), "--send", db=demo_db)
    assert result.status == 1
    count = len(emails)
    assert result.out == (
        f"sent ERP status, 23 Nov – 29 Nov 2026 to {count - 1} of {count} (1 refused); "
        f"logged as sent for plan item {item.item.id}\n"
    )
    assert result.err == (
        f"docket: {emails[0]} was refused by the server: "
        f"550 5.1.1 <{emails[0]}>: mailbox unavailable\n"
    )
    assert sorted(a.lower() for a in inbox.messages[0][1]) == emails[1:]
    open_database(demo_db)
    latest = log_of(item.item.id)[0]
    assert latest["how"] == "sent"
    assert f"refused: {emails[0]} (550 5.1.1" in latest["note"]
    before = len(log_of(item.item.id, limit=1000))
    inbox.refuse = set(emails)
    nobody = cli("digest", "--for-item", str(item.item.id), "--send", db=demo_db)
    assert nobody.status == 1 and nobody.out == ""
    lines = nobody.err.splitlines()
    assert lines[0] == (
        f"docket: sent ERP status, 23 Nov – 29 Nov 2026 to nobody: the server refused all {count}"
    )
    assert len(lines) == 1 + count and "{" not in nobody.err
    open_database(demo_db)
    assert len(log_of(item.item.id, limit=1000)) == before
