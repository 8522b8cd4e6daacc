"""Status digests written out: Markdown (the source), plain text at 72 columns, HTML made
from the Markdown with inline styles that survive Outlook, an e-mail (text and HTML), and
JSON with the same facts.

Each section of :mod:`docket.models.comms.digest` becomes a few blocks (headings, paragraphs,
lists, tables: :mod:`docket.exports.digests.blocks`); Markdown and text are both written from
the blocks, so they say the same. Text from users is data: escaped in Markdown (so ``*`` or
``<script>`` stay characters) and therefore in the HTML, which has no scripts, classes or
external resources.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docket.exports.digests.blocks import Block, Line, Span, blocks
from docket.exports.tabular.tables import json_text as safe_json
from docket.models.audit.stamp import stamp_for, stamp_line, with_stamp
from docket.models.comms.digest import Digest

if TYPE_CHECKING:  # the e-mail's modules: loaded by message() alone, not by a digest shown
    from email.message import EmailMessage

    from docket.exports.mail import smtp as mail

WIDTH = 72


FORMATS = ("md", "txt", "html", "eml", "json")


# Markdown's punctuation that could format user text
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&])")


def _md_span(span: Span) -> str:
    escaped = _MARKDOWN.sub(r"\\\1", span.text.replace("\n", " "))
    return f"**{escaped}**" if span.bold and escaped else escaped


def _md_line(line: Line) -> str:
    return "".join(_md_span(s) for s in line)


def markdown(digest: Digest) -> str:
    """The digest in Markdown."""
    parts: list[str] = []
    for block in blocks(digest):
        if block.kind == "heading":
            parts.append("#" * block.level + " " + _md_line(block.lines[0]))
        elif block.kind == "para":
            parts.append("\n".join(_md_line(line) for line in block.lines))
        elif block.kind == "list":
            parts.append("\n".join("- " + _md_line(line) for line in block.lines))
        elif block.kind == "table":
            head = "| " + " | ".join(block.headers) + " |"
            rule = "|" + "|".join("---" for _ in block.headers) + "|"
            body = ["| " + " | ".join(_md_span(Span(c)) for c in row) + " |" for row in block.rows]
            parts.append("\n".join([head, rule, *body]))
    return "\n\n".join(parts) + "\n"


def _plain(line: Line) -> str:
    return "".join(s.text.replace("\n", " ") for s in line)


def _table_row(block: Block, row: Sequence[str]) -> str:
    """A table's row as a sentence: ``ERP: budget 1.00, actual 2.00``; the status table
    (program, RAG, note) as ``ERP: GREEN. The note``."""
    if list(block.headers) == ["Program", "RAG", "Note"]:
        return f"{row[0]}: {row[1]}. {row[2]}"
    pairs = zip(block.headers[1:], row[1:], strict=True)
    return f"{row[0]}: " + ", ".join(f"{h.lower()} {c}" for h, c in pairs)


def text(digest: Digest) -> str:
    """The digest as plain text wrapped at 72 columns (for mail programs without HTML)."""
    parts: list[str] = []
    for block in blocks(digest):
        if block.kind == "heading":
            title = _plain(block.lines[0])
            rule = "=" if block.level == 1 else "-"
            parts.append(f"{title}\n{rule * min(WIDTH, len(title))}")
        elif block.kind == "para":
            parts.append("\n".join(textwrap.fill(_plain(line), WIDTH) for line in block.lines))
        elif block.kind == "list":
            parts.append(
                "\n".join(
                    textwrap.fill(_plain(line), WIDTH, initial_indent="- ", subsequent_indent="  ")
                    for line in block.lines
                )
            )
        elif block.kind == "table":
            rows = [
                textwrap.fill(
                    _table_row(block, row), WIDTH, initial_indent="- ", subsequent_indent="  "
                )
                for row in block.rows
            ]
            parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"


RAG_COLOURS = {"RED": "#b00020", "AMBER": "#b35c00", "GREEN": "#1b7f3b"}


_STYLES = {
    "h1": "font-size:20px;margin:0 0 8px 0;",
    "h2": "font-size:16px;margin:20px 0 6px 0;border-bottom:1px solid #cccccc;",
    "p": "margin:6px 0;",
    "ul": "margin:4px 0 8px 0;padding-left:20px;",
    "table": "border-collapse:collapse;margin:6px 0;",
    "th": "border:1px solid #cccccc;padding:4px 8px;text-align:left;background:#f2f2f2;",
    "td": "border:1px solid #cccccc;padding:4px 8px;vertical-align:top;",
}


def html(digest: Digest) -> str:
    """The digest in HTML, from its Markdown, every style inline (Outlook drops <style>)."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown(digest))
    for tag, style in _STYLES.items():
        body = re.sub(rf"<{tag}(?=[ >])", f'<{tag} style="{style}"', body)
    # the RAG words of the status table, in their colours (the words still say it)
    for word, colour in RAG_COLOURS.items():
        body = body.replace(
            f'<td style="{_STYLES["td"]}">{word}</td>',
            f'<td style="{_STYLES["td"]}color:{colour};font-weight:bold;">{word}</td>',
        )
    title = mail_escape(digest.title)
    return (
        '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>'
        f"{title}</title></head>\n"
        '<body style="font-family:Segoe UI,Arial,sans-serif;font-size:14px;color:#222222;">\n'
        f"{body}</body>\n</html>\n"
    )


def mail_escape(value: str) -> str:
    """Text for HTML outside the Markdown (the page title)."""
    import html as html_module

    return html_module.escape(value)


def json_text(digest: Digest) -> str:
    """The digest's facts as JSON."""
    return safe_json(digest.facts()) + "\n"


def message(digest: Digest, sender: mail.Address, to: Sequence[mail.Address]) -> EmailMessage:
    """The digest as an e-mail: the text and the HTML, to the audience."""
    from docket.exports.mail import smtp as mail

    content = markdown(digest).encode()
    ident = hashlib.sha256(content).hexdigest()[:16]
    domain = sender.email.rpartition("@")[2] or "docket"
    built = mail.build_message(
        sender=sender,
        to=to,
        subject=digest.title,
        text=text(digest),
        html_body=html(digest),
        date=digest.made_at,
        message_id=f"<digest-{ident}@{domain}>",
    )
    # boundaries from the content, not at random: the same digest is the same file
    for index, part in enumerate(p for p in built.walk() if p.is_multipart()):
        part.set_boundary(f"docket-digest-{ident}-{index}")
    return built


def render(digest: Digest, fmt: str) -> str:
    """The digest in one of the text formats: md, txt, html or json, with its stamp (the
    database state it was built from and the SHA-256 of the content without the stamp:
    :mod:`docket.models.audit.stamp`). Markdown and text end with a blank line and the stamp
    line; HTML has it as the last paragraph of the body; JSON has a ``stamp`` object (the
    hash is of the same JSON without it). E-mails and the app's preview carry no stamp."""
    if fmt == "json":
        content = json_text(digest)
        stamped = {**digest.facts(), "stamp": stamp_for(content)}
        return safe_json(stamped) + "\n"
    if fmt == "html":
        content = html(digest)
        line = mail_escape(stamp_line(stamp_for(content)))
        footer = f'<p style="{_STYLES["p"]}color:#666666;font-size:12px;">{line}</p>\n'
        head, _, tail = content.rpartition("</body>")
        return f"{head}{footer}</body>{tail}"
    writers = {"md": markdown, "txt": text}
    return with_stamp(writers[fmt](digest))
