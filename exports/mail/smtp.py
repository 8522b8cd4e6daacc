"""E-mail out of docket: ``.eml`` messages that need no mail server, and SMTP sending.

A message is multipart/alternative (readable text and HTML) inside multipart/mixed when it
carries attachments. An invite adds a ``text/calendar; method=...`` alternative whose method
equals the calendar's METHOD, and the same calendar as an ``invite.ics`` attachment, which is
what Outlook, Google Calendar and Thunderbird read. Status digests use the same builder.

SMTP settings come from the config file (:class:`docket.models.core.config.MailSettings`); the
password from an environment variable or from a file that only its owner can read.
"""

from __future__ import annotations

import html
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

from docket.models.core.config import MailSettings
from docket.models.core.errors import DocketError, ValidationError


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Address:
    """A name and an e-mail address."""

    name: str
    email: str

    def header(self) -> str:
        from email.headerregistry import Address as HeaderAddress

        return str(HeaderAddress(display_name=self.name, addr_spec=self.email))


def text_to_html(body: str) -> str:
    """A plain-text body as simple, escaped HTML (paragraphs and line breaks kept)."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    inner = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )
    return (
        f'<!DOCTYPE html>\n<html><body style="font-family: sans-serif">\n{inner}\n</body></html>\n'
    )


def build_message(
    *,
    sender: Address,
    to: Sequence[Address],
    subject: str,
    text: str,
    html_body: str | None = None,
    calendar: bytes | None = None,
    calendar_method: str | None = None,
    attachments: Sequence[Attachment] = (),
    date: datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A complete message: text and HTML alternatives, an optional calendar part (its
    ``method`` parameter equal to the calendar's METHOD), and attachments."""
    if not to:
        raise ValidationError("to", "a message needs at least one recipient with an e-mail")
    message = EmailMessage()
    message["From"] = sender.header()
    message["To"] = ", ".join(a.header() for a in to)
    message["Subject"] = subject
    if date is not None:
        message["Date"] = format_datetime(date)
    domain = sender.email.rpartition("@")[2] or "docket"
    message["Message-ID"] = message_id or make_msgid(domain=domain)
    message["MIME-Version"] = "1.0"
    message.set_content(text)
    message.add_alternative(html_body or text_to_html(text), subtype="html")
    if calendar is not None:
        method = calendar_method or _method_of(calendar)
        message.add_alternative(
            calendar.decode("utf-8"),
            subtype="calendar",
            params={"method": method},
        )
        # clients look for the calendar as an alternative (Outlook, Thunderbird) or as a
        # file (some web mail); both carry the same text
        message.make_mixed()
        message.add_attachment(
            calendar,
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    for attachment in attachments:
        if not message.is_multipart() or message.get_content_subtype() != "mixed":
            message.make_mixed()
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return message


def _method_of(calendar: bytes) -> str:
    for line in calendar.decode("utf-8", "replace").splitlines():
        if line.upper().startswith("METHOD:"):
            return line.split(":", 1)[1].strip().upper()
    raise ValidationError("calendar", "the calendar has no METHOD line")


def write_eml(message: EmailMessage, path: Path, *, force: bool = False) -> Path:
    """Write a message as a new ``.eml`` file (CRLF line ends, as mail programs expect); an
    existing name is refused unless ``force``. Returns the path written."""
    from email.policy import SMTP

    from docket.models.core.files import write_new

    return write_new(path, message.as_bytes(policy=SMTP), force=force)


class MailError(DocketError):
    """Sending failed: no settings, a refused login, a server that cannot be reached."""


def smtp_password(settings: MailSettings, env: dict[str, str] | None = None) -> str | None:
    """The SMTP password: from the environment variable the config names, or from a file
    only its owner may read (a group- or world-readable file is refused)."""
    env = dict(os.environ) if env is None else env
    if settings.password_env:
        value = env.get(settings.password_env)
        if value:
            return value
    if settings.password_file:
        path = Path(settings.password_file).expanduser()
        try:
            info = path.stat()
        except OSError as exc:
            raise MailError(f"cannot read the SMTP password file {path}: {exc.strerror}") from exc
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise MailError(
                f"the SMTP password file {path} can be read by others "
                f"(mode {stat.filemode(info.st_mode)}); run 'chmod 600 {path}'"
            )
        return path.read_text(encoding="utf-8").strip()
    if settings.password_env:
        raise MailError(f"the SMTP password is not set: export {settings.password_env}")
    return None


@dataclass(frozen=True)
class Sent:
    """What the SMTP server did with each recipient of one message: the addresses it
    accepted, and those it refused with its reply (code and words)."""

    accepted: list[str]
    refused: dict[str, str]


def recipients_of(message: EmailMessage) -> list[str]:
    """The addresses a message goes to (To, Cc and Bcc), as smtplib reads them."""
    headers = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
    return [address for _, address in getaddresses(headers) if address]


def _reply(code: int, words: bytes | str) -> str:
    """A server's reply as a person reads it: ``550 5.1.1 mailbox unavailable``."""
    text = words.decode("utf-8", "replace") if isinstance(words, bytes) else words
    return f"{code} {' '.join(text.split())}".strip()


def send(message: EmailMessage, settings: MailSettings | None) -> Sent:
    """Send a message with the configured SMTP server; returns which recipients the server
    accepted and which it refused (with its reply). Raises MailError when nothing could be
    sent at all for another reason (no settings, login, connection, sender refused)."""
    if settings is None or not settings.host:
        raise MailError(
            "no SMTP server is configured; add a [mail] section with host to the config "
            "file, or write the message with --eml and send it yourself"
        )
    # imported here: only sending needs them, and ssl is slow to import for every digest
    import smtplib
    import ssl

    password = smtp_password(settings)
    everyone = recipients_of(message)
    where = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        # every recipient refused: nothing was sent; each refusal is kept with its reply
        refused = exc.recipients
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"the SMTP server refused the login for {settings.user}") from exc
    except smtplib.SMTPResponseException as exc:
        raise MailError(
            f"{where} refused the message: {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"sending through {where} failed: {exc}") from exc
    replies = {address: _reply(code, words) for address, (code, words) in refused.items()}
    return Sent([a for a in everyone if a not in replies], replies)
