"""The board pack's HTML pieces: tables, badges and figures. Every piece of user text goes
through :func:`esc` (``html.escape``): a title or a note is data, never markup."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from decimal import Decimal

from docket.models.governance.risks import band

Row = Sequence[str]
# an ISO day, kept on one line
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def esc(text: object) -> str:
    """Text as HTML (quotes too, so it is safe in an attribute)."""
    return html.escape(str(text), quote=True)


def money(amount: str) -> str:
    """``1234567.50`` as ``1,234,567.50``."""
    return f"{Decimal(amount):,.2f}"


def rag(colour: str) -> str:
    """A RAG colour as a badge that says its word (the colour only helps)."""
    word = colour if colour in ("red", "amber", "green") else "none"
    return f'<span class="rag rag-{word}">{esc(colour.upper())}</span>'


def table(
    headers: Sequence[str],
    rows: Sequence[Row],
    *,
    numeric: Sequence[int] = (),
    caption: str = "",
    cls: str = "",
    raw: Sequence[int] = (),
) -> str:
    """A table: ``headers`` and ``rows`` of text (escaped, except the columns in ``raw``,
    which the caller built from escaped pieces); ``numeric`` columns right-aligned."""
    klass = f' class="{cls}"' if cls else ""
    out = [f"<table{klass}>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    heads = "".join(
        f'<th scope="col"{" class=num" if n in numeric else ""}>{esc(h)}</th>'
        for n, h in enumerate(headers)
    )
    out.append(f"<thead><tr>{heads}</tr></thead><tbody>")
    for row in rows:
        cells = []
        for n, cell in enumerate(row):
            text = cell if n in raw else esc(cell)
            if n in numeric:
                cells.append(f"<td class=num>{text}</td>")
            elif DAY.fullmatch(cell):
                cells.append(f"<td class=day>{text}</td>")
            else:
                cells.append(f"<td>{text}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def figure(svg: str, caption: str) -> str:
    """A chart with its caption (the caption is escaped; the SVG is the chart library's)."""
    return f"<figure>\n{svg}<figcaption>{esc(caption)}</figcaption>\n</figure>"


def matrix_table(matrix: Sequence[Sequence[int]], caption: str, high: int) -> str:
    """The 5x5 risk matrix as a table: impact 5 to 1 down, probability 1 to 5 across, each
    cell shaded by its band (score = impact x probability: high from ``high``, medium from
    ``MEDIUM_SCORE``); the counts carry the meaning."""
    heads = "".join(f'<th scope="col" class=num>P{p}</th>' for p in range(1, 6))
    rows = []
    for n, counts in enumerate(matrix):
        impact = 5 - n
        cells = "".join(
            f'<td class="num {_band(impact * (p + 1), high)}{"" if c else " nil"}">{c}</td>'
            for p, c in enumerate(counts)
        )
        rows.append(f'<tr><th scope="row">impact {impact}</th>{cells}</tr>')
    return (
        f'<table class="matrix"><caption>{esc(caption)}</caption>'
        f'<thead><tr><th scope="col">impact \\ probability</th>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _band(score: int, high: int) -> str:
    return f"band-{band(score, high)}"
