"""Status digests: what a stakeholder needs to know about a program (or all) for a period.

A digest is the sections (:mod:`docket.models.comms.digest_sections`) of its kind for a
:class:`Scope` (:mod:`docket.models.comms.digest_scope`). A plan item's digest
(:func:`item_digest`) is built in one place for the app's preview, its save and send, and
``docket digest --for-item``: the item's program, its audience, the period its cadence
covers, the sections its kind names (:data:`SECTIONS_OF_KIND`) and its format.

The facts are plain data; :mod:`docket.exports.digests.digest` writes them as Markdown, text,
HTML, e-mail and JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple, TypedDict

from docket.models.comms.audience import audience_people
from docket.models.comms.digest_scope import Scope, Section, period_of, scope_of
from docket.models.comms.digest_sections import SECTIONS_OF_KIND
from docket.models.core import records
from docket.models.core.config import Config
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import CommsItem, Person


class DigestFacts(TypedDict):
    """A digest as plain data (``docket digest --format json``). Each section is its key,
    title, whether it says anything, its empty line, and its own facts, which vary with
    the section (:mod:`docket.models.comms.digest_sections`)."""

    title: str
    kind: str
    program: str | None
    since: str
    until: str
    next_until: str
    made_at: str
    sections: list[dict[str, Any]]


class Digest(NamedTuple):
    """A digest: its scope, when it was made, its sections, and its kind (which sections).
    A named tuple: a dataclass costs a digest's start several times as much to define."""

    scope: Scope
    made_at: datetime
    sections: list[Section]
    kind: str = "status"

    @property
    def title(self) -> str:
        who = self.scope.program or "All programs"
        return f"{who} {self.kind}, {_days(self.scope.since, self.scope.until)}"

    def facts(self) -> DigestFacts:
        """The digest as plain data (its JSON)."""
        return {
            "title": self.title,
            "kind": self.kind,
            "program": self.scope.program,
            "since": self.scope.since.isoformat(),
            "until": self.scope.until.isoformat(),
            "next_until": self.scope.next_until.isoformat(),
            "made_at": self.made_at.isoformat(),
            "sections": [
                {"key": s.key, "title": s.title, "said": s.said, "empty": s.empty, **s.facts}
                for s in self.sections
            ],
        }


def _days(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{first:%d %b %Y} – {last:%d %b %Y}"
    return f"{first:%d %b} – {last:%d %b %Y}"


def build_digest(
    ctx: Context,
    *,
    program: str | None = None,
    period: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    config: Config | None = None,
) -> Digest:
    """The digest of a program (or all) for a period: the sections of ``kind`` (the whole
    status digest when None); ``config`` gives the evidence's thresholds."""
    chosen = kind or "status"
    builders = SECTIONS_OF_KIND.get(chosen)
    if builders is None:
        raise ValidationError("digest", f"expected one of {', '.join(SECTIONS_OF_KIND)}")
    first, last = period_of(ctx, period, since, until)
    scope = scope_of(ctx, program, first, last, config)
    sections = [build(scope) for build in builders]
    shown = [s for s in sections if s.said or not s.optional]
    return Digest(scope, ctx.now(), shown, chosen)


def period_of_cadence(cadence: str) -> str:
    """The period a plan item's digest covers, by how often it goes out: every month or two
    a month, every three months or more (or yearly) a quarter, else (weekly, daily, a
    one-off date) a week."""
    parts = dict(p.split("=", 1) for p in cadence.upper().split(";") if "=" in p)
    frequency = parts.get("FREQ", "")
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
    if frequency == "YEARLY" or (frequency == "MONTHLY" and interval >= 3):
        return "quarter"
    if frequency == "MONTHLY":
        return "month"
    return "week"


class ItemDigest(NamedTuple):
    """A plan item's digest as it goes out: the digest, the people it goes to, and the
    format it is written in (an e-mail for an e-mail item, else Markdown)."""

    item_id: int
    item_name: str
    digest: Digest
    audience: list[Person]
    fmt: str


def item_digest(
    ctx: Context,
    item_id: int,
    *,
    program: str | None = None,
    period: str | None = None,
    since: str | None = None,
    until: str | None = None,
    config: Config | None = None,
) -> ItemDigest:
    """The digest a plan item sends: its program, the period its cadence covers (unless a
    period or days are given), the sections its kind names, its audience and format. The
    app's preview, save and send and ``docket digest --for-item`` all come here, so what is
    previewed is what goes out."""
    item = records.get(CommsItem, item_id)
    made = build_digest(
        ctx,
        program=program or item.program.code,
        period=None if since or until else period or period_of_cadence(item.cadence),
        since=since,
        until=until,
        kind=item.digest_kind,
        config=config,
    )
    fmt = "eml" if item.channel == "e-mail" else "md"
    return ItemDigest(item.id, item.name, made, audience_people(item.id), fmt)
