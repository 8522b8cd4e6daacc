"""``docket boardpack``: the board pack of the portfolio (or one program) as one HTML file,
or a PDF of it. Built by :mod:`docket.exports.boardpack`; no rule lives here."""

from __future__ import annotations

from pathlib import Path

import click

from docket.models.core.errors import ValidationError
from docket.tui.cli.params import as_of_option, force_option
from docket.tui.cli.session import Session, pass_session

KINDS = (".html", ".htm", ".pdf")


@click.command("boardpack")
@click.option("--program", metavar="CODE", help="one program and those under it (else all)")
@click.option("--since", metavar="DATE", help="add what changed from DATE to the pack's day")
@click.option("-o", "--output", metavar="FILE", required=True, help="FILE.html or FILE.pdf")
@click.option(
    "--paper",
    type=click.Choice(("a4", "letter")),
    default="a4",
    show_default=True,
    help="the PDF's page size",
)
@force_option
@as_of_option
@pass_session
def boardpack(
    session: Session,
    program: str | None,
    since: str | None,
    output: str,
    paper: str,
    force: bool,
) -> None:
    """The board pack: every program at a glance, then each program's pictures."""
    from docket.exports.boardpack import build_pack
    from docket.exports.boardpack.pdf import missing, renderer, to_pdf
    from docket.models.core.files import write_new

    path = Path(output)
    kind = path.suffix.lower()
    if kind not in KINDS:
        raise ValidationError("--output", f"expected a file ending .html or .pdf, got {output}")
    if kind == ".pdf" and renderer() is None:
        raise missing()  # said before the pack is built, and nothing is written
    # with --as-of, the session has bound the past state and fixed "today" to that day
    pack = build_pack(session.ctx, program, session.config, since=since)
    content = to_pdf(pack, paper) if kind == ".pdf" else pack.encode("utf-8")
    written = write_new(path, content, force=force)
    session.print(f"board pack written to {written}")
