"""Digests delivered: saved as a file in the format its name asks for, or e-mailed to an
audience with the ``[mail]`` settings. For a plan item's digest the log says what happened
(with the artifact's SHA-256): a file saved is logged ``exported`` (it does not count as
sent), an e-mail is logged ``sent`` when the server accepted it for at least one of the
audience, naming those it refused. ``docket digest`` and the Communications screen both come
here, with the digest :func:`docket.models.comms.digest.item_digest` built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from docket.exports.digests import digest as written
from docket.exports.mail import smtp as mail
from docket.models.comms.audience import audience_people
from docket.models.comms.digest import Digest
from docket.models.comms.log import log_sent
from docket.models.core.config import MailSettings
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.files import write_new
from docket.models.core.schema import Person

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


@dataclass
class DigestSent:
    """What sending a digest did: the line to show, how many the server accepted, and the
    addresses it refused with its reply (code and words)."""

    said: str
    accepted: int
    refused: dict[str, str] = field(default_factory=dict)

    def refusals(self) -> list[str]:
        """One line per refused address: who, and what the server said."""
        return [
            f"{email} was refused by the server: {reply}" for email, reply in self.refused.items()
        ]


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


def _artifact(name: str, content: bytes) -> str:
    return f"{name} sha256:{hashlib.sha256(content).hexdigest()}"


def save_digest(
    ctx: Context,
    made: Digest,
    path: Path,
    item_id: int | None = None,
    *,
    fmt: str | None = None,
    people: Sequence[Person] | None = None,
    settings: MailSettings | None = None,
    force: bool = False,
) -> str:
    """Write the digest to ``path``, replacing an existing file only with ``force`` (an
    ``.eml`` goes to ``people``, else to the plan item's
    audience); for a plan item, logs it as exported, which is not a sending. Returns what
    was done, in words."""
    chosen = fmt or format_of(path)
    if chosen == "eml":
        audience = people if people is not None else audience_people(item_id) if item_id else []
        message = digest_message(made, audience, settings or MailSettings())
        target = mail.write_eml(message, path, force=force)
        content = bytes(message)
    else:
        content = written.render(made, chosen).encode()
        # written directly: the invite module would bring in icalendar for nothing
        target = write_new(path, content, force=force)
    if item_id is None:
        return f"wrote {target}"
    log_sent(
        ctx,
        item_id,
        how="exported",
        note=f"digest {made.title}",
        artifact=_artifact(target.name, content),
    )
    return f"wrote {target}; logged as exported for plan item {item_id} (not counted as sent)"


def send_digest(
    ctx: Context,
    made: Digest,
    item_id: int | None,
    settings: MailSettings,
    people: Sequence[Person] | None = None,
) -> DigestSent:
    """E-mail the digest to ``people`` (else the plan item's audience). For a plan item it
    is logged as sent when the server accepted it for at least one address; the note names
    those it refused. Nothing is logged when it refused everyone."""
    audience = people if people is not None else audience_people(item_id) if item_id else []
    message = digest_message(made, audience, settings)
    sent = mail.send(message, settings)
    count, accepted = len(sent.accepted) + len(sent.refused), len(sent.accepted)
    if not accepted:
        said = f"sent {made.title} to nobody: the server refused all {count}"
        return DigestSent(said, 0, sent.refused)
    said = f"sent {made.title} to {accepted}"
    if sent.refused:
        said += f" of {count} ({len(sent.refused)} refused)"
    if item_id is not None:
        note = f"digest {made.title}"
        if sent.refused:
            note += "; refused: " + ", ".join(f"{a} ({r})" for a, r in sent.refused.items())
        log_sent(ctx, item_id, how="sent", note=note, artifact=_artifact("e-mail", bytes(message)))
        said += f"; logged as sent for plan item {item_id}"
    return DigestSent(said, accepted, sent.refused)
