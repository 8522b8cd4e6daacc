"""The log of a plan item's sendings: sent (by docket's SMTP server), by hand, or exported
(only written to a file, which is not a sending), with who, a note and the artifact (a
file's name and SHA-256, so the log shows exactly what went out)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, text
from docket.models.core.schema import COMMS_LOG_HOW, CommsItem, CommsLogEntry


def artifact_of(path: Path) -> str:
    """How the log names a file that was sent: its name and SHA-256."""
    try:
        content = path.expanduser().read_bytes()
    except OSError as exc:
        raise ValidationError("artifact", f"cannot read {path}: {exc.strerror}") from None
    return f"{path.name} sha256:{hashlib.sha256(content).hexdigest()}"


def log_sent(
    ctx: Context,
    item_id: int,
    *,
    how: str = "by hand",
    note: str = "",
    artifact: str = "",
    at: datetime | None = None,
) -> CommsLogEntry:
    """Note what became of an item now (by the acting account): ``by hand`` (the person
    says they sent it), ``sent`` (docket's SMTP server accepted it) or ``exported`` (a
    file was written; it does not count as sent)."""
    kind = choice("how", how, COMMS_LOG_HOW)
    with write():
        item = records.get(CommsItem, item_id)
        return records.create(
            ctx,
            CommsLogEntry,
            item=item,
            sent_at=(at or ctx.now()).astimezone(UTC),
            sent_by=ctx.actor,
            note=text("note", note, required=False, max_length=2000),
            artifact=text("artifact", artifact, required=False, max_length=2000),
            how=kind,
        )


class LogFacts(TypedDict):
    """One entry of a plan item's log: sent, sent by hand, or exported."""

    sent_at: str
    sent_by: str
    how: str
    note: str
    artifact: str


def log_of(item_id: int, limit: int = 20) -> list[LogFacts]:
    """An item's log (sent, by hand, exported), the latest first."""
    records.get(CommsItem, item_id)
    query = (
        CommsLogEntry.select()
        .where(CommsLogEntry.item == item_id)
        .order_by(CommsLogEntry.sent_at.desc(), CommsLogEntry.id.desc())
        .limit(limit)
    )
    return [
        {
            "sent_at": e.sent_at.isoformat(),
            "sent_by": e.sent_by,
            "how": e.how,
            "note": e.note,
            "artifact": e.artifact,
        }
        for e in query
    ]
