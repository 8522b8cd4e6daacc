"""Digests delivered: saved as a file in the format its name asks for, or e-mailed to an
audience with the ``[mail]`` settings; when it is a plan item's digest, the sending is
logged with the artifact's SHA-256. ``docket digest`` and the Communications screen both
come here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from docket.exports import digest as written
from docket.exports import mail
from docket.exports.invite_mail import write_file
from docket.models.comms import audience_people, log_sent
from docket.models.config import MailSettings
from docket.models.context import Context
from docket.models.digest import Digest
from docket.models.errors import ValidationError
from docket.models.schema import Person

# a file's extension to the format written in it
FORMAT_OF_SUFFIX = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".eml": "eml",
}


def format_of(path: Path) -> str:
    """The format a file name asks for (a clear error for another extension)."""
    found = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    if found is None:
        raise ValidationError("file", "expected a name ending .md, .txt, .html, .json or .eml")
    return found


def digest_message(made: Digest, people: Sequence[Person], settings: MailSettings) -> EmailMessage:
    """The digest as an e-mail from the configured sender to ``people`` (those with an
    address)."""
    to = [mail.Address(p.name, p.email) for p in people if p.email]
    if not to:
        raise ValidationError("audience", "nobody in the audience has an e-mail address")
    if not settings.sender:
        raise ValidationError("sender", "set [mail] sender in the config to send digests")
    return written.message(made, mail.Address("docket", settings.sender), to)


def _log(ctx: Context, made: Digest, item_id: int | None, name: str, content: bytes) -> str:
    if item_id is None:
        return ""
    digest = hashlib.sha256(content).hexdigest()
    log_sent(ctx, item_id, note=f"digest {made.title}", artifact=f"{name} sha256:{digest}")
    return f"; logged as sent for plan item {item_id}"


def save_digest(
    ctx: Context,
    made: Digest,
    path: Path,
    item_id: int | None = None,
    *,
    fmt: str | None = None,
    people: Sequence[Person] | None = None,
    settings: MailSettings | None = None,
) -> str:
    """Write the digest to ``path`` (an ``.eml`` goes to ``people``, else to the plan item's
    audience); logs it for the plan item. Returns what was done, in words."""
    chosen = fmt or format_of(path)
    if chosen == "eml":
        audience = people if people is not None else audience_people(item_id) if item_id else []
        message = digest_message(made, audience, settings or MailSettings())
        target = path.expanduser()
        mail.write_eml(message, target)
        content = bytes(message)
    else:
        content = written.render(made, chosen).encode()
        target = write_file(path, content)
    return f"wrote {target}" + _log(ctx, made, item_id, target.name, content)


def send_digest(
    ctx: Context,
    made: Digest,
    item_id: int | None,
    settings: MailSettings,
    people: Sequence[Person] | None = None,
) -> str:
    """E-mail the digest to ``people`` (else the plan item's audience) and log it."""
    audience = people if people is not None else audience_people(item_id) if item_id else []
    message = digest_message(made, audience, settings)
    mail.send(message, settings)
    count = sum(1 for p in audience if p.email)
    return f"sent {made.title} to {count}" + _log(ctx, made, item_id, "e-mail", bytes(message))
