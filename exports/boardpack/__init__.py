"""The board pack: every program at a glance and each program's pictures, as one
self-contained HTML file (charts as inline SVG) or a PDF of it."""

from __future__ import annotations

from docket.models.core.config import Config
from docket.models.core.context import Context


def build_pack(
    ctx: Context,
    program: str | None = None,
    config: Config | None = None,
    *,
    since: str | None = None,
) -> str:
    """The stamped pack at ``ctx.today()`` (bind a past state first for an earlier day):
    the whole portfolio, or the program named and those under it; with ``since``, the
    changes from that day to today."""
    from docket.exports.boardpack.document import render, stamped
    from docket.models.portfolio.board import board_facts

    settings = config or Config()
    facts = board_facts(ctx, program, settings)
    changes = ""
    if since is not None:
        from docket.exports.boardpack.changes import changes as changes_section
        from docket.models.portfolio.changes_since import changes_since

        changes = changes_section(changes_since(ctx, since, program=facts["scope"]))
    content = render(facts, high_score=settings.evidence_risk_score, changes=changes)
    return stamped(content)
