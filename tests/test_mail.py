"""E-mail: .eml files with text, HTML and a calendar part, SMTP through a loopback server
(which refuses some recipients with 550 as real servers do), the password rules, and the send
ledger: exported, sent or refused per recipient, and who holds an out-of-date invite."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
from conftest import erp_team
from smtp_support import Inbox, configure_mail
from smtp_support import smtp_server as loopback_smtp

from docket.exports.mail import smtp as mail
from docket.models.core.config import MailSettings, read_config
from docket.models.core.context import Context
from docket.models.core.errors import DatabaseError
from docket.models.core.schema import InviteDelivery
from docket.models.meetings import series as meetings
from docket.models.meetings.invites import delivery_state
from docket.models.meetings.views import occurrence_detail

pytestmark = pytest.mark.both_engines


@pytest.fixture
def office(db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    monkeypatch.setattr(meetings, "uid_factory", lambda: "mail-1@docket.test")
    erp_team(ctx)
    meetings.add_meeting(
        ctx, "Steering", start="2026-12-01 09:00", repeat="weekly on tue", attendees=["bo"],
        program="ERP", location="Room 4",
    )  # fmt: skip
    return ctx


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    with loopback_smtp() as running:
        yield running


def test_invite_eml_has_text_html_and_a_matching_calendar_part(
    cli: Any, office: Context, tmp_path: Path
) -> None:
    eml = tmp_path / "invite.eml"
    result = cli("invite", "1", "--eml", str(eml))
    assert result.status == 0, result.err
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Subject"].startswith("Invitation: Steering @ Tue 01 Dec 2026 09:00")
    assert message["To"] == "Ana Lopez <ana@city.example>, Bo Chen <bo@city.example>"
    types = [part.get_content_type() for part in message.walk()]
    assert types[:4] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"]
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert "METHOD:REQUEST" in calendar.get_content()
    assert "application/ics" in types
    assert b"\r\n" in eml.read_bytes()


def test_invite_is_sent_through_a_loopback_smtp_server(
    office: Context, smtp_server: tuple[Inbox, int]
) -> None:
    from docket.exports.calendar.ical_invite import invite
    from docket.models.core.clock import utcnow

    inbox, port = smtp_server
    made = invite(1, utcnow())
    message = mail.build_message(
        sender=mail.Address("Ana Lopez", "ana@city.example"),
        to=[mail.Address(p.name, p.email) for p in made.recipients],
        subject="Invitation: Steering",
        text="Steering, Tuesdays 09:00\n",
        calendar=made.ics,
        calendar_method=made.method,
    )
    settings = MailSettings(host="127.0.0.1", port=port, starttls=False)
    sent = mail.send(message, settings)
    assert sent == mail.Sent(["ana@city.example", "bo@city.example"], {})
    assert len(inbox.messages) == 1
    sender, recipients, content = inbox.messages[0]
    assert sender == "ana@city.example"
    assert sorted(recipients) == ["ana@city.example", "bo@city.example"]
    arrived = email.message_from_bytes(content, policy=policy.default)
    assert arrived["Subject"] == "Invitation: Steering"
    calendar = next(p for p in arrived.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert "UID:mail-1@docket.test" in calendar.get_content()
    assert arrived.get_body(("plain",)).get_content().rstrip() == "Steering, Tuesdays 09:00"


def test_docket_invite_send_delivers_through_smtp_and_notes_the_ledger(
    cli: Any, office: Context, smtp_server: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp_server
    configure_mail(port)
    result = cli("invite", "1", "--send")
    assert (result.status, result.err) == (0, "")
    assert result.out == "sent REQUEST to 2\n"
    sender, recipients, content = inbox.messages[0]
    assert (sender, sorted(recipients)) == (
        "pmo@city.example",
        ["ana@city.example", "bo@city.example"],
    )
    arrived = email.message_from_bytes(content, policy=policy.default)
    assert arrived["Subject"].startswith("Invitation: Steering @ Tue 01 Dec 2026 09:00")
    assert {row["state"] for row in delivery_state(1)} == {"up to date"}


def test_no_smtp_server_is_a_clear_error(office: Context) -> None:
    message = mail.build_message(
        sender=mail.Address("a", "a@x.example"), to=[mail.Address("b", "b@x.example")],
        subject="s", text="t",
    )  # fmt: skip
    with pytest.raises(mail.MailError, match="no SMTP server is configured"):
        mail.send(message, MailSettings())


def test_password_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("hunter2\n")
    secret.chmod(0o644)
    settings = MailSettings(host="mail.example", user="ana", password_file=str(secret))
    with pytest.raises(mail.MailError, match=r"can be read by others.*chmod 600"):
        mail.smtp_password(settings, env={})
    secret.chmod(0o600)
    assert mail.smtp_password(settings, env={}) == "hunter2"
    from_env = MailSettings(host="mail.example", user="ana", password_env="DOCKET_SMTP_PASSWORD")
    assert mail.smtp_password(from_env, env={"DOCKET_SMTP_PASSWORD": "s3cret"}) == "s3cret"
    with pytest.raises(mail.MailError, match="export DOCKET_SMTP_PASSWORD"):
        mail.smtp_password(from_env, env={})


def test_mail_settings_come_from_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[mail]\nhost = "smtp.city.example"\nport = 2525\nstarttls = true\n'
        'user = "ana"\npassword_env = "DOCKET_SMTP_PASSWORD"\n'
    )
    config = read_config(path)
    assert config is not None
    assert (config.mail.host, config.mail.port, config.mail.user) == (
        "smtp.city.example",
        2525,
        "ana",
    )
    path.write_text('[mail]\nhost = "x"\npassword = "oops"\n')
    with pytest.raises(DatabaseError, match="never put the SMTP password in the config"):
        read_config(path)


def _states(meeting_id: int = 1) -> dict[str, str]:
    return {r["email"]: r["state"] for r in delivery_state(meeting_id)}


def test_ledger_shows_who_holds_an_out_of_date_invite(
    cli: Any, office: Context, tmp_path: Path, smtp_server: tuple[Inbox, int]
) -> None:
    configure_mail(smtp_server[1])
    assert cli("invite", "1", "--send").status == 0
    assert set(_states().values()) == {"up to date"}
    cli("meeting", "edit", "1", "--location", "Room 9", "--add-attendee", "cy")
    cli("meeting", "edit", "1", "--remove-attendee", "bo")
    assert _states() == {
        "ana@city.example": "out of date",
        "cy@city.example": "never sent",
        "bo@city.example": "removed",
    }
    show = cli("meeting", "show", "1").out
    assert "Invites: 3 not up to date (sequence 1)" in show
    assert "Bo Chen <bo@city.example>: removed, holds sequence 0" in show
    result = cli("invite", "1", "--send")
    assert (result.status, result.out) == (0, "sent REQUEST to 2\nsent CANCEL to 1\n")
    assert _states() == {
        "ana@city.example": "up to date",
        "cy@city.example": "up to date",
        "bo@city.example": "cancelled",
    }


def test_files_written_are_exported_not_sent_and_still_cancel_the_removed(
    cli: Any, office: Context, tmp_path: Path
) -> None:
    for written in (("-o", str(tmp_path / "a.ics")), ("--eml", str(tmp_path / "a.eml"))):
        result = cli("invite", "1", *written)
        assert result.status == 0, result.err
        assert _states() == {
            "ana@city.example": "exported, not sent",
            "bo@city.example": "exported, not sent",
        }
    assert {d.state for d in InviteDelivery.select()} == {"exported"}
    show = cli("meeting", "show", "1").out
    assert "Invites: 2 not up to date (sequence 0)" in show
    assert "Bo Chen <bo@city.example>: exported, not sent" in show
    # a file may have been sent by hand: a removed attendee still gets the cancellation
    cli("meeting", "edit", "1", "--remove-attendee", "bo")
    assert _states()["bo@city.example"] == "removed"
    assert cli("invite", "1", "--eml", str(tmp_path / "b.eml")).status == 0
    cancel = email.message_from_bytes(
        (tmp_path / "b-cancel.eml").read_bytes(), policy=policy.default
    )
    assert cancel["To"] == "Bo Chen <bo@city.example>"
    assert _states() == {
        "ana@city.example": "exported, not sent",
        "bo@city.example": "cancellation exported, not sent",
    }


@pytest.fixture
def three(office: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    """A second meeting with three recipients: Ana (the organizer), Bo and Cy."""
    monkeypatch.setattr(meetings, "uid_factory", lambda: "mail-2@docket.test")
    meetings.add_meeting(
        office, "Review", start="2026-12-02 10:00", attendees=["bo", "cy"], program="ERP"
    )
    return office


def test_mail_send_says_which_recipients_the_server_refused(
    three: Context, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    inbox.refuse = {"bo@city.example"}
    message = mail.build_message(
        sender=mail.Address("Ana Lopez", "ana@city.example"),
        to=[mail.Address(n, f"{n}@city.example") for n in ("ana", "bo", "cy")],
        subject="s",
        text="t",
    )
    settings = MailSettings(host="127.0.0.1", port=port, starttls=False)
    sent = mail.send(message, settings)
    assert sent.accepted == ["ana@city.example", "cy@city.example"]
    assert sent.refused == {"bo@city.example": "550 5.1.1 <bo@city.example>: mailbox unavailable"}
    assert [sorted(m[1]) for m in inbox.messages] == [["ana@city.example", "cy@city.example"]]
    inbox.refuse = {"ana@city.example", "bo@city.example", "cy@city.example"}
    nobody = mail.send(message, settings)
    assert (nobody.accepted, sorted(nobody.refused)) == ([], sorted(inbox.refuse))
    assert len(inbox.messages) == 1


def test_a_refused_recipient_exits_1_is_named_and_never_counted_as_sent(
    cli: Any, three: Context, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    configure_mail(port)
    inbox.refuse = {"bo@city.example"}
    result = cli("invite", "2", "--send")
    assert result.status == 1
    assert result.out == "sent REQUEST to 2 of 3 (1 refused)\n"
    assert result.err == (
        "docket: bo@city.example was refused by the server: "
        "550 5.1.1 <bo@city.example>: mailbox unavailable\n"
    )
    assert sorted(inbox.messages[0][1]) == ["ana@city.example", "cy@city.example"]
    refused = "refused: 550 5.1.1 <bo@city.example>: mailbox unavailable"
    assert _states(2) == {
        "ana@city.example": "up to date",
        "bo@city.example": refused,
        "cy@city.example": "up to date",
    }
    bo = InviteDelivery.get(InviteDelivery.email == "bo@city.example")
    assert (bo.state, bo.sequence, bo.reply) == ("refused", 0, refused.removeprefix("refused: "))
    show = cli("meeting", "show", "2").out
    assert "Invites: 1 not up to date (sequence 0)" in show
    assert f"Bo Chen <bo@city.example>: {refused}" in show
    # the app's occurrence detail says the same, and marks the refusal
    from docket.tui.forms.occurrence_detail import OccurrenceDetail

    detail = occurrence_detail(three, 2, "2026-12-02T16:00:00Z")
    assert [(r["email"], r["refused"]) for r in detail["invites"] if r["refused"]] == [
        ("bo@city.example", True)
    ]
    shown = OccurrenceDetail(detail)._invites()
    assert f"Bo Chen <bo@city.example> {refused}" in shown.plain.splitlines()
    red = [shown.plain[s.start : s.end] for s in shown.spans if s.style == "bold red"]
    assert red == [refused]
    # sent again once the server takes it: up to date
    inbox.refuse = set()
    assert cli("invite", "2", "--send").status == 0
    assert set(_states(2).values()) == {"up to date"}


def test_every_recipient_refused_is_a_clear_error_and_recorded_refused(
    cli: Any, three: Context, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    configure_mail(port)
    inbox.refuse = {"ana@city.example", "bo@city.example", "cy@city.example"}
    result = cli("invite", "2", "--send")
    assert result.status == 1
    assert result.out == "sent REQUEST to nobody: the server refused all 3\n"
    lines = result.err.splitlines()
    assert len(lines) == 3 and all(" was refused by the server: 550 5.1.1 " in x for x in lines)
    assert "{" not in result.err
    assert inbox.messages == []
    assert {s.split(":")[0] for s in _states(2).values()} == {"refused"}
    assert {d.state for d in InviteDelivery.select()} == {"refused"}
