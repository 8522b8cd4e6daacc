"""The board pack as one self-contained HTML file: no script, no external resource (fonts
are the system's), printable to A4 and Letter (each program's section starts a page, a chart
is never split), stamped with the database state it was built from and the SHA-256 of its
content.

The stamp is two elements: ``<meta name="docket-stamp">`` in the head and
``<p class="stamp">`` in the footer. The hash is of the document without them
(:func:`unstamped` gives it back), so a pack built again later, as of the same date, can be
shown to match.
"""

from __future__ import annotations

import re
from datetime import date

from docket.exports.boardpack.sections import anchor, long_day, portfolio, program
from docket.exports.boardpack.tables import esc
from docket.models.audit.stamp import ReportStamp, stamp_for, stamp_state
from docket.models.portfolio.board import BoardFacts

CSS = """
:root { color: #1a1a1a; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", sans-serif; }
body { margin: 0 auto; max-width: 186mm; padding: 8mm 6mm; font-size: 9.5pt;
  line-height: 1.35; -webkit-print-color-adjust: exact; }
@page { margin: 12mm 11mm 14mm; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; } }
header.pack { border-bottom: 2px solid #1a1a1a; margin-bottom: 4mm; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
h2 { font-size: 13.5pt; margin: 0 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm; }
h3 { font-size: 10.5pt; margin: 5mm 0 1.5mm; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0 2mm; }
section.program, section.changes { break-before: page; page-break-before: always; }
figure { margin: 1mm 0 2mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 8pt; color: #444; margin-top: 1mm; }
svg.chart { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 1mm 0 3mm; }
caption { text-align: left; font-size: 8pt; color: #444; padding-bottom: 1mm; }
th, td { border-bottom: 1px solid #d0d0d0; padding: 0.8mm 1.2mm; text-align: left;
  vertical-align: top; }
thead th { border-bottom: 1.5px solid #1a1a1a; }
tr { break-inside: avoid; page-break-inside: avoid; }
.day { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.glance td:nth-child(1) { white-space: nowrap; font-weight: bold; }
.rag { display: inline-block; min-width: 11mm; text-align: center; font-weight: bold;
  font-size: 7.5pt; padding: 0.2mm 1mm; border-radius: 1mm; border: 1px solid #1a1a1a; }
.rag-red { background: #b3261e; color: #fff; }
.rag-amber { background: #f6c343; color: #1a1a1a; }
.rag-green { background: #1b7a3d; color: #fff; }
.rag-none { background: #fff; color: #1a1a1a; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm;
  margin: 0 0 2mm; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.side { display: flex; gap: 6mm; align-items: flex-start; break-inside: avoid;
  page-break-inside: avoid; }
.side figure { flex: 0 0 62mm; }
.side table { width: auto; }
table.matrix td, table.matrix th { text-align: center; }
table.matrix { width: auto; }
table.matrix td { border: 1.5px solid #fff; font-weight: bold; min-width: 9mm; }
table.matrix td.nil { font-weight: normal; color: #6b6b6b; }
.band-high { background: #f4b6a6; }
.band-medium { background: #fbe0a6; }
.band-low { background: #d3ecd9; }
nav p, ul.contents, ul.contents li { display: inline; margin: 0; padding: 0; }
ul.contents li { margin-right: 2mm; }
footer { margin-top: 6mm; border-top: 1px solid #999; font-size: 7.5pt; color: #444; }
.stamp { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
"""


def stamp_text(stamp: ReportStamp) -> str:
    """The stamp in words (no user text in it)."""
    return f"Built from the {stamp_state(stamp)}; content sha256 {stamp['sha256']}"


def render(
    facts: BoardFacts,
    *,
    high_score: int,
    changes: str = "",
) -> str:
    """The pack without its stamp: header, portfolio page, the changes (HTML from
    :mod:`changes`, when asked), each program's section, footer."""
    today = date.fromisoformat(facts["today"])
    scope = f"{esc(facts['scope'])} and the programs under it" if facts["scope"] else "All programs"
    # the same words on the day and as of it later: a pack as of a past day is byte for byte
    # the pack built that day (but for the stamp)
    when = "as of"
    title = f"Board pack: {facts['scope'] or 'portfolio'}, {long_day(facts['today'])}"
    contents = "".join(
        f'<li><a href="#{anchor(p["program"]["code"])}">{esc(p["program"]["code"])}</a></li> '
        for p in facts["programs"]
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        '<meta name="generator" content="docket boardpack">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<header class="pack">',
        "<h1>Board pack</h1>",
        f"<p>{scope}, {when} {long_day(facts['today'])} (fiscal year FY{facts['fiscal_year']})."
        "</p>",
        f'<nav aria-label="Programs"><p>Programs:</p> <ul class="contents">{contents}</ul></nav>'
        if len(facts["programs"]) > 1
        else "",
        "</header>",
        "<main>",
        portfolio(facts, high_score),
        changes,
        *(program(p, high_score, today) for p in facts["programs"]),
        "</main>",
        "<footer>",
        f"<p>docket board pack, {when} {long_day(facts['today'])}.</p>",
        "</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(part for part in parts if part)


META = re.compile(r'\n<meta name="docket-stamp" content="[^"]*">')
PARAGRAPH = re.compile(r'\n<p class="stamp">[^<]*</p>')


def stamped(content: str) -> str:
    """The pack with its stamp, built from the database bound now (see the module's note)."""
    line = esc(stamp_text(stamp_for(content)))
    head = '<meta charset="utf-8">'
    out = content.replace(head, f'{head}\n<meta name="docket-stamp" content="{line}">', 1)
    return out.replace("\n</footer>", f'\n<p class="stamp">{line}</p>\n</footer>', 1)


def unstamped(pack: str) -> str:
    """A stamped pack's content again (what its hash is of)."""
    return PARAGRAPH.sub("", META.sub("", pack, count=1), count=1)
