"""E-mail: .eml files with text, HTML and a calendar part, SMTP through a loopback server,
the password rules, and the send ledger (who holds an out-of-date invite)."""

from __future__ import annotations

import email
import os
import socket
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest

from docket.exports import mail
from docket.models import meetings
from docket.models.config import MailSettings, read_config
from docket.models.context import Context
from docket.models.errors import DatabaseError
from docket.models.invites import delivery_state
from docket.models.people import add_person
from docket.models.programs import add_program


@pytest.fixture
def office(db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    monkeypatch.setattr(meetings, "uid_factory", lambda: "mail-1@docket.test")
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Ana Lopez", email="ana@city.example", account="tester")
    add_person(ctx, "Bo Chen", email="bo@city.example")
    add_person(ctx, "Cy Diaz", email="cy@city.example")
    meetings.add_meeting(
        ctx, "Steering", start="2026-12-01 09:00", repeat="weekly on tue", attendees=["bo"],
        program="ERP", location="Room 4",
    )  # fmt: skip
    return ctx


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


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
    office: Context, smtp_server: tuple[_Inbox, int]
) -> None:
    from docket.exports.ical import invite
    from docket.models.clock import utcnow

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
    mail.send(message, settings)
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
    cli: Any, office: Context, smtp_server: tuple[_Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp_server
    config = Path(os.environ["DOCKET_CONFIG"])
    config.write_text(
        config.read_text()
        + f'[mail]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        + 'sender = "pmo@city.example"\n'
    )
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


def test_ledger_shows_who_holds_an_out_of_date_invite(
    cli: Any, office: Context, tmp_path: Path
) -> None:
    assert cli("invite", "1", "--eml", str(tmp_path / "a.eml")).status == 0
    assert {r["state"] for r in delivery_state(1)} == {"up to date"}
    cli("meeting", "edit", "1", "--location", "Room 9", "--add-attendee", "cy")
    cli("meeting", "edit", "1", "--remove-attendee", "bo")
    states = {r["email"]: r["state"] for r in delivery_state(1)}
    assert states == {
        "ana@city.example": "out of date",
        "cy@city.example": "never sent",
        "bo@city.example": "removed",
    }
    show = cli("meeting", "show", "1").out
    assert "Invites: 3 not up to date (sequence 1)" in show
    assert "Bo Chen <bo@city.example>: removed, holds sequence 0" in show
    result = cli("invite", "1", "--eml", str(tmp_path / "b.eml"))
    assert result.status == 0, result.err
    assert (tmp_path / "b-cancel.eml").exists()
    cancel = email.message_from_bytes(
        (tmp_path / "b-cancel.eml").read_bytes(), policy=policy.default
    )
    assert cancel["To"] == "Bo Chen <bo@city.example>"
    states = {r["email"]: r["state"] for r in delivery_state(1)}
    assert states == {
        "ana@city.example": "up to date",
        "cy@city.example": "up to date",
        "bo@city.example": "cancelled",
    }
